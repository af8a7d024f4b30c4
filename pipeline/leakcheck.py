"""Fail closed: look for personal data that survived into a staged output folder.

The anonymiser replaces what it finds; this module checks what was written.
Every file in the folder is read the way a person or a program would see
it (HTML and XML entities decoded, Markdown escapes removed, the text of a
`.docx` joined across its runs, every string of a JSON file) and searched
for every original the run knows: each detected name, place and contact
detail, each speaker and roster name. A match ignores letter case and must
stand as whole words: "Sarah" is found in "sarah's" and "SARAH", not in
"Sarahville". File and folder names are searched too.

What is found is masked in every staged file with the placeholder the
anonymiser gave it (`secure_staged_outputs`), and the folder is checked
again: the run publishes, with a warning and the counts in run.json, and
refuses only when the second check still finds something. Either way the
file and the kind of datum are reported, never the datum itself.

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
import logging
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from .vendored import plotly_js

logger = logging.getLogger(__name__)

DEFAULT_KIND = "personal data"
WITHHELD = "[name withheld]"  # stands for a file or folder name that holds a datum

_TOKEN = re.compile(r"[^\W_]+")
_TAG = re.compile(r"<[^>]*>")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
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


REFUSAL_HINT = ("if a person's name was missed, add it to the roster (roster.txt or --roster); if an ordinary "
                "word or a product was taken for a name, add it to 'keep' under [anonymise] in a --config file; "
                "then run again")


def require_no_leaks(folder: str | Path, originals: Iterable[str] | Mapping[str, str]) -> None:
    """Raise `LeakError` naming each file and kind of datum when `find_leaks` finds any.

    Meant as the last step before a staged folder is published (see
    `report.writer.staging_folder`): the caller then publishes nothing.
    """
    leaks = find_leaks(folder, originals)
    if leaks:
        _refuse(leaks, "personal data survived anonymisation")


def secure_staged_outputs(folder: str | Path, originals: Mapping[str, str],
                          placeholders: Mapping[str, str]) -> dict[str, int]:
    """Check a staged folder; mask what survived, check again; raise `LeakError` if anything still does.

    Parameters
    ----------
    folder : the staged output folder, read and rewritten in place.
    originals : each datum that must not appear -> its kind (`AnonymisedTurns.leak_terms`).
    placeholders : each datum -> the placeholder the anonymiser gave it, which
        replaces it in every file (`AnonymisedTurns.leak_placeholders`).

    Returns
    -------
    {kind: occurrences masked}, empty when the first check found nothing.
    Never the data themselves.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "themes.csv").write_text("label\\nPriya's rota\\n")
    >>> secure_staged_outputs(folder, {"Priya": "person name"}, {"Priya": "[PERSON 1]"})
    {'person name': 1}
    >>> (folder / "themes.csv").read_text()
    "label\\n[PERSON 1]'s rota\\n"
    """
    folder = Path(folder)
    found = _leaked_terms(folder, originals)
    if not found:
        return {}
    masked = mask_terms(folder, {term: placeholders.get(term, WITHHELD) for term in sorted(found)})
    by_kind: Counter = Counter()
    for term, n in masked.items():
        by_kind[originals[term]] += n
    leaks = find_leaks(folder, originals)
    if leaks:
        _refuse(leaks, "personal data survived anonymisation and could not be masked")
    logger.warning("the staged outputs still held %d personal data item%s (%s); masked with the anonymiser's "
                   "placeholders and checked again before publishing (run.json: anonymisation.masked_after_check)",
                   sum(by_kind.values()), "" if sum(by_kind.values()) == 1 else "s",
                   ", ".join(f"{n} {kind}" for kind, n in sorted(by_kind.items())))
    return dict(sorted(by_kind.items()))


def _refuse(leaks: list[tuple[str, str]], what: str) -> None:
    from .errors import LeakError

    where = "; ".join(f"{kind} in {name}" for name, kind in leaks[:10])
    more = f" and {len(leaks) - 10} more" if len(leaks) > 10 else ""
    raise LeakError(f"{what} ({where}{more}); nothing was published", REFUSAL_HINT)


def mask_terms(folder: str | Path, replacements: Mapping[str, str]) -> Counter:
    """Replace each term with its placeholder in every file of `folder`, and in file names.

    A term is matched as the leak check matches it: whole words, any letter
    case, any punctuation, space or entity between its words ("Priya&nbsp;Shah",
    "O&#x27;Brien"). Text files are rewritten whole; in a Word file only the
    text between tags; in the HTML report not the vendored plotly.js. Returns
    {term: occurrences replaced}.
    """
    folder = Path(folder)
    # Longest first, so "Sarah Jones" is masked whole before "Sarah" is.
    patterns = [(term, _mask_pattern(term), replacements[term]) for term in sorted(replacements, key=lambda t: -len(t))]
    patterns = [(t, p, r) for t, p, r in patterns if p is not None]
    counts: Counter = Counter()

    def mask(text: str) -> str:
        for term, pattern, placeholder in patterns:
            text, n = pattern.subn(placeholder, text)
            counts[term] += n
        return text

    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):  # files before folders
        if path.is_file():
            _mask_file(path, mask)
        renamed = mask(path.name).replace("/", "-")
        if renamed != path.name:
            path.rename(path.with_name(renamed))
    return +counts


def _mask_pattern(term: str) -> re.Pattern | None:
    words = _TOKEN.findall(_normalise(term))
    if sum(len(w) for w in words) < 2:
        return None
    gap = r"(?:[\W_]|&#?\w{1,8};){1,12}?"
    start = r"(?:(?<![^\W_])|(?<=\\u[0-9a-fA-F]{4}))"  # a word boundary, or a JSON escape such as "\u003e"
    return re.compile(start + gap.join(re.escape(w) for w in words) + r"(?![^\W_])", re.IGNORECASE)


def _mask_file(path: Path, mask: Callable[[str], str]) -> None:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        _mask_docx(path, mask)
        return
    raw = path.read_bytes().decode("utf-8", errors="replace")
    if suffix in {".html", ".htm"}:
        library = plotly_js()
        masked = library.join(mask(part) for part in raw.split(library))  # our shipped code is no data
    else:
        masked = mask(raw)
    if masked != raw:
        path.write_text(masked, encoding="utf-8")


_BETWEEN_TAGS = re.compile(r">([^<]+)<")


def _mask_docx(path: Path, mask: Callable[[str], str]) -> None:
    """Mask the text of every XML part of a Word file; its markup is left as it is."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = [(info, archive.read(info.filename)) for info in archive.infolist()]
    except zipfile.BadZipFile:
        return
    rewritten = []
    for info, data in parts:
        if info.filename.endswith((".xml", ".rels")):
            xml = data.decode("utf-8", errors="replace")
            data = _BETWEEN_TAGS.sub(lambda m: ">" + mask(m.group(1)) + "<", xml).encode("utf-8")
        rewritten.append((info, data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in rewritten:
            archive.writestr(info, data)


def _leaked_terms(folder: Path, originals: Mapping[str, str]) -> set[str]:
    """The originals that occur anywhere in the folder, in file contents or names."""
    matcher = _Matcher(originals)
    found: set[str] = set()
    if matcher.empty:
        return found
    for path in sorted(folder.rglob("*")):
        found |= matcher.terms_in(_FILE_NAME_SEPARATORS.sub(" ", path.name))
        if path.is_file():
            for text in _readings(path):
                found |= matcher.terms_in(text)
    return found


class _Matcher:
    """Finds terms as whole-token sequences, whatever the case and the spacing between words."""

    def __init__(self, originals: Iterable[str] | Mapping[str, str]):
        items = originals.items() if isinstance(originals, Mapping) else ((o, DEFAULT_KIND) for o in originals)
        self.by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], str, str]]] = defaultdict(list)
        for original, kind in items:
            text = _normalise(str(original))
            tokens = list(_TOKEN.finditer(text))
            if sum(len(t.group()) for t in tokens) < 2:
                continue
            words = tuple(t.group().casefold() for t in tokens)
            gaps = tuple(_gap(text[a.end():b.start()]) for a, b in itertools.pairwise(tokens))
            self.by_first[words[0]].append((words, gaps, str(kind), str(original)))
        self.empty = not self.by_first
        self.first_words = frozenset(self.by_first)

    def kinds_in(self, text: str) -> set[str]:
        return {kind for _, kind in self._found_in(text, one_per_kind=True)}

    def terms_in(self, text: str) -> set[str]:
        return {original for original, _ in self._found_in(text, one_per_kind=False)}

    def _found_in(self, text: str, one_per_kind: bool) -> set[tuple[str, str]]:
        # Only the spellings of first words that occur are looked for, each with one scan at C
        # speed, instead of walking every token of a megabyte page in Python. Tokens are case-folded
        # one by one, as the terms were: folding the whole text first would split "İz" ("i̇z").
        text = _normalise(text)
        spellings = {token: token.casefold() for token in set(_TOKEN.findall(text))}
        found: set[tuple[str, str]] = set()
        kinds: set[str] = set()
        for spelling, first in sorted(spellings.items()):
            terms = self.by_first.get(first, ())
            positions = _whole_word_at(text, spelling) if terms else []
            for term, gaps, kind, original in terms:
                if one_per_kind and kind in kinds:
                    continue
                if any(self._matches(text, p, term, gaps) for p in positions):
                    found.add((original, kind))
                    kinds.add(kind)
        return found

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
    if "\\u" in raw:  # JSON inside the page escapes "<br>" as "\u003cbr\u003e", gluing it to the next word
        readings.append(_JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), raw))
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
