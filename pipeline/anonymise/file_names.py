"""Names in a file name found without its text: what a file that could not be read still shows.

A file that failed or was skipped gives no text to learn names from, yet its
name is shown in run.json, the report and the log ("Housing/Interview 2 - Kim
Farrow.pdf"). The words of a file name are read here on the word lists'
evidence alone (`lexicon`), two adjacent capitalised words at a time:

- a census first name, then a capitalised word that is no ordinary English
  word ("Kim Okonjo") or a common surname ("Kim Farrow", "Will Brown"; when
  both are words, only after a common first name: not "Young Person");
- a capitalised word that is no English word, then a surname that is none
  either or is common ("Kwame Mensah", "Declan Murphy", "Priya Shah");
- an initial, then a capitalised word that is no English word, or a common
  surname ("G Okafor", "R Mendes", "J. Richards");

as separate words ("Kim Farrow", "Kim_Farrow", "Kim-Farrow") or joined in
camel case ("KimFarrow"), with any further surname after them ("Lisa Holt
Carver"). Technology names ("Azure"), months and seasons ("May", "Summer")
start no name, so "Team Meeting", "Contact Centre", "Week 3", "Mark Scheme",
"Rose Garden" and "May Day" stay.
"""
from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from .lexicon import Lexicon
from .patterns import PERSON

# Surnames up to this census rank end a name even when they are words ("Farrow", "Brown"); rarer ones that are
# words ("Garden", 9,837; "Bank", 8,006) do not: "Rose Garden" is a place.
COMMON_SURNAME_RANK = 5_000
# First names up to this census rank start a name of two words even when both are words ("Will", 503; "Kim", 118);
# rarer ones do not ("Young", 807; "Art", 710).
COMMON_GIVEN_RANK = 600
# Read as a date in a file name ("May Day", "June Young Carers") more often than as a person.
_NOT_FIRST = frozenset("january february march april may june july august september october november december "
                       "spring summer autumn winter christmas easter".split())
# Between two words of one name: nothing (camel case), a space, "_", "-" or "."; after an initial also ". ".
_JOIN = re.compile(r"[ _.\-]?")
_AFTER_INITIAL = re.compile(r"\.?[ _.\-]?|\. ")
# A word of a file name: a run of letters, "O'Brien" and "D'Souza" whole.
_LETTERS = re.compile(r"(?:[OD]['’](?=[^\W\d_]))?[^\W\d_]+")
_PREFIXES = ("Mc", "Mac")  # "McAllister" is one word, not "Mc" and "Allister"


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    text: str


@dataclass
class FileNamePeople:
    """The names found in the run's file names, each with its placeholder.

    Attributes
    ----------
    lexicon : the word lists the anonymiser reads (with its lemmas, so that
        "Centre" or "Notes" are words).
    technology : case-folded technology and product names, which start or end no name.
    placeholders : each name's words, case-folded and joined by spaces -> its placeholder ("[PERSON 3]").
    originals : each name as a file name writes it ("Kim Farrow", "KimFarrow") -> its placeholder.
    next_number : the number of the next new person: one past the run's last.

    Examples
    --------
    >>> from pipeline.anonymise.lexicon import load_lexicon
    >>> people = FileNamePeople(load_lexicon())
    >>> [people.learn(name) for name in ("Housing/Interview 2 - Kim Farrow.pdf", "KimFarrow-notes.txt",
    ...                                  "Interview 3 - R Mendes.pdf", "Team Meeting - Week 3.txt")]
    [['Kim Farrow'], ['KimFarrow'], ['R Mendes'], []]
    >>> people.placeholders
    {'kim farrow': '[PERSON 1]', 'r mendes': '[PERSON 2]'}
    """

    lexicon: Lexicon
    technology: frozenset[str] = frozenset()
    placeholders: dict[str, str] = field(default_factory=dict)
    originals: dict[str, str] = field(default_factory=dict)
    next_number: int = 1
    _surnames: dict[str, str] = field(default_factory=dict)  # a name's last word -> its placeholder

    def names(self, text: str) -> list[tuple[int, int, list[str]]]:
        """(start, end, words) of every name in a file name, left to right."""
        words = _words(text)
        found, i = [], 0
        while i + 1 < len(words):
            a, b = words[i], words[i + 1]
            if not self._pair(a.text, b.text, text[a.end:b.start]):
                i += 1
                continue
            j = i + 1  # further surnames: "Nadia Holt Carver"
            while j + 1 < len(words) and _JOIN.fullmatch(text[words[j].end:words[j + 1].start]) \
                    and self._surname(words[j + 1].text):
                j += 1
            found.append((a.start, words[j].end, [w.text for w in words[i:j + 1]]))
            i = j + 1
        return found

    def learn(self, text: str, known: Callable[[list[str]], str | None] = lambda words: None) -> list[str]:
        """Give each name in `text` its placeholder; return the names as written.

        `known(words)` is the run's placeholder for the name when the text
        named the person, else None. A name not known takes the placeholder of
        the same name, or of the same surname, in an earlier file name ("R
        Mendes" after "Rosa Mendes"), else the next number.
        """
        out = []
        for start, end, words in self.names(text):
            key = " ".join(w.casefold() for w in words)
            surname = words[-1].casefold()
            placeholder = (self.placeholders.get(key) or known(words) or self._surnames.get(surname)
                           or self._new())
            self.placeholders.setdefault(key, placeholder)
            self.originals.setdefault(text[start:end], placeholder)
            if len(surname) >= 3:
                self._surnames.setdefault(surname, placeholder)
            out.append(text[start:end])
        return out

    def forms(self, exclude: frozenset[str] = frozenset()) -> dict[str, str]:
        """What `core.FileNameRedactor` also replaces in any file name: each name's words joined
        ("kimfarrow"), and each of its words that is no English word ("okonjo"), folded, less `exclude`.

        A word of a name that is also a word ("Farrow") is replaced only where it is found in a name.
        """
        out: dict[str, str] = {}
        for key, placeholder in self.placeholders.items():
            words = [fold(w) for w in key.split()]
            for word in words:
                if len(word) >= 3 and not self.lexicon.is_word(word) and word not in exclude:
                    out.setdefault(word, placeholder)
            out.setdefault("".join(words), placeholder)
        return out

    def mask(self, text: str) -> str:
        """`text` with each name found replaced by its placeholder as a file-name token ("PERSON-3").

        A name no `learn` saw takes the next number, so nothing found is ever shown.
        """
        names = self.names(text)
        for start, end, words in reversed(names):
            key = " ".join(w.casefold() for w in words)
            if key not in self.placeholders:
                self.learn(text[start:end])
            text = text[:start] + self.placeholders[key].strip("[]").replace(" ", "-") + text[end:]
        return text

    def _new(self) -> str:
        self.next_number += 1
        return f"[{PERSON} {self.next_number - 1}]"

    def _pair(self, a: str, b: str, gap: str) -> bool:
        """Whether two adjacent words of a file name start a person's name; see the module's docstring."""
        if not _capitalised(b) or b.casefold() in self.technology:
            return False
        b_word, b_common = self.lexicon.is_word(b), self._common_surname(b)
        if len(a) == 1 and a.isupper():
            if not _AFTER_INITIAL.fullmatch(gap):
                return False
            # "A" and "I" without a dot are as often words: "A Young Person's Guide".
            return not b_word or (b_common and (a not in "AI" or gap.startswith(".")))
        if not _capitalised(a) or not _JOIN.fullmatch(gap) or a.casefold() in self.technology \
                or a.casefold() in _NOT_FIRST:
            return False
        if self.lexicon.is_given_name(a):
            # Two ordinary words ("Young Person", "Art House") only from a common first name ("Will Brown").
            return not b_word or (b_common and (not self.lexicon.is_word(a)
                                                or self.lexicon.is_given_name(a, COMMON_GIVEN_RANK)))
        return not self.lexicon.is_word(a) and self.lexicon.is_surname(b) and (not b_word or b_common)

    def _surname(self, word: str) -> bool:
        return _capitalised(word) and word.casefold() not in self.technology and (
            self._common_surname(word) or (self.lexicon.is_surname(word) and not self.lexicon.is_word(word)))

    def _common_surname(self, word: str) -> bool:
        rank = self.lexicon.surnames.get(word.casefold())
        return rank is not None and rank <= COMMON_SURNAME_RANK


