"""The curation file: reading, checking and writing `curation.toml`.

The file is TOML, read and written with tomlkit so that the analyst's
comments survive a round trip (`pipeline.curation.notebook.Curator` appends
to it). `load_curation` turns it into a `Curation`; a bad entry is refused
with a message naming it.
"""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError

CURATION_FILE = "curation.toml"

_ACTIONS = ("merge", "split", "rename", "hide", "retitle", "drop")  # the order they are applied in
_FIELDS = {
    "rename": {"theme", "label"},
    "merge": {"themes", "label"},
    "split": {"theme", "phrase", "quote_ids", "label"},
    "hide": {"theme", "reason"},
    "retitle": {"dilemma", "title", "side_a", "side_b"},
    "drop": {"dilemma", "reason"},
}
FILE_HEADER = """\
Common Ground curation: re-applied to the themes and dilemmas on every run.
Themes are named by their key (the theme_key column of themes.csv), dilemmas by
theirs (the dilemma_key column of dilemmas.csv); a re-run gives a key to the
theme or dilemma sharing most quotes with it. Edit by hand, or from a notebook
with pipeline.curation.Curator. Applied in this order: merge, split, rename,
hide (themes), then retitle, drop (dilemmas).
"""
ANCHORS_COMMENT = ("Written by Common Ground: the quotes each key stood for when it was "
                    "last curated, so a later run can find the theme again. Do not edit.")


@dataclass(frozen=True)
class Rename:
    theme: str
    label: str


@dataclass(frozen=True)
class Merge:
    themes: tuple[str, ...]
    label: str = ""


@dataclass(frozen=True)
class Split:
    """Move the quotes that contain `phrase`, or those listed in `quote_ids`, to a theme of their own."""

    theme: str
    phrase: str = ""
    quote_ids: tuple[str, ...] = ()
    label: str = ""

    @property
    def child_key(self) -> str:
        """The new theme's key: from what selects its quotes, so it stays when the label changes."""
        if self.phrase:
            return f"{self.theme}/{_slug(self.phrase)}"
        digest = hashlib.sha256("\n".join(sorted(self.quote_ids)).encode()).hexdigest()[:6]
        return f"{self.theme}/q{digest}"


@dataclass(frozen=True)
class Hide:
    theme: str
    reason: str = ""


@dataclass(frozen=True)
class Retitle:
    """A dilemma's new title, and optionally its sides, for every report, the cards and the sticky notes."""

    dilemma: str
    title: str
    side_a: str = ""
    side_b: str = ""


@dataclass(frozen=True)
class Drop:
    """A dilemma that is not one: it leaves the dilemma tables, and its quotes voice none."""

    dilemma: str
    reason: str = ""


@dataclass(frozen=True)
class Curation:
    """The analyst's decisions, and the anchor quotes of every key they name.

    Examples
    --------
    >>> c = Curation(renames=(Rename("t1a2b3c4d", "Phones versus backlog"),))
    >>> c.is_empty
    False
    """

    merges: tuple[Merge, ...] = ()
    splits: tuple[Split, ...] = ()
    renames: tuple[Rename, ...] = ()
    hides: tuple[Hide, ...] = ()
    anchors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    retitles: tuple[Retitle, ...] = ()
    drops: tuple[Drop, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.merges or self.splits or self.renames or self.hides or self.retitles or self.drops)

    @property
    def touches_themes(self) -> bool:
        return bool(self.merges or self.splits or self.renames or self.hides)

    def referenced_keys(self) -> list[str]:
        """Every key an action names, with split children reduced to their parent.

        >>> Curation(hides=(Hide("tA/x"),), drops=(Drop("dB"),)).referenced_keys()
        ['tA', 'dB']
        """
        keys = [k for m in self.merges for k in m.themes]
        keys += [a.theme for group in (self.splits, self.renames, self.hides) for a in group]
        keys += [a.dilemma for group in (self.retitles, self.drops) for a in group]
        return list(dict.fromkeys(root_key(k) for k in keys))


