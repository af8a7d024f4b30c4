"""The sample's planted shared dilemmas, decision points, reasons and common ground, judged strictly.

The judges (each stated where it is defined):

- a dilemma *is* a planted one only when its quotes come from at least 3 of
  the conversations where the answer key plants it, and at least half of
  its quotes from those conversations (4 of the sample's 20: a fifth at
  random; at 40% the 95th percentile of random lists reached the threshold
  below, 3, once the themes' borders were refined); one dilemma counts for
  one planted item, in rank order;
- a decision point or a reason *is* the planted one only when it states one
  of the sentences the answer key lists for it verbatim (`decision_sentences`,
  `reason_sentences`): at least 60% of the words of the shorter of the two,
  quote or sentence, match in order (`difflib`), after the anonymiser's
  placeholders and punctuation are dropped;
- a common ground *is* a planted one when its quotes hold that reason's
  planted sentences from at least 3 teams.

Every threshold sits above what the same judges give a list picked at
random, and a test shows it.
"""
from __future__ import annotations

import difflib
import re

import numpy as np
import pandas as pd
import pytest

from pipeline import schema

pytestmark = pytest.mark.models

MIN_CONVERSATIONS = 3  # of a planted dilemma's conversations, for a dilemma to be it
MIN_SHARE = 0.5  # of the dilemma's quotes, from those conversations
MIN_WORDS_MATCHED = 0.6  # of the shorter of quote and planted sentence, for the quote to state it


def _ids(cell) -> list[str]:
    return [q for q in str(cell).split(schema.LIST_SEPARATOR) if q]


def _plain(text: str) -> str:
    return re.sub(r"\W+", " ", str(text)).lower().strip()


def planted_conversations(answer_key) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for conversation in answer_key["conversations"]:
        for dilemma in conversation["dilemmas"]:
            found.setdefault(dilemma["id"], set()).add(conversation["file"])
    return found


def match_planted(dilemmas: pd.DataFrame, transcript_of: dict[str, str], answer_key) -> dict[str, str]:
    """Planted dilemma -> the dilemma id that is it: quotes from 3+ of its conversations, one each, in rank order."""
    planted = planted_conversations(answer_key)
    matched: dict[str, str] = {}
    for row in dilemmas.itertuples(index=False):
        sources = [transcript_of[q] for q in _ids(getattr(row, schema.QUOTE_IDS))]
        open_items = {d: len(set(sources) & files) for d, files in planted.items() if d not in matched}
        if open_items:
            best = max(sorted(open_items), key=open_items.get)
            share = sum(source in planted[best] for source in sources) / max(len(sources), 1)
            if open_items[best] >= MIN_CONVERSATIONS and share >= MIN_SHARE:
                matched[best] = getattr(row, schema.DILEMMA_ID)
    return matched


_PLACEHOLDER = re.compile(r"\[[A-Z_]+(?: \d+)?\]")


def _words(text: str) -> list[str]:
    """Lower-case words, the anonymiser's placeholders ("[PERSON 3]") dropped."""
    return re.findall(r"[a-z0-9']+", _PLACEHOLDER.sub(" ", str(text)).lower().replace("\u2019", "'"))


def states(quote_text: str, sentences: list[str]) -> bool:
    """Whether a quote states one of the planted sentences (MIN_WORDS_MATCHED of the shorter, in order)."""
    quote = _words(quote_text)
    for sentence in sentences:
        words = _words(sentence)
        if not quote or not words:
            continue
        matched = sum(block.size for block in
                      difflib.SequenceMatcher(None, quote, words, autojunk=False).get_matching_blocks())
        if matched >= MIN_WORDS_MATCHED * min(len(quote), len(words)):
            return True
    return False


def planted_rows(answer_key, matched: dict[str, str]):
    """(conversation, planted dilemma entry) of every planted row of a matched dilemma."""
    return [(conversation, planted) for conversation in answer_key["conversations"]
            for planted in conversation["dilemmas"] if planted["id"] in matched]


