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

   Speech-to-text output often has no punctuation at all (IBM Watson, some
   Otter and AWS exports, lower-case ASR text), so no turn ends with "?". In
   a transcript without question marks (or with a stray one in text that has
   almost no sentence marks, `_without_question_marks`), a turn asks when its
   words do (`opens_asking`): its opening, after the acknowledgements an
   interviewer starts with, or a clause among its last words opens like a
   question (a wh-word asking, "did you", "is there", "tell me", "talk me
   through", "what would it be" after a preamble). Wherever a transcript has
   question marks, they alone decide, as above.

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

# Speech-to-text output often has no punctuation (IBM Watson, some Otter and AWS exports, lower-case ASR
# text): no turn ends with "?". In a transcript without question marks, or with a stray one in under 1
# turn of `STRAY_QUESTION_TURNS` where under 1 turn in 10 holds any other sentence mark, a turn asks
# when its words open like a question (`opens_asking`), and counts 1: a question that only words show
# mid-way is too often an answer's "what we did" to count. A property of the rule, not a setting.
# Measured on the sets of `make bench-roles` stripped of punctuation and lower-cased (see
# benchmarks/results/roles.md for the punctuated sets): each world_after_covid interview run on its own
# finds its interviewer in 57 of 57 (0 before; rate min 0.67), each sample conversation in 20 of 20 (0
# before; rate min 0.24, median 0.43), and no AMI meeting is given an interviewer (keenest asker 0.29 at
# most, median 0.09, below `MIN_GROUP_QUESTION_RATE`).
STRAY_QUESTION_TURNS = 100
_SENTENCE_MARK = re.compile(r"[.!?？,;:]")
# Words and the marks that end a clause, with "what's" read as "what is".
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?|[.!?？,;:…—–]")
_CLAUSE_MARKS = frozenset(".!?？,;:…—–")
_WH = frozenset("what why how when where which who whom whose".split())
_AUX = frozenset("""do does did can could would will shall should is are was were have has had am may might
    must don't doesn't didn't can't couldn't wouldn't won't shouldn't isn't aren't wasn't weren't haven't
    hasn't""".split())
# Who an inverted auxiliary asks about ("did you", "is there", "do people"); not "i": "so do i" answers.
_SUBJECTS = frozenset("""you we they it there he she this that these those people your anyone anybody
    everyone everybody someone somebody things""".split())
# After a wh-word, a question rather than a clause ("what we did was ..."): "what happened", "what kind".
_WH_NEXT = frozenset("""happened happens changed changes made makes helped worked works matters else about
    if kind kinds sort sorts type types part exactly specifically come so not""".split())
# Words that open or close a clause in speech, so that a question may start after them: the
# acknowledgements an interviewer hands over with ("okay great thanks and what ...") and conjunctions.
_OPENERS = frozenset("""and so but or then now okay ok right alright yeah yes yep well um uh er erm ah oh mm
    hmm mhm great good cool lovely brilliant perfect fine thanks thank interesting fascinating helpful
    useful sense see also just actually really hi hello hey wow sure sorry absolutely exactly course
    problem clear nice fair true awful""".split())
# An inverted auxiliary that asks wherever it stands among the last words: "... beyond the paper was
# there anything else", "... in practice do you think it works". Not after its own subject or a clause
# word ("we did you know", "the one which is there").
_ASKING_AUX = frozenset("do does did can could would will have has are were don't didn't".split())
_THERE_ASKS = frozenset("any anything anyone anybody a an some something someone ever still more much many".split())
_NOT_BEFORE_INVERSION = frozenset("i we they you he she it that which who what how as than so nor neither".split())
# Requests that ask without a question ("tell me about", "talk me through", "can i ask").
_REQUESTS = (("tell", "me"), ("tell", "us"), ("talk", "me"), ("walk", "me"), ("take", "me"), ("give", "me"),
             ("describe",), ("explain",), ("say", "more"), ("remind", "me"), ("help", "me", "understand"),
             ("i", "wonder"), ("i", "was", "wondering"), ("i'm", "curious"), ("i'd", "love", "to"),
             ("i'd", "like", "to", "know"), ("i'd", "like", "to", "hear"), ("i'd", "like", "to", "ask"),
             ("can", "i", "ask"), ("could", "i", "ask"), ("may", "i", "ask"), ("let", "me", "ask"),
             ("my", "question", "is"), ("next", "question"))
# The last words of a turn, where an interviewer without punctuation hands the floor over with a question
# ("... in response to the pandemic what would it be"): 20 words holds the question of a long preamble.
LAST_CLAUSE_WORDS = 20


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


def opens_asking(text: str) -> bool:
    """Whether a turn asks by its words alone: its opening, or a clause among its last words, opens like a question.

    For transcripts without question marks (`_without_question_marks`). The opening is read after the
    acknowledgements an interviewer starts with ("okay great so"); a later clause after such a word or a
    mark, and a wh-question with its inversion ("what would it be") anywhere in the `LAST_CLAUSE_WORDS`.
    A clause that opens with a wh-word and its subject ("what we did was") answers.

    Examples
    --------
    >>> opens_asking("okay great and how did your team cope"), opens_asking("tell me about the rota")
    (True, True)
    >>> opens_asking("thanks that is helpful so did you keep the visits going")
    True
    >>> opens_asking("what we did was stop the visits"), opens_asking("we stopped the visits")
    (False, False)
    """
    words: list[str] = []
    clause_start: list[bool] = []  # the word follows a mark (".", ",", a dash) or opens the turn
    after_mark = True
    for token in _TOKEN.findall(text.casefold().replace("\u2019", "'")):
        if token in _CLAUSE_MARKS:
            after_mark = True
            continue
        wh, _, verb = token.partition("'")
        parts = [wh, "is"] if wh in _WH and verb == "s" else [token]  # "what's" is "what is"
        words.extend(parts)
        clause_start.extend([after_mark] + [False] * (len(parts) - 1))
        after_mark = False
    opening = 0
    while opening < len(words) and _is_opener(words, opening) and not _question_at(words, opening):
        opening += 1
    if opening < len(words) and _question_at(words, opening):
        return True
    for i in range(max(1, len(words) - LAST_CLAUSE_WORDS), len(words)):
        after_opener = clause_start[i] or _is_opener(words, i - 1)
        if (after_opener and _question_at(words, i)) or _wh_inversion(words, i) or _inversion(words, i):
            return True
    return False


def _is_opener(words: list[str], i: int) -> bool:
    """An acknowledgement or conjunction a question may follow; "you" of "thank you" too."""
    return words[i] in _OPENERS or (words[i] == "you" and i > 0 and words[i - 1] == "thank")


def _question_at(words: list[str], i: int) -> bool:
    """Whether a question opens at word `i`: a wh-word asking, an inverted auxiliary, or a request."""
    word, rest = words[i], words[i + 1:]
    if any(tuple(words[i:i + len(request)]) == request for request in _REQUESTS):
        return True
    if word in _WH:
        # "what happened" asks; "what happened was" tells.
        return (not rest or rest[0] in _AUX or _wh_inversion(words, i)
                or (rest[0] in _WH_NEXT and rest[1:2] not in (["was"], ["is"])))
    # "did you", "is there"; not "so did we" at the end of an answer, nor the filler "do you know".
    return (word in _AUX and len(rest) >= 2 and rest[0] in _SUBJECTS
            and (rest[0], rest[1]) != ("you", "know"))


def _inversion(words: list[str], i: int) -> bool:
    """An auxiliary that asks, not after a subject: "did you" with a verb after it, "was there anything"."""
    if i == 0 or (words[i - 1] in _NOT_BEFORE_INVERSION and not _is_opener(words, i - 1)) or i + 2 >= len(words):
        return False
    word, subject, then = words[i], words[i + 1], words[i + 2]
    if word in _ASKING_AUX and subject == "you":
        return then not in ("know", "mean")
    return word in ("is", "was", "are", "were") and subject == "there" and then in _THERE_ASKS


def _wh_inversion(words: list[str], i: int) -> bool:
    """A wh-word, up to three words not its subject, then an auxiliary before its subject: "what would it be",
    "what kind of wisdom will people need". "what we did" and "which is why" are clauses."""
    if words[i] not in _WH:
        return False
    for j in range(i + 1, min(i + 5, len(words) - 1)):
        if words[j] in _SUBJECTS or words[j] == "i":
            return False
        if words[j] in ("do", "does", "did") and j == i + 1:
            return True  # "what does the middle look like", "how did the team take it"
        if words[i] in ("which", "who") and j == i + 1 and words[j] in ("is", "are", "was", "were"):
            return False  # a relative clause: "the one which is there", "people who are there"
        if words[j] in _AUX:
            return words[j + 1] in _SUBJECTS and words[j + 1:j + 3] != ["you", "know"]
    return False


def _without_question_marks(texts: Sequence[str]) -> bool:
    """Whether a transcript's question marks say nothing: there are none, or a stray one where almost no
    turn holds any sentence mark (unpunctuated speech-to-text).

    >>> _without_question_marks(["so why did you", "we had to"]), _without_question_marks(["Why?", "We had to."])
    (True, False)
    """
    marked = sum(bool(_QUESTION.search(text)) for text in texts)
    if not marked:
        return True
    punctuated = sum(bool(_SENTENCE_MARK.search(text)) for text in texts)
    return marked * STRAY_QUESTION_TURNS < len(texts) and punctuated * 10 < len(texts)


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
    spoken = [turn for turn in transcript.turns if turn.speaker]
    unpunctuated = _without_question_marks([turn.text for turn in spoken])
    for turn in spoken:
        speaker = turn.speaker.casefold()
        turns[speaker] += 1
        asked[speaker] += max(asks(turn.text), float(opens_asking(turn.text))) if unpunctuated else asks(turn.text)
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
