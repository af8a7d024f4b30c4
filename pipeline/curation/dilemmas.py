"""Applying a curation to the dilemmas: retitles, then drops, then the ids renumbered everywhere.

The dilemma tables (dilemmas.csv, dilemma_decisions.csv, common_ground.csv)
and each quote's `dilemma_id` name dilemmas by id, D1 the first in the
ranking. A drop removes a dilemma from all four; the rest keep their order
and are numbered D1.. again, so the report never shows a gap ("D1, D3") and
the same curation gives the same files. A common ground loses the dropped
dilemmas' reasons, and goes when it then falls below `[dilemmas]
ground_min_teams` or `ground_min_dilemmas`, as the dilemmas stage would
have left it out; the rest are numbered G1.. again.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from .. import schema
from ..config import DilemmasConfig
from .file import Drop, Retitle
from .keys import DILEMMA_KEY

_SEPARATOR = schema.LIST_SEPARATOR.strip()


@dataclass
class DilemmaTables:
    """dilemmas.csv, dilemma_decisions.csv and common_ground.csv as DataFrames.

    Examples
    --------
    >>> t = DilemmaTables.empty()
    >>> list(t.dilemmas.columns)[-1]
    'dilemma_key'
    """

    dilemmas: pd.DataFrame
    decisions: pd.DataFrame
    common_ground: pd.DataFrame

    def counts(self) -> dict[str, int]:
        """run.json's counts of these tables (curated: a dropped dilemma is not counted).

        >>> DilemmaTables.empty().counts()
        {'shared_dilemmas': 0, 'one_team_dilemmas': 0, 'common_ground': 0}
        """
        n_teams = self.dilemmas[schema.N_TEAMS].astype(int)
        return {"shared_dilemmas": int((n_teams >= 2).sum()), "one_team_dilemmas": int((n_teams < 2).sum()),
                "common_ground": len(self.common_ground)}

    @classmethod
    def empty(cls) -> DilemmaTables:
        return cls(pd.DataFrame(columns=schema.DILEMMA_COLUMNS),
                   pd.DataFrame(columns=schema.DILEMMA_DECISION_COLUMNS),
                   pd.DataFrame(columns=schema.COMMON_GROUND_COLUMNS))


def apply_dilemma_curation(tables: DilemmaTables, quotes: pd.DataFrame, retitles: Sequence[Retitle],
                           drops: Sequence[Drop], config: DilemmasConfig | None
                           ) -> tuple[DilemmaTables, pd.DataFrame, list[dict]]:
    """Retitle, then drop dilemmas named by key; renumber what is left; log every action.

    Parameters
    ----------
    tables : the dilemma tables, `dilemmas` with its `dilemma_key`.
    quotes : the quote table; its `dilemma_id`, when it has one, is set from the
        dilemmas' `quote_ids` (a quote of a dropped dilemma voices none).
    retitles, drops : the curation's actions; one whose key this run lacks is
        logged with status "dilemma not in this run" and skipped.
    config : `[dilemmas]`, for the thresholds a common ground must still meet (None: no threshold).

    Returns
    -------
    tables, quotes, log
        New tables (the inputs are not modified).

    Examples
    --------
    >>> d = pd.DataFrame({"dilemma_id": ["D1", "D2"], "title": ["the council · the team", "Phones · casework"],
    ...                   "side_a": ["", "Phones"], "side_b": ["", "casework"], "n_quotes": [1, 1],
    ...                   "quote_ids": ["a-1-0", "b-1-0"], "dilemma_key": ["dA", "dB"]})
    >>> tables = DilemmaTables(d, pd.DataFrame(columns=schema.DILEMMA_DECISION_COLUMNS),
    ...                        pd.DataFrame(columns=schema.COMMON_GROUND_COLUMNS))
    >>> new, _, log = apply_dilemma_curation(tables, pd.DataFrame(), [Retitle("dB", "Phones or casework")],
    ...                                      [Drop("dA", "not a dilemma")], None)
    >>> new.dilemmas[["dilemma_id", "title", "dilemma_key"]].values.tolist()
    [['D1', 'Phones or casework', 'dB']]
    >>> [entry["status"] for entry in log]
    ['applied', 'applied']
    """
    dilemmas = tables.dilemmas.reset_index(drop=True).copy()
    keys = dilemmas[DILEMMA_KEY].astype(str).tolist()
    log: list[dict] = []
    for retitle in retitles:
        entry = {"action": "retitle", "dilemma": retitle.dilemma, "title": retitle.title}
        if retitle.dilemma not in keys:
            log.append({**entry, "status": "dilemma not in this run"})
            continue
        row = keys.index(retitle.dilemma)
        entry["was"] = str(dilemmas.at[row, schema.TITLE])
        dilemmas.at[row, schema.TITLE] = retitle.title
        if retitle.side_a:
            dilemmas.at[row, schema.SIDE_A], dilemmas.at[row, schema.SIDE_B] = retitle.side_a, retitle.side_b
        log.append({**entry, "dilemma_id": str(dilemmas.at[row, schema.DILEMMA_ID]), "status": "applied"})
    dropped: set[str] = set()
    for drop in drops:
        entry = {"action": "drop", "dilemma": drop.dilemma, "reason": drop.reason}
        if drop.dilemma not in keys:
            log.append({**entry, "status": "dilemma not in this run"})
            continue
        row = keys.index(drop.dilemma)
        dropped.add(str(dilemmas.at[row, schema.DILEMMA_ID]))
        log.append({**entry, "dilemma_id": str(dilemmas.at[row, schema.DILEMMA_ID]),
                    "title": str(dilemmas.at[row, schema.TITLE]), "n_quotes": int(dilemmas.at[row, schema.N_QUOTES]),
                    "status": "applied"})
    kept = dilemmas[~dilemmas[schema.DILEMMA_ID].astype(str).isin(dropped)]
    # The ranking stands; only the numbers close up.
    new_id = {old: f"D{n}" for n, old in enumerate(kept[schema.DILEMMA_ID].astype(str), start=1)}
    kept = kept.assign(**{schema.DILEMMA_ID: kept[schema.DILEMMA_ID].astype(str).map(new_id)}).reset_index(drop=True)
    decisions = tables.decisions[tables.decisions[schema.DILEMMA_ID].astype(str).isin(new_id)]
    ground = _ground_without(tables.common_ground, decisions, dropped, config)
    decisions = decisions.assign(**{schema.DILEMMA_ID: decisions[schema.DILEMMA_ID].astype(str).map(new_id)})
    ground = ground.assign(**{schema.DILEMMA_IDS: ground[schema.DILEMMA_IDS].map(
        lambda ids: schema.LIST_SEPARATOR.join(new_id[d] for d in _split(ids)))})
    quotes = quotes.copy()
    if schema.DILEMMA_ID in quotes:
        dilemma_of = {q: str(d) for d, ids in zip(kept[schema.DILEMMA_ID], kept[schema.QUOTE_IDS]) for q in _split(ids)}
        quotes[schema.DILEMMA_ID] = quotes[schema.QUOTE_ID].astype(str).map(lambda q: dilemma_of.get(q, ""))
    return DilemmaTables(kept, decisions.reset_index(drop=True), ground), quotes, log


def _ground_without(ground: pd.DataFrame, kept_rows: pd.DataFrame, dropped: set[str],
                    config: DilemmasConfig | None) -> pd.DataFrame:
    """The common ground without the dropped dilemmas' reasons; a ground below the thresholds goes.

    A ground's members are the decision rows whose reason it lists; those of a dropped
    dilemma leave, and its teams, dilemmas and quotes are counted again from the rest.
    The statement stays: it is one of the shared reasons, verbatim, and picking
    another would need the vectors a re-render does not have.
    """
    if not dropped or ground.empty:
        return ground.reset_index(drop=True)
    rows = []
    for record in ground.to_dict("records"):
        named = _split(record[schema.DILEMMA_IDS])
        if not set(named) & dropped:
            rows.append({**record, "_dilemmas": len(named)})
            continue
        cited = _split(record[schema.QUOTE_IDS])
        members = kept_rows[kept_rows[schema.RATIONALE_QUOTE_ID].astype(str).isin(cited)
                            & kept_rows[schema.DILEMMA_ID].astype(str).isin(named)]
        teams = sorted(members[schema.TEAM].astype(str).unique())
        dilemmas = sorted(members[schema.DILEMMA_ID].astype(str).unique(), key=lambda d: int(d[1:]))
        if config is not None and (len(teams) < config.ground_min_teams or len(dilemmas) < config.ground_min_dilemmas):
            continue
        still = set(members[schema.RATIONALE_QUOTE_ID].astype(str))
        rows.append({**record, schema.N_TEAMS: len(teams), schema.TEAMS: schema.LIST_SEPARATOR.join(teams),
                     schema.DILEMMA_IDS: schema.LIST_SEPARATOR.join(dilemmas),
                     schema.QUOTE_IDS: schema.LIST_SEPARATOR.join(q for q in cited if q in still),
                     "_dilemmas": len(dilemmas)})
    # The order `reasons.common_ground` gives, broadest first; an untouched table keeps its own.
    rows.sort(key=lambda row: (-int(row[schema.N_TEAMS]), -row["_dilemmas"], str(row[schema.QUOTE_IDS])))
    table = [{**{k: v for k, v in row.items() if k != "_dilemmas"}, schema.GROUND_ID: f"G{n}"}
             for n, row in enumerate(rows, start=1)]
    return pd.DataFrame(table, columns=ground.columns)


def _split(ids: object) -> list[str]:
    return [part.strip() for part in str(ids).split(_SEPARATOR) if part.strip()]
