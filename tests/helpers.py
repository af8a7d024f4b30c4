"""Builders of small synthetic inputs for tests."""
from __future__ import annotations


def make_turns(rows):
    """A turns table from (transcript_id, speaker, role, team, text) tuples, turns numbered per transcript."""
    import pandas as pd

    from pipeline import schema

    records, counters = [], {}
    for transcript_id, speaker, role, team, text in rows:
        turn = counters.get(transcript_id, 0)
        counters[transcript_id] = turn + 1
        records.append({schema.TRANSCRIPT_ID: transcript_id, schema.TURN: turn, schema.SPEAKER: speaker,
                        schema.ROLE: role, schema.TEAM: team, schema.START: float("nan"), schema.TEXT: text,
                        schema.SOURCE_FILE: transcript_id})
    return pd.DataFrame(records, columns=schema.TURN_COLUMNS)
