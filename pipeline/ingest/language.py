"""Which input files are written in a language other than English.

Every model of the pipeline reads English: the spaCy pipeline that finds
names and sentences, the sentence model that places quotes in themes, the
cue patterns of dilemmas and decisions. A transcript in German or Welsh
still runs, but its themes are noise and, worse, the name finder misses or
mangles its names. So a file the language identifier is sure is not English
is warned about and marked in run.json (`inputs[].language`), where a
consultant can see it before sharing anything.

The identifier is langid.py's (py3langid, a naive Bayes model over byte
n-grams trained on 97 languages, shipped inside the package and pinned in
`models/models.toml`). It reads a file's text, up to `SAMPLE_CHARS`, and is
trusted only where there is enough of it (`MIN_WORDS`) and it is confident
(`MIN_PROBABILITY`): a short request ("ok thanks") says nothing about its
language, and a misjudged English file would be a false alarm. Code
switching inside a file (a quoted French phrase) does not move a whole
file's verdict.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

ENGLISH = "en"
# A hundred words or so tell a language; the identifier walks every byte in Python, so more would cost a folder
# of thousands of files seconds for nothing.
SAMPLE_CHARS = 800
# Fewer words than this, and the identifier is not asked: short requests and one-line answers.
MIN_WORDS = 40
# The identifier's normalised probability for its first language, below which no language is claimed.
MIN_PROBABILITY = 0.99

_WORD = re.compile(r"\w+")


def text_language(text: str) -> str:
    """The ISO 639-1 code of `text`'s language, or "" when there is too little text or no confident verdict.

    Examples
    --------
    >>> text_language("So we stopped closing claims at a month, because the evidence was often just late. " * 4)
    'en'
    >>> text_language("Wir haben damit aufgehört, weil die Nachweise oft einfach zu spät kamen. " * 4)
    'de'
    >>> text_language("ok thanks")
    ''
    """
    sample = text[:SAMPLE_CHARS]
    if len(_WORD.findall(sample)) < MIN_WORDS:
        return ""
    language, probability = _identifier().classify(sample)
    return str(language) if probability >= MIN_PROBABILITY else ""


def non_english(texts_by_file: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    """{file: language} for each (file, its turns' texts) whose language is confidently another than English."""
    found = {}
    for file, texts in texts_by_file:
        sample, size = [], 0
        for text in texts:  # only as many turns as the sample needs
            sample.append(text)
            size += len(text) + 1
            if size >= SAMPLE_CHARS:
                break
        language = text_language("\n".join(sample))
        if language not in ("", ENGLISH):
            found[file] = language
    return found


@lru_cache(maxsize=1)
def _identifier():
    """langid.py's identifier, its pinned model file checked first (`pipeline.models`)."""
    from py3langid.langid import LanguageIdentifier

    from ..models import verify_pinned

    root = verify_pinned("language_model")
    return LanguageIdentifier.from_modelpath(root / "model.npz.xz", norm_probs=True)
