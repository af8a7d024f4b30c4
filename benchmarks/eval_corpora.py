"""The public evaluation corpora as transcript folders, in the layouts a user would bring.

Each builder reads a small, deterministic subset of one data set in
../shared/eval (read in place at run time, never copied into the repository)
and returns a `Corpus`: conversations of turns, each with its speaker, role
and team, and the planted data that must not survive a run (speaker names,
names planted in the text, gold personal data). Each writer puts a corpus into
a folder in one of the input layouts the README lists and returns the transcript
id the pipeline should give each conversation.

Speakers come in three styles, because each failed differently in practice:
role names ("Project Manager", as QMSum gives AMI), made-up person names
(drawn deterministically from fixed lists of first names and surnames that
are not English words, so that each part can be searched for on its own) and
slot labels ("P1".."P17", each participant also being its own team, as in
usability sessions).

Used by `bench_anonymise.py` (the "publishes" table).
"""
from __future__ import annotations

import csv
import json
import logging
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

logger = logging.getLogger(__name__)

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"

INTERVIEWER = "interviewer"
PARTICIPANT = "participant"

# Made-up names for speakers. No part is an English word or a common place name,
# so every part can be searched for on its own in the outputs.
FIRST_NAMES = """Priya Tomasz Siobhan Kwabena Ingrid Farid Mireille Dmitri Yusuf Aoife Ravindra Henrike
Lucian Bogdan Oluwaseun Thandiwe Ewa Keisuke Ngozi Svetlana Anneliese Caoimhe Rhiannon Declan Fatima
Anders Marisol Tariq Lindiwe Radhika Callum Niamh Jurgen Esperanza Imogen Hamish Chiamaka Zofia
Bartosz Leilani""".split()
SURNAMES = """Okafor Kowalczyk Lindqvist Mensah Brannigan Haddad Fontaine Petrov Demir Gallagher
Raghunathan Vogt Marinescu Adeyemi Nkosi Nowak Tanaka Volkova Hartmann Achterberg Quigley Szymanski
Oyelaran Castellano Mwangi Rautio Belmonte Krishnan Sandoval Ferreira Abernethy Dubois Kaczmarek
Oduya Lindgren Varga Iwasaki Ostrowski Delacroix MacAulay""".split()

# Titles and role words that are part of a speaker label but name no one on their own.
TITLE_WORDS = frozenset("mr mrs ms miss dr prof general chief justice judge".split())


@dataclass
class Turn:
    """One speaker's stretch of talk."""

    speaker: str
    text: str
    role: str = ""  # INTERVIEWER, PARTICIPANT or "" (left to the pipeline to decide)
    start: float | None = None  # seconds from the start; made up from word counts when None


@dataclass
class Conversation:
    """One transcript: its file stem, its team and its turns in order."""

    name: str
    team: str
    turns: list[Turn]


@dataclass
class Corpus:
    """Conversations plus what must not survive anywhere in a run's outputs.

    Attributes
    ----------
    planted : datum -> kind of datum ("speaker name", "planted name", "email
        address", ...), for `pipeline.leakcheck.find_leaks`.
    interviewer : the interviewer's label, written into a manifest's
        `interviewer` column when there is one ("" for none).
    """

    name: str
    conversations: list[Conversation]
    planted: dict[str, str] = field(default_factory=dict)
    interviewer: str = ""
    note: str = ""

    def n_turns(self) -> int:
        return sum(len(c.turns) for c in self.conversations)


# --------------------------------------------------------------------------- speaker styles

