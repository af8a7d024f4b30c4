"""Fail closed: look for personal data that survived into a staged output folder.

The anonymiser replaces what it finds; this module checks what was written.
Every file in the folder is read the way a person or a program would see
it (HTML and XML entities decoded, Markdown escapes removed, the text of a
`.docx` joined across its runs, every string of a JSON file) and searched
for every original the run knows: each detected name, place and contact
detail, each speaker and roster name. A match ignores letter case and must
stand as whole words: "Sarah" is found in "sarah's" and "SARAH", not in
"Sarahville". File and folder names are searched too.

The caller publishes nothing when anything is found, and reports the file
and the kind of datum, never the datum itself.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "quotes.csv").write_text("quote\\n[PERSON 1] said Priya&#x27;s team agreed\\n")
>>> _ = (folder / "report.html").write_text("<p>Ask Dave&nbsp;Pritchard</p>")
>>> find_leaks(folder, {"Priya Shah": "speaker name", "Priya": "speaker name", "Dave Pritchard": "roster name"})
[('quotes.csv', 'speaker name'), ('report.html', 'roster name')]
"""
from __future__ import annotations

import html
import itertools
import json
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

DEFAULT_KIND = "personal data"
WITHHELD = "[name withheld]"  # stands for a file or folder name that holds a datum

_TOKEN = re.compile(r"[^\W_]+")
_TAG = re.compile(r"<[^>]*>")
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")
_EMPHASIS = re.compile(r"[*_`~\\]+")
_FILE_NAME_SEPARATORS = re.compile(r"[_.\-+]+")
_PLAIN = {"’": "'", "‘": "'", "`": "'", "\u00a0": " ", "\u2011": "-", "\u2010": "-"}
_DOCX_PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>|<w:p/>", re.DOTALL)
_DOCX_EXTERNAL_TARGET = re.compile(r'<Relationship\b(?=[^>]*TargetMode="External")[^>]*\bTarget="([^"]*)"')
_DOCX_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>(.*?)</w:t>|<w:(tab|br|cr)\b[^>]*/>", re.DOTALL)


def find_leaks(folder: str | Path, originals: Iterable[str] | Mapping[str, str]) -> list[tuple[str, str]]:
    """(file name, kind of datum) for every file in `folder` that holds one of `originals`.

    Parameters
    ----------
    folder : the staged output folder, read recursively.
    originals : the strings that must not appear, or a mapping from each to
        the kind of datum it is ("speaker name", "email address", ...). See
        `AnonymisedTurns.leak_terms`. Strings with fewer than two letters or
        digits are ignored: they would match everywhere.

    Returns
    -------
    Sorted (relative file name, kind) pairs, each once; empty when nothing
    survived. A datum in a file's or folder's name is reported with the kind
    followed by " in the file name". The datum itself is never returned.
    """
    folder = Path(folder)
    matcher = _Matcher(originals)
    found: set[tuple[str, str]] = set()
    if matcher.empty:
        return []
    for path in sorted(p for p in folder.rglob("*")):
        parts, shown = path.relative_to(folder).parts, []
        for part in parts:  # a name in a file or folder name is withheld from the report too
            kinds = matcher.kinds_in(_FILE_NAME_SEPARATORS.sub(" ", part))  # "priya_shah.txt"
            shown.append(WITHHELD if kinds else part)
            if kinds and len(shown) == len(parts):
                found.update(("/".join(shown), f"{kind} in the file name") for kind in kinds)
        relative = "/".join(shown)
        if not path.is_file():
            continue
        for text in _readings(path):
            for kind in matcher.kinds_in(text):
                found.add((relative, kind))
    return sorted(found)


def require_no_leaks(folder: str | Path, originals: Iterable[str] | Mapping[str, str]) -> None:
    """Raise `LeakError` naming each file and kind of datum when `find_leaks` finds any.

    Meant as the last step before a staged folder is published (see
    `report.writer.staging_folder`): the caller then publishes nothing.
    """
    from .errors import LeakError

    leaks = find_leaks(folder, originals)
    if leaks:
        where = "; ".join(f"{kind} in {name}" for name, kind in leaks[:10])
        more = f" and {len(leaks) - 10} more" if len(leaks) > 10 else ""
        raise LeakError(f"personal data survived anonymisation ({where}{more}); nothing was published",
                        "add the name to the roster (roster.txt or --roster) and run again, or report it")


