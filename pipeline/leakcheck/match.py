"""Find terms as whole-token sequences, whatever the case and the spacing between words."""

from __future__ import annotations

import itertools
import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping

logger = logging.getLogger(__name__)

DEFAULT_KIND = "personal data"  # the kind of a term given without one
TOKEN = re.compile(r"[^\W_]+")
_EMPHASIS = re.compile(r"[*_`~\\]+")
_PLAIN = {"’": "'", "‘": "'", "`": "'", "\u00a0": " ", "\u2011": "-", "\u2010": "-"}
# A file name or path in a text ("housing/VanDalen-rev.json"): its camel-case parts are words too.
FILE_NAME = re.compile(r"[^\s'\"()\[\]<>,;]+")
FILE_NAME_SHAPE = re.compile(r"[/\\_]|[^\W\d_]\.[A-Za-z0-9]{1,5}$")
_MAX_JOINED = 5  # words of a term whose joined forms are looked for


class Matcher:
    """Finds terms as whole-token sequences, whatever the case and the spacing between words."""

    def __init__(self, originals: Iterable[str] | Mapping[str, str]):
        items = originals.items() if isinstance(originals, Mapping) else ((o, DEFAULT_KIND) for o in originals)
        self.by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], str, str]]] = defaultdict(list)
        for original, kind in items:
            text = normalise(str(original))
            tokens = list(TOKEN.finditer(text))
            if sum(len(t.group()) for t in tokens) < 2:
                continue
            words = tuple(t.group().casefold() for t in tokens)
            gaps = tuple(gap(text[a.end():b.start()]) for a, b in itertools.pairwise(tokens))
            for spelling, spelling_gaps in spellings(words, gaps):
                self.by_first[spelling[0]].append((spelling, spelling_gaps, str(kind), str(original)))
        self.empty = not self.by_first
        self.first_words = frozenset(self.by_first)

    def found_in(self, text: str, one_per_kind: bool) -> set[tuple[str, str]]:
        """(original, kind) of the terms in `text`; with `one_per_kind`, one original per kind is enough."""
        # Only the spellings of first words that occur are looked for, each with one scan at C
        # speed, instead of walking every token of a megabyte page in Python. Tokens are case-folded
        # one by one, as the terms were: folding the whole text first would split "İz" ("i̇z").
        text = normalise(text)
        tokens = {token: token.casefold() for token in distinct_tokens(text)}
        found: set[tuple[str, str]] = set()
        kinds: set[str] = set()
        for spelling, first in sorted(tokens.items()):
            terms = self.by_first.get(first, ())
            positions = whole_word_at(text, spelling) if terms else []
            for term, gaps, kind, original in terms:
                if one_per_kind and kind in kinds:
                    continue
                if any(self._matches(text, p, term, gaps) for p in positions):
                    found.add((original, kind))
                    kinds.add(kind)
        # Only a camel-case word with a part that is a one-word term has parts to look up ("VanDalen"
        # when "Dalen" is a name), so most pages read no file name at all; when one does, each distinct
        # file name is read once: a report's quote ids ("ES2002a_0012") are file-name shaped and
        # number in the tens of thousands.
        camel = {token: parts for token in tokens if camel_cuts(token)
                 if (parts := [part for part in camel_runs(token) if self._one_word_term(part)])}
        for name in dict.fromkeys(FILE_NAME.findall(text)) if camel else ():
            if not FILE_NAME_SHAPE.search(name):
                continue
            for token in TOKEN.findall(name):  # "VanDalen-rev.json": "Dalen", and "VanDalen" as one word
                for part in camel.get(token, ()):
                    for term, _, kind, original in self.by_first.get(part.casefold(), ()):
                        if len(term) == 1 and not (one_per_kind and kind in kinds):
                            found.add((original, kind))
                            kinds.add(kind)
        return found

    def _one_word_term(self, word: str) -> bool:
        return any(len(term) == 1 for term, *_ in self.by_first.get(word.casefold(), ()))

    @staticmethod
    def _matches(text: str, position: int, term: tuple[str, ...], gaps: tuple[str, ...]) -> bool:
        """Whether the words of `term` are the (case-folded) tokens of `text` from `position` on, with its gaps."""
        tokens = list(itertools.islice(TOKEN.finditer(text, position), len(term)))
        if [t.group().casefold() for t in tokens] != list(term):
            return False
        between = [text[a.end():b.start()] for a, b in itertools.pairwise(tokens)]
        if all(w.isdigit() for w in term):  # a number: "07700 900123" is "07700-900123" too
            return all(len(b) <= 3 for b in between)
        return all(gap(b) == g for b, g in zip(between, gaps))


