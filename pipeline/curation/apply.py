"""Applying a curation: merges, splits, renames and hides, then recount, re-score and re-rank.

`curate` keys the model's themes (and the dilemmas, when given) and applies a
curation (the runner's and the re-render's one call); `apply_curation`
applies one to themes that already carry their keys. The dilemmas' retitles
and drops are `dilemmas.apply_dilemma_curation`.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .. import schema
from ..config import Config, load_config
from ..ground import summarise_theme
from ..themes.scaffolding import quote_positions
from .dilemmas import DilemmaTables, apply_dilemma_curation
from .file import CURATION_FILE, Curation, Hide, Merge, Rename, Split
from .keys import (
    DILEMMA_KEY,
    THEME_KEY,
    assign_dilemma_keys,
    assign_theme_keys,
    dilemma_tables_snapshot,
    theme_keys_snapshot,
)

logger = logging.getLogger(__package__)  # "pipeline.curation", as before the package split



@dataclass
class Curated:
    """The outcome of `curate`: curated tables, the snapshot to store and what was done."""

    themes: pd.DataFrame
    quotes: pd.DataFrame
    decisions: pd.DataFrame
    snapshot: dict[str, Any]
    summary: dict[str, Any]
    dilemmas: DilemmaTables | None = None  # curated, when `curate` was given the dilemma tables


def curate(themes: pd.DataFrame, quotes: pd.DataFrame, decisions: pd.DataFrame,
           curation: Curation | None = None, *, previous: Mapping[str, Sequence[str]] | None = None,
           config: Config | None = None, source: str = "", dilemmas: DilemmaTables | None = None,
           previous_dilemmas: Mapping[str, Sequence[str]] | None = None) -> Curated:
    """Key the model's themes and dilemmas, then apply `curation`: the runner's and the re-render's one call.

    Parameters
    ----------
    themes, quotes, decisions : the model's tables (from `ground`, or `restore_uncurated`).
    curation : the decisions to apply; None applies nothing but still keys the themes.
    previous : key -> members of the run this one follows (its `theme_keys.json`).
    config : for `[ground] smoothing`, `[report] n_representative`, `[label] n_keywords`
        and `[curation] min_overlap`; None for the defaults.
    source : the curation file's name, for the summary and the warnings (never a full path).
    dilemmas : the dilemma tables as the dilemmas stage found them; keyed (`dilemma_key`), kept in
        the snapshot, and retitled and dropped. None leaves dilemmas out (the summary too).
    previous_dilemmas : dilemma key -> quote ids of the run this one follows.

    Examples
    --------
    >>> done = curate(themes, quotes, decisions, load_curation("curation.toml"))  # doctest: +SKIP
    >>> done.summary["applied"]  # doctest: +SKIP
    """
    config = config or load_config()
    curation = curation or Curation()
    matches = assign_theme_keys(themes, quotes, curation.anchors, previous or {},
                                min_overlap=config.curation.min_overlap)
    keyed = themes.copy()
    keyed[THEME_KEY] = [matches[int(t)].key for t in keyed[schema.THEME_ID]]
    snapshot = theme_keys_snapshot(keyed, quotes, decisions)
    curated_themes, curated_quotes, curated_decisions, log = _apply(keyed, quotes, decisions, curation, config,
                                                                    warn=False)
    curated_dilemmas, dilemma_matches = None, None
    if dilemmas is not None:
        dilemma_matches = assign_dilemma_keys(dilemmas.dilemmas, curation.anchors, previous_dilemmas or {},
                                              min_overlap=config.curation.min_overlap)
        raw = DilemmaTables(dilemmas.dilemmas.assign(**{DILEMMA_KEY: [
            dilemma_matches[str(d)].key for d in dilemmas.dilemmas[schema.DILEMMA_ID]]}),
            dilemmas.decisions, dilemmas.common_ground)
        snapshot["dilemmas"] = dilemma_tables_snapshot(raw.dilemmas, raw.decisions, raw.common_ground)
        curated_dilemmas, curated_quotes, dilemma_log = apply_dilemma_curation(
            raw, curated_quotes, curation.retitles, curation.drops, config.dilemmas)
        log += dilemma_log
    warn_not_applied(log, source or CURATION_FILE)
    summary = {
        "file": source,
        "applied": [entry for entry in log if entry["status"] == "applied"],
        "not_applied": [entry for entry in log if entry["status"] != "applied"],
        "keys": {"kept_from_curation": sum(m.source == "curation" for m in matches.values()),
                 "kept_from_previous_run": sum(m.source == "previous run" for m in matches.values()),
                 "new": sum(m.source == "new" for m in matches.values())},
    }
    if dilemma_matches is not None:
        summary["dilemma_keys"] = {
            "kept_from_curation": sum(m.source == "curation" for m in dilemma_matches.values()),
            "kept_from_previous_run": sum(m.source == "previous run" for m in dilemma_matches.values()),
            "new": sum(m.source == "new" for m in dilemma_matches.values())}
    return Curated(curated_themes, curated_quotes, curated_decisions, snapshot, summary, curated_dilemmas)


def apply_curation(themes: pd.DataFrame, quotes: pd.DataFrame, decisions: pd.DataFrame,
                   curation: Curation, *, config: Config | None = None
                   ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Apply merges, then splits, renames and hides; recount, re-score and re-rank the themes.

    Parameters
    ----------
    themes : one row per theme, with `theme_key` (see `assign_theme_keys`).
    quotes, decisions : the run's quote and decision tables.
    curation : the decisions to apply. An action whose theme this run lacks
        is skipped with a warning (`curate` lists them in its summary).
    config : for the common-ground smoothing and the numbers of key phrases
        and representative quotes; None for the defaults.

    Returns
    -------
    themes, quotes, decisions
        New tables (the inputs are not modified). Themes are re-ranked by
        common ground and renumbered from 0; a hidden theme's quotes get
        `theme_id` -1 and `placed_by` "hidden". Without embeddings, a merged
        or split theme's representative quotes are drawn from those already
        chosen, then from its members, new teams first.

    Examples
    --------
    >>> cur = Curation(renames=(Rename("t1a2b3c4d", "Phones versus backlog"),))
    >>> themes, quotes, decisions = apply_curation(themes, quotes, decisions, cur)  # doctest: +SKIP
    """
    return _apply(themes, quotes, decisions, curation, config or load_config())[:3]