def load_curation(path: str | Path) -> Curation:
    """Read and check a curation file; a missing file is an empty curation.

    Raises
    ------
    ConfigError
        The file is not TOML, or an entry has an unknown field or lacks one;
        the message names the entry ("[[split]] 2").
    """
    return parse_document(read_document(Path(path)), Path(path))


def read_document(path: Path):
    import tomlkit

    if not path.is_file():
        return tomlkit.document()
    try:
        return tomlkit.parse(path.read_text(encoding="utf-8"))
    except (tomlkit.exceptions.ParseError, UnicodeDecodeError) as exc:
        raise ConfigError(f"not a valid curation file ({exc})", "fix the syntax at the line named", path) from exc


def parse_document(document: Mapping[str, Any], path: Path) -> Curation:
    data = plain_value(document)
    unknown = set(data) - set(_ACTIONS) - {"anchors"}
    if unknown:
        raise ConfigError(f"unknown curation section(s) {sorted(unknown)}",
                          "use [[merge]], [[split]], [[rename]], [[hide]], [[retitle]], [[drop]]", path)
    entries: dict[str, list] = {}
    for action in _ACTIONS:
        items = data.get(action, [])
        if not isinstance(items, list):
            raise ConfigError(f"'{action}' must be written [[{action}]]", "see the file's header", path)
        entries[action] = [_entry(action, i + 1, item, path) for i, item in enumerate(items)]
    anchors = data.get("anchors", {})
    if not isinstance(anchors, dict) or not all(isinstance(v, list) for v in anchors.values()):
        raise ConfigError("[anchors] must map keys to lists of quote ids",
                          "delete the [anchors] table; the notebook API rewrites it", path)
    return Curation(merges=tuple(entries["merge"]), splits=tuple(entries["split"]),
                    renames=tuple(entries["rename"]), hides=tuple(entries["hide"]),
                    retitles=tuple(entries["retitle"]), drops=tuple(entries["drop"]),
                    anchors={str(k): tuple(map(str, v)) for k, v in anchors.items()})


def _entry(action: str, number: int, item: Any, path: Path):
    where = f"[[{action}]] {number}"
    if not isinstance(item, dict):
        raise ConfigError(f"{where} must be a table", "see the file's header", path)
    unknown = set(item) - _FIELDS[action]
    if unknown:
        raise ConfigError(f"{where} has unknown field(s) {sorted(unknown)}",
                          f"allowed: {sorted(_FIELDS[action])}", path)

    def text(name: str, required: bool = False) -> str:
        value = item.get(name, "")
        if not isinstance(value, str) or (required and not value.strip()):
            raise ConfigError(f"{where} needs '{name}' as a non-empty string", "", path)
        return value.strip()

    def keys(name: str, minimum: int) -> tuple[str, ...]:
        value = item.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or len(value) < minimum:
            raise ConfigError(f"{where} needs '{name}' as a list of at least {minimum} strings", "", path)
        return tuple(v.strip() for v in value)

    if action == "rename":
        return Rename(text("theme", True), text("label", True))
    if action == "merge":
        return Merge(keys("themes", 2), text("label"))
    if action == "hide":
        return Hide(text("theme", True), text("reason"))
    if action == "retitle":
        retitle = Retitle(text("dilemma", True), text("title", True), text("side_a"), text("side_b"))
        if bool(retitle.side_a) != bool(retitle.side_b):
            raise ConfigError(f"{where} gives one side only", "give both 'side_a' and 'side_b', or neither", path)
        return retitle
    if action == "drop":
        return Drop(text("dilemma", True), text("reason"))
    split = Split(text("theme", True), text("phrase"), keys("quote_ids", 0), text("label"))
    if bool(split.phrase) == bool(split.quote_ids):
        raise ConfigError(f"{where} needs exactly one of 'phrase' or 'quote_ids'", "", path)
    return split


def plain_value(value: Any) -> Any:
    """tomlkit's containers as plain dicts, lists and strings."""
    if hasattr(value, "unwrap"):
        return value.unwrap()
    return dict(value)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "part"


def root_key(key: str) -> str:
    return key.split("/", 1)[0]


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
