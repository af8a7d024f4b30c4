"""Every public eval corpus, end to end: it publishes, and nothing planted in it survives.

Each ../shared/eval data set is read in place at run time (never copied
into the repository), cut to a small subset, written into a temporary input
folder in one layout and run through `pipeline.runner.run` with the real
spaCy pipeline and a hashing embedder. The run must publish (return, exit
status 0 or 3, with themes.csv, quotes.csv and run.json in OUT) and no
planted datum may survive in any output file, as the leak check reads them:
speakers' names, names planted in the text, presidio_synth's gold PERSON,
EMAIL and PHONE values.

The layouts here differ from those of `make bench-anonymise` (its
"publishes" table), so that a layout checked by hand there is one these
tests do not use:

| corpus | layout here | speakers |
|---|---|---|
| ami | .vtt voice tags, sub-folders as teams | made-up person names |
| ami_annotations | .txt `[hh:mm:ss] Name: words`, manifest teams | made-up person names |
| clinc150 | .txt + manifest, usability sessions | P1..P8, each its own team |
| world_after_covid | .md `**Name:**`, sub-folders as teams | the interviewees' names |
| presidio_synth | .csv rows with role | made-up person names |
| gum_relations | .vtt voice tags, sub-folders (genre) as teams | GUM's speakers |
| polis_biodiversity | .docx `Name: words`, sub-folders (opinion group) as teams | made-up person names |

A single word taken from a corpus (a first name, a surname) is searched for
alone only when neither the corpus (in lower case) nor the pipeline's own
report code and settings use it as an ordinary word: the leak check ignores
letter case, so "Leaf" would be found in the setting `selection = "leaf"`.
"""
from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pytest
from conftest import EVAL

from pipeline.embed import HashingEmbedder
from pipeline.errors import CommonGroundError
from pipeline.leakcheck import find_leaks
from pipeline.runner import run

pytestmark = [
    pytest.mark.models,
    pytest.mark.skipif(not EVAL.is_dir(), reason=f"the shared eval data sets are not at {EVAL} "
                                                 "(they sit beside the checkout in CI: ../shared/eval)"),
]

INTERVIEWER, PARTICIPANT = "interviewer", "participant"
# Made-up speakers: no part is an English word, so each part is searched for on its own.
FIRST = ("Oksana Benedikt Chidinma Rasmus Ifeoma Teodora Grzegorz Parveen Eamon Saoirse Kwame Ludmila "
         "Ruairi Shreya Matthias Nkechi Valentina Dariusz Yewande Ottilie").split()
LAST = ("Abiodun Rybakov Nwachukwu Thorvaldsen Castellanos Ekwueme Zimmerli Przybylski Okonjo Sokolova "
        "Mbeki Lindahl Ozturk Kavanagh Albrecht Onyekachi Jankowski Halvorsen Moreau Papadakis").split()
TITLES = frozenset("mr mrs ms miss dr prof general chief justice judge".split())


@dataclass
class Turn:
    speaker: str
    text: str
    role: str = ""


@dataclass
class Conversation:
    name: str
    team: str
    turns: list[Turn]


@dataclass
class Corpus:
    conversations: list[Conversation]
    planted: dict[str, str] = field(default_factory=dict)  # datum -> kind, for find_leaks
    interviewer: str = ""


def person(index: int) -> str:
    return f"{FIRST[index % len(FIRST)]} {LAST[(index + index // len(FIRST)) % len(LAST)]}"


@lru_cache(maxsize=1)
def tool_words() -> frozenset[str]:
    """Every word of the pipeline's report code, templates and default settings, case-folded."""
    import pipeline

    root = Path(pipeline.__file__).resolve().parent
    words = set()
    for path in [*(root / "report").rglob("*"), root / "default_config.toml"]:
        if path.is_file() and path.suffix in (".py", ".j2", ".html", ".css", ".toml"):
            words.update(w.casefold() for w in re.findall(r"[^\W\d_]+", path.read_text(errors="replace")))
    return frozenset(words)


def ordinary(corpus: Corpus) -> frozenset[str]:
    """Words a one-word datum cannot be searched for as: lower-case words of the corpus, the tool's words."""
    words = set(tool_words())
    for conv in corpus.conversations:
        for turn in conv.turns:
            words.update(w for w in re.findall(r"[^\W\d_]+", turn.text) if w.islower())
    return frozenset(words)