def _apply(themes: pd.DataFrame, quotes: pd.DataFrame, decisions: pd.DataFrame, curation: Curation,
           config: Config, warn: bool = True) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[dict]]:
    schema.require_columns(themes, schema.THEME_OUTPUT_COLUMNS + [schema.REPRESENTATIVE_QUOTES, THEME_KEY],
                           "curation")
    if not curation.touches_themes:
        return themes.copy(), quotes.copy(), decisions.copy(), []
    state = _State.start(themes, quotes, decisions)
    log: list[dict] = []
    for merge in curation.merges:
        log.append(state.merge(merge, config))
    for split in curation.splits:
        log.append(state.split(split, config))
    for rename in curation.renames:
        log.append(state.rename(rename))
    for hide in curation.hides:
        log.append(state.hide(hide))
    if warn:
        warn_not_applied(log, CURATION_FILE)
    return (*state.finish(list(themes.columns), quotes, decisions, config), log)


# What to do about an action not applied, by its status; the key's table says where the current keys are.
_WHAT_TO_DO = {
    "theme not in this run": "point it at a key of themes.csv's theme_key column, or delete it",
    "fewer than two of these themes are in this run": "point it at keys of themes.csv's theme_key column, "
                                                      "or delete it",
    "no quote of the theme matches": "change its phrase or quote_ids, or delete it",
    "dilemma not in this run": "point it at a key of dilemmas.csv's dilemma_key column, or delete it",
}


def warn_not_applied(log: Sequence[dict], file_name: str) -> None:
    """Warn of each action not applied (`not_applied_messages`)."""
    for message in not_applied_messages(log, file_name):
        logger.warning("%s", message)


