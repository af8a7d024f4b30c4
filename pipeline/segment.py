"""Cut participant turns into quote units: a sentence, or a few joined.

Spoken sentences are short ("Yeah. No, exactly.") or endless run-ons, so a
unit joins sentences until it has `min_words` words (at most
`max_sentences`), splits a run-on at punctuation past `max_words`, and drops
what is left below `drop_below_words` (back-channel such as "Yeah, right.").
A conversation whose participant said one turn only (a request, a comment,
a ticket: "Retrieve my recent transactions") keeps it however short, when
it holds `REQUEST_MIN_WORDS` words that are no filler: it is all that
conversation says. Interviewer turns are context, never quotes.

Segment reads only the anonymised turns and their parse (`AnonymisedTurns.docs`):
each unit keeps its offsets in the turn's anonymised text, its quote text is
that slice. A placeholder counts as the words it replaced. The themes
stage reads the units' key phrases from the same parse (`themes/phrases.py`).
"""
from __future__ import annotations

import bisect
import logging

import pandas as pd

from . import schema
from .anonymise import neutralise_placeholders, stable_short_hash
from .anonymise.docs import SOURCE_WORDS
from .config import SegmentConfig

logger = logging.getLogger(__name__)

# A lone participant turn keeps this many words or more that are no filler ("Card declined twice"),
# not "No, thanks." (two fillers).
REQUEST_MIN_WORDS = 2

# Spoken fillers that are never a key phrase, whatever spaCy's stop list says (themes/phrases.py).
FILLERS = frozenset("""
yeah yes yep no nope um uh er erm mm hmm ah oh okay ok right like sort kind thing things stuff
bit lot lots way gonna wanna actually basically literally really just obviously
guess mean know think say said tell thank thanks sorry honestly probably maybe pretty
""".split())


def segment(turns: pd.DataFrame, docs: list, config: SegmentConfig) -> pd.DataFrame:
    """Quote units of every participant turn, in transcript and turn order.

    Parameters
    ----------
    turns : anonymised turns, positionally aligned with `docs`.
    docs : the parses of the anonymised turns (`AnonymisedTurns.docs`).
    config : the [segment] settings.

    Returns
    -------
    DataFrame with quote_id, transcript_id, turn, speaker, team, text,
    char_start, char_end, embed_text, doc_position; `attrs["doc_index"]` is not
    used: each row's `_doc` column holds the position of its turn in `docs`.
    """
    schema.require_columns(turns, schema.TURN_COLUMNS, "segment")
    participant = turns[schema.ROLE] == schema.ROLE_PARTICIPANT
    turns_said = turns.loc[participant, schema.TRANSCRIPT_ID].value_counts()
    rows = []
    for position, turn in enumerate(turns.itertuples(index=False)):
        if getattr(turn, schema.ROLE) != schema.ROLE_PARTICIPANT:
            continue
        doc = docs[position]
        transcript_id = getattr(turn, schema.TRANSCRIPT_ID)
        turn_index = int(getattr(turn, schema.TURN))
        alone = turns_said[transcript_id] == 1 and _content_words(doc) >= REQUEST_MIN_WORDS
        for unit_index, (start, end) in enumerate(unit_spans(doc, config, keep_short=alone)):
            text = " ".join(doc.text[start:end].split())
            rows.append({
                schema.QUOTE_ID: f"{stable_short_hash(transcript_id)}-{turn_index}-{unit_index}",
                schema.TRANSCRIPT_ID: transcript_id,
                schema.TURN: turn_index,
                schema.SPEAKER: getattr(turn, schema.SPEAKER),
                schema.TEAM: getattr(turn, schema.TEAM),
                schema.TEXT: text,
                schema.CHAR_START: start,
                schema.CHAR_END: end,
                schema.EMBED_TEXT: neutralise_placeholders(text),
                schema.DOC_POSITION: position,
            })
    columns = [schema.QUOTE_ID, schema.TRANSCRIPT_ID, schema.TURN, schema.SPEAKER, schema.TEAM,
               schema.TEXT, schema.CHAR_START, schema.CHAR_END, schema.EMBED_TEXT, schema.DOC_POSITION]
    quotes = pd.DataFrame(rows, columns=columns)
    logger.info("segmented %d participant turns into %d quote units",
                int((turns[schema.ROLE] == schema.ROLE_PARTICIPANT).sum()), len(quotes))
    return quotes


