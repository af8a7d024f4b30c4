"""Which candidate labels in one file name speakers: decided over the whole file, not line by line.

A single line cannot tell ``iPhone: hello`` (Zoom's label for a participant
on a phone) from ``so: ...``, nor ``Housing First: it works`` (prose that
quotes a policy) from ``Anna Smith: it works``. The file as a whole can,
because a speaker speaks many times and prose rarely repeats its opening
words before a colon. So the parsers first collect every candidate label with
the form it was found in, and this module decides:

1. A known name (roster, configured or manifest interviewer) is a speaker.
2. A strict label (`labels.is_speaker_label`) is a speaker, except a *one-off*:
   seen once, only as a bare ``Label: words`` line, in a file where at least two
   other labels recur, unless it carries a role in brackets ("Tove (Facilitator)").
   In a one-to-one conversation the two people speak many
   times each; a capitalised phrase before a colon seen once among them is
   far more often prose ("Housing First: it works") than a third person.
3. A loose label (`labels.is_loose_label`: lower-case names, device and
   dial-in names) is a speaker if it recurs, or if it was found in a form that
   only a speaker label takes: Zoom's ``[Name] 10:02:33`` caption header, a
   ``<v Name>`` voice tag, a ``(Name)`` line alone in a subtitle cue.

Labels are compared case-insensitively.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .labels import is_loose_label, is_speaker_label, role_tag

# How a label was found, from weakest to strongest evidence.
FORM_COLON = "colon"  # "Name: words" and nothing else on the line says it is a speaker
FORM_STAMPED = "stamped"  # a timestamp before or after the label, or a timed header line
FORM_MARKED = "marked"  # a form only speaker labels take: [Name] 10:02:33, <v Name>, (Name)

# A label must be seen this often before it is believed on recurrence alone.
MIN_RECURRENCE = 2


@dataclass(frozen=True)
class Candidate:
    """A label found at the start of a line or cue, and the form it was found in."""

    label: str
    form: str


def accepted_labels(candidates: Iterable[Candidate],
                    known: frozenset[str] = frozenset()) -> frozenset[str]:
    """Case-folded labels that name speakers in this file.

    Examples
    --------
    >>> found = [Candidate("Sam", "colon"), Candidate("iPhone", "colon"),
    ...          Candidate("Sam", "colon"), Candidate("iPhone", "colon"),
    ...          Candidate("Housing First", "colon")]
    >>> sorted(accepted_labels(found))
    ['iphone', 'sam']
    """
    counts: Counter[str] = Counter()
    forms: dict[str, set[str]] = defaultdict(set)
    spelling: dict[str, str] = {}
    for candidate in candidates:
        key = candidate.label.casefold()
        counts[key] += 1
        forms[key].add(candidate.form)
        spelling.setdefault(key, candidate.label)
    recurring = {key for key, n in counts.items() if n >= MIN_RECURRENCE
                 and (key in known or is_speaker_label(spelling[key])
                      or is_loose_label(spelling[key]))}

    accepted = set()
    for key, n in counts.items():
        label = spelling[key]
        if key in known:
            accepted.add(key)
        elif is_speaker_label(label):
            # A role in brackets ("Tove (Facilitator)") says a speaker, even one who speaks once: a focus
            # group's moderator may ask one question and let the group talk.
            one_off = n == 1 and forms[key] == {FORM_COLON} and role_tag(label) is None
            if not (one_off and len(recurring - {key}) >= 2):
                accepted.add(key)
        elif is_loose_label(label) and (n >= MIN_RECURRENCE or FORM_MARKED in forms[key]):
            accepted.add(key)
    return frozenset(accepted)


def canonical_spellings(labels: Iterable[str], accepted: frozenset[str]) -> dict[str, str]:
    """One spelling per accepted label: the first properly capitalised one, else the first seen.

    Examples
    --------
    >>> canonical_spellings(["anna", "Anna", "ANNA"], frozenset({"anna"}))
    {'anna': 'Anna'}
    """
    spelling: dict[str, str] = {}
    for label in labels:
        key = label.casefold()
        if key not in accepted:
            continue
        if key not in spelling or (not is_speaker_label(spelling[key]) and is_speaker_label(label)):
            spelling[key] = label
    return spelling
