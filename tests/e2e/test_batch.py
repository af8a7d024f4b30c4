"""A batch mixing every layout, with three broken files, end to end.

A folder in tmp_path holds one conversation per layout the contract lists
(Teams and Zoom .vtt, .srt, Word paragraphs, the Teams/Otter Word layout, a
Word table, the .txt variants, .md, .csv, .jsonl, UTF-16 and cp1252 text),
three broken files (an empty .vtt, a corrupt .docx, a .vtt with a header and
no cues) and a manifest. It is run through the library and through the
command line, into the same OUT, and checked against the contract: exit
status 3; run.json lists exactly the broken files as failed, each with a
reason; every participant turn of every good conversation reaches
quotes.csv under the right team and transcript; no interviewer question
does; the input folder is byte-identical afterwards; the second run replaces
OUT and leaves nothing beside it.

Every participant turn carries its own marker word and every interviewer
question another, so each can be traced to quotes.csv. The real spaCy
pipeline parses; a hashing embedder stands in for the sentence model.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from ingest.docx_fixtures import para, raw_docx_bytes

from pipeline import cli, runner, schema
from pipeline.embed import HashingEmbedder
from pipeline.errors import EXIT_PARTIAL
from pipeline.runner import run

INTERVIEWER = "Helen Marsh"
ANSWER_WORDS = """
marmalade lighthouse tangerine harpsichord periwinkle trampoline origami saxophone kaleidoscope
accordion gooseberry dandelion lullaby xylophone rhubarb tapestry porcupine cinnamon hammock
windmill pinecone snowdrop buttercup lantern teapot sandcastle driftwood meadowsweet pancake
chestnut thimble barometer clarinet bluebell pebble toboggan cobblestone nutmeg sundial
wheelbarrow scarecrow bagpipe haystack lemonade cauliflower marzipan umbrella
""".split()
QUESTION_WORDS = """
walrus pelican flamingo hedgehog badger kingfisher narwhal platypus armadillo chameleon
albatross mongoose wombat toucan meerkat puffin ocelot iguana lemur heron gecko jackal
penguin otter beaver squirrel dolphin octopus tortoise sparrow falcon buffalo giraffe
panther raccoon koala gazelle ostrich antelope salamander pheasant reindeer mackerel cobra
""".split()
BROKEN = {"broken/empty.vtt", "broken/corrupt.docx", "broken/header_only.vtt"}
# The contract's files; the report may add others, which a re-run must write again too.
REPORT_FILES = {"themes.csv", "quotes.csv", "decisions.csv", "theme_report.html",
                "theme_report.md", "theme_cards.docx", "run.json"}


@dataclass
class Conversation:
    """What one good file should produce: its transcript id, team and traceable words."""

    file: str
    transcript_id: str
    team: str
    participant: str
    answers: list[tuple[str, str]] = field(default_factory=list)  # (marker, sentence)
    questions: list[tuple[str, str]] = field(default_factory=list)

    def exchange(self) -> list[tuple[str, str]]:
        """(speaker, words) in order: question, answer, question, answer."""
        turns = []
        for (_, question), (_, answer) in zip(self.questions, self.answers):
            turns += [("I", question), ("P", answer)]
        return turns


class Conversations:
    """Makes conversations, each with marker words no other conversation uses."""

    def __init__(self) -> None:
        self.questions, self.answers = iter(QUESTION_WORDS), iter(ANSWER_WORDS)

    def __call__(self, file: str, team: str, participant: str, transcript_id: str | None = None,
                 extra: str = "") -> Conversation:
        return conversation(file, team, participant, next(self.questions), next(self.questions),
                            next(self.answers), next(self.answers), transcript_id, extra)


def conversation(file: str, team: str, participant: str, q1: str, q2: str, a1: str, a2: str,
                 transcript_id: str | None, extra: str) -> Conversation:
    talk = Conversation(file, transcript_id or file, team, participant)
    for q, a in ((q1, a1), (q2, a2)):
        talk.questions.append((q, f"Could you tell me more about the {q} side of the work?"))
        talk.answers.append((a, f"Honestly the {a} question shaped how our team planned the "
                                f"year {extra}and we kept coming back to it in every single "
                                "meeting we had."))
    return talk


def named(talk: Conversation, interviewer: str = INTERVIEWER) -> list[tuple[str, str]]:
    return [(interviewer if who == "I" else talk.participant, words) for who, words in talk.exchange()]


# --- one writer per layout -------------------------------------------------------------

def teams_vtt(talk: Conversation) -> bytes:
    cues = ["WEBVTT", "NOTE recorded by the consultant", "STYLE\n::cue { color: lime }"]
    for n, (who, words) in enumerate(named(talk, f"{INTERVIEWER} (Guest)")):
        half = len(words) // 2
        first, second = words[:words.rfind(" ", 0, half)], words[words.rfind(" ", 0, half) + 1:]
        # One speaker's words split over two cues, one closed with </v>, one not.
        cues.append(f"3f2a9c1e-aaaa-bbbb-cccc-1234567890ab/{n}-0\n00:00:{n * 8:02d}.000 --> "
                    f"00:00:{n * 8 + 4:02d}.000\n<v {who}>{first}</v>")
        cues.append(f"3f2a9c1e-aaaa-bbbb-cccc-1234567890ab/{n}-1\n00:00:{n * 8 + 4:02d}.000 --> "
                    f"00:00:{n * 8 + 8:02d}.000\n<v {who}>{second}")
    return ("\n\n".join(cues) + "\n").encode("utf-8")


def zoom_vtt(talk: Conversation) -> bytes:
    # Zoom's display names: the host in lower case with a tag, the participant on a phone.
    cues = ["WEBVTT"]
    for n, (who, words) in enumerate(named(talk, "helen marsh (Host)")):
        cues.append(f"{n + 1}\n00:01:{n * 5:02d}.120 --> 00:01:{n * 5 + 5:02d}.000\n{who}: {words}")
    return ("\n\n".join(cues) + "\n").encode("utf-8")


def srt(talk: Conversation) -> bytes:
    cues = [f"{n + 1}\r\n00:00:{n * 5:02d},000 --> 00:00:{n * 5 + 5:02d},000\r\n{who}: {words}"
            for n, (who, words) in enumerate(named(talk))]
    return ("\r\n\r\n".join(cues) + "\r\n").encode("utf-8")


def docx_paragraphs(talk: Conversation) -> bytes:
    return raw_docx_bytes(para("Interview", style="Heading1")
                          + "".join(para(f"{who}: {words}") for who, words in named(talk)))


def docx_teams(talk: Conversation) -> bytes:
    body = para("Pilot check-in-20240312 Meeting Recording") + para("March 12, 2024, 10:00AM")
    body += para(f"{INTERVIEWER} started transcription")
    for n, (who, words) in enumerate(named(talk)):
        body += para(f"{who}   0:{n * 7 + 3:02d}", "<br/>", words)
    return raw_docx_bytes(body + para(f"{INTERVIEWER} stopped transcription"))


def docx_otter(talk: Conversation) -> bytes:
    body = "".join(para(f"{who}  {n}:0{n}") + para(words) for n, (who, words) in enumerate(named(talk)))
    return raw_docx_bytes(body + para("Transcribed by https://otter.ai"))


def docx_table(talk: Conversation) -> bytes:
    rows = [("Time", "Speaker", "Text")] + [(f"00:0{n}:00", who, words)
                                            for n, (who, words) in enumerate(named(talk))]
    cells = "".join("<w:tr>" + "".join(f"<w:tc>{para(cell)}</w:tc>" for cell in row) + "</w:tr>"
                    for row in rows)
    return raw_docx_bytes(para("Transcript") + f"<w:tbl>{cells}</w:tbl>")


def txt_colon(talk: Conversation) -> bytes:
    lines = ["# participant: youth lead"]
    for who, words in named(talk):
        cut = words.find(" ", len(words) // 2)
        lines += [f"{who}: {words[:cut]}", words[cut + 1:]]  # a wrapped line continues the turn
    return ("\n".join(lines) + "\n").encode("utf-8")


def txt_timestamped(talk: Conversation) -> bytes:
    return "".join(f"[00:0{n}:02] {who}: {words}\n" for n, (who, words) in enumerate(named(talk))).encode()


def txt_otter(talk: Conversation) -> bytes:
    blocks = [f"{who}  {n}:1{n}  \n{words}\n" for n, (who, words) in enumerate(named(talk))]
    return ("\n".join(blocks) + "\nTranscribed by https://otter.ai\n").encode("utf-8")


def txt_labels(interviewer: str, participant: str):
    def write(talk: Conversation) -> bytes:
        return "".join(f"{interviewer if who == 'I' else participant}: {words}\n"
                       for who, words in talk.exchange()).encode("utf-8")
    return write


def zoom_captions(talk: Conversation) -> bytes:
    return "".join(f"[{who}] 10:0{n}:33\n{words}\n\n" for n, (who, words) in enumerate(named(talk))).encode()


def md_bold(talk: Conversation) -> bytes:
    return ("# Interview\n\n" + "".join(f"**{who}:** {words}\n\n" for who, words in named(talk))).encode()


def md_table(talk: Conversation) -> bytes:
    rows = "".join(f"| {who} | {words} |\n" for who, words in named(talk))
    return f"## Transcript\n\n| Speaker | Text |\n|---|---|\n{rows}".encode()


def encoded(codec: str, bom: bytes = b""):
    def write(talk: Conversation) -> bytes:
        return bom + "".join(f"{who}: {words}\n" for who, words in named(talk)).encode(codec)
    return write


# --- the folder -------------------------------------------------------------------------

def build_input(root: Path) -> list[Conversation]:
    """Write the mixed folder; return the good conversations and what each must produce."""
    conversation = Conversations()
    layouts = [
        (conversation("housing/teams.vtt", "housing", "Priya Natarajan"), teams_vtt),
        (conversation("housing/zoom.vtt", "housing", "iPhone"), zoom_vtt),
        (conversation("housing/interview.md", "housing", "Oskar Lindqvist"), md_bold),
        (conversation("youth/captions.srt", "youth", "Tomas Berg"), srt),
        (conversation("youth/paragraphs.docx", "youth", "Grace Okafor"), docx_paragraphs),
        (conversation("youth/wrapped.txt", "youth", "Mei Chen"), txt_colon),
        (conversation("youth/table.md", "youth", "Ravi Pellow"), md_table),
        (conversation("care/teams.docx", "care", "Fatima Zahra"), docx_teams),
        (conversation("care/otter.docx", "care", "Lukas Meyer"), docx_otter),
        (conversation("care/utf16le.txt", "care", "Sione Tupou", extra="at the café "),
         encoded("utf-16-le", codecs.BOM_UTF16_LE)),
        (conversation("care/utf16be.txt", "care", "Aroha Ngata"), encoded("utf-16-be", codecs.BOM_UTF16_BE)),
        (conversation("finance/table.docx", "finance", "Dmitri Volkov"), docx_table),
        (conversation("finance/otter.txt", "finance", "Ines Duarte"), txt_otter),
        (conversation("finance/legacy.txt", "finance", "Jose Alvarez", extra="at the café for £20 "),
         encoded("cp1252")),
        (conversation("finance/stamped.txt", "finance", "Noor Haddad"), txt_timestamped),
        (conversation("culture/qa.txt", "culture", "A"), txt_labels("Q", "A")),
        (conversation("culture/ir.txt", "culture", "R"), txt_labels("I", "R")),
        (conversation("culture/captions.txt", "culture", "Kofi Mensah"), zoom_captions),
        # The manifest moves this one to another team and gives it an id.
        (conversation("culture/bom.txt", "arts", "Lena Vogel", transcript_id="ARTS-7"),
         encoded("utf-8", codecs.BOM_UTF8)),
    ]
    talks = []
    for talk, writer in layouts:
        path = root / talk.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(writer(talk))
        talks.append(talk)
    talks += write_rows(root, conversation)
    (root / "broken").mkdir()
    (root / "broken" / "empty.vtt").write_bytes(b"")
    (root / "broken" / "corrupt.docx").write_bytes(raw_docx_bytes(para("Sam: Hi."))[:300])
    (root / "broken" / "header_only.vtt").write_bytes(b"WEBVTT\n\n")
    (root / "manifest.csv").write_text(
        "file,team,interviewer,date,transcript_id\n"
        f"culture/bom.txt,arts,{INTERVIEWER},2024-03-01,ARTS-7\n"
        f"care/otter.docx,care,{INTERVIEWER},2024-03-02,\n", encoding="utf-8")
    return talks


def write_rows(root: Path, conversation: Conversations) -> list[Conversation]:
    """A .csv with two conversations and a role column, and a .jsonl with one; teams in the rows."""
    csv_talks = [conversation("rows.csv", "finance", "Hana Sato", transcript_id="CSV-1"),
                 conversation("rows.csv", "care", "Omar Farouk", transcript_id="CSV-2")]
    with (root / "rows.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["transcript_id", "speaker", "team", "role", "text"])
        for talk in csv_talks:
            for who, words in talk.exchange():
                out.writerow([talk.transcript_id, INTERVIEWER if who == "I" else talk.participant,
                              talk.team, "interviewer" if who == "I" else "participant", words])
    jsonl = conversation("rows.jsonl", "youth", "Elif Kaya", transcript_id="JSONL-1")
    with (root / "rows.jsonl").open("w", encoding="utf-8") as handle:
        for who, words in jsonl.exchange():
            handle.write(json.dumps({"transcript_id": jsonl.transcript_id, "team": jsonl.team,
                                     "speaker": INTERVIEWER if who == "I" else jsonl.participant,
                                     "text": words}) + "\n")
    return [*csv_talks, jsonl]


def snapshot(root: Path) -> dict[str, tuple]:
    """Every file and folder under `root`: content hash, modification time, mode."""
    state = {}
    for path in sorted(root.rglob("*")):
        info = path.stat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        state[path.relative_to(root).as_posix()] = (digest, info.st_mtime_ns, info.st_mode)
    return state


# --- the runs ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def batch(tmp_path_factory, nlp):
    """The folder, then a library run and a command-line run into the same OUT."""
    base = tmp_path_factory.mktemp("batch")
    folder = base / "input"
    talks = build_input(folder)
    before = snapshot(folder)
    out = base / "reports" / "out"
    result = run(folder, out=out, embedder=HashingEmbedder(), nlp=nlp, cache_dir=None)
    first = {path.name: (path.read_bytes(), path.stat().st_ino) for path in out.iterdir()}
    status = _cli_run(folder, out, nlp)
    return {"folder": folder, "talks": talks, "before": before, "out": out, "result": result,
            "first": first, "cli_status": status}


def _cli_run(folder: Path, out: Path, nlp) -> int:
    # The command line builds its own models; swap in the same stand-ins so the run stays
    # fast and offline. Everything else (arguments, exit status, writing) is the real CLI.
    patch = pytest.MonkeyPatch()
    patch.setattr(runner.fresh, "load_spacy", lambda *args, **kwargs: nlp)
    patch.setattr(runner.fresh, "embedder_from_config", lambda *args, **kwargs: HashingEmbedder())
    # The CLI configures logging for a process of its own; undo that for the tests that follow.
    root, package = logging.getLogger(), logging.getLogger("pipeline")
    saved = (root.level, list(root.handlers), package.level)
    try:
        return cli.main(["run", str(folder), "--out", str(out), "--no-cache", "-q"])
    finally:
        patch.undo()
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]
        package.setLevel(saved[2])


def test_exit_status_is_3_from_the_library_and_the_command_line(batch):
    assert batch["result"].exit_status == EXIT_PARTIAL == 3
    assert batch["cli_status"] == 3


def test_run_json_lists_exactly_the_broken_files_each_with_a_reason(batch):
    inputs = json.loads((batch["out"] / "run.json").read_text(encoding="utf-8"))["inputs"]
    failed = {i["file"]: i["reason"] for i in inputs if i["status"] == "failed"}
    assert set(failed) == BROKEN
    assert "empty" in failed["broken/empty.vtt"]
    assert "damaged or incomplete" in failed["broken/corrupt.docx"]
    assert "no WebVTT cues" in failed["broken/header_only.vtt"]
    status = {i["file"]: i["status"] for i in inputs}
    good = {talk.file for talk in batch["talks"]}
    assert {file for file, s in status.items() if s == "ok"} == good
    assert status["manifest.csv"] == "skipped"
    assert set(status) == good | BROKEN | {"manifest.csv"}


def test_every_participant_turn_reaches_quotes_under_its_team_and_transcript(batch):
    quotes = _quotes(batch["out"])
    assert set(quotes[schema.SPEAKER].str.rsplit(" ", n=1).str[0]) == {"Participant"}
    for talk in batch["talks"]:
        for marker, _ in talk.answers:
            found = quotes[quotes[schema.TEXT].str.contains(rf"\b{marker}\b")]
            assert len(found) == 1, f"{talk.file}: the answer marked '{marker}' is missing"
            row = found.iloc[0]
            assert (row[schema.TRANSCRIPT_ID], row[schema.TEAM]) == (talk.transcript_id, talk.team), talk.file
    # One participant per conversation, and no two conversations share one ("A", "R", "iPhone").
    per_transcript = quotes.groupby(schema.TRANSCRIPT_ID)[schema.SPEAKER].nunique()
    assert (per_transcript == 1).all()
    assert quotes[schema.SPEAKER].nunique() == len(batch["talks"])


def test_text_in_every_encoding_arrives_intact(batch):
    texts = " ".join(_quotes(batch["out"])[schema.TEXT])
    assert texts.count("café") == 4  # two answers each from the UTF-16 LE and the cp1252 file
    assert "£20" in texts and "Ã" not in texts


def test_no_interviewer_question_becomes_a_quote(batch):
    texts = " ".join(_quotes(batch["out"])[schema.TEXT])
    for talk in batch["talks"]:
        for marker, _ in talk.questions:
            assert marker not in texts, f"{talk.file}: the question marked '{marker}' became a quote"
    assert "tell me more about" not in texts


def test_the_input_folder_is_byte_identical_afterwards(batch):
    assert snapshot(batch["folder"]) == batch["before"]


def test_the_second_run_replaced_out_and_left_nothing_beside_it(batch):
    out = batch["out"]
    assert {p.name for p in out.iterdir()} == set(batch["first"]) >= REPORT_FILES
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no staging folder left over
    for name, (content, inode) in batch["first"].items():
        assert (out / name).stat().st_ino != inode, f"{name} was not replaced"
        if name.endswith(".csv"):  # same inputs, seed and models: the same tables
            assert (out / name).read_bytes() == content, name
    summary = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert summary["counts"]["files_failed"] == 3 and summary["counts"]["transcripts"] == len(batch["talks"])


def _quotes(out: Path):
    import pandas as pd

    return pd.read_csv(out / "quotes.csv", keep_default_na=False, dtype={schema.QUOTE_ID: str})