def not_applied_messages(log: Sequence[dict], file_name: str) -> list[str]:
    """For each action not applied, a sentence naming the file, the entry and what to do.

    Entries are numbered as the file lists them within their action ("[[drop]] 2"):
    the log holds every action, in the file's order.

    Examples
    --------
    >>> print(*not_applied_messages([{"action": "drop", "dilemma": "d1", "status": "applied"},
    ...                              {"action": "drop", "dilemma": "d2", "status": "dilemma not in this run"}],
    ...                             "curation.toml"))
    curation.toml: [[drop]] 2 (dilemma = "d2") not applied: dilemma not in this run; point it at a key of
    dilemmas.csv's dilemma_key column, or delete it
    """
    counts: dict[str, int] = {}
    messages = []
    for entry in log:
        action = entry["action"]
        counts[action] = counts.get(action, 0) + 1
        if entry["status"] == "applied":
            continue
        field_name = "dilemma" if "dilemma" in entry else "themes" if action == "merge" else "theme"
        named = entry.get("dilemma", entry.get("theme", ""))
        todo = _WHAT_TO_DO.get(entry["status"], "edit the entry or delete it")
        messages.append(f'{file_name}: [[{action}]] {counts[action]} ({field_name} = "{named}") not applied: '
                        f'{entry["status"]}; {todo}')
    return messages


