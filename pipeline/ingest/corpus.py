"""`read_corpus`: every file under INPUT into one turns table, one record per file.

Each transcript file is read on its own: its bytes are hashed, handed to the
parser for its extension, cleaned and numbered. A file that fails becomes a
"failed" record with a reason and the others go on, so one bad export never
sinks a workshop's worth of transcripts; a second copy of a conversation is
"skipped" (`duplicates`). Once every file is read, the spellings of one
team are made one (`teams`: the most used spelling can only be known then),
and roles are decided, because the most-conversations heuristic looks across
all transcripts; generic labels are then scoped to their transcript
(`speakers`). A transcript that looks like several interviews gathered in one
file is warned about (`gathered`), naming the file by its position among the
inputs, since a file name may hold a person's name.

Nothing here writes: inputs are opened read-only, and the caller decides
what to do with failures (the contract's exit status 3).
"""
from __future__ import annotations

import codecs
import hashlib
import logging
import stat
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from pipeline import schema
from pipeline.config import IngestConfig
from pipeline.errors import ConfigError, InputFileError, UsageError

from .assemble import FileDefaults, assemble
from .discover import KIND_MANIFEST, KIND_ROSTER, KIND_TRANSCRIPT, FoundFile, discover
from .docx_reader import parse_docx
from .duplicates import DuplicateFinder
from .gathered import gathered_signs
from .html_reader import parse_html
from .language import non_english
from .mail import parse_eml
from .manifest import ManifestEntry, read_manifest, read_roster
from .odt_reader import parse_odt
from .pdf_reader import parse_pdf
from .records import STATUS_FAILED, STATUS_OK, STATUS_SKIPPED, Corpus, InputRecord, ParsedTurn, ParseOptions, Transcript
from .relabelled import relabelled_pairs
from .roles import RoleDecision, decide_roles, file_method
from .rows import parse_csv, parse_json, parse_jsonl
from .rtf_reader import parse_doc, parse_rtf
from .sbv import parse_sbv
from .speakers import scoped
from .teams import team_spellings
from .text import parse_md, parse_txt
from .vtt import parse_srt, parse_vtt
from .xlsx_reader import parse_xlsx

logger = logging.getLogger(__name__)

Parser = Callable[[bytes, ParseOptions], list[ParsedTurn]]
PARSERS: dict[str, Parser] = {
    ".txt": parse_txt, ".md": parse_md, ".docx": parse_docx, ".odt": parse_odt, ".pdf": parse_pdf,
    ".vtt": parse_vtt, ".srt": parse_srt, ".csv": parse_csv, ".tsv": parse_csv, ".jsonl": parse_jsonl,
    ".json": parse_json, ".xlsx": parse_xlsx, ".xlsm": parse_xlsx, ".rtf": parse_rtf, ".sbv": parse_sbv,
    ".eml": parse_eml, ".html": parse_html, ".htm": parse_html,
    ".doc": parse_doc,  # only the .doc files that are RTF, HTML or a .docx are listed as transcripts (`discover`)
}
_CHUNK = 1 << 20
_INTERNAL_REASON = ("could not be read because of an internal error in the reader; the file may "
                    "be fine: please report it, and convert the file to .txt meanwhile")
_EMPTY_REASON = ("nothing was said once noise markers such as {vocalsound} or [inaudible] were "
                 "removed")


