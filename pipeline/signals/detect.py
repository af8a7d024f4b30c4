"""The signals stage: flag quote units that voice a dilemma, a decision, or the reason for one.

Cues are spaCy `Matcher` patterns over lemmas (so "chose", "choosing" and
"choose" are one cue) and `DependencyMatcher` patterns over the parse (a
first-person-plural or team subject whose verb is a change: "we stopped
doing", "the team moved to"). Patterns, not keywords: "decide" in "it's hard
to decide" is not a decision, "we decided to" is.

A reason is often given without a cue word, because the interviewer asked
for one: "Why apprentices, rather than agency drivers?" So the first units
of an answer to a question that asks why (`WHY_PROMPT_PATTERNS`, in the
question's last sentence) are reasons too, with the cue `answers_why`.
Likewise a decision, where the interviewer goes back to the decision point:
the first units answering "So what did you do?" or "What did you change?"
(`CHANGE_PROMPT_PATTERNS`) are decisions, with the cue `answers_change`.
And a sentence that states a principle (`principles`: "the people doing the
work know their caseloads, so they should be the ones making the call") is
a reason, with the cue `principle`; the unit keeps that sentence in the
internal column `_principle` for the common ground.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache

import pandas as pd

from .. import schema
from ..config import SignalsConfig
from ..segment import preceding_prompts
from .cache import CueCache
from .cues import doc_matches, names_in_ranges, prefilter_for, vocab_matchers_for
from .patterns import CHANGE_CUE, CHANGE_PROMPT_PATTERNS, KINDS, WHY_CUE, WHY_PROMPT_PATTERNS
from .principles import PRINCIPLE_CUE, principle_sentences

logger = logging.getLogger(__name__)


def detect_signals(quotes: pd.DataFrame, docs: list, config: SignalsConfig,
                   turns: pd.DataFrame | None = None, cache: CueCache | None = None,
                   original_texts: Sequence[str] | None = None) -> pd.DataFrame:
    """Add is_dilemma, is_decision, is_rationale (0/1), the cue names and the principle stated
    (`_principle`, internal) to a copy of `quotes`.

    With `turns` (the table `docs` was parsed from, interviewer turns
    included), the first `config.why_answer_units` units answering a
    question that asks why are reasons too (`answers_why`), and the first
    `config.change_answer_units` answering one that asks what the team did
    or changed are decisions (`answers_change`).

    With `cache` and `original_texts` (each Doc's turn as written, before
    anonymising), each Doc's cue matches are read from the cache where it
    has them and stored where it does not (`cache.CueCache`); the result is
    the same.
    """
    schema.require_columns(quotes, [schema.CHAR_START, schema.CHAR_END, schema.DOC_POSITION], "signals")
    out = quotes.copy()
    # Token ranges of the units, grouped by the Doc (turn) they come from, so
    # each Doc is matched once however many units it holds.
    no_cues = {kind: [] for kind in KINDS}
    found: list[dict[str, list[str]]] = [no_cues] * len(quotes)
    principles = [""] * len(quotes)
    by_doc: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for row, (start, end, position) in enumerate(zip(quotes[schema.CHAR_START], quotes[schema.CHAR_END],
                                                      quotes[schema.DOC_POSITION])):
        span = docs[position].char_span(int(start), int(end), alignment_mode="expand")
        if span is not None:
            by_doc.setdefault(position, []).append((row, (span.start, span.end)))
    matches = _doc_matches(docs, list(by_doc), cache, original_texts)
    for position, units in by_doc.items():
        doc = docs[position]
        token_ranges = [r for _, r in units]
        for (row, _), names, principle in zip(units, names_in_ranges(matches[position], token_ranges),
                                              principle_sentences(doc, token_ranges)):
            found[row] = names if not principle else {**names, "rationale": sorted({*names["rationale"],
                                                                                     PRINCIPLE_CUE})}
            principles[row] = principle
    if turns is not None:
        prompts = preceding_prompts(quotes, turns)  # once for both questions
        for kind, cue, n_units in (("rationale", WHY_CUE, config.why_answer_units),
                                   ("decision", CHANGE_CUE, config.change_answer_units)):
            for row in answers_to(quotes, docs, turns, n_units, cue, prompts):
                found[row] = {**found[row], kind: sorted({*found[row][kind], cue})}
    flags = {schema.IS_DILEMMA: [int(bool(f["dilemma"])) for f in found],
             schema.IS_DECISION: [int(bool(f["decision"])) for f in found],
             schema.IS_RATIONALE: [int(bool(f["rationale"])) for f in found]}
    for column, values in flags.items():
        out[column] = pd.Series(values, index=out.index, dtype="int64")
    out[schema.PRINCIPLE] = principles
    out[schema.CUES] = ["; ".join(f"{k}:{c}" for k in KINDS for c in f[k]) for f in found]
    out[schema.RATIONALE_QUOTE_ID] = pair_rationales(out, config.rationale_window)
    logger.info("signals: %d dilemmas, %d decisions, %d rationales among %d quotes",
                sum(flags[schema.IS_DILEMMA]), sum(flags[schema.IS_DECISION]),
                sum(flags[schema.IS_RATIONALE]), len(out))
    return out


def _doc_matches(docs: list, positions: list[int], cache: CueCache | None,
                 original_texts: Sequence[str] | None) -> dict:
    """{position: `cues.doc_matches` of its Doc}, from the cache where it has them."""
    keys = ({p: cache.key(str(original_texts[p]), docs[p].text) for p in positions}
            if cache is not None and original_texts is not None else {})
    stored = cache.get_many(list(keys.values())) if keys else {}
    matches, new = {}, {}
    for position in positions:
        key = keys.get(position)
        if key in stored:
            matches[position] = stored[key]
            continue
        doc = docs[position]
        matches[position] = doc_matches(doc, (vocab_matchers_for(id(doc.vocab), doc.vocab),
                                              prefilter_for(id(doc.vocab), doc.vocab)))
        if key is not None:
            new[key] = matches[position]
    if new:
        cache.put_many(new)
    return matches


def answers_to(quotes: pd.DataFrame, docs: list, turns: pd.DataFrame, n_units: int, cue: str,
               prompts: list[int | None] | None = None) -> list[int]:
    """Row positions of the first `n_units` quote units answering each interviewer question that asks
    for what `cue` names: a reason (`WHY_CUE`) or what the team did about it (`CHANGE_CUE`).

    A question asks when one of its patterns (`WHY_PROMPT_PATTERNS`,
    `CHANGE_PROMPT_PATTERNS`) lies in the last sentence of the interviewer's
    turn and that sentence ends as a question ("?") or trails off for the
    participant to finish ("So the reason was..."). A turn that only
    mentions reasons ("the choices you made and why.") does not count.
    `prompts`: `preceding_prompts(quotes, turns)`, when the caller has it already.
    """
    if n_units <= 0:
        return []
    prompts = preceding_prompts(quotes, turns) if prompts is None else prompts
    asks: dict[int, bool] = {}
    answers: dict[int, list[tuple[int, int, int]]] = {}
    for row, (prompt, turn, start) in enumerate(zip(prompts, quotes[schema.TURN], quotes[schema.CHAR_START])):
        if prompt is None:
            continue
        if prompt not in asks:
            doc = docs[prompt]
            last = list(doc.sents)[-1] if len(doc) and doc.has_annotation("SENT_START") else doc[:]
            ending = last.text.rstrip()
            matcher = _prompt_matcher(id(doc.vocab), doc.vocab, cue)
            asks[prompt] = ending.endswith(("?", "...", "\u2026")) and bool(matcher(last))
        if asks[prompt]:
            answers.setdefault(prompt, []).append((int(turn), int(start), row))
    return sorted(row for units in answers.values() for _, _, row in sorted(units)[:n_units])


@lru_cache(maxsize=8)
def _prompt_matcher(vocab_id: int, vocab, cue: str):
    from spacy.matcher import Matcher

    matcher = Matcher(vocab)
    for name, pattern_list in {WHY_CUE: WHY_PROMPT_PATTERNS, CHANGE_CUE: CHANGE_PROMPT_PATTERNS}[cue].items():
        matcher.add(name, pattern_list)
    return matcher


def pair_rationales(quotes: pd.DataFrame, window: int, itself: bool = True) -> list[str]:
    """For each decision, the quote id of its stated reason: the nearest reason within `window` units.

    Itself first (unless `itself` is False: a table that shows the decision
    and its reason side by side wants another sentence), then outwards, the
    unit after before the unit before: a reason follows its decision ("...
    because ...", the answer to "Why?") or comes just before it ("We were
    losing a third of them. So we ...").
    """
    # Plain lists by row position rather than `DataFrame.at` per row: the same
    # walk, without pandas' per-lookup cost.
    is_decision = quotes[schema.IS_DECISION].tolist()
    is_rationale = quotes[schema.IS_RATIONALE].tolist()
    quote_ids = quotes[schema.QUOTE_ID].tolist()
    paired = [""] * len(quotes)
    for rows in quotes.groupby(schema.TRANSCRIPT_ID, sort=False).indices.values():
        rows = rows.tolist()  # row positions of one transcript, in table order
        for i, row in enumerate(rows):
            if not is_decision[row]:
                continue
            outwards = [j for d in range(1, window + 1) for j in (i + d, i - d) if 0 <= j < len(rows)]
            nearest_first = [i] + outwards if itself else outwards
            for candidate in (rows[j] for j in nearest_first):
                if is_rationale[candidate]:
                    paired[row] = quote_ids[candidate]
                    break
    return paired