def fold(word: str) -> str:
    """Case-folded, without accents: a file name is often typed plainer than the name ("Peña" -> "pena")."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))


def _capitalised(word: str) -> bool:
    """ "Kim", "McAllister"; not "KIM", "kim" or an initial."""
    return len(word) >= 2 and word[0].isupper() and any(c.islower() for c in word[1:])


def _words(text: str) -> list[_Word]:
    """The words of a file name: its runs of letters, each cut at its camel-case joins ("KimFarrow").

    >>> [w.text for w in _words("Andrew McAllister-KimFarrow_O'Brien.txt")]
    ['Andrew', 'McAllister', 'Kim', 'Farrow', "O'Brien", 'txt']
    """
    out = []
    for m in _LETTERS.finditer(text):
        word = m.group()
        cuts = [i for i in range(1, len(word)) if word[i].isupper() and (
            word[i - 1].islower() or (i + 1 < len(word) and word[i + 1].islower() and word[i - 1].isupper()))
            and not (word[:i] in _PREFIXES or word[i - 1] in "'’")]
        out += [_Word(m.start() + a, m.start() + b, word[a:b]) for a, b in itertools.pairwise([0, *cuts, len(word)])]
    return out


# A placeholder in a file name, and an initial or a first name left before it ("R PERSON-18", "J. PERSON-8").
_PLACEHOLDER = r"PERSON-\d+"
_BEFORE = re.compile(rf"(?<![^\W\d_])([^\W\d_]+)(\.?[ _\-]?|\. )(?={_PLACEHOLDER}(?![\d]))")
_REPEATED = re.compile(rf"(?<![^\W\d_])({_PLACEHOLDER})[ _\-]\1(?!\d)")


def tidy_placeholders(text: str, lexicon: Lexicon) -> str:
    """Drop what is left of a name around its placeholder in a file name.

    An initial or a capitalised first name just before a placeholder goes
    into it, as does the same placeholder twice in a row (a first name and a
    surname masked apart).

    Examples
    --------
    >>> from pipeline.anonymise.lexicon import load_lexicon
    >>> [tidy_placeholders(t, load_lexicon()) for t in ("03 - R PERSON-18.pdf", "J. PERSON-8_notes.txt",
    ...     "J. R. PERSON-8.txt", "Interview PERSON-2.txt", "PERSON-3 PERSON-3.txt", "Mei PERSON-4.odt")]
    ['03 - PERSON-18.pdf', 'PERSON-8_notes.txt', 'PERSON-8.txt', 'Interview PERSON-2.txt', 'PERSON-3.txt', \
'PERSON-4.odt']
    """
    def merge(m: re.Match) -> str:
        word = m.group(1)
        initial = len(word) == 1 and word.isupper()
        return "" if initial or (_capitalised(word) and lexicon.is_given_name(word)
                                 and word.casefold() not in _NOT_FIRST) else m.group()

    while True:
        tidied = _REPEATED.sub(r"\1", _BEFORE.sub(merge, text))
        if tidied == text:
            return text
        text = tidied
