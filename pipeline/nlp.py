"""One spaCy pipeline, loaded once, run once over every turn.

The parsed documents serve three stages (anonymise reads entities, segment
reads sentences and noun chunks, signals reads lemmas and dependencies), so
the text is parsed a single time per run.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .errors import ModelError
from .models import PINNED, force_offline, verify_pinned

logger = logging.getLogger(__name__)

# Turns longer than spaCy's default limit are rare but real (a transcript
# with no speaker labels is one long turn); the parser's memory grows with
# length, so the limit is raised rather than removed.
MAX_TURN_CHARS = 2_000_000


@lru_cache(maxsize=2)
def load_spacy(model: str = PINNED):
    """Load the pinned spaCy pipeline (checksums verified) or a named/local one."""
    force_offline()
    import spacy

    target: str | Path = verify_pinned("spacy_model") if model == PINNED else model
    try:
        nlp = spacy.load(target)
    except OSError as exc:
        raise ModelError(f"cannot load the spaCy pipeline '{model}' ({type(exc).__name__})",
                         "set [nlp] model to an installed package or a local model folder")
    nlp.max_length = MAX_TURN_CHARS
    missing = {"parser", "ner", "lemmatizer"} - set(nlp.pipe_names)
    if missing:
        raise ModelError(f"the spaCy pipeline '{model}' lacks components {sorted(missing)}",
                         "use a pipeline with a parser, a lemmatizer and an entity recogniser")
    return nlp


def parse(nlp, texts: Iterable[str], batch_size: int = 64) -> list:
    """Parse every text once with `nlp.pipe`, keeping the input order."""
    return list(nlp.pipe(texts, batch_size=batch_size))


def common_words(nlp) -> frozenset[str]:
    """Lower-case English words the pipeline's lemmatizer knows (WordNet's index).

    The anonymiser uses it to tell "housing" from "Dave": a detected name
    that is also a common word needs more evidence before it is replaced in
    every letter case. Empty when the pipeline has no such table.
    """
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = nlp.get_pipe("lemmatizer").lookups
    if not lookups.has_table("lemma_index"):
        return frozenset()
    index = lookups.get_table("lemma_index")
    return frozenset(word for pos in ("noun", "verb", "adj", "adv") if pos in index for word in index[pos])
