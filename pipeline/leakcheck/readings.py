"""A file's text as a person or a program would read it.

Entities decoded, escapes and tags removed, Word runs joined, JSON strings listed.
"""

from __future__ import annotations

import html
import json
import logging
import re
import zipfile
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from ..vendored import plotly_js

logger = logging.getLogger(__name__)

_TAG = re.compile(r"<[^>]*>")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")
_DOCX_PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>|<w:p/>", re.DOTALL)
_DOCX_EXTERNAL_TARGET = re.compile(r'<Relationship\b(?=[^>]*TargetMode="External")[^>]*\bTarget="([^"]*)"')
_DOCX_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>(.*?)</w:t>|<w:(tab|br|cr)\b[^>]*/>", re.DOTALL)


def readings(path: Path) -> list[str]:
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
