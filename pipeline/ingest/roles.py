"""Who is the interviewer? Decided per transcript, from the strongest evidence there is.

In order: the manifest's ``interviewer`` column for the file; the configured
``ingest.interviewers``; the rows' own ``role`` column; the transcript's role
labels (Q:/A:, I:/R:, M:/R:, Interviewer/Respondent, "Sam Jones
(Interviewer)"; in the R:/P: convention R is the researcher; a lone letter
only where no other lone letter, such as AssemblyAI's "B", shows the letters
to be a transcription service's). Transcripts still undecided go to two
heuristics:

1. most-conversations: the consultant is the one person in (nearly) every
   conversation. A speaker who appears in more undecided transcripts than
   anyone else, in at least 2 and in more than half of them, is taken as the
   interviewer wherever they appear (among three speakers or more, only
   where they ask at `MIN_GROUP_QUESTION_RATE` or above: the chair of a
   series of meetings is in all of them too). A tie means no such person.
   Generic labels ("Speaker 1", "iPhone", see `speakers`) name no one
   across transcripts and are left out.
2. most-questions: otherwise, in a transcript with 2+ speakers, the speaker
   with the largest share of turns that ask, if there is exactly one. A turn
   counts once however many question marks it holds, and half when its
   question is mid-way rather than at its end: an interviewer hands the
   floor over with a question, while an interviewee who answers with
   rhetorical questions ("Honestly? Who knows? Did we get it right? Maybe.")
   asks on the way to their answer. The rate counts two extra turns without
   a question for everyone, so that a third person's single question
   ("Sorry, is this room booked?") does not outrank the interviewer's steady
   eight questions in ten turns. With three speakers or more, only at
   `MIN_GROUP_QUESTION_RATE` or above: below it the transcript is a meeting,
   where everyone is a participant.

Everyone else is a participant. Names are compared case-insensitively.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pipeline import schema

from .labels import INTERVIEWER_LABELS, PARTICIPANT_LABELS, role_tag
from .records import (
    METHOD_CONFIG,
    METHOD_LABELS,
    METHOD_MANIFEST,
    METHOD_MOST_CONVERSATIONS,
    METHOD_MOST_QUESTIONS,
    METHOD_NONE,
    METHOD_ROWS,
    METHODS_BY_STRENGTH,
    Transcript,
    Turn,
)
from .speakers import is_generic

logger = logging.getLogger(__name__)

_QUESTION = re.compile(r"[?？]")
# The turn ends asking: its last question mark has nothing after it but closing quotes or brackets.
_ENDS_ASKING = re.compile(r"[?？][\s\"'”’)\]]*$")
_NUMBER_SUFFIX = re.compile(r"\s*\d+$")
# Turns without a question added to every speaker's count: shrinks the rate of
# someone who spoke once towards zero. A property of the rule, not a setting.
PRIOR_TURNS = 2
_RESEARCHER_PAIR = ("r", frozenset({"p", "participant"}))
# The letters of the interview conventions: Q:/A:, I:/R:, M:/R:, R:/P:.
_ROLE_LETTERS = frozenset(label for label in INTERVIEWER_LABELS | PARTICIPANT_LABELS if len(label) == 1)
# Among three speakers or more, the question rate (as `_question_rates` counts it) from which the
# keenest asker is taken for an interviewer or moderator. In a meeting someone asks most too, but
# at a lower rate, and taking them for an interviewer drops their words from the quotes: on the
# 137 AMI meetings the keenest asker's rate is at most 0.28 (median 0.13), and they say 26% of a
# meeting's words (median), often the project manager, who states the decisions. The interviewers
# of the bundled sample ask at 0.41 to 0.79 (median 0.57), those of world_after_covid (written as
# interviews, questions and answers only) at 0.67 (median 0.71). Counting question marks instead,
# one AMI meeting (ES2016d, 0.36) reached the threshold, and of the 57 world_after_covid interviews
# 2 took the interviewee for the interviewer and 3 found no one (a tie). Measured with `make
# bench-roles` (benchmarks/results/roles.md).
MIN_GROUP_QUESTION_RATE = 0.35
# What a turn whose only question is mid-way counts; one that ends with a question counts 1. The
# interviewers' asking turns end with their question (91% in the sample, 100% in world_after_covid);
# the interviewees' mostly ask on the way to their answer (11 of 51 and 12 of 32 end with it). Half
# keeps an interviewer who adds a word after the question, without letting the rhetorical answer
# tie with the question (as a whole turn would). Any weight from 0.25 to 0.75 finds every interviewer
# measured above and keeps every AMI meeting below the threshold.
MID_TURN_QUESTION = 0.5


@dataclass(frozen=True)
class RoleDecision:
    """The interviewers of one transcript (case-folded names) and how they were found."""

    interviewers: frozenset[str]
    method: str

    def role_of(self, turn: Turn) -> str:
        """The turn's role; a row's own role wins when the decision came from rows."""
        if self.method == METHOD_ROWS and turn.row_role:
            return turn.row_role
        if turn.speaker and turn.speaker.casefold() in self.interviewers:
            return schema.ROLE_INTERVIEWER
        return schema.ROLE_PARTICIPANT


def decide_roles(transcripts: Sequence[Transcript], config_interviewers: Sequence[str],
                 manifest_interviewers: Mapping[str, Sequence[str]]) -> dict[str, RoleDecision]:
    """A `RoleDecision` per transcript id.

    `manifest_interviewers` maps a source file to the names its manifest row gives.

    Examples
    --------
    >>> from pipeline.ingest.records import Transcript, Turn
    >>> t = Transcript("a", "a.txt", [Turn(0, "Sam", "Why?", 0.0, "x"),
    ...                               Turn(1, "Ann", "Because.", 0.0, "x")])
    >>> decide_roles([t], [], {})["a"]
    RoleDecision(interviewers=frozenset({'sam'}), method='heuristic:most-questions')
    """
    configured = frozenset(name.casefold() for name in config_interviewers)
    decisions: dict[str, RoleDecision] = {}
    undecided: list[Transcript] = []
    for transcript in transcripts:
        named = frozenset(name.casefold() for name in
                          manifest_interviewers.get(transcript.source_file, ()))
        decision = (_by_names(transcript, named, METHOD_MANIFEST)
                    or _by_names(transcript, configured, METHOD_CONFIG)
                    or _by_rows(transcript)
                    or _by_labels(transcript))
        if named and (decision is None or decision.method != METHOD_MANIFEST):
            logger.warning("%s: the manifest names an interviewer, but no speaker matches",
                           transcript.source_file)
        if decision is None:
            undecided.append(transcript)
        else:
            decisions[transcript.transcript_id] = decision

    regular = _most_conversations(undecided)
    for transcript in undecided:
        speakers = _speakers(transcript)
        # The chair of a series of meetings is in every one of them too: among three speakers or
        # more, the regular is the interviewer only where they ask as one.
        if regular is not None and regular in speakers and len(speakers) >= 2 and (
                len(speakers) < 3 or _question_rates(transcript)[regular][0] >= MIN_GROUP_QUESTION_RATE):
            decision = RoleDecision(frozenset({regular}), METHOD_MOST_CONVERSATIONS)
        else:
            decision = _most_questions(transcript)
        decisions[transcript.transcript_id] = decision
    return decisions


def file_method(methods: Sequence[str]) -> str:
    """A file's method: the weakest of its transcripts', so a reviewer sees any guess."""
    if not methods:
        return METHOD_NONE
    return max(methods, key=METHODS_BY_STRENGTH.index)


def _speakers(transcript: Transcript) -> set[str]:
    return {turn.speaker.casefold() for turn in transcript.turns if turn.speaker}


def _by_names(transcript: Transcript, names: frozenset[str], method: str) -> RoleDecision | None:
    found = _speakers(transcript) & names
    return RoleDecision(frozenset(found), method) if found else None


def _by_rows(transcript: Transcript) -> RoleDecision | None:
    if not any(turn.row_role for turn in transcript.turns):
        return None
    interviewers = frozenset(turn.speaker.casefold() for turn in transcript.turns
                             if turn.row_role == schema.ROLE_INTERVIEWER and turn.speaker)
    return RoleDecision(interviewers, METHOD_ROWS)


def _by_labels(transcript: Transcript) -> RoleDecision | None:
    speakers = _speakers(transcript)
    if any(len(_role_word(s)) == 1 and _role_word(s) not in _ROLE_LETTERS for s in speakers):
        # A letter of no convention ("B", "C2") beside them: the letters are a transcription service's
        # slots, and AssemblyAI's ninth speaker "I" or thirteenth "M" is no interviewer.
        speakers = {s for s in speakers if len(_role_word(s)) > 1}
    found = {s for s in speakers if _role_word(s) in INTERVIEWER_LABELS
             or role_tag(s) in INTERVIEWER_LABELS}
    if not found:
        # R:/P: is researcher and participant; in I:/R: and M:/R: R is the respondent.
        researcher, partners = _RESEARCHER_PAIR
        if any(_role_word(s) in partners for s in speakers):
            found = {s for s in speakers if _role_word(s) == researcher}
    return RoleDecision(frozenset(found), METHOD_LABELS) if found else None


def _role_word(speaker: str) -> str:
    """Drop a trailing number, so "interviewer 2" keeps the role of "interviewer"."""
    return _NUMBER_SUFFIX.sub("", speaker)


def _most_conversations(transcripts: Sequence[Transcript]) -> str | None:
    counts = Counter(speaker for t in transcripts for speaker in _speakers(t)
                     if not is_generic(speaker))
    if not counts:
        return None
    ranked = counts.most_common(2)
    best, n_best = ranked[0]
    if len(ranked) > 1 and ranked[1][1] == n_best:
        return None
    if n_best >= 2 and n_best * 2 > len(transcripts):
        return best
    return None


def asks(text: str) -> float:
    """How much a turn counts as asking: 1 if it ends with a question, `MID_TURN_QUESTION` if it asks mid-way.

    Examples
    --------
    >>> asks("And then what happened?"), asks("Honestly? Who knows? Did we get it right? Maybe."), asks("Yes.")
    (1.0, 0.5, 0.0)
    """
    if ends_asking(text):
        return 1.0
    return MID_TURN_QUESTION if _QUESTION.search(text) else 0.0


def ends_asking(text: str) -> bool:
    """Whether `text` ends with a question: an interviewer hands the floor over that way.

    >>> ends_asking("Why did it change?"), ends_asking("Why? We never knew.")
    (True, False)
    """
    return bool(_ENDS_ASKING.search(text))


def _question_rates(transcript: Transcript) -> dict[str, tuple[float, float]]:
    """Each speaker's (asking turns per turn, counting `PRIOR_TURNS` more turns; asking turns), as `asks` counts.

    Examples
    --------
    >>> from pipeline.ingest.records import Transcript, Turn
    >>> t = Transcript("a", "a.txt", [Turn(0, "Sam", "Why? And how?", 0.0, "x"),
    ...                               Turn(1, "Ann", "Why not? We did.", 0.0, "x")])
    >>> _question_rates(t)
    {'sam': (0.3333333333333333, 1.0), 'ann': (0.16666666666666666, 0.5)}
    """
    asked: Counter[str] = Counter()
    turns: Counter[str] = Counter()
    for turn in transcript.turns:
        if turn.speaker:
            speaker = turn.speaker.casefold()
            turns[speaker] += 1
            asked[speaker] += asks(turn.text)
    return {s: (asked[s] / (turns[s] + PRIOR_TURNS), asked[s]) for s in turns}


def _most_questions(transcript: Transcript) -> RoleDecision:
    rates = _question_rates(transcript)
    if len(rates) < 2:
        return RoleDecision(frozenset(), METHOD_NONE)
    # Asking turns per (turn + prior), then asking turns to break a tie in the rate.
    scores = sorted((rate, s) for s, rate in rates.items())
    (best_score, best), (runner_up, _) = scores[-1], scores[-2]
    if best_score[1] == 0 or best_score == runner_up:
        return RoleDecision(frozenset(), METHOD_NONE)
    if len(rates) >= 3 and best_score[0] < MIN_GROUP_QUESTION_RATE:
        return RoleDecision(frozenset(), METHOD_NONE)  # a meeting: no one there to interview the others
    return RoleDecision(frozenset({best}), METHOD_MOST_QUESTIONS)