def unit_spans(doc, config: SegmentConfig, keep_short: bool = False) -> list[tuple[int, int]]:
    """Character ranges of the quote units of one parsed turn; `keep_short`: none is dropped for its length."""
    pieces: list[tuple[int, int, int]] = []  # start, end, words
    for sent in doc.sents:
        pieces.extend(_split_long(sent, config.max_words))
    units: list[list[int]] = []
    current: list[int] | None = None
    for start, end, words in pieces:
        if current is None:
            current = [start, end, words, 1]
        elif current[2] < config.min_words and current[3] < config.max_sentences \
                and current[2] + words <= config.max_words:
            current[1], current[2], current[3] = end, current[2] + words, current[3] + 1
        else:
            units.append(current)
            current = [start, end, words, 1]
    if current is not None:
        # A short tail joins the unit before it rather than being lost.
        if units and current[2] < config.drop_below_words and units[-1][2] + current[2] <= config.max_words:
            units[-1][1], units[-1][2] = current[1], units[-1][2] + current[2]
        else:
            units.append(current)
    return [(u[0], u[1]) for u in units if keep_short or u[2] >= config.drop_below_words]


def _content_words(doc) -> int:
    """Words of a parsed turn that are no filler, punctuation or placeholder part ("No, thanks." has none)."""
    return sum(t.is_alpha and t.lower_ not in FILLERS for t in doc)


def _split_long(span, max_words: int) -> list[tuple[int, int, int]]:
    """Split a run-on sentence at the last comma or conjunction before `max_words`."""
    tokens = [t for t in span if not t.is_space]
    if not tokens:
        return []
    replaced = span.doc.user_data.get(SOURCE_WORDS, {})

    def words(chunk) -> int:
        """Words, punctuation aside; a placeholder counts as the words it replaced."""
        return sum(replaced.get(t.i, 1) for t in chunk if not t.is_punct)

    out, begin = [], 0
    if words(tokens) <= max_words:
        return [(tokens[0].idx, tokens[-1].idx + len(tokens[-1]), words(tokens))]
    count, cut = 0, None
    for i, token in enumerate(tokens):
        count += words([token])
        if token.text in {",", ";", "-", "—"} or token.lower_ in {"and", "but", "so", "because"}:
            cut = i
        if count >= max_words:
            split_at = cut if cut is not None and cut > begin else i
            chunk = tokens[begin:split_at + 1]
            out.append((chunk[0].idx, chunk[-1].idx + len(chunk[-1]), words(chunk)))
            begin, count, cut = split_at + 1, words(tokens[split_at + 1:i + 1]), None
    if begin < len(tokens):
        chunk = tokens[begin:]
        out.append((chunk[0].idx, chunk[-1].idx + len(chunk[-1]), words(chunk)))
    return out


def preceding_prompts(quotes: pd.DataFrame, turns: pd.DataFrame) -> list[int | None]:
    """For each quote, the row position in `turns` of the last interviewer turn before it, or None.

    A quote's prompt: the question it answers. Signals read it for reasons
    (answers to "why"), the themes stage for answer blocks and for themes that
    echo the interviewer.
    """
    prompts: dict[str, list[tuple[int, int]]] = {}
    # The three columns read as lists: a row tuple of every column, or a Series read item by item, is
    # 5-10 times slower, and this runs for each stage that reads the prompts.
    columns = zip(turns[schema.ROLE].tolist(), turns[schema.TURN].tolist(), turns[schema.TRANSCRIPT_ID].tolist())
    for position, (role, turn, transcript) in enumerate(columns):
        if role == schema.ROLE_INTERVIEWER:
            prompts.setdefault(transcript, []).append((int(turn), position))
    for listed in prompts.values():
        listed.sort()
    turn_numbers = {transcript: [t for t, _ in listed] for transcript, listed in prompts.items()}
    found = []
    for transcript, turn in zip(quotes[schema.TRANSCRIPT_ID].tolist(), quotes[schema.TURN].tolist()):
        before = bisect.bisect_left(turn_numbers.get(transcript, []), int(turn))  # prompts with turn < this one
        found.append(prompts[transcript][before - 1][1] if before else None)
    return found
