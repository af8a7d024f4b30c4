import numpy as np
import pandas as pd

from pipeline import schema
from pipeline.themes.scaffolding import edge_shares, quote_positions


def _conversation(transcript, themes):
    """Quote units in reading order, one per turn, with the given theme ids."""
    return pd.DataFrame({schema.TRANSCRIPT_ID: transcript, schema.TURN: range(len(themes)),
                         schema.THEME_ID: themes})


def test_positions_run_from_the_first_unit_to_the_last_of_each_conversation():
    quotes = pd.concat([_conversation("a", [0] * 12), _conversation("b", [0] * 3)], ignore_index=True)
    positions = quote_positions(quotes)
    assert positions.iloc[0] == 0.0 and positions.iloc[11] == 1.0
    assert positions.iloc[:12].is_monotonic_increasing
    assert positions.iloc[12:].isna().all()  # three units: no opening or closing to speak of


def test_openings_and_closings_are_told_from_the_substance():
    # 20 units: small talk (theme 1) at both ends, the substance (theme 0) in between, an outlier (-1).
    themes = [1, 1, 1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1]
    quotes = pd.concat([_conversation(t, themes) for t in ("a", "b")], ignore_index=True)
    shares = edge_shares(quotes, edge=0.15)
    assert shares[1] == 1.0 and shares[0] < 0.1
    assert list(shares.index) == [0, 1]  # no share for quotes in no theme


def test_a_theme_only_in_short_conversations_has_no_share():
    quotes = pd.concat([_conversation("a", [0, 0, 0]), _conversation("b", [1] * 12)], ignore_index=True)
    shares = edge_shares(quotes, edge=0.15)
    assert np.isnan(shares[0]) and shares[1] > 0