def read_corpus(path: str | Path, config: IngestConfig) -> Corpus:
    """Read a folder of transcripts (recursively) or a single transcript file.

    Raises `UsageError` when `path` does not exist or a side file (manifest,
    roster) is broken, and `ConfigError` for an unknown fallback encoding.
    Problems with a single transcript never raise: see `Corpus.inputs`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from pipeline.config import load_config
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "housing").mkdir()
    >>> _ = (folder / "housing" / "anna.txt").write_text("Sam: Why?\\nAnna: Because.\\n")
    >>> corpus = read_corpus(folder, load_config().ingest)
    >>> corpus.turns[["turn", "speaker", "role", "team"]].values.tolist()
    [[0, 'Sam', 'interviewer', 'housing'], [1, 'Anna', 'participant', 'housing']]
    """
    root = Path(path)
    if not root.exists():
        raise UsageError("INPUT does not exist",
                         "give a folder of transcripts or one transcript file", path=root)
    _check_encoding(config.fallback_encoding)
    found = discover(root)
    manifest = _read_side_file(found, KIND_MANIFEST, read_manifest, config, default={})
    roster = _read_side_file(found, KIND_ROSTER, read_roster, config, default=[])
    known = frozenset(name.casefold() for name in
                      [*roster, *config.interviewers,
                       *(n for entry in manifest.values() for n in entry.interviewers)])
    _warn_unmatched(manifest, found)

    records: list[InputRecord] = []
    transcripts: list[Transcript] = []
    owner: dict[str, str] = {}  # transcript id -> the file that first used it
    duplicates = DuplicateFinder()
    for item in found:
        if item.kind != KIND_TRANSCRIPT:
            records.append(InputRecord(item.relative, _sha256_of_file(item.path), STATUS_SKIPPED,
                                       item.reason))
            continue
        entry = manifest.get(item.relative)
        record, file_transcripts = _read_file(item, root, entry, known, config)
        first = (duplicates.first_copy(item.relative, record.sha256, file_transcripts)
                 if record.status == STATUS_OK else None)
        if first is not None:
            logger.warning("%s: skipped: the same conversation as %s", item.relative, first)
            record = InputRecord(record.file, record.sha256, STATUS_SKIPPED,
                                 f"the same conversation as {first} (a copy or a second export "
                                 "of it); keep one of the two")
            file_transcripts = []
        clash = next((owner[t.transcript_id] for t in file_transcripts
                      if t.transcript_id in owner), None)
        if clash is not None:
            record = InputRecord(record.file, record.sha256, STATUS_FAILED,
                                 f"uses a transcript id that {clash} already uses (give each "
                                 "transcript a unique transcript_id in the manifest or the rows)")
            file_transcripts = []
        for transcript in file_transcripts:
            owner[transcript.transcript_id] = item.relative
        record.transcript_ids = sorted(t.transcript_id for t in file_transcripts)
        records.append(record)
        transcripts.extend(file_transcripts)

    _merge_team_spellings(transcripts)
    decisions = decide_roles(transcripts, config.interviewers,
                             {file: entry.interviewers for file, entry in manifest.items()})
    for record in records:
        if record.status == STATUS_OK:
            record.interviewer_method = file_method(
                [decisions[tid].method for tid in record.transcript_ids])
    _log_summary(records)
    turns = _turns_frame(transcripts, decisions)
    _warn_teamless(turns)
    records.sort(key=lambda r: r.file)
    _warn_gathered(turns, records)
    _warn_relabelled(turns, records)
    _mark_non_english(turns, records)
    return Corpus(turns=turns,
                  inputs=records,
                  roster=roster,
                  manifest_found=any(f.kind == KIND_MANIFEST for f in found))


def _read_file(item: FoundFile, root: Path, entry: ManifestEntry | None,
               known: frozenset[str], config: IngestConfig) -> tuple[InputRecord, list[Transcript]]:
    """Read one transcript file; every failure becomes a failed record, never an exception."""
    sha = ""
    try:
        status = item.path.stat()  # follows a symlink; raises if it dangles
        if not stat.S_ISREG(status.st_mode):
            # A pipe or device would block the read forever.
            raise InputFileError("not a regular file", "replace it with the transcript file",
                                 path=item.relative)
        size = status.st_size
        limit = int(config.max_file_mb * 1024 * 1024)
        if size > limit:
            sha = _sha256_of_file(item.path)
            raise InputFileError(
                f"the file is {size / 1024 / 1024:.1f} MB, "
                f"over the {config.max_file_mb:g} MB limit",
                "split it, or raise ingest.max_file_mb in the config", path=item.relative)
        with item.path.open("rb") as handle:  # read-only: inputs are never modified
            data = handle.read()
        sha = hashlib.sha256(data).hexdigest()
        options = ParseOptions(item.relative, config.fallback_encoding, known, limit)
        parsed = PARSERS[item.path.suffix.casefold()](data, options)
        transcripts = assemble(parsed, _defaults(item, root, entry))
        if not transcripts:
            raise InputFileError(_EMPTY_REASON, "check that the file holds the transcript",
                                 path=item.relative)
    except InputFileError as exc:
        reason = f"{exc.message} ({exc.hint})" if exc.hint else exc.message
        logger.warning("%s: %s: %s", item.relative, exc.status, reason)
        return InputRecord(item.relative, sha, exc.status, reason), []
    except OSError as exc:
        reason = f"cannot be read ({exc.strerror or type(exc).__name__}); check its permissions"
        logger.warning("%s: failed: %s", item.relative, reason)
        return InputRecord(item.relative, sha, STATUS_FAILED, reason), []
    except Exception as exc:  # one file must never sink the run
        # The type only: a message could quote the transcript.
        logger.debug("%s: %s while reading", item.relative, type(exc).__name__)
        logger.warning("%s: failed: internal error in the reader", item.relative)
        return InputRecord(item.relative, sha, STATUS_FAILED, _INTERNAL_REASON), []
    return InputRecord(item.relative, sha, STATUS_OK, ""), transcripts