def judge_rows(result, answer_key, matched: dict[str, str]) -> tuple[int, int, int]:
    """(planted rows of the matched dilemmas, with the planted decision point, with the planted reason)."""
    quotes, rows = result.quotes, result.dilemma_decisions
    text_of = dict(zip(quotes[schema.QUOTE_ID], quotes[schema.TEXT]))
    total = decided = reasoned = 0
    for conversation, planted in planted_rows(answer_key, matched):
        total += 1
        row = rows[(rows[schema.DILEMMA_ID] == matched[planted["id"]]) & (rows[schema.TEAM] == conversation["team"])]
        if row.empty or row[schema.TRANSCRIPT_ID].iloc[0] != conversation["file"]:
            continue
        decision, reason = row[schema.DECISION_QUOTE_ID].iloc[0], row[schema.RATIONALE_QUOTE_ID].iloc[0]
        decided += bool(decision) and states(text_of.get(decision, ""), planted["decision_sentences"])
        reasoned += bool(reason) and states(text_of.get(reason, ""), planted["reason_sentences"])
    return total, decided, reasoned


def chance_of_rows(result, answer_key, matched: dict[str, str]) -> tuple[float, float]:
    """The share of planted rows a quote of the row's conversation picked at random gets right (decision, reason)."""
    quotes = result.quotes
    shares = []
    for conversation, planted in planted_rows(answer_key, matched):
        texts = quotes.loc[quotes[schema.TRANSCRIPT_ID] == conversation["file"], schema.TEXT]
        shares.append([np.mean([states(t, planted[key]) for t in texts]) if len(texts) else 0.0
                       for key in ("decision_sentences", "reason_sentences")])
    return tuple(np.mean(shares, axis=0)) if shares else (0.0, 0.0)


def match_common_ground(ground: pd.DataFrame, quotes: pd.DataFrame, answer_key) -> set[str]:
    """The planted shared reasons found: a ground whose quotes hold its planted sentences from 3+ teams."""
    text_of = {q: _plain(t) for q, t in zip(quotes[schema.QUOTE_ID], quotes[schema.TEXT])}
    found = set()
    for row in ground.itertuples(index=False):
        texts = [(text_of.get(q, ""), q) for q in _ids(getattr(row, schema.QUOTE_IDS))]
        for name, reason in answer_key.get("shared_reasons", {}).items():
            teams = {p["file"].split("/")[0] for p in reason["planted"]
                     if any(_plain(p["text"]) in text for text, _ in texts)}
            if len(teams) >= 3:
                found.add(name)
    return found


def _random_dilemmas(result, rng: np.random.Generator) -> pd.DataFrame:
    """A list shaped like the run's (same number of dilemmas, same sizes), of quotes picked at random."""
    quote_ids = result.quotes[schema.QUOTE_ID].to_numpy()
    rows = []
    for row in result.dilemmas.itertuples(index=False):
        size = len(_ids(getattr(row, schema.QUOTE_IDS)))
        picked = rng.choice(quote_ids, size=min(size, len(quote_ids)), replace=False)
        rows.append({schema.DILEMMA_ID: getattr(row, schema.DILEMMA_ID), schema.QUOTE_IDS: "; ".join(picked)})
    return pd.DataFrame(rows, columns=[schema.DILEMMA_ID, schema.QUOTE_IDS])


@pytest.fixture(scope="module")
def judged(sample_runs, answer_key):
    result = sample_runs[0]
    transcript_of = dict(zip(result.quotes[schema.QUOTE_ID], result.quotes[schema.TRANSCRIPT_ID]))
    matched = match_planted(result.dilemmas, transcript_of, answer_key)
    return result, transcript_of, matched


def test_the_dilemma_files_follow_the_contract(sample_runs):
    out = sample_runs[0].out_dir
    for name, columns in (("dilemmas.csv", schema.DILEMMA_COLUMNS),
                          ("dilemma_decisions.csv", schema.DILEMMA_DECISION_COLUMNS),
                          ("common_ground.csv", schema.COMMON_GROUND_COLUMNS)):
        table = pd.read_csv(out / name, keep_default_na=False)
        assert list(table.columns[:len(columns)]) == columns, name
    dilemmas = pd.read_csv(out / "dilemmas.csv", keep_default_na=False)
    assert dilemmas[schema.COMMON_GROUND].between(0, 1).all()
    shared = (dilemmas[schema.N_TEAMS] >= 2).astype(int)
    assert shared.is_monotonic_decreasing, "a one-team dilemma ranks above a shared one"
    quotes = pd.read_csv(out / "quotes.csv", keep_default_na=False)
    assert {schema.DILEMMA_ID, schema.DILEMMA_SCORE, schema.DECISION_SCORE, schema.RATIONALE_SCORE} <= set(quotes)


