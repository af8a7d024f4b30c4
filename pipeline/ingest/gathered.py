"""Transcripts that look like several conversations gathered into one file.

One file is one conversation (a table's rows may name several, and notes
whose questions start again under each interview's heading are split by
`notes`). A project that keeps its interviews in one Word document per
site, each under an "Interview with ..." heading, with speaker labels, is
read as one conversation: the interviews' people become one conversation's
speakers, or, with ``Q:``/``A:`` labels, one answering speaker, and
everything they say is "common ground". The rule stays (where one interview
ends is not written in a way that can be trusted), but such a transcript is
warned about, on either of two signs:

- the interviewer asks the same question (its words, case-folded, without
  punctuation; `MIN_QUESTION_WORDS` words or more) `MIN_REPEATS` times or
  more, and the questions asked that often make up `MIN_REPEATED_SHARE` of
  the questions asked: an interview guide read out to each person in turn.
  A probe ("What do you think?") recurs in one conversation too, but among
  many other questions;
- `MIN_PARTICIPANTS` participants or more speak with an interviewer, one
  after another, each in one stretch (at most `MAX_STRETCHES_PER_PARTICIPANT`
  stretches of speech per participant): interviews in a row. In a focus
  group or a meeting, people speak again after others have spoken.

Measured on the corpora it must stay quiet on (`tests/ingest/test_gathered.py`
checks the first two) and on those it must not miss: the 20 conversations of
data/sample repeat no question and have one participant each; none of the 137
AMI meetings has an interviewer, and even with each speaker in turn taken for
one, no question of four words or more recurs more than 3 times ("what do you
think", at a share of 0.09 of that speaker's questions), and a participant
speaks in 17.75 stretches or more; a document of three "Interview with ..."
sections asks each question 3 times (share 1.0), world_after_covid gathered in
one document per field 26 to 31 times (share 1.0), with 26 to 31 participants
at 1.0 stretch each when they are named.
"""
from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from pipeline import schema

# A question asked this often by the interviewer of one conversation is read out again to someone else ...
MIN_REPEATS = 3
# ... if it has this many words: "Why is that?" is a probe, asked anywhere, any number of times ...
MIN_QUESTION_WORDS = 4
# ... and if the questions asked that often are this share of the questions of that many words: a guide read
# out to each person makes up most of them (1.0 in every gathered document measured), probes seldom do (seven
# recurring probes among nineteen questions are 0.37; AMI's most is 0.09).
MIN_REPEATED_SHARE = 1 / 2
# Interviews in a row: this many participants or more, each speaking in at most this many stretches on average.
MIN_PARTICIPANTS = 6
MAX_STRETCHES_PER_PARTICIPANT = 1.5

_QUESTION = re.compile(r"[^.?!]*\?")
_WORD = re.compile(r"\w+")


def gathered_signs(turns: pd.DataFrame) -> dict[str, list[str]]:
    """For each source file with a transcript that looks like several conversations, the signs, in counts only.

    Examples
    --------
    >>> ask = "What changed for your team?"
    >>> rows = [("i", ask), ("p", "We cut."), ("i", "Why?"), ("p", "Cost."), ("i", ask), ("p", "Nothing."),
    ...         ("i", ask), ("p", "A rota.")]
    >>> turns = pd.DataFrame({"transcript_id": "t", "source_file": "all.docx", "speaker": [s for s, _ in rows],
    ...                       "role": ["interviewer" if s == "i" else "participant" for s, _ in rows],
    ...                       "text": [t for _, t in rows]})
    >>> gathered_signs(turns)
    {'all.docx': ['the interviewer asks one question 3 times']}
    """
    signs: dict[str, list[str]] = {}
    for (source, _), conversation in turns.groupby([schema.SOURCE_FILE, schema.TRANSCRIPT_ID], sort=True):
        found = [sign for sign in (_repeated_question(conversation), _participants_in_a_row(conversation)) if sign]
        if found:
            signs.setdefault(str(source), []).extend(found)
    return signs


def _repeated_question(conversation: pd.DataFrame) -> str | None:
    asked: Counter[str] = Counter()
    for text in conversation.loc[conversation[schema.ROLE] == schema.ROLE_INTERVIEWER, schema.TEXT]:
        # A turn that asks one question twice asks it once.
        asked.update({words for words in (" ".join(_WORD.findall(question.casefold()))
                                          for question in _QUESTION.findall(str(text)))
                      if len(words.split()) >= MIN_QUESTION_WORDS})
    repeated = [n for n in asked.values() if n >= MIN_REPEATS]
    if not repeated or sum(repeated) < MIN_REPEATED_SHARE * sum(asked.values()):
        return None
    return f"the interviewer asks one question {max(repeated)} times"


def _participants_in_a_row(conversation: pd.DataFrame) -> str | None:
    roles = conversation[schema.ROLE]
    if not (roles == schema.ROLE_INTERVIEWER).any():
        return None
    speakers = conversation.loc[roles == schema.ROLE_PARTICIPANT, schema.SPEAKER].tolist()
    participants = len(set(speakers))
    stretches = sum(1 for i, speaker in enumerate(speakers) if i == 0 or speakers[i - 1] != speaker)
    if participants < MIN_PARTICIPANTS or stretches > MAX_STRETCHES_PER_PARTICIPANT * participants:
        return None
    return f"{participants} participants speak with an interviewer one after another"