@dataclass
class _State:
    """Themes keyed by theme key while a curation is applied; finished into tables by `finish`."""

    rows: dict[str, dict]             # key -> theme row (a dict of the themes table's columns)
    order: dict[str, float]           # key -> rank before curation, the tie-break of the new ranking
    quote_key: dict[str, str | None]  # quote id -> key, None for no theme
    hidden: set[str]                  # quote ids whose theme was hidden
    decision_key: list[str | None]    # per decisions row, its theme's key (None once dropped)
    decision_quotes: list[set[str]]   # per decisions row, its dilemma and decision quote ids
    texts: dict[str, str]
    changed: set[str]
    aliases: dict[str, str]           # merged-away key -> the key it was merged into

    @classmethod
    def start(cls, themes: pd.DataFrame, quotes: pd.DataFrame, decisions: pd.DataFrame) -> _State:
        key_of = dict(zip(themes[schema.THEME_ID].astype(int), themes[THEME_KEY]))
        rows = {r[THEME_KEY]: dict(r) for r in themes.to_dict("records")}
        order = {k: float(i) for i, k in enumerate(themes[THEME_KEY])}
        ids = quotes[schema.QUOTE_ID].astype(str).tolist()
        quote_key = {q: key_of.get(int(t)) for q, t in zip(ids, quotes[schema.THEME_ID])}
        decision_key = [key_of.get(int(t)) for t in decisions[schema.THEME_ID]]
        decision_quotes = [{str(a), str(b)} - {""} for a, b in zip(decisions[schema.DILEMMA_QUOTE_ID],
                                                                   decisions[schema.DECISION_QUOTE_ID])]
        texts = dict(zip(ids, quotes[schema.TEXT].astype(str)))
        return cls(rows, order, quote_key, set(), decision_key, decision_quotes, texts, set(), {})

    def resolve(self, key: str) -> str | None:
        while key in self.aliases:
            key = self.aliases[key]
        return key if key in self.rows else None

    def members(self, key: str) -> list[str]:
        return [q for q, k in self.quote_key.items() if k == key]

    def merge(self, merge: Merge, config: Config) -> dict:
        keys = list(dict.fromkeys(k for k in map(self.resolve, merge.themes) if k is not None))
        entry = {"action": "merge", "theme": ", ".join(merge.themes), "label": merge.label}
        if len(keys) < 2:
            return {**entry, "status": "fewer than two of these themes are in this run"}
        target, others = keys[0], keys[1:]
        row = self.rows[target]
        parts = [self.rows[k] for k in keys]
        row[schema.KEYWORDS] = _join(_interleave([_split(p[schema.KEYWORDS]) for p in parts])[:config.label.n_keywords])
        row[schema.REPRESENTATIVE_QUOTES] = _interleave([list(p[schema.REPRESENTATIVE_QUOTES]) for p in parts])
        if merge.label:
            row[schema.LABEL] = merge.label
        for other in others:
            for quote_id in self.members(other):
                self.quote_key[quote_id] = target
            self.decision_key = [target if k == other else k for k in self.decision_key]
            del self.rows[other]
            self.aliases[other] = target
        self.changed.add(target)
        return {**entry, "theme_key": target, "status": "applied"}

    def split(self, split: Split, config: Config) -> dict:
        parent = self.resolve(split.theme)
        entry = {"action": "split", "theme": split.theme, "label": split.label}
        if parent is None:
            return {**entry, "status": "theme not in this run"}
        members = self.members(parent)
        if split.phrase:
            pattern = phrase_pattern(split.phrase)
            chosen = [q for q in members if pattern.search(self.texts[q])]
        else:
            wanted = set(split.quote_ids)
            chosen = [q for q in members if q in wanted]
        if not chosen:
            return {**entry, "status": "no quote of the theme matches"}
        child = split.child_key if split.theme == parent else f"{parent}/{split.child_key.split('/', 1)[1]}"
        if child in self.rows:
            return {**entry, "status": f"{child} already exists"}
        source = self.rows[parent]
        chosen_set = set(chosen)
        keywords = _split(source[schema.KEYWORDS])
        row = dict(source)
        row[THEME_KEY] = child
        row[schema.LABEL] = split.label or (split.phrase or f"Part of {source[schema.LABEL]}")
        # Without the labeller, the new theme keeps the parent's key phrases that its own quotes say.
        said = [k for k in keywords if k != split.phrase
                and any(phrase_pattern(k).search(self.texts[q]) for q in chosen)]
        row[schema.KEYWORDS] = _join(([split.phrase] if split.phrase else []) + said[:config.label.n_keywords - 1])
        row[schema.REPRESENTATIVE_QUOTES] = [q for q in source[schema.REPRESENTATIVE_QUOTES] if q in chosen_set]
        source[schema.REPRESENTATIVE_QUOTES] = [q for q in source[schema.REPRESENTATIVE_QUOTES] if q not in chosen_set]
        self.rows[child] = row
        self.order[child] = self.order[parent] + 0.5
        for quote_id in chosen:
            self.quote_key[quote_id] = child
        # A team's dilemma -> decision row goes with the quotes it cites.
        self.decision_key = [child if key == parent and cited & chosen_set else key
                             for key, cited in zip(self.decision_key, self.decision_quotes)]
        self.changed |= {parent, child}
        if len(chosen) == len(members):
            del self.rows[parent]
            self.changed.discard(parent)
        return {**entry, "theme_key": child, "n_quotes": len(chosen), "status": "applied"}

    def rename(self, rename: Rename) -> dict:
        key = self.resolve(rename.theme)
        entry = {"action": "rename", "theme": rename.theme, "label": rename.label}
        if key is None:
            return {**entry, "status": "theme not in this run"}
        self.rows[key][schema.LABEL] = rename.label
        return {**entry, "theme_key": key, "status": "applied"}

    def hide(self, hide: Hide) -> dict:
        key = self.resolve(hide.theme)
        entry = {"action": "hide", "theme": hide.theme, "reason": hide.reason}
        if key is None:
            return {**entry, "status": "theme not in this run"}
        row = self.rows.pop(key)
        members = self.members(key)
        for quote_id in members:
            self.quote_key[quote_id] = None
            self.hidden.add(quote_id)
        self.decision_key = [None if k == key else k for k in self.decision_key]
        return {**entry, "theme_key": key, "label": str(row[schema.LABEL]), "n_quotes": len(members),
                "status": "applied"}

    def finish(self, columns: list[str], quotes: pd.DataFrame, decisions: pd.DataFrame,
               config: Config) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        quotes = quotes.copy()
        quote_keys = quotes[schema.QUOTE_ID].astype(str).map(self.quote_key)
        team_sizes = quotes.groupby(schema.TEAM)[schema.TRANSCRIPT_ID].nunique().sort_index()
        # Each quote's place in its whole conversation, for the scaffolding flag of a changed theme
        # (absent from runs written before the flag existed).
        positions = quote_positions(quotes) if schema.SCAFFOLDING in columns and schema.TURN in quotes else None
        for key in sorted(self.changed & set(self.rows)):
            members = quotes[quote_keys == key]
            # A measure curation cannot recompute without embeddings (a stability,
            # a group) would describe the theme before the merge or split: blank it.
            for column in set(self.rows[key]) - _RECOMPUTED:
                self.rows[key][column] = None
            self.rows[key].update(summarise_theme(members, team_sizes, config, positions))
            self.rows[key][schema.REPRESENTATIVE_QUOTES] = _representatives(
                members, self.rows[key][schema.REPRESENTATIVE_QUOTES], config.report.n_representative)
        # The order `ground.RANKING` gives: scaffolding last, then by common ground and size.
        ranked = sorted(self.rows, key=lambda k: (int(self.rows[k].get(schema.SCAFFOLDING) or 0),
                                                  -float(self.rows[k][schema.COMMON_GROUND]),
                                                  -int(self.rows[k][schema.N_QUOTES]), self.order[k]))
        new_id = {key: i for i, key in enumerate(ranked)}
        themes = pd.DataFrame([{**self.rows[k], schema.THEME_ID: new_id[k]} for k in ranked], columns=columns)
        quotes[schema.THEME_ID] = quote_keys.map(lambda k: new_id.get(k, schema.NO_THEME)).astype(int)
        hidden = quotes[schema.QUOTE_ID].astype(str).isin(self.hidden)
        if schema.PLACED_BY in quotes:
            quotes.loc[hidden, schema.PLACED_BY] = schema.PLACED_HIDDEN
        decisions = decisions.copy()
        decisions[schema.THEME_ID] = [new_id.get(k, schema.NO_THEME) if k else schema.NO_THEME
                                      for k in self.decision_key]
        decisions = decisions[decisions[schema.THEME_ID] != schema.NO_THEME]
        decisions = decisions.drop_duplicates().sort_values(schema.THEME_ID, kind="mergesort").reset_index(drop=True)
        return themes, quotes, decisions