def plant(corpus: Corpus, value: str, kind: str, ordinary_words: frozenset[str] = frozenset()) -> None:
    """A datum, and for a name each identifying part that is not an ordinary word."""
    value = " ".join(value.split())
    words = [w for w in re.findall(r"[^\W\d_]+", value) if len(w) >= 3 and w.lower() not in TITLES]
    if len(value.split()) > 1 or value.lower() not in ordinary_words:
        corpus.planted.setdefault(value, kind)
    if kind.endswith("name") and len(words) > 1:
        for word in words:
            if word.lower() not in ordinary_words:
                corpus.planted.setdefault(word, kind)


def named(corpus: Corpus, key=lambda conv, turn: f"{conv.team}|{turn.speaker}", offset: int = 0) -> Corpus:
    """Participant speakers replaced by made-up person names (the same key, the same person), planted."""
    people: dict[str, str] = {}
    for conv in corpus.conversations:
        for turn in conv.turns:
            if turn.role != INTERVIEWER:
                turn.speaker = people.setdefault(key(conv, turn), person(offset + len(people)))
    for name in people.values():
        plant(corpus, name, "speaker name")
    return corpus


# --------------------------------------------------------------------------- corpora (small subsets)

def ami_corpus(meetings=("ES2013b", "IS1008c", "TS3005b")) -> Corpus:
    """Three QMSum meetings of three series, speakers given made-up names per series and role.

    ES2013b says "Whiteboard session ." as a sentence of its own, which was
    once taken for a name and then found by the leak check in a theme label.
    """
    conversations = []
    for path in [EVAL / "ami" / "meetings" / f"{m}.json" for m in meetings]:
        meeting = json.loads(path.read_text(encoding="utf-8"))
        turns = [Turn(t["speaker"], t["content"]) for t in meeting["meeting_transcripts"] if t["content"].strip()]
        conversations.append(Conversation(path.stem, path.stem[:-1], turns))
    return named(Corpus(conversations))