def test_the_report_leads_with_the_shared_dilemmas_then_the_common_ground(sample_runs):
    page = (sample_runs[0].out_dir / "theme_report.md").read_text(encoding="utf-8")
    order = [page.find("## Shared dilemmas"), page.find("## Common ground for the workshop"), page.find("## Run summary")]
    assert -1 not in order and order == sorted(order)


TOP = 8  # the dilemmas a reader sees first


def found_in_top(matched: dict[str, str]) -> int:
    """How many planted dilemmas were found among the first `TOP` dilemmas."""
    return sum(int(dilemma_id[1:]) <= TOP for dilemma_id in matched.values())


def test_planted_shared_dilemmas_are_found_among_the_top_dilemmas(judged, answer_key):
    """Three of the six at least, strictly judged, within the top eight (the aim is six: BENCHMARKS.md)."""
    result, _, matched = judged
    assert found_in_top(matched) >= 3, f"found {sorted(matched.items())}"


def test_each_row_is_one_conversation_of_its_team(judged):
    """A team's decision point and reason come from the conversation where it voiced the dilemma."""
    result, transcript_of, _ = judged
    rows = result.dilemma_decisions
    assert len(rows) > 0
    for row in rows.itertuples(index=False):
        for column in (schema.DILEMMA_QUOTE_ID, schema.DECISION_QUOTE_ID, schema.RATIONALE_QUOTE_ID):
            quote = getattr(row, column)
            assert not quote or transcript_of[quote] == getattr(row, schema.TRANSCRIPT_ID), (row, column)
        assert len({q for q in (row.dilemma_quote_id, row.decision_quote_id, row.rationale_quote_id) if q}) == \
            len([q for q in (row.dilemma_quote_id, row.decision_quote_id, row.rationale_quote_id) if q])


def test_the_judge_gives_a_list_picked_at_random_less_than_the_threshold(judged, answer_key):
    result, transcript_of, _ = judged
    rng = np.random.default_rng(0)
    found = [found_in_top(match_planted(_random_dilemmas(result, rng), transcript_of, answer_key))
             for _ in range(200)]
    assert np.percentile(found, 95) < 3, found  # below the threshold of the planted-dilemmas test


def test_the_planted_decision_points_are_found_in_three_quarters_of_the_planted_rows(judged, answer_key):
    """Three quarters of the rows at least (the aim is 80%: BENCHMARKS.md); a quote picked at random gets a tenth."""
    result, _, matched = judged
    total, decided, _ = judge_rows(result, answer_key, matched)
    chance, _ = chance_of_rows(result, answer_key, matched)
    assert total >= 12 and decided >= 0.75 * total, (decided, total)
    assert chance < 0.25, chance


def test_the_planted_reasons_are_found_in_three_fifths_of_the_planted_rows(judged, answer_key):
    """Three fifths of the rows at least (the target); a quote picked at random gets a tenth."""
    result, _, matched = judged
    total, _, reasoned = judge_rows(result, answer_key, matched)
    _, chance = chance_of_rows(result, answer_key, matched)
    assert total >= 12 and reasoned >= 0.6 * total, (reasoned, total)
    assert chance < 0.2, chance


def test_the_planted_common_ground_is_found_and_every_ground_states_a_principle_verbatim(sample_runs, answer_key):
    """All three planted shared reasons (the target). A ground's statement is said in one of its quotes."""
    result = sample_runs[0]
    found = match_common_ground(result.common_ground, result.quotes, answer_key)
    assert found == set(answer_key["shared_reasons"]), result.common_ground
    text_of = dict(zip(result.quotes[schema.QUOTE_ID], result.quotes[schema.TEXT]))
    for row in result.common_ground.itertuples(index=False):
        assert any(row.statement in text_of[q] for q in _ids(row.quote_ids)), row.statement
    # Grounds of the same shape, their quotes picked at random, find none.
    rng, ids = np.random.default_rng(0), result.quotes[schema.QUOTE_ID].to_numpy()
    dealt = [result.common_ground.assign(**{schema.QUOTE_IDS: [
        schema.LIST_SEPARATOR.join(rng.choice(ids, len(_ids(cell)), replace=False)) for cell in
        result.common_ground[schema.QUOTE_IDS]]}) for _ in range(200)]
    assert sum(bool(match_common_ground(ground, result.quotes, answer_key)) for ground in dealt) <= 10