_RECOMPUTED = set(schema.THEME_OUTPUT_COLUMNS) | {schema.REPRESENTATIVE_QUOTES, schema.SHARED, THEME_KEY,
                                                  schema.SCAFFOLDING_SHARE, schema.SCAFFOLDING}


def phrase_pattern(phrase: str) -> re.Pattern:
    """The phrase as whole words, any case, with an optional plural ending ("repair" finds "Repairs")."""
    words = [re.escape(w) for w in phrase.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?:s|es)?(?!\w)", re.IGNORECASE)


def _representatives(members: pd.DataFrame, preferred: Sequence[str], n: int) -> list[str]:
    """Up to n quote ids: those already chosen, then members of teams not yet shown, dilemmas and decisions first.

    A merged or split theme's representatives, the same whether the run is fresh or
    re-rendered from its folder (which keeps no vectors): the model's themes' own were
    picked by `ground.representative_quotes`, which needs them.
    """
    ids = members[schema.QUOTE_ID].astype(str).tolist()
    member_set = set(ids)
    chosen = [q for q in dict.fromkeys(preferred) if q in member_set][:n]
    team_of = dict(zip(ids, members[schema.TEAM].astype(str)))
    signal = dict(zip(ids, members[schema.IS_DILEMMA].astype(int) + members[schema.IS_DECISION].astype(int)))
    while len(chosen) < min(n, len(ids)):
        shown = {team_of[q] for q in chosen}
        rest = [q for q in ids if q not in chosen]
        chosen.append(min(rest, key=lambda q: (team_of[q] in shown, -signal[q], ids.index(q))))
    return chosen


def _interleave(lists: Sequence[Sequence[str]]) -> list[str]:
    """Round-robin over the lists, dropping repeats: each merged theme contributes its best first."""
    out: list[str] = []
    for position in range(max((len(items) for items in lists), default=0)):
        for items in lists:
            if position < len(items) and items[position] not in out:
                out.append(items[position])
    return out


def _split(value: Any) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(schema.LIST_SEPARATOR.strip()) if v.strip()]
    return [str(v) for v in value]


def _join(values: Sequence[str]) -> str:
    return schema.LIST_SEPARATOR.join(values)