def made_up_name(index: int) -> str:
    """The `index`-th made-up full name; distinct for the first 1,600 indices."""
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    last = SURNAMES[(index + index // len(FIRST_NAMES)) % len(SURNAMES)]
    return f"{first} {last}"


def name_parts(name: str) -> list[str]:
    """The words of a name that identify someone alone: titles and initials left out."""
    return [w for w in re.findall(r"[^\W\d_]+", name) if len(w) >= 3 and w.lower() not in TITLE_WORDS]


def plant_name(planted: dict[str, str], name: str, kind: str, ordinary: frozenset[str] = frozenset()) -> None:
    """Add a full name and each of its identifying parts to `planted`.

    A single word that the corpus also uses as an ordinary lower-case word
    (`ordinary`: "park", "bloom") is left out: the leak check ignores letter
    case and would find it wherever the word is used.
    """
    planted.setdefault(name, kind)
    parts = name_parts(name)
    if len(parts) > 1:
        for part in parts:
            if part.lower() not in ordinary:
                planted.setdefault(part, kind)


def with_person_names(corpus: Corpus, key: Callable[[Conversation, Turn], str] | None = None,
                      offset: int = 0) -> Corpus:
    """The corpus with each participant speaker replaced by a made-up person name, planted.

    Parameters
    ----------
    key : which speakers are the same person, from a conversation and a turn
        (default: the speaker label within its team, so that AMI's "Project
        Manager" of one series is one person across its four meetings).
    offset : where in the name lists to start, so two corpora get different people.
    """
    key = key or (lambda conv, turn: f"{conv.team}|{turn.speaker}")
    people: dict[str, str] = {}
    conversations = []
    for conv in corpus.conversations:
        turns = []
        for turn in conv.turns:
            if turn.role == INTERVIEWER:
                turns.append(turn)
                continue
            who = key(conv, turn)
            if who not in people:
                people[who] = made_up_name(offset + len(people))
            turns.append(replace(turn, speaker=people[who]))
        conversations.append(replace(conv, turns=turns))
    planted = dict(corpus.planted)
    for name in people.values():
        plant_name(planted, name, "speaker name")
    return replace(corpus, conversations=conversations, planted=planted)


def with_slot_labels(corpus: Corpus, prefix: str = "P") -> Corpus:
    """Usability-session style: each conversation's participant is "P<n>" and its team is the same label.

    The interviewer closes each session naming the label, as moderators do
    ("Thanks, P3"): a label said in the text must not become a name either.
    """
    conversations = []
    for n, conv in enumerate(corpus.conversations, start=1):
        label = f"{prefix}{n}"
        interviewer = next((t.speaker for t in conv.turns if t.role == INTERVIEWER), "Moderator")
        turns = [t if t.role == INTERVIEWER else replace(t, speaker=label) for t in conv.turns]
        turns.append(Turn(interviewer, f"Thanks, {label}, that's everything. I'll note that {label} finished.",
                          INTERVIEWER))
        conversations.append(replace(conv, team=label, turns=turns))
    return replace(corpus, conversations=conversations)


def ordinary_words(corpus: Corpus) -> frozenset[str]:
    """Words that a one-word name taken from a corpus cannot be searched for as, in any letter case.

    The words the corpus uses in lower case ("park", "bloom"), and every word
    of the pipeline's own report code, templates and default settings, which
    the outputs may contain whatever the input ("Key phrases", the HTML colour
    "white", the clustering setting "leaf"). The leak check ignores letter
    case, so it would find such a name wherever the word is used.
    """
    words = set(_tool_words())
    for conv in corpus.conversations:
        for turn in conv.turns:
            words.update(w for w in re.findall(r"[^\W\d_]+", turn.text) if w.islower())
    return frozenset(words)


@lru_cache(maxsize=1)
def _tool_words() -> frozenset[str]:
    import pipeline

    root = Path(pipeline.__file__).resolve().parent
    words = set()
    for path in [*(root / "report").rglob("*"), root / "default_config.toml"]:
        if path.is_file() and path.suffix in (".py", ".j2", ".html", ".css", ".toml"):
            words.update(w.casefold() for w in re.findall(r"[^\W\d_]+", path.read_text(errors="replace")))
    return frozenset(words)


# --------------------------------------------------------------------------- corpora

# AMI meetings that tripped the anonymiser on real runs: "Whiteboard ." and "Whiteboard session ." said
# as sentences of their own (ES2003a, ES2013b, IS1006d), and the id TS3003a, once turned into "PERSON-263003a".
AMI_PITFALLS = ("ES2003a", "ES2013b", "IS1006d", "TS3003a")


def ami_meetings(n_meetings: int = 8, per_series: int = 2, pitfalls: tuple[str, ...] = AMI_PITFALLS) -> Corpus:
    """AMI meetings as QMSum packages them: speakers named by role, team = meeting series.

    `per_series` meetings (a, b, ...) of series spread evenly over the corpus,
    so that a team's people meet more than once, plus the `pitfalls`
    meetings. Text as given, with its `{vocalsound}` markers: a real parser
    must cope with them.
    """
    files = sorted((EVAL / "ami" / "meetings").glob("*.json"))
    by_series = defaultdict(list)
    for path in files:
        by_series[path.stem[:-1]].append(path)
    series = sorted(by_series)
    n_series = max(1, n_meetings // per_series)
    step = max(1, len(series) // n_series)
    chosen = [p for s in series[::step][:n_series] for p in by_series[s][:per_series]]
    chosen += [p for p in files if p.stem in pitfalls and p not in chosen]
    conversations = []
    for path in chosen:
        meeting = json.loads(path.read_text(encoding="utf-8"))
        turns = [Turn(t["speaker"], t["content"]) for t in meeting["meeting_transcripts"] if t["content"].strip()]
        conversations.append(Conversation(path.stem, path.stem[:-1], turns))
    return Corpus("ami", conversations, note=f"{len(chosen)} meetings (QMSum): {per_series} of each of {n_series} "
                                             f"series spread over the corpus, and {', '.join(pitfalls)}")


def ami_dialogue_acts(meetings: tuple[str, ...] = ("IS1003a", "IS1003b", "ES2008a", "ES2008b",
                                                    "IS1006a", "IS1006b")) -> Corpus:
    """AMI's manual dialogue acts, consecutive acts of one speaker joined into a turn.

    Speakers are the channel letters A-D (slot labels); each turn keeps the
    start time of its first act. Team: the meeting series. Meetings missing
    from the annotations (the TS series) are skipped.
    """
    wanted = set(meetings)
    acts = defaultdict(list)
    with (EVAL / "ami_annotations" / "dialogue_acts.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["meeting"] in wanted and row["text"].strip():
                acts[row["meeting"]].append(row)
    conversations = []
    for meeting in meetings:
        turns: list[Turn] = []
        for act in acts.get(meeting, []):
            if turns and turns[-1].speaker == act["speaker"]:
                turns[-1].text += " " + act["text"]
            else:
                turns.append(Turn(act["speaker"], act["text"], start=float(act["start"])))
        if turns:
            conversations.append(Conversation(meeting, acts[meeting][0]["series"], turns))
    return Corpus("ami_annotations", conversations,
                  note=f"{len(conversations)} meetings' dialogue acts, speakers A-D")


CLINC_PROMPTS = ["What would you ask it first?", "Okay. And the next task?", "Try asking it something else.",
                 "Go on, what would you say?", "Right. Another one?", "And then?"]


def clinc_sessions(n_sessions: int = 17, requests: int = 15) -> Corpus:
    """CLINC150 requests as usability sessions: a moderator prompts, a user speaks requests.

    Session k takes its requests from one domain (domains in turn), one per
    intent in turn, from the test split, and ends with one out-of-scope
    request. The moderator greets the user by a made-up name and the user
    introduces themself, so every session holds a planted name.
    """
    data = json.loads((EVAL / "clinc150" / "data_full.json").read_text(encoding="utf-8"))
    domains = json.loads((EVAL / "clinc150" / "domains.json").read_text(encoding="utf-8"))
    by_intent = defaultdict(list)
    for text, intent in data["test"]:
        by_intent[intent].append(text)
    out_of_scope = [text for text, _ in data["oos_test"]]
    domain_names = sorted(domains)
    conversations, planted = [], {}
    for k in range(n_sessions):
        domain = domain_names[k % len(domain_names)]
        intents = sorted(domains[domain])
        name = made_up_name(200 + k)
        plant_name(planted, name, "planted name")
        first = name.split()[0]
        turns = [Turn("Moderator", f"Thanks for coming in today, {first}. Could you say your name for the recording?",
                      INTERVIEWER),
                 Turn("User", f"Sure, I'm {name}, happy to help.", PARTICIPANT)]
        for r in range(requests - 1):
            intent = intents[(k + r) % len(intents)]
            pool = by_intent[intent]
            turns.append(Turn("Moderator", CLINC_PROMPTS[r % len(CLINC_PROMPTS)], INTERVIEWER))
            turns.append(Turn("User", pool[(k * 7 + r) % len(pool)], PARTICIPANT))
        turns.append(Turn("Moderator", "Last one: anything it probably can't do?", INTERVIEWER))
        turns.append(Turn("User", out_of_scope[k * 13 % len(out_of_scope)], PARTICIPANT))
        conversations.append(Conversation(f"session-{k + 1:02d}", domain, turns))
    return Corpus("clinc150", conversations, planted, interviewer="Moderator",
                  note=f"{n_sessions} sessions of {requests} requests, one domain each")


# Spoken sentences with a name in them; {full}, {first}, {last}, lower-case and possessive forms.
PLANTED = [
    "I was talking to {full} about this last week.",
    "{first} always says that, and I think it's right.",
    "honestly {full_lower} put it better than I could.",
    "That was {first}'s point too, more or less.",
    "You could ask {last} about it, if you wanted.",
    "Anyway, my colleague {full}'s work shows the same thing.",
    "and as {first_lower} told me, it really matters.",
    "Dr {last} made exactly that argument in the spring.",
]

COVID_QUESTIONS = [
    "If you were to predict the domain or aspect of social life where we might observe the most significant "
    "positive societal and/or psychological change in response to the pandemic, what would it be?",
    "What kind of wisdom will people need to capitalize on for the positive change you refer to above?",
    "If you were to predict the domain or aspect of social life where we might observe the most significant "
    "negative societal and/or psychological change in response to the pandemic, what would it be?",
    "What kind of wisdom will people need to master to overcome this major negative societal change after "
    "the pandemic?",
    "What one piece of wisdom do you think it is important to give people now to help them make it through "
    "the pandemic?",
]


@dataclass
class PlantedAnswer:
    """One world_after_covid answer with the interviewee's name planted in it."""

    name: str  # the Name column (a surname)
    full_name: str
    question: int  # 1..5
    text: str
    gold: list[tuple[int, int, str, str]]  # start, end, "PERSON", value
    row: dict = field(default_factory=dict)


def covid_answers() -> list[PlantedAnswer]:
    """The 278 answers of the 57 interviewees, each with the interviewee's name planted in one spoken form.

    The full names come from participants.md, matched to the Name column
    ("Alex (Sandy) Pentland" -> Alex Pentland). Every answer gets one
    sentence of `PLANTED` after its first sentence; the Name column's names
    already in the answers count as gold too.
    """
    folder = EVAL / "world_after_covid"
    listed = (folder / "participants.md").read_text(encoding="utf-8")
    full_names = [re.sub(r"\s*\(.*?\)\s*", " ", m).split()
                  for m in re.findall(r"^\*\*([^*]+)\*\*", listed, re.MULTILINE)]
    by_key = {"".join(parts[1:]).lower(): parts for parts in full_names}
    answers = []
    with (folder / "transcripts.csv").open(encoding="utf-8", errors="replace") as fh:
        rows = list(csv.DictReader(fh))
    for r, row in enumerate(rows):
        key = row["Name"].lower()
        parts = by_key.get(key) or next((p for k, p in by_key.items() if k.endswith(key) or key.endswith(k)), None)
        if parts is None:
            raise SystemExit(f"no full name for {row['Name']} in participants.md")
        first, last = parts[0], " ".join(p for p in parts[1:] if not re.fullmatch(r"[A-Z]\.?", p))
        forms = {"full": f"{first} {last}", "first": first, "last": last,
                 "full_lower": f"{first} {last}".lower(), "first_lower": first.lower()}
        for q in range(1, 6):
            answer = " ".join((row.get(f"Q{q}") or "").split())
            if not answer:
                continue
            template = PLANTED[(r * 5 + q) % len(PLANTED)]
            sentences = re.split(r"(?<=[.!?])\s+", answer, maxsplit=1)
            before = sentences[0] + " "
            after = (" " + sentences[1]) if len(sentences) > 1 else ""
            text, gold = before, []
            for piece in re.split(r"(\{\w+\})", template):
                m = re.fullmatch(r"\{(\w+)\}", piece)
                if m:
                    value = forms[m.group(1)]
                    gold.append((len(text), len(text) + len(value), "PERSON", value))
                    text += value
                else:
                    text += piece
            offset = len(text)
            text += after
            for m in re.finditer(rf"\b{re.escape(row['Name'])}\b", after):  # the Name column's names found
                gold.append((offset + m.start(), offset + m.end(), "PERSON", m.group()))
            answers.append(PlantedAnswer(row["Name"], forms["full"], q, text, gold, row))
    return answers


def covid_interviews(limit: int | None = None) -> Corpus:
    """world_after_covid: one interview per interviewee, the five questions asked, names planted.

    Speakers are "Interviewer" and the interviewee's full name (so the names
    are known to the anonymiser; `with_slot_labels` or a role label hides
    them again). Team: location and field ("north_america_sc").
    """
    by_person: dict[str, list[PlantedAnswer]] = defaultdict(list)
    for answer in covid_answers():
        by_person[answer.name].append(answer)
    conversations, texts = [], []
    for name in list(by_person)[:limit]:
        answers = by_person[name]
        row = answers[0].row
        team = re.sub(r"\W+", "_", f"{row['Location']} {row['Field']}".lower()).strip("_")
        turns = []
        for answer in answers:
            turns.append(Turn("Interviewer", COVID_QUESTIONS[answer.question - 1], INTERVIEWER))
            turns.append(Turn(answer.full_name, answer.text, PARTICIPANT))
            texts.append(answer.text)
        conversations.append(Conversation(f"interview-{len(conversations) + 1:02d}", team, turns))
    corpus = Corpus("world_after_covid", conversations, interviewer="Interviewer",
                    note=f"{len(conversations)} interviewees, 5 questions, names planted in every answer")
    ordinary = ordinary_words(_without_gold(by_person, limit))
    for name in list(by_person)[:limit]:
        for answer in by_person[name]:
            plant_name(corpus.planted, answer.full_name, "interviewee name", ordinary)
            for _, _, _, value in answer.gold:
                if len(value.split()) > 1 or value.lower() not in ordinary:
                    corpus.planted.setdefault(value, "interviewee name")
    return corpus


def _without_gold(by_person: dict[str, list[PlantedAnswer]], limit: int | None) -> Corpus:
    """The answers with their gold names cut out, to learn which words the speech uses in lower case."""
    turns = []
    for name in list(by_person)[:limit]:
        for answer in by_person[name]:
            text, last = "", 0
            for start, end, _, _ in sorted(answer.gold):
                text += answer.text[last:start] + " "
                last = end
            turns.append(Turn("x", text + answer.text[last:]))
    return Corpus("", [Conversation("x", "x", turns)])


PRESIDIO_KINDS = {"PERSON": "person name", "EMAIL_ADDRESS": "email address", "PHONE_NUMBER": "phone number"}
PRESIDIO_PROMPTS = ["Can you tell me more about that?", "Go on.", "And what happened then?", "Right. Anything else?",
                    "How did that work out?"]


def presidio_turns(n_sentences: int = 300, per_conversation: int = 10, n_teams: int = 5) -> Corpus:
    """presidio_synth sentences as a respondent's turns, an interviewer's prompt between them.

    The sentences are every other one among those holding a PERSON, EMAIL or
    PHONE gold span, up to `n_sentences`, whitespace flattened (addresses
    span lines). Those gold values are planted data; single-word person
    names that the sentences also use as lower-case words are left out.
    """
    data = json.loads((EVAL / "presidio_synth" / "synth_dataset_v2.json").read_text(encoding="utf-8"))
    chosen = [item for item in data if any(s["entity_type"] in PRESIDIO_KINDS for s in item["spans"])][::2]
    chosen = chosen[:n_sentences]
    conversations = []
    for c in range(0, len(chosen), per_conversation):
        turns = []
        for j, item in enumerate(chosen[c:c + per_conversation]):
            if j:
                turns.append(Turn("Interviewer", PRESIDIO_PROMPTS[(c + j) % len(PRESIDIO_PROMPTS)], INTERVIEWER))
            turns.append(Turn("Respondent", " ".join(item["full_text"].split()), PARTICIPANT))
        n = c // per_conversation
        conversations.append(Conversation(f"conversation-{n + 1:02d}", f"team_{n % n_teams + 1}", turns))
    corpus = Corpus("presidio_synth", conversations, interviewer="Interviewer",
                    note=f"{len(chosen)} sentences with PERSON/EMAIL/PHONE gold, {per_conversation} per conversation")
    ordinary = ordinary_words(corpus)
    for item in chosen:
        for span in item["spans"]:
            kind = PRESIDIO_KINDS.get(span["entity_type"])
            value = " ".join(span["entity_value"].split())
            if kind is None or (len(value.split()) == 1 and value.lower() in ordinary):
                continue
            corpus.planted.setdefault(value, kind)
    return corpus


GUM_DOCS = ("GUM_conversation_christmas", "GUM_conversation_family", "GUM_conversation_gossip",
            "GUM_conversation_risk", "GUM_conversation_toys", "GUM_conversation_zero",
            "GUM_interview_chomsky", "GUM_interview_dungeon", "GUM_interview_herrick", "GUM_interview_onion",
            "GUM_vlog_exams", "GUM_vlog_pizzeria", "GUM_court_carpet", "GUM_court_property")
# Speaker labels of GUM that are roles or groups, not people.
GUM_ROLE_LABELS = re.compile(r"(Aud\d*|Many|[XY]|Speaker\d*|Judge|Bailiff|Clerk|Coworker|Sommelier|Wizard|Nonna|"
                             r"Hub|Gemini|Interviewer)")


def gum_documents(docs: tuple[str, ...] = GUM_DOCS) -> Corpus:
    """Spoken GUM documents rebuilt from the relations table: sentences in order, turns by speaker.

    Each relation row carries the sentence of its unit and of its head, with
    their speakers; ordered by unit number and with repeats dropped they give
    the document's sentences. CamelCase labels are split ("NoamChomsky" ->
    "Noam Chomsky"); unlabelled sentences and "Wikinews" in interviews are the
    interviewer. Team: the genre. Speaker labels that name a person are planted.
    """
    wanted = set(docs)
    units: dict[str, dict[int, tuple[str, str]]] = defaultdict(dict)
    genres = {}
    with (EVAL / "gum_relations" / "relations.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["doc"] not in wanted or row["edge"] != "primary":
                continue
            genres[row["doc"]] = row["genre"]
            units[row["doc"]].setdefault(int(row["edu_id"]), (row["edu_sentence"], row["edu_speaker"]))
            units[row["doc"]].setdefault(int(row["head_id"]), (row["head_sentence"], row["head_speaker"]))
    conversations, speakers = [], set()
    for doc in docs:
        if doc not in units:
            continue
        turns: list[Turn] = []
        previous = None
        for _, (sentence, label) in sorted(units[doc].items()):
            if not sentence.strip() or sentence == previous:
                continue
            previous = sentence
            speaker, role = _gum_speaker(label, genres[doc])
            if turns and turns[-1].speaker == speaker:
                turns[-1].text += " " + sentence
            else:
                turns.append(Turn(speaker, sentence, role))
                if role != INTERVIEWER:
                    speakers.add(speaker)
        conversations.append(Conversation(doc.removeprefix("GUM_"), genres[doc], turns))
    corpus = Corpus("gum_relations", conversations, interviewer="Interviewer",
                    note=f"{len(conversations)} spoken documents (conversation, interview, vlog, court)")
    ordinary = ordinary_words(corpus)
    for speaker in sorted(speakers):
        if not GUM_ROLE_LABELS.fullmatch(speaker.replace(" ", "")):
            plant_name(corpus.planted, speaker, "speaker name", ordinary)
    return corpus


def _gum_speaker(label: str, genre: str) -> tuple[str, str]:
    label = label.split(",")[0].strip()  # "Miyuki,Sachi": the first speaks
    if genre == "interview" and label in ("", "Wikinews"):
        return "Interviewer", INTERVIEWER
    if not label:
        return "Speaker", ""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", label)  # NoamChomsky, DYChandrachud
    return spaced, ""


def polis_conversations(per_conversation: int = 12, limit: int | None = None) -> Corpus:
    """Polis biodiversity comments as group conversations: each opinion group's comments in turn.

    Moderated-in comments (`moderated == 1`) of authors with an opinion group,
    chunked in comment order into conversations of `per_conversation`, each
    opened by a moderator's prompt. Speakers are the authors' ids as slot
    labels ("author-427"); team: the opinion group.
    """
    folder = EVAL / "polis_biodiversity"
    group_of = {}
    with (folder / "participants-votes.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["group-id"].strip():
                group_of[row["participant"]] = row["group-id"]
    by_group = defaultdict(list)
    with (folder / "comments.csv").open(encoding="utf-8", newline="") as fh:
        for row in sorted(csv.DictReader(fh), key=lambda r: int(r["comment-id"])):
            if row["moderated"].strip() == "1" and row["author-id"] in group_of:
                by_group[group_of[row["author-id"]]].append(row)
    conversations = []
    for group in sorted(by_group):
        comments = _round_robin(by_group[group])
        for c in range(0, len(comments), per_conversation):
            turns = [Turn("Moderator", "What should Aotearoa do for its biodiversity? Say what you think.",
                          INTERVIEWER)]
            turns += [Turn(f"author-{row['author-id']}", " ".join(row["comment-body"].split()), PARTICIPANT)
                      for row in comments[c:c + per_conversation]]
            conversations.append(Conversation(f"group{group}-{c // per_conversation + 1:02d}",
                                              f"opinion_group_{group}", turns))
    conversations = conversations[:limit]
    return Corpus("polis_biodiversity", conversations, interviewer="Moderator",
                  note=f"{sum(len(c.turns) - 1 for c in conversations)} moderated comments in "
                       f"{len(conversations)} conversations by opinion group")


def _round_robin(comments: list[dict]) -> list[dict]:
    """Comments reordered so that authors take turns, each author's own in order.

    In comment order the host's 61 seed statements come first, which would
    make the first conversations one long monologue.
    """
    queues: dict[str, list[dict]] = defaultdict(list)
    for row in comments:
        queues[row["author-id"]].append(row)
    ordered = []
    while any(queues.values()):
        for author in list(queues):
            if queues[author]:
                ordered.append(queues[author].pop(0))
    return ordered


def technical_interviews(n_conversations: int = 12) -> Corpus:
    """The technical fixture (`technical_fixture.generate`) as a corpus, its personal data planted."""
    from benchmarks.technical_fixture import generate

    fixture = generate(n_conversations)
    conversations = [Conversation(c.name, c.team, [Turn(t.speaker, t.text, t.role) for t in c.turns])
                     for c in fixture.conversations]
    corpus = Corpus("technical fixture", conversations, interviewer=fixture.conversations[0].interviewer,
                    note=f"{len(conversations)} interviews, {len(fixture.tech)} tool and product names, "
                         f"{len(fixture.personal)} planted personal data")
    for span in fixture.personal:
        if span.kind == "person name":
            plant_name(corpus.planted, span.value, span.kind)
        else:
            corpus.planted.setdefault(span.value, span.kind)
    for conv in fixture.conversations:
        plant_name(corpus.planted, conv.participant, "speaker name")
        plant_name(corpus.planted, conv.interviewer, "speaker name")
    return corpus


# --------------------------------------------------------------------------- layouts

def _flat(text: str) -> str:
    return " ".join(str(text).split())


def _starts(conv: Conversation) -> list[float]:
    """Each turn's start in seconds: its own, else made up at 0.4 s per word after the previous."""
    starts, clock = [], 0.0
    for turn in conv.turns:
        clock = turn.start if turn.start is not None else clock
        starts.append(clock)
        clock += 0.4 * max(1, len(turn.text.split())) + 0.5
    return starts


def _stamp(seconds: float, separator: str) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}{separator}{ms % 1000:03d}"


def _chunks(words: list[str], size: int = 14) -> list[str]:
    return [" ".join(words[i:i + size]) for i in range(0, len(words), size)] or [""]


def _team_folder(team: str) -> str:
    return re.sub(r"[^\w\-]+", "_", team).strip("_") or "unknown"


def write_txt(corpus: Corpus, folder: Path, timestamps: bool = False) -> dict[str, str]:
    """`<team>/<name>.txt`, one `Name: words` line per turn (after `[hh:mm:ss] ` with `timestamps`)."""
    ids = {}
    for conv in corpus.conversations:
        path = folder / _team_folder(conv.team) / f"{conv.name}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = []
        for turn, start in zip(conv.turns, _starts(conv)):
            stamp = f"[{_stamp(start, '.')[:8]}] " if timestamps else ""
            lines.append(f"{stamp}{turn.speaker}: {_flat(turn.text)}")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        ids[conv.name] = path.relative_to(folder).as_posix()
    return ids


def write_txt_manifest(corpus: Corpus, folder: Path) -> dict[str, str]:
    """Flat `<name>.txt` files and a `manifest.csv` with file, team and (if known) interviewer."""
    ids = {}
    with (folder / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "team", "interviewer"])
        for conv in corpus.conversations:
            path = folder / f"{conv.name}.txt"
            path.write_text("\n".join(f"{t.speaker}: {_flat(t.text)}" for t in conv.turns) + "\n", encoding="utf-8")
            writer.writerow([path.name, conv.team, corpus.interviewer])
            ids[conv.name] = path.name
    return ids


def write_md(corpus: Corpus, folder: Path) -> dict[str, str]:
    """`<team>/<name>.md`: a heading, then one `**Name:** words` paragraph per turn."""
    ids = {}
    for conv in corpus.conversations:
        path = folder / _team_folder(conv.team) / f"{conv.name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        body = [f"# Conversation {conv.name}", ""]
        for turn in conv.turns:
            body += [f"**{turn.speaker}:** {_flat(turn.text)}", ""]
        path.write_text("\n".join(body), encoding="utf-8")
        ids[conv.name] = path.relative_to(folder).as_posix()
    return ids


def write_vtt(corpus: Corpus, folder: Path, manifest: bool = False) -> dict[str, str]:
    """WebVTT with `<v Name>` voice tags, turns cut into cues of 14 words.

    Teams as sub-folders, or with `manifest` flat files and a manifest.csv.
    """
    return _write_cues(corpus, folder, "vtt", manifest)


def write_srt(corpus: Corpus, folder: Path, manifest: bool = False) -> dict[str, str]:
    """SubRip, each cue `Name: words`, turns cut into cues of 14 words."""
    return _write_cues(corpus, folder, "srt", manifest)


def _write_cues(corpus: Corpus, folder: Path, kind: str, manifest: bool) -> dict[str, str]:
    ids, rows = {}, []
    for conv in corpus.conversations:
        path = (folder / f"{conv.name}.{kind}" if manifest
                else folder / _team_folder(conv.team) / f"{conv.name}.{kind}")
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = ["WEBVTT", ""] if kind == "vtt" else []
        n = 0
        for turn, start in zip(conv.turns, _starts(conv)):
            chunks = _chunks(_flat(turn.text).split())
            for j, chunk in enumerate(chunks):
                n += 1
                a, b = start + 5.0 * j, start + 5.0 * (j + 1) - 0.2
                if kind == "vtt":
                    lines += [f"{_stamp(a, '.')} --> {_stamp(b, '.')}", f"<v {turn.speaker}>{chunk}</v>", ""]
                else:
                    lines += [str(n), f"{_stamp(a, ',')} --> {_stamp(b, ',')}", f"{turn.speaker}: {chunk}", ""]
        path.write_text("\n".join(lines), encoding="utf-8")
        ids[conv.name] = path.relative_to(folder).as_posix()
        rows.append([ids[conv.name], conv.team, corpus.interviewer])
    if manifest:
        with (folder / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([["file", "team", "interviewer"], *rows])
    return ids


def _rows(corpus: Corpus, with_role: bool) -> list[dict]:
    rows = []
    for conv in corpus.conversations:
        for turn in conv.turns:
            row = {"transcript_id": conv.name, "speaker": turn.speaker, "team": conv.team}
            if with_role:
                row["role"] = turn.role
            row["text"] = _flat(turn.text)
            rows.append(row)
    return rows


def write_csv_rows(corpus: Corpus, folder: Path, with_role: bool = True) -> dict[str, str]:
    """One `turns.csv`: a row per turn with transcript_id, speaker, team, (role,) text."""
    rows = _rows(corpus, with_role)
    with (folder / "turns.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return {conv.name: conv.name for conv in corpus.conversations}


def write_jsonl_rows(corpus: Corpus, folder: Path, with_role: bool = True) -> dict[str, str]:
    """One `turns.jsonl`: an object per turn with transcript_id, speaker, team, (role,) text."""
    rows = _rows(corpus, with_role)
    (folder / "turns.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                        encoding="utf-8")
    return {conv.name: conv.name for conv in corpus.conversations}


@dataclass
class Case:
    """One corpus in one layout, for the "publishes" table."""

    corpus: str
    layout: str
    build: Callable[[], Corpus]
    write: Callable[[Corpus, Path], dict[str, str]]


def cases(ami_meetings_n: int = 8) -> list[Case]:
    """Every eval corpus in two or three layouts, plus the technical fixture in two."""
    ami = lambda: ami_meetings(ami_meetings_n)  # noqa: E731 (built lazily: each case reads its data when run)
    return [
        Case("ami", "JSONL rows, speakers named by role (QMSum), team = series",
             ami, lambda c, f: write_jsonl_rows(c, f, with_role=False)),
        Case("ami", ".txt `Name: words`, made-up person names, sub-folders as teams",
             lambda: with_person_names(ami()), write_txt),
        Case("ami_annotations", ".csv rows, speakers A-D (slot labels), no role column",
             ami_dialogue_acts, lambda c, f: write_csv_rows(c, f, with_role=False)),
        Case("ami_annotations", ".srt, made-up person names, manifest teams",
             lambda: with_person_names(ami_dialogue_acts(), offset=60), lambda c, f: write_srt(c, f, manifest=True)),
        Case("clinc150", "usability .vtt: speakers P1..P17, each its own team",
             lambda: with_slot_labels(clinc_sessions()), write_vtt),
        Case("clinc150", ".md `**Name:**`, made-up person names, sub-folders (domain) as teams",
             lambda: with_person_names(clinc_sessions(), offset=120), write_md),
        Case("world_after_covid", ".txt `Name: words`, interviewee names as speakers, sub-folders as teams",
             covid_interviews, write_txt),
        Case("world_after_covid", "JSONL rows with role, speaker 'Interviewee' (names unknown)",
             lambda: _relabelled(covid_interviews(), "Interviewee"), write_jsonl_rows),
        Case("world_after_covid", "usability .vtt: speakers P1..P57, each its own team, manifest",
             lambda: with_slot_labels(covid_interviews()), lambda c, f: write_vtt(c, f, manifest=True)),
        Case("presidio_synth", "JSONL rows with role, speaker 'Respondent'", presidio_turns, write_jsonl_rows),
        Case("presidio_synth", ".srt, made-up person names, sub-folders as teams",
             lambda: with_person_names(presidio_turns(), key=lambda conv, t: conv.name, offset=180), write_srt),
        Case("gum_relations", ".md `**Name:**`, GUM's speakers, sub-folders (genre) as teams",
             gum_documents, write_md),
        Case("gum_relations", ".csv rows with role, GUM's speakers", gum_documents, write_csv_rows),
        Case("polis_biodiversity", ".txt + manifest.csv (team = opinion group), made-up person names",
             lambda: with_person_names(polis_conversations(), key=lambda conv, t: t.speaker, offset=240),
             write_txt_manifest),
        Case("polis_biodiversity", "JSONL rows with role, speakers 'author-<id>'", polis_conversations,
             write_jsonl_rows),
        Case("technical fixture", ".txt `[hh:mm:ss] Name: words`, sub-folders as teams",
             technical_interviews, lambda c, f: write_txt(c, f, timestamps=True)),
        Case("technical fixture", ".vtt, manifest teams", technical_interviews,
             lambda c, f: write_vtt(c, f, manifest=True)),
    ]


def _relabelled(corpus: Corpus, label: str) -> Corpus:
    """Every participant speaker becomes `label` (a role, not a name): the names in the text stay planted."""
    conversations = [replace(c, turns=[t if t.role == INTERVIEWER else replace(t, speaker=label) for t in c.turns])
                     for c in corpus.conversations]
    return replace(corpus, conversations=conversations)