# What to do about conversations without a team, said with the warning.
TEAMLESS_HINT = ("put each team's transcripts in a sub-folder of INPUT named after the team, or name each file's "
                 "team in manifest.csv (file,team) at the root of INPUT")


# Speakers from which one conversation is more than an interview (two, or three with a second interviewer).
_MANY_SPEAKERS = 4


def _warn_teamless(turns: pd.DataFrame) -> None:
    """Warn when conversations have no team: they all count as one team, `unknown`.

    Shared dilemmas, common ground and the themes' breadth are counted in
    teams, so a flat folder of transcripts without a manifest finds nothing
    shared, and a report that says only that would leave the user guessing.
    One interview alone has nothing to share in any case; one conversation of
    `_MANY_SPEAKERS` or more is warned about too, since it may be a table of
    responses or requests read as one conversation (its rows named no
    conversation and the person column was not recognised as a submitter's).
    Counts only: a transcript id is a file name, which may hold a name.
    """
    if turns.empty:
        return
    team_of = turns.groupby(schema.TRANSCRIPT_ID, sort=False)[schema.TEAM].first()
    teamless = int((team_of == schema.UNKNOWN_TEAM).sum())
    if teamless == 0:
        return
    if len(team_of) < 2:
        speakers = int(turns[schema.SPEAKER].nunique())
        if speakers >= _MANY_SPEAKERS:
            logger.warning("the one conversation read has %d speakers and no team: it counts as one team, '%s', "
                           "so no dilemma, theme or reason can be shared across teams; if its rows are separate "
                           "responses or requests, name each row's conversation in a transcript_id column (or its "
                           "writer in a 'respondent' or 'submitted by' column) and its team in a team column; %s",
                           speakers, schema.UNKNOWN_TEAM, TEAMLESS_HINT)
        return
    if teamless == len(team_of):
        logger.warning("no conversation has a team: all %d count as one team, '%s', so no dilemma, theme or "
                       "reason can be shared across teams; %s", teamless, schema.UNKNOWN_TEAM, TEAMLESS_HINT)
    else:
        logger.warning("%d of %d conversations have no team: they count together as one team, '%s'; %s",
                       teamless, len(team_of), schema.UNKNOWN_TEAM, TEAMLESS_HINT)


# What to do about a file that holds several conversations, said with the warning.
GATHERED_HINT = ("put each interview in a file of its own, or use a .csv with one row per person (or a transcript_id "
                 "column naming each row's conversation)")


def _warn_gathered(turns: pd.DataFrame, records: list[InputRecord]) -> None:
    """Warn, file by file, about transcripts that look like several conversations (`gathered`).

    A file is named by its position among run.json's inputs, not by its
    name, which may hold a person's; the signs are counts.
    """
    position = {record.file: index for index, record in enumerate(records, start=1)}
    for source, signs in gathered_signs(turns).items():
        logger.warning("input %d of %d (in run.json's order) looks like several interviews in one file (%s), but a "
                       "file is read as one conversation, so its people's words count as one conversation's; %s",
                       position[source], len(records), "; ".join(signs), GATHERED_HINT)


def _warn_relabelled(turns: pd.DataFrame, records: list[InputRecord]) -> None:
    """Warn about files where a slot label ("Speaker 1") stops as a named speaker starts (`relabelled`).

    Named by position among run.json's inputs, as `_warn_gathered` does; never a label or a name.
    """
    position = {record.file: index for index, record in enumerate(records, start=1)}
    for source, pairs in relabelled_pairs(turns).items():
        logger.warning("input %d of %d (in run.json's order): %d speaker label(s) such as 'Speaker 1' stop speaking "
                       "just before a named speaker first speaks, and never speak again: a transcription tool may "
                       "have renamed one speaker part-way, so one person counts as two speakers; if they are one, "
                       "give both labels the same name in the transcript", position[source], len(records), pairs)