class _Matcher:
    """Finds terms as whole-token sequences, whatever the case and the spacing between words."""

    def __init__(self, originals: Iterable[str] | Mapping[str, str]):
        items = originals.items() if isinstance(originals, Mapping) else ((o, DEFAULT_KIND) for o in originals)
        self.by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], str]]] = defaultdict(list)
        for original, kind in items:
            text = _normalise(str(original))
            tokens = list(_TOKEN.finditer(text))
            if sum(len(t.group()) for t in tokens) < 2:
                continue
            words = tuple(t.group().casefold() for t in tokens)
            gaps = tuple(_gap(text[a.end():b.start()]) for a, b in itertools.pairwise(tokens))
            self.by_first[words[0]].append((words, gaps, str(kind)))
        self.empty = not self.by_first
        self.first_words = frozenset(self.by_first)

    def kinds_in(self, text: str) -> set[str]:
        # Only the spellings of first words that occur are looked for, each with one scan at C
        # speed, instead of walking every token of a megabyte page in Python. Tokens are case-folded
        # one by one, as the terms were: folding the whole text first would split "İz" ("i̇z").
        text = _normalise(text)
        spellings = {token: token.casefold() for token in set(_TOKEN.findall(text))}
        kinds: set[str] = set()
        for spelling, first in sorted(spellings.items()):
            terms = self.by_first.get(first, ())
            positions = _whole_word_at(text, spelling) if terms else []
            for term, gaps, kind in terms:
                if kind not in kinds and any(self._matches(text, p, term, gaps) for p in positions):
                    kinds.add(kind)
        return kinds

    @staticmethod
    def _matches(text: str, position: int, term: tuple[str, ...], gaps: tuple[str, ...]) -> bool:
        """Whether the words of `term` are the (case-folded) tokens of `text` from `position` on, with its gaps."""
        tokens = list(itertools.islice(_TOKEN.finditer(text, position), len(term)))
        if [t.group().casefold() for t in tokens] != list(term):
            return False
        between = [text[a.end():b.start()] for a, b in itertools.pairwise(tokens)]
        if all(w.isdigit() for w in term):  # a number: "07700 900123" is "07700-900123" too
            return all(len(b) <= 3 for b in between)
        return all(_gap(b) == g for b, g in zip(between, gaps))


def _whole_word_at(text: str, word: str) -> list[int]:
    """Where `word` stands in `text` as a whole token (`_TOKEN`): no letter or digit on either side.

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


def _gap(separator: str) -> str:
    """What separates two words: spaces collapsed, Markdown emphasis and escapes ("**", "\\") ignored."""
    return re.sub(r"\s+", " ", _EMPHASIS.sub("", separator))


def _normalise(text: str) -> str:
    for character, plain in _PLAIN.items():  # str.replace is far faster than str.translate on megabytes
        if character in text:
            text = text.replace(character, plain)
    return text


def _readings(path: Path) -> list[str]:
    """The text of a file as it would be read: raw, entities decoded, escapes and tags removed."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _docx_readings(path)
    raw = path.read_bytes().decode("utf-8", errors="replace")
    if suffix in {".html", ".htm"}:
        raw = _without_vendored_scripts(raw)
    readings = [raw] + ([html.unescape(raw)] if "&" in raw else [])
    if suffix in {".html", ".htm", ".xml", ".svg", ".md", ".markdown"}:
        readings.append(_TAG.sub(" ", html.unescape(raw)))
    if suffix in {".md", ".markdown"}:
        readings.append(_MARKDOWN_ESCAPE.sub(r"\1", html.unescape(raw)))
    if suffix == ".json":
        try:
            readings.append("\n".join(_strings(json.loads(raw))))
        except ValueError:
            pass  # not JSON after all: the raw readings still count
    return readings


def _without_vendored_scripts(text: str) -> str:
    """The page minus the inlined plotly.js library, which is code we ship, not transcript data.

    Its 4.8 MB of source contains ordinary first names and city names
    ("Martin", "Porto"); scanning it would refuse any run with a speaker of
    that name. Only the exact pinned library text is removed: the map's data
    and every other script are still searched.
    """
    from .report.quote_map import plotly_js

    return text.replace(plotly_js(), "")


def _docx_readings(path: Path) -> list[str]:
    """The text of every XML part of a Word file, whole and paragraph by paragraph with runs joined.

    A reader of a Word file sees its text nodes (body, headers, document
    properties) and the targets of its external links, so those are searched;
    the markup around them is not: its namespace URIs and language tags
    ("schemas.microsoft.com", "ja-JP") are Word's vocabulary, and matched
    names such as "Microsoft" or "Ja" found in 137 AMI meetings. Parts
    byte-identical to python-docx's own blank template (theme, fonts, styles)
    are skipped: they are a file we ship, not transcript data, and its font
    table names scripts and typefaces ("Hang", "Microsoft Yi Baiti") that are
    also people's names. Every part the report wrote is searched.
    """
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        return [path.read_bytes().decode("utf-8", errors="replace")]
    readings = []
    template = _docx_template_parts()
    with archive:
        for name in archive.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            data = archive.read(name)
            if template.get(name) == data:
                continue
            xml = data.decode("utf-8", errors="replace")
            readings.append(html.unescape(_TAG.sub(" ", xml)))
            readings.extend(html.unescape(target) for target in _DOCX_EXTERNAL_TARGET.findall(xml))
            paragraphs = []
            for paragraph in _DOCX_PARAGRAPH.findall(xml):
                paragraphs.append("".join(m.group(1) if m.group(1) is not None else " "
                                          for m in _DOCX_TEXT.finditer(paragraph)))
            readings.append(html.unescape("\n".join(paragraphs)))
    return readings


@lru_cache(maxsize=1)
def _docx_template_parts() -> dict[str, bytes]:
    """The parts of python-docx's default document, by name (empty if python-docx is absent)."""
    try:
        from docx.api import _default_docx_path
    except ImportError:
        return {}
    with zipfile.ZipFile(_default_docx_path()) as template:
        return {name: template.read(name) for name in template.namelist()}


def _strings(value) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
    elif value is not None:
        yield str(value)