def ami_annotations_corpus() -> Corpus:
    """Two annotated meetings, consecutive dialogue acts of one speaker joined, made-up names."""
    wanted = ("ES2011a", "IS1009b")
    acts = defaultdict(list)
    with (EVAL / "ami_annotations" / "dialogue_acts.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["meeting"] in wanted and row["text"].strip():
                acts[row["meeting"]].append(row)
    conversations = []
    for meeting in wanted:
        turns: list[Turn] = []
        for act in acts[meeting]:
            if turns and turns[-1].speaker == act["speaker"]:
                turns[-1].text += " " + act["text"]
            else:
                turns.append(Turn(act["speaker"], act["text"]))
        conversations.append(Conversation(meeting, acts[meeting][0]["series"], turns))
    return named(Corpus(conversations), offset=30)


def clinc_corpus() -> Corpus:
    """Usability sessions P1..P8 (each its own team): a moderator prompts, the user speaks CLINC150 requests.

    The moderator greets each user by a made-up name and the user introduces
    themself, so every session holds a planted name beside its slot label.
    """
    data = json.loads((EVAL / "clinc150" / "data_full.json").read_text(encoding="utf-8"))
    domains = json.loads((EVAL / "clinc150" / "domains.json").read_text(encoding="utf-8"))
    by_intent = defaultdict(list)
    for text, intent in data["test"]:
        by_intent[intent].append(text)
    corpus = Corpus([], interviewer="Moderator")
    for k, domain in enumerate(sorted(domains)[:8]):
        label, name = f"P{k + 1}", person(60 + k)
        plant(corpus, name, "planted name")
        turns = [Turn("Moderator", f"Welcome, {name.split()[0]}. Could you say your name for the recording?",
                      INTERVIEWER),
                 Turn(label, f"Yes, I'm {name}.", PARTICIPANT)]
        for r, intent in enumerate(sorted(domains[domain])[:10]):
            turns.append(Turn("Moderator", "What would you ask it next?", INTERVIEWER))
            turns.append(Turn(label, by_intent[intent][(k + r) % len(by_intent[intent])], PARTICIPANT))
        # Moderators name the slot in the text too; the label must stay a label, not become a name.
        turns.append(Turn("Moderator", f"Thanks, {label}, that's all the tasks.", INTERVIEWER))
        corpus.conversations.append(Conversation(f"session-{k + 1}", label, turns))
    return corpus


COVID_QUESTIONS = ["Where will the pandemic bring the most positive change?",
                   "What wisdom will people need to make the most of it?",
                   "Where will it bring the most negative change?",
                   "What wisdom will people need to overcome it?",
                   "What one piece of wisdom would you give people now?"]
COVID_PLANTED = ["I discussed this with {full} only last month.", "As {first} keeps telling me, it matters.",
                 "My colleague {last} would say the same.", "That is {first}'s view as well."]


def covid_corpus(n_interviewees: int = 20) -> Corpus:
    """world_after_covid: the first interviewees, each answer with the interviewee's own name planted in it."""
    folder = EVAL / "world_after_covid"
    listed = (folder / "participants.md").read_text(encoding="utf-8")
    full_names = [re.sub(r"\s*\(.*?\)\s*", " ", m).split()
                  for m in re.findall(r"^\*\*([^*]+)\*\*", listed, re.MULTILINE)]
    with (folder / "transcripts.csv").open(encoding="utf-8", errors="replace") as fh:
        rows = list(csv.DictReader(fh))[:n_interviewees]
    corpus, names = Corpus([], interviewer="Interviewer"), []
    for r, row in enumerate(rows):
        key = row["Name"].lower().replace(" ", "")
        parts = next(p for p in full_names
                     if "".join(p[1:]).lower().endswith(key) or key.endswith("".join(p[1:]).lower()))
        forms = {"full": " ".join(parts), "first": parts[0], "last": parts[-1]}
        names.append(forms)
        turns = []
        for q in range(5):
            answer = " ".join((row.get(f"Q{q + 1}") or "").split())
            if not answer:
                continue
            turns.append(Turn("Interviewer", COVID_QUESTIONS[q], INTERVIEWER))
            turns.append(Turn(forms["full"], f"{answer} {COVID_PLANTED[(r + q) % len(COVID_PLANTED)].format(**forms)}",
                              PARTICIPANT))
        team = re.sub(r"\W+", "_", f"{row['Location']} {row['Field']}".lower()).strip("_")
        corpus.conversations.append(Conversation(f"interview-{r + 1:02d}", team, turns))
    words = ordinary(corpus)
    for forms in names:
        plant(corpus, forms["full"], "interviewee name", words)
        plant(corpus, forms["first"], "interviewee name", words)
        plant(corpus, forms["last"], "interviewee name", words)
    return corpus


def presidio_corpus(n_sentences: int = 120) -> Corpus:
    """presidio_synth sentences with PERSON, EMAIL or PHONE gold as respondents' turns; the gold is planted."""
    kinds = {"PERSON": "person name", "EMAIL_ADDRESS": "email address", "PHONE_NUMBER": "phone number"}
    data = json.loads((EVAL / "presidio_synth" / "synth_dataset_v2.json").read_text(encoding="utf-8"))
    chosen = [item for item in data if any(s["entity_type"] in kinds for s in item["spans"])][1::5][:n_sentences]
    corpus = Corpus([], interviewer="Interviewer")
    for c in range(0, len(chosen), 8):
        turns = []
        for item in chosen[c:c + 8]:
            turns.append(Turn("Interviewer", "Could you tell me more?", INTERVIEWER))
            turns.append(Turn("Respondent", " ".join(item["full_text"].split()), PARTICIPANT))
        corpus.conversations.append(Conversation(f"conversation-{c // 8 + 1}", f"team_{c // 8 % 3 + 1}", turns))
    named(corpus, key=lambda conv, turn: conv.name, offset=80)
    words = ordinary(corpus)
    for item in chosen:
        for span in item["spans"]:
            if span["entity_type"] in kinds:
                plant(corpus, span["entity_value"], kinds[span["entity_type"]], words)
    return corpus


GUM_ROLES = re.compile(r"(Aud\d*|Many|[XY]|Speaker\d*|Judge|Bailiff|Clerk|Coworker|Nonna|Interviewer)")


def gum_corpus(docs=("GUM_conversation_gossip", "GUM_conversation_vet", "GUM_interview_chomsky",
                     "GUM_interview_libertarian", "GUM_interview_mckenzie", "GUM_vlog_college")) -> Corpus:
    """Spoken GUM documents rebuilt from the relations table; speakers as GUM names them, planted.

    Files keep GUM's document names, so two are named after their speaker
    ("interview_chomsky.vtt", "interview_mckenzie.vtt"), as transcripts often are.
    """
    units, genres = defaultdict(dict), {}
    with (EVAL / "gum_relations" / "relations.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["doc"] in docs and row["edge"] == "primary":
                genres[row["doc"]] = row["genre"]
                units[row["doc"]].setdefault(int(row["edu_id"]), (row["edu_sentence"], row["edu_speaker"]))
                units[row["doc"]].setdefault(int(row["head_id"]), (row["head_sentence"], row["head_speaker"]))
    corpus, speakers = Corpus([], interviewer="Interviewer"), set()
    for doc in docs:
        turns, previous = [], None
        for _, (sentence, label) in sorted(units[doc].items()):
            if not sentence.strip() or sentence == previous:
                continue
            previous = sentence
            label = label.split(",")[0].strip()
            if genres[doc] == "interview" and label in ("", "Wikinews"):
                speaker, role = "Interviewer", INTERVIEWER
            else:
                speaker, role = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", label) or "Speaker", ""
                speakers.add(speaker)
            if turns and turns[-1].speaker == speaker:
                turns[-1].text += " " + sentence
            else:
                turns.append(Turn(speaker, sentence, role))
        corpus.conversations.append(Conversation(doc.removeprefix("GUM_"), genres[doc], turns))
    words = ordinary(corpus)
    for speaker in speakers:
        if not GUM_ROLES.fullmatch(speaker.replace(" ", "")):
            plant(corpus, speaker, "speaker name", words)
    return corpus


def polis_corpus(per_conversation: int = 10) -> Corpus:
    """Polis comments by opinion group, authors taking turns, each author given a made-up name."""
    folder = EVAL / "polis_biodiversity"
    with (folder / "participants-votes.csv").open(encoding="utf-8", newline="") as fh:
        group_of = {r["participant"]: r["group-id"] for r in csv.DictReader(fh) if r["group-id"].strip()}
    queues = defaultdict(lambda: defaultdict(list))
    with (folder / "comments.csv").open(encoding="utf-8", newline="") as fh:
        for row in sorted(csv.DictReader(fh), key=lambda r: int(r["comment-id"])):
            if row["moderated"].strip() == "1" and row["author-id"] in group_of:
                queues[group_of[row["author-id"]]][row["author-id"]].append(row)
    corpus = Corpus([], interviewer="Facilitator")
    for group, by_author in sorted(queues.items()):
        comments = []
        while any(by_author.values()):  # authors take turns, so no conversation is one long monologue
            comments += [q.pop(0) for q in by_author.values() if q]
        for c in range(0, min(len(comments), 4 * per_conversation), per_conversation):
            turns = [Turn("Facilitator", "What should we do for biodiversity here?", INTERVIEWER)]
            turns += [Turn(row["author-id"], " ".join(row["comment-body"].split()), PARTICIPANT)
                      for row in comments[c:c + per_conversation]]
            corpus.conversations.append(Conversation(f"group{group}-{c // per_conversation + 1}",
                                                     f"opinion_group_{group}", turns))
    return named(corpus, key=lambda conv, turn: turn.speaker, offset=100)


# --------------------------------------------------------------------------- layouts

def _flat(text: str) -> str:
    return " ".join(text.split())


def _stamp(seconds: float) -> str:
    ms = int(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def write_vtt(corpus: Corpus, folder: Path) -> None:
    """`<team>/<name>.vtt`: one cue per 12 words, `<v Name>` voice tags."""
    for conv in corpus.conversations:
        lines, clock = ["WEBVTT", ""], 0.0
        for turn in conv.turns:
            words = _flat(turn.text).split()
            for i in range(0, len(words), 12):
                lines += [f"{_stamp(clock)} --> {_stamp(clock + 4.5)}",
                          f"<v {turn.speaker}>{' '.join(words[i:i + 12])}</v>", ""]
                clock += 5.0
        path = folder / conv.team / f"{conv.name}.vtt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines), encoding="utf-8")


def write_txt_manifest(corpus: Corpus, folder: Path, timestamps: bool = False) -> None:
    """Flat `<name>.txt` files (`[hh:mm:ss] ` before each turn with `timestamps`) and a manifest.csv."""
    with (folder / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "team", "interviewer"])
        for conv in corpus.conversations:
            lines = [(f"[{_stamp(7.0 * i)[:8]}] " if timestamps else "") + f"{t.speaker}: {_flat(t.text)}"
                     for i, t in enumerate(conv.turns)]
            (folder / f"{conv.name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
            writer.writerow([f"{conv.name}.txt", conv.team, corpus.interviewer])


def write_md(corpus: Corpus, folder: Path) -> None:
    """`<team>/<name>.md`: a heading, then `**Name:** words` paragraphs."""
    for conv in corpus.conversations:
        path = folder / conv.team / f"{conv.name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        body = [f"# {conv.name}", ""] + [f"**{t.speaker}:** {_flat(t.text)}\n" for t in conv.turns]
        path.write_text("\n".join(body), encoding="utf-8")


def write_csv_rows(corpus: Corpus, folder: Path) -> None:
    """One turns.csv: transcript_id, speaker, team, role, text."""
    with (folder / "turns.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["transcript_id", "speaker", "team", "role", "text"])
        for conv in corpus.conversations:
            writer.writerows([conv.name, t.speaker, conv.team, t.role, _flat(t.text)] for t in conv.turns)


def write_docx(corpus: Corpus, folder: Path) -> None:
    """`<team>/<name>.docx`: one `Name: words` paragraph per turn."""
    from docx import Document

    for conv in corpus.conversations:
        document = Document()
        for turn in conv.turns:
            document.add_paragraph(f"{turn.speaker}: {_flat(turn.text)}")
        path = folder / conv.team / f"{conv.name}.docx"
        path.parent.mkdir(parents=True, exist_ok=True)
        document.save(path)


CASES = {
    "ami": (ami_corpus, write_vtt),
    "ami_annotations": (ami_annotations_corpus, lambda c, f: write_txt_manifest(c, f, timestamps=True)),
    "clinc150": (clinc_corpus, write_txt_manifest),
    "world_after_covid": (covid_corpus, write_md),
    "presidio_synth": (presidio_corpus, write_csv_rows),
    "gum_relations": (gum_corpus, write_vtt),
    "polis_biodiversity": (polis_corpus, write_docx),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_publishes_and_nothing_planted_survives(name, tmp_path, nlp):
    build, write = CASES[name]
    corpus = build()
    assert corpus.conversations and corpus.planted, f"{name}: the subset should hold conversations and planted data"
    input_dir, out = tmp_path / "input", tmp_path / "out"
    input_dir.mkdir()
    write(corpus, input_dir)

    try:
        result = run(input_dir, out=out, cache_dir=None, embedder=HashingEmbedder(dim=64), nlp=nlp)
    except CommonGroundError as error:
        pytest.fail(f"{name}: the run did not publish (exit {error.exit_status}): {error}")

    assert result.exit_status in (0, 3)
    for file in ("themes.csv", "quotes.csv", "run.json"):
        assert (out / file).is_file(), f"{name}: {file} missing from OUT"
    assert len(result.quotes) > 0
    leaks = find_leaks(out, corpus.planted)
    # The corpora are public or made up, so the failure may name what survived: it saves a rerun by hand.
    survivors = sorted(d for d, kind in corpus.planted.items() if find_leaks(out, {d: kind})) if leaks else []
    # Names in the text that nobody told the anonymiser (presidio_synth's gold PERSON) are held to the
    # recall target, 0.98; speakers, planted names, emails and phone numbers may not survive at all.
    unknown_names = [d for d, kind in corpus.planted.items() if kind == "person name"]
    missed_names = [d for d in survivors if corpus.planted[d] == "person name"]
    assert len(missed_names) <= 0.02 * len(unknown_names), f"{name}: names survived: {missed_names}"
    others = [d for d in survivors if corpus.planted[d] != "person name"]
    assert others == [], f"{name}: planted data survived: {others}"
