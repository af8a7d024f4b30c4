"""Word lists for telling names from words, read from pinned packages that ship them.

- First names and surnames: the 1990 US census lists (5,163 first names,
  88,799 surnames) shipped inside the `names` package (MIT).
- English words: Webster's Second International (235,970 entries) shipped
  inside `english-words` (MIT). Its common words are written in lower case
  and its proper nouns capitalised, so "brown", "will" and "rose" are words
  while "Teresa" and "Derek" are not. Webster's is from 1934 and has few
  inflections, so the lemmas of the pinned spaCy pipeline's lemmatizer
  (WordNet's index: "email", "euro", "laptop") are added, less the ones that
  are names: those Webster's knows only as proper nouns ("john") and the
  census first names and commoner surnames ("boyle", "richards").

Nothing is downloaded: both lists are files inside installed packages.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..errors import ModelError

logger = logging.getLogger(__name__)

NAMES_DISTRIBUTION = "names==0.3.0"
WORDS_DISTRIBUTION = "english-words==2.0.2"

# Spoken fillers, fragments and interjections the small English model sometimes
# tags as names ("Mm-hmm", "'Kay"), and words that are never a person here.
FILLERS = frozenset("""
um umm uh uhm er erm mm mmm hmm hm mhm mm-hmm mm-hm uh-huh uh-hu uh-uh huh hu ah aah oh ooh eh ha haha heh ach
och yeah yep yup yes no nope nah okay ok kay 'kay right so well like anyway alright aye wow whoa oops whoops gosh golly
blimey cheers tada ta bye hiya hi hello hey dunno kinda sorta gonna wanna gotta lotta innit ya yo oop jus wha
th god christ lord jesus covid brexit teams zoom excel outlook word google
shh sh shush psst tsk pfft phew ugh argh ouch ow yay yippee woohoo whoohoo wahoo hooray hurray hurrah whoopee
yikes eek ahem meh
""".split())

# Lower-case words between the parts of one name: "Willemine ten Pas", "Leaf van Boven".
PARTICLES = frozenset("""
van von der den ten ter de del della di da dos das du le la bin binti ibn al el st
""".split())

# Words before a name that make it a person: "Mr Shah", "Cllr Evans", "Judge Gorst". An office is a title
# too: taken as a part of the name, "President" from "President Halvard" masked every "the President" in
# the run, and "Judge" every judge of a court hearing.
TITLES = frozenset("""
mr mrs ms miss mister missus mx dr doctor prof professor sir madam madame dame lady lord cllr councillor rev revd
reverend father sister
brother nurse auntie aunty aunt uncle nan nana gran granny grandma grandad grandpa
president vice senator governor judge justice mayor minister premier chancellor ambassador congressman
congresswoman sheriff inspector detective sergeant constable captain commander colonel lieutenant admiral
pastor bishop rabbi imam pope
""".split())


@dataclass(frozen=True)
class Lexicon:
    """Lower-case word sets used by the name detector."""

    first_names: dict[str, int]  # lower case -> census rank (1 = commonest)
    surnames: dict[str, int]
    words: frozenset[str]  # common English words (lower case in the dictionary, or WordNet lemmas)
    # The dictionary's own lower-case words, without WordNet's lemmas, which list people too ("chomsky").
    dictionary: frozenset[str] = frozenset()

    def is_word(self, text: str, lemma: str = "") -> bool:
        """An ordinary English word, inflected or not ("numbers", "hanging", "means")."""
        return _listed(text, lemma, self.words)

    def in_dictionary(self, text: str) -> bool:
        """A word the dictionary lists in lower case, inflected or not: "chair", "world", not "chomsky"."""
        return _listed(text, "", self.dictionary)

    def is_given_name(self, text: str, max_rank: int = 0) -> bool:
        rank = self.first_names.get(text.lower())
        return rank is not None and (not max_rank or rank <= max_rank)

    def is_surname(self, text: str) -> bool:
        return text.lower() in self.surnames

    def is_name(self, text: str) -> bool:
        lower = text.lower()
        return lower in self.first_names or lower in self.surnames

    def is_common_name(self, text: str) -> bool:
        """A first name, or a surname of the census's commonest 20,000 ("Brown", "Thorn"; not "World", 24,081)."""
        lower = text.lower()
        return lower in self.first_names or self.surnames.get(lower, _COMMON_SURNAME_RANK + 1) <= _COMMON_SURNAME_RANK


_INFLECTIONS = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"))


def _listed(text: str, lemma: str, words: frozenset[str]) -> bool:
    lower = text.lower()
    if lower in words or (lemma and lemma.lower() in words):
        return True
    return any(lower.endswith(end) and lower[:len(lower) - len(end)] + add in words
               for end, add in _INFLECTIONS if len(lower) > len(end) + 2)


def load_lexicon(lemmas: frozenset[str] = frozenset()) -> Lexicon:
    """The pinned word lists, plus `lemmas` (`nlp.common_words`) as words; read once per process."""
    return _with_lemmas(lemmas)


# Surnames up to this census rank are names first: their WordNet entries ("boyle") are not words.
_COMMON_SURNAME_RANK = 20_000


@lru_cache(maxsize=4)
def _with_lemmas(lemmas: frozenset[str]) -> Lexicon:
    first, surnames, words, proper = _base()
    names = {w for w in first} | {w for w, rank in surnames.items() if rank <= _COMMON_SURNAME_RANK}
    extra = frozenset(w for w in lemmas if w.isalpha() and w not in proper and w not in names)
    return Lexicon(first_names=first, surnames=surnames, words=words | extra, dictionary=words)


@lru_cache(maxsize=1)
def _base() -> tuple[dict[str, int], dict[str, int], frozenset[str], frozenset[str]]:
    try:
        folder = resources.files("names")
        first: dict[str, int] = {}
        for name in ("dist.male.first", "dist.female.first"):
            for word, rank in _census_names(folder.joinpath(name).read_text(encoding="ascii")):
                first[word] = min(rank, first.get(word, rank))
        surnames = dict(_census_names(folder.joinpath("dist.all.last").read_text(encoding="ascii")))
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise ModelError(f"the name lists of '{NAMES_DISTRIBUTION}' are missing ({type(exc).__name__})",
                         "reinstall the pinned dependencies: make setup (or pip install -r requirements.lock)") from exc
    try:
        from english_words import get_english_words_set

        dictionary = get_english_words_set(["web2"], lower=False)
    except (ImportError, FileNotFoundError) as exc:
        raise ModelError(f"the word list of '{WORDS_DISTRIBUTION}' is missing ({type(exc).__name__})",
                         "reinstall the pinned dependencies: make setup (or pip install -r requirements.lock)") from exc
    words = frozenset(w for w in dictionary if w.islower()) | FILLERS
    proper = frozenset(w.lower() for w in dictionary if w[:1].isupper()) - words
    logger.debug("lexicon: %d first names, %d surnames, %d words", len(first), len(surnames), len(words))
    return first, surnames, words, proper


def _census_names(text: str):
    """(name, rank) from a census list: NAME, frequency, cumulative frequency, rank."""
    for line in text.splitlines():
        fields = line.split()
        if len(fields) == 4:
            yield fields[0].lower(), int(fields[3])
