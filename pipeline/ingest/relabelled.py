"""A slot label renamed part-way: Otter's "Speaker 1" who becomes "Anna Berg" half-way through.

Otter (and Fireflies, and Teams' later edits) let a user name a speaker from
some point on, so one export may give the first half of a person's words to
``Speaker 1`` and the second half to her name. Read as written, one person is
two speakers: two pseudonyms, and in a one-to-one interview a second
participant. Which label is whose cannot be known from the text, so nothing
is merged; the file is warned about (by its position among the inputs, never
its name or text) when the signs are unambiguous (`relabelled_pairs`):

- a slot label (`speakers.is_generic`, scoped to its transcript) speaks
  `MIN_TURNS` turns or more and then never again;
- a named speaker, who speaks `MIN_TURNS` turns or more, first speaks after
  the slot's last turn, and never before it, within `MAX_GAP` turns or the
  slot's own longest silence, whichever is longer (in a meeting a person may
  be silent for twenty turns; in an interview a reply stands between);
- someone else speaks both before the slot's last turn and after the name's
  first: the conversation goes on around the change, it is not a new one;
- the slot and the name pair only with each other.

A person who leaves a meeting as another joins fits these signs too, which is
why this is a warning and not a merge.
"""
from __future__ import annotations

import pandas as pd

from pipeline import schema

from .speakers import SCOPE_MARK, UNNAMED

# Each of the two labels speaks this many turns or more (one turn is too little to tell anything).
MIN_TURNS = 2
# The name starts speaking within this many turns after the slot's last (the other side's reply between them),
# or within the slot's own longest silence.
MAX_GAP = 3


def relabelled_pairs(turns: pd.DataFrame) -> dict[str, int]:
    """For each source file, how many (slot, name) pairs look like one speaker relabelled part-way.

    Examples
    --------
    >>> speakers = ["Sam", "Speaker_1@ab12cd", "Sam", "Speaker_1@ab12cd", "Sam", "Anna Berg", "Sam", "Anna Berg"]
    >>> frame = pd.DataFrame({"source_file": "a.txt", "transcript_id": "a.txt", "speaker": speakers})
    >>> relabelled_pairs(frame)
    {'a.txt': 1}
    """
    found: dict[str, int] = {}
    if turns.empty:
        return found
    for (source, _), group in turns.groupby([schema.SOURCE_FILE, schema.TRANSCRIPT_ID], sort=True):
        speakers = list(group[schema.SPEAKER])
        first: dict[str, int] = {}
        silence: dict[str, int] = {}
        last: dict[str, int] = {}
        count: dict[str, int] = {}
        for index, speaker in enumerate(speakers):
            first.setdefault(speaker, index)
            silence[speaker] = max(silence.get(speaker, 0), index - last.get(speaker, index))
            last[speaker] = index
            count[speaker] = count.get(speaker, 0) + 1
        slots = [s for s in count if SCOPE_MARK in s and not s.startswith(UNNAMED) and count[s] >= MIN_TURNS]
        names = [s for s in count if SCOPE_MARK not in s and s and count[s] >= MIN_TURNS]
        pairs = {slot: [name for name in names if 0 < first[name] - last[slot] <= max(MAX_GAP, silence[slot])
                        and _goes_on(speakers, slot, name, last[slot], first[name])] for slot in slots}
        matched = [(slot, candidates[0]) for slot, candidates in pairs.items() if len(candidates) == 1]
        unique = [pair for pair in matched if sum(pair[1] in c for c in pairs.values()) == 1]
        if unique:
            found[source] = found.get(source, 0) + len(unique)
    return found


def _goes_on(speakers: list[str], slot: str, name: str, slot_last: int, name_first: int) -> bool:
    """Whether someone other than the two speaks before the slot's last turn and after the name's first."""
    others_before = set(speakers[:slot_last]) - {slot, name}
    others_after = set(speakers[name_first + 1:]) - {slot, name}
    return bool(others_before & others_after)