# Every ASCII byte that is not a letter or a digit (`_` included) becomes a space; the rest stay.
_ASCII_BREAKS = bytes(b if chr(b).isalnum() and b < 0x80 or b >= 0x80 else 0x20 for b in range(256))


def distinct_tokens(text: str) -> set[str]:
    """`set(TOKEN.findall(text))`, about three times faster on a page of megabytes.

    A token is a run of letters and digits (`str.isalnum`), so every ASCII
    character that is neither ends one. The text is cut at those with
    `bytes.translate` and `bytes.split` on its UTF-8 bytes (a multi-byte
    character's bytes are all above 0x7F, so no cut falls inside one), and
    only the distinct pieces are decoded; a piece holding a non-ASCII
    character that is no letter or digit ("–", a combining mark) is cut
    further by `TOKEN` itself.

    Examples
    --------
    >>> sorted(distinct_tokens("Ask dave_pritchard–Priya, 07700 900123 or Dave."))
    ['07700', '900123', 'Ask', 'Dave', 'Priya', 'dave', 'or', 'pritchard']
    """
    tokens: set[str] = set()
    for piece in set(text.encode("utf-8").translate(_ASCII_BREAKS).split()):
        word = piece.decode("utf-8")
        if word.isalnum():
            tokens.add(word)
        else:
            tokens.update(TOKEN.findall(word))
    return tokens


def whole_word_at(text: str, word: str) -> list[int]:
    """Where `word` stands in `text` as a whole token (`TOKEN`): no letter or digit on either side.

    `str.find` runs at C speed, where a pattern opening with a look-behind
    is tried at every character.
    """
    positions, start, n = [], text.find(word), len(word)
    while start >= 0:
        end = start + n
        if (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
            positions.append(start)
        start = text.find(word, start + 1)
    return positions


def spellings(words: tuple[str, ...], gaps: tuple[str, ...]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """The spellings of a term a leak may take: as given, without accents, and a name's words joined.

    A file name is often typed plainer than the name ("RuizPena" for
    "Ruiz-Peña"), its words run together ("holtcarver"): each run of
    two or more words, the first with the last and the last with the first.
    Only a name is joined: words without digits, apart only by spaces,
    hyphens, apostrophes or an initial's full stop (not an email address or
    a phone number).

    Examples
    --------
    >>> [" ".join(w) for w, _ in spellings(("nadia", "holt", "carver"), (" ", " "))]
    ['nadia holt carver', 'nadiaholt', 'nadiaholtcarver', 'holtcarver', 'nadiacarver', 'carvernadia']
    >>> [" ".join(w) for w, _ in spellings(("peña",), ())]
    ['peña', 'pena']
    """
    out = [(words, gaps)]
    plain = tuple(fold(w) for w in words)
    if plain != words:
        out.append((plain, gaps))
    if 1 < len(words) <= _MAX_JOINED and all(w.isalpha() for w in words) and all(
            g.strip() in {"", "-", "'", "."} for g in gaps):
        runs = [plain[i:j] for i in range(len(plain)) for j in range(i + 2, len(plain) + 1)]
        for run in runs + [(plain[0], plain[-1]), (plain[-1], plain[0])]:
            joined = (("".join(run),), ())
            if joined not in out:
                out.append(joined)
    return out


def fold(word: str) -> str:
    """A word without its accents: "peña" -> "pena"."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def camel_cuts(token: str) -> list[int]:
    """Where a word's camel-case parts start: "VanDalen" -> [3], "XMLNotes" -> [3]."""
    return [i for i in range(1, len(token)) if token[i].isupper() and (
        token[i - 1].islower() or (i + 1 < len(token) and token[i + 1].islower() and token[i - 1].isupper()))]


def camel_runs(token: str) -> list[str]:
    """Every run of a word's camel-case parts short of the whole word, folded: "VanDalen" -> ["van", "dalen"].

    Examples
    --------
    >>> camel_runs("interviewVanDalen")
    ['interview', 'interviewvan', 'van', 'vandalen', 'dalen']
    """
    bounds = [0, *camel_cuts(token), len(token)]
    return [fold(token[bounds[i]:bounds[j]].casefold()) for i in range(len(bounds) - 1)
            for j in range(i + 1, len(bounds)) if (i, j) != (0, len(bounds) - 1)]


def gap(separator: str) -> str:
    """What separates two words: spaces collapsed, Markdown emphasis and escapes ("**", "\\") ignored."""
    return re.sub(r"\s+", " ", _EMPHASIS.sub("", separator))


def normalise(text: str) -> str:
    for character, plain in _PLAIN.items():  # str.replace is far faster than str.translate on megabytes
        if character in text:
            text = text.replace(character, plain)
    return text