def _mark_non_english(turns: pd.DataFrame, records: list[InputRecord]) -> None:
    """Mark, and warn about, the files whose text is confidently not English (`language`).

    Named by position among run.json's inputs, as `_warn_gathered` does; the language is a code, no text.
    """
    if turns.empty:
        return
    position = {record.file: index for index, record in enumerate(records, start=1)}
    found = non_english((file, group[schema.TEXT]) for file, group in turns.groupby(schema.SOURCE_FILE, sort=True))
    for record in records:
        record.language = found.get(record.file, record.language)
    for file, language in found.items():
        logger.warning("input %d of %d (in run.json's order) is in another language than English (%s); the name "
                       "finder, the sentence model and the dilemma cues read English, so names in it may be missed "
                       "and its themes are unreliable: read its anonymised quotes before sharing the report, or "
                       "leave it out", position[file], len(records), language)


def _merge_team_spellings(transcripts: list[Transcript]) -> None:
    """Give each team one spelling (`teams`), in place, and warn how many spellings were merged.

    Counts only: a team may be named after a person.
    """
    renamed = team_spellings(team for t in transcripts for team in {turn.team for turn in t.turns})
    if not renamed:
        return
    for transcript in transcripts:
        for turn in transcript.turns:
            turn.team = renamed.get(turn.team, turn.team)
    logger.warning("%d team name spelling(s) differ from another only in capitals, spaces, underscores or hyphens: "
                   "each was merged into its team's most used spelling (%d team(s) concerned); to avoid this, spell "
                   "each team the same way in folder names, manifest.csv and team columns",
                   len(renamed), len(set(renamed.values())))


def _defaults(item: FoundFile, root: Path, entry: ManifestEntry | None) -> FileDefaults:
    parts = item.relative.split("/")
    folder_team = parts[0] if root.is_dir() and len(parts) > 1 else schema.UNKNOWN_TEAM
    return FileDefaults(
        source_file=item.relative,
        transcript_id=(entry.transcript_id if entry and entry.transcript_id else item.relative),
        team=(entry.team if entry and entry.team else folder_team),
    )


def _turns_frame(transcripts: list[Transcript],
                 decisions: dict[str, RoleDecision]) -> pd.DataFrame:
    empty = schema.empty_turns()
    # Roles are decided on the labels as written; only then is a generic label
    # ("Q", "Speaker 2") tied to its transcript, so it names one person, not one per run.
    names: dict[tuple[str, str], str] = {}
    rows = []
    for t in transcripts:
        for turn in t.turns:
            key = (turn.speaker, t.transcript_id)
            if key not in names:
                names[key] = scoped(*key)
            role = decisions[t.transcript_id].role_of(turn)
            rows.append((t.transcript_id, turn.turn, names[key], role, turn.team, turn.start,
                         turn.text, t.source_file))
    if not rows:
        return empty
    frame = pd.DataFrame(rows, columns=schema.TURN_COLUMNS)
    frame = frame.astype(empty.dtypes.to_dict())
    frame = frame.sort_values([schema.TRANSCRIPT_ID, schema.TURN], kind="stable")
    return frame.reset_index(drop=True)


def _read_side_file(found: list[FoundFile], kind: str, reader, config: IngestConfig, default):
    side = next((f for f in found if f.kind == kind), None)
    return reader(side.path, config.fallback_encoding) if side else default


def _warn_unmatched(manifest: dict[str, ManifestEntry], found: list[FoundFile]) -> None:
    present = {f.relative for f in found}
    missing = sorted(set(manifest) - present)
    if missing:
        logger.warning("manifest.csv lists %d file(s) not found under INPUT: %s",
                       len(missing), ", ".join(missing))


def _check_encoding(name: str) -> None:
    try:
        codecs.lookup(name)
    except LookupError:
        raise ConfigError(f"'ingest.fallback_encoding' is '{name}', which Python does not know",
                          "use an encoding name such as cp1252 or latin-1") from None


def _sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        if not path.is_file():
            return ""
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(_CHUNK), b""):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()


def _log_summary(records: list[InputRecord]) -> None:
    counts = {status: sum(r.status == status for r in records)
              for status in (STATUS_OK, STATUS_FAILED, STATUS_SKIPPED)}
    logger.info("ingest: %d file(s) read, %d failed, %d skipped",
                counts[STATUS_OK], counts[STATUS_FAILED], counts[STATUS_SKIPPED])
