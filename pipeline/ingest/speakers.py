"""Which speaker labels name a person, and which only a place in one conversation.

"Q", "A", "Interviewer", "Respondent", "Speaker 2", "Unknown Speaker",
"iPhone" or a dial-in number label a speaker in one transcript; the "A" of
one transcript is not the "A" of the next. So do the letters and numbers of
transcription services: AssemblyAI's "A", "B", "C", Rev.ai's speakers 0 and
1, "S1" or "C2"; any single letter, with or without a number after it, and
any bare number. Left as they are, the later stages would take every "B" in
the run for one person (one pseudonym, one speaker counted for every team),
and the most-conversations heuristic would take "Speaker 1", present in every
Otter export, or "B", the interviewee of every AssemblyAI export where the
consultant speaks first, for the consultant. Two letters are a name ("Al",
"Jo", "Ed"), not a slot.

So a generic label is kept out of the cross-transcript heuristic (`roles`)
and, in the turns table, scoped to its transcript: ``A@3f9c2a`` (the label,
then a short hash of the transcript id). The form has no spaces or hyphens,
so a name-matching anonymiser never finds it, or a piece of it ("A",
"Speaker"), in anyone's words.
"""
from __future__ import annotations

import hashlib
import re

from .labels import INTERVIEWER_LABELS, PARTICIPANT_LABELS, normalise_name, without_descriptor

SCOPE_MARK = "@"
UNNAMED = "unnamed"

_ROLE_WORDS = "|".join(sorted(INTERVIEWER_LABELS | PARTICIPANT_LABELS, key=len, reverse=True))
_GENERIC = re.compile(
    rf"^(?:(?:{_ROLE_WORDS})\s*\d*"
    r"|speaker(?:[\s_]*\w{1,3})?|spk\s*_?\d+|(?:unknown|unidentified|unnamed|other)(?:\s+speaker)?(?:\s*\d+)?"
    r"|guest\s*\d*|user\s*\d*|call-in\s+user(?:[\s_]*\d+)?|dial-in(?:\s+user)?(?:[\s_]*\d+)?"
    r"|(?:i?phone|ipad|android|galaxy|samsung|pixel|huawei|xiaomi|oneplus|macbook|laptop"
    r"|desktop|pc|tablet)(?:[\s_-]+[\w+]{1,6}){0,2}(?:\s*\(\d+\))?"
    r"|(?:zoom|teams|conference|meeting)\s+room(?:[\s_-]*\w{1,6})?"
    r"|(?P<phone>\+?[\d ()*.-]{6,})"
    # A transcription service's slot: a letter, maybe numbered ("B", "C2", "S1"), or a number ("0", "1").
    # After the phone number, so that a long one still matches as a phone and leaves no digit in its label.
    r"|[^\W\d_]\d*|\d+)$",
    re.IGNORECASE)
DIAL_IN = "dial_in"  # a phone number is personal data; its scoped label does not keep it


def is_generic(name: str) -> bool:
    """Whether a speaker label names a slot in one conversation rather than a person.

    Examples
    --------
    >>> [is_generic(n) for n in ("Q", "Speaker 2", "iPhone", "Interviewer 1", "Anna Smith")]
    [True, True, True, True, False]
    >>> [is_generic(n) for n in ("B", "C2", "0", "Speaker 0", "Al", "Jo")]
    [True, True, True, True, False, False]
    """
    name = normalise_name(name)
    return not name or bool(_GENERIC.match(name) or _GENERIC.match(without_descriptor(name)))


def scoped(name: str, transcript_id: str) -> str:
    """`name` itself, or, for a generic label, the label tied to its transcript.

    Examples
    --------
    >>> scoped("Anna Smith", "a.txt"), scoped("Speaker 2", "a.txt")
    ('Anna Smith', 'Speaker_2@cfc7b4')
    """
    match = _GENERIC.match(normalise_name(name))
    if match is None and normalise_name(name):
        # A focus group's "Participant 3 (F, 40s)": the slot, described; the slot is what is scoped,
        # so the Participant 3 of one group is not the Participant 3 of the next.
        core = without_descriptor(normalise_name(name))
        match = _GENERIC.match(core)
        if match is None:
            return name
        name = core
    if match is not None and match.group("phone"):
        label = DIAL_IN
    else:
        label = "_".join(re.split(r"[\s-]+", normalise_name(name))) or UNNAMED
    digest = hashlib.sha1(transcript_id.encode("utf-8")).hexdigest()[:6]
    return f"{label}{SCOPE_MARK}{digest}"
