"""Replace terms with their placeholders in every staged file, and in file names."""

from __future__ import annotations

import itertools
import logging
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path

from ..vendored import plotly_js
from .match import FILE_NAME, FILE_NAME_SHAPE, TOKEN, camel_cuts, fold, normalise, spellings
from .match import gap as gap_between  # "gap" names the pattern between a term's words below

logger = logging.getLogger(__name__)


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

    # A term as a camel-case part of a file name ("VanDalen-rev.json"), which no whole-word pattern finds.
    parts = {fold(words[0]): term for term in replacements for words, _ in spellings(*_words(term))
             if len(words) == 1 and len(words[0]) >= 2}

    def in_file_name(match: re.Match) -> str:
        name = match.group()
        if not FILE_NAME_SHAPE.search(name) or not any(camel_cuts(t) for t in TOKEN.findall(name)):
            return name
        return TOKEN.sub(lambda m: _mask_camel(m.group(), parts, replacements, counts), name)

    def mask(text: str) -> str:
        for term, pattern, placeholder in patterns:
            text, n = pattern.subn(placeholder, text)
            counts[term] += n
        return FILE_NAME.sub(in_file_name, text) if parts else text

    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):  # files before folders
        if path.is_file():
            _mask_file(path, mask)
        renamed = mask(path.name).replace("/", "-")
        if renamed != path.name:
            path.rename(path.with_name(renamed))
    return +counts


def _words(term: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A term's words, case-folded, and what separates them, as the leak check reads them."""
    text = normalise(term)
    tokens = list(TOKEN.finditer(text))
    return (tuple(t.group().casefold() for t in tokens),
            tuple(gap_between(text[a.end():b.start()]) for a, b in itertools.pairwise(tokens)))


def _mask_pattern(term: str) -> re.Pattern | None:
    """The term in each spelling the leak check finds (`match.spellings`): as given, without accents, joined."""
    words, gaps = _words(term)
    if sum(len(w) for w in words) < 2:
        return None
    gap = r"(?:[\W_]|&#?\w{1,8};){1,12}?"
    start = r"(?:(?<![^\W_])|(?<=\\u[0-9a-fA-F]{4}))"  # a word boundary, or a JSON escape such as "\u003e"
    forms = "|".join(gap.join(re.escape(w) for w in spelling) for spelling, _ in spellings(words, gaps))
    return re.compile(start + f"(?:{forms})" + r"(?![^\W_])", re.IGNORECASE)


def _mask_camel(token: str, parts: Mapping[str, str], replacements: Mapping[str, str], counts: Counter) -> str:
    """A word of a file name with each run of its camel-case parts that is a term masked: "VanDalen"."""
    bounds = [0, *camel_cuts(token), len(token)]
    out, i = [], 0
    while i < len(bounds) - 1:
        for j in range(len(bounds) - 1, i, -1):
            term = parts.get(fold(token[bounds[i]:bounds[j]].casefold()))
            if term is not None:
                out.append(replacements[term])
                counts[term] += 1
                i = j
                break
        else:
            out.append(token[bounds[i]:bounds[i + 1]])
            i += 1
    return "".join(out)


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
