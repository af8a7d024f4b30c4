"""A fresh run: every stage in order, from the input folder to the report.

`run()` is the library entry point used by the CLI and by notebooks. Each
phase is a function; they share one `_Context`.
"""

from __future__ import annotations

import gc
import logging
import re
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import distributed, schema
from ..anonymise import anonymise, file_name_masker, neutralise_placeholders
from ..anonymise.cache import FindingsCache
from ..config import Config, load_config
from ..curation import DilemmaTables, curate, load_curation, read_theme_keys, snapshot_dilemma_keys, snapshot_keys
from ..dilemmas import find_dilemmas
from ..embed import EmbeddingCache, embed_texts, embedder_from_config
from ..errors import NoUsableInputError
from ..ground import FORMULA, summarise_themes
from ..ingest import read_corpus
from ..ingest.discover import TRANSCRIPT_EXTENSIONS
from ..ingest.records import STATUS_OK
from ..leakcheck import secure_staged_outputs
from ..nlp import common_words, load_spacy, parse
from ..parsecache import ParseCache
from ..parsecache import fingerprint as parse_fingerprint
from ..report import write_report
from ..segment import preceding_prompts, segment
from ..signals import detect_signals
from ..signals.cache import CueCache
from ..signals.learned import LearnedDetectors, apply_learned
from ..themes import build_theme_model
from ..themes.answer_context import vectors_in_context
from ..themes.context import add_theme_context
from ..themes.phrases import quote_phrases
from ..version import package_version
from .log_names import HeldFileNames, input_files
from .result import (
    DEFAULT_CACHE,
    Run,
    _check_out,
    _curation_path,
    _shareable_config,
    _theme_counts,
    default_cache_dir,
    report_data,
)

logger = logging.getLogger(__name__)


class _Timer:
    """Times the stages; at each stage's end the heap's free pages go back (`release_freed_memory`) and
    `settle`, if given, is called (`_survivors_frozen`).

    A stage's temporaries (the encoder's activations, the clustering's and
    the refits' arrays, the dilemma search's tables) are freed when it ends,
    but glibc keeps their heap pages: on the 137 AMI meetings 120 to 300 MB
    after each of embed, themes, ground and dilemmas, which the next stage's
    peak would stand on. The trim is in the stage's time (milliseconds).
    """

    def __init__(self, on_stage: Callable[[str], None] | None, settle: Callable[[], None] | None = None):
        self.timings: dict[str, float] = {}
        self.on_stage = on_stage
        self.settle = settle

    @contextmanager
    def stage(self, name: str):
        if self.on_stage is not None:
            self.on_stage(name)
        start = time.perf_counter()
        yield
        release_freed_memory()
        if self.settle is not None:
            self.settle()
        self.timings[name] = round(time.perf_counter() - start, 3)
        logger.debug("stage %s took %.2fs", name, self.timings[name])


@contextmanager
def _survivors_frozen():
    """Yield a function that keeps the objects alive so far out of the garbage collector's full passes.

    A run holds hundreds of thousands of long-lived objects (the libraries,
    the spaCy pipeline, every turn's Doc and its strings), and each full
    pass of Python's cycle collector walks them all: a second of a 16 s warm
    run of AMI-40, in four passes that found a few dozen objects. What
    survives a stage is frozen (`gc.freeze`), so later passes walk only what
    is newer; an object frozen is still freed when its last reference goes,
    as Docs and arrays are, and only a reference cycle among frozen objects
    waits for the end of the run, when everything is handed back to the
    collector (`gc.unfreeze`). If the process had frozen objects before the
    run, the function does nothing, so as not to thaw them.
    """
    if gc.get_freeze_count():
        yield lambda: None
        return
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


def run(input_path: str | Path, out: str | Path | None = None, config: Config | str | Path | None = None, *,
        seed: int | None = None, roster: list[str] | None = None, cache_dir: str | Path | None = DEFAULT_CACHE,
        embedder=None, nlp=None, on_stage: Callable[[str], None] | None = None,
        scheduler: str | None = None) -> Run:
    """Run the whole pipeline over a folder (or file) of transcripts.

    Parameters
    ----------
    input_path : folder read recursively, or one transcript file.
    out : folder for the report files; None keeps everything in memory.
    config : a Config, a TOML path, or None for the defaults.
    seed : overrides `config.seed`.
    roster : names that must always be replaced, besides roster.txt and the config's.
    cache_dir : cache folder (embeddings, parses, theme fits; no text); "default" for the user cache, None for none.
    embedder, nlp : injected models (tests pass a fake embedder); default: the pinned ones.
    on_stage : called with each stage's name as it starts (progress display).
    scheduler : a Dask scheduler address; overrides `[distributed] scheduler`. With one,
        parse and embed run on the cluster's workers (pipeline/distributed.py).

    Returns
    -------
    Run
        The tables of the run folder as DataFrames (`dilemmas`, `dilemma_decisions`,
        `common_ground`, `themes`, `quotes`, `decisions`), `summary` (run.json) and
        `embeddings`. In a notebook it shows itself; `result.dilemma(0)` and
        `result.theme(0)` show a card as the report does, `result.said(team)` the
        decisions a team took in its words, `result.map()` and `result.heatmap()` draw
        figures with no network; `help(result)` lists the rest. A finished run
        reads back with `pipeline.load_run(out)` in seconds.

    Examples
    --------
    >>> import pipeline
    >>> result = pipeline.run("data/sample", out="reports/sample")   # about a minute  # doctest: +SKIP
    >>> result.dilemmas[["title", "teams", "common_ground"]].head()  # doctest: +SKIP
    >>> result.dilemma(0)                                             # doctest: +SKIP
    >>> pipeline.run("data/sample", config=pipeline.load_config(**{"cluster.min_cluster_size": 12}))  # doctest: +SKIP
    """
    started = datetime.now(UTC)
    if not isinstance(config, Config):
        config = load_config(config)
    if seed is not None:
        config = config.replace(seed=seed)
    input_path = Path(input_path)
    if out is not None:
        _check_out(input_path, Path(out))
    # Read before any work, so a malformed curation file stops the run at once (exit 2).
    curation_path = _curation_path(config.curation.file, out, "[curation] file in the config")
    curation = load_curation(curation_path) if curation_path else None
    scheduler = scheduler or config.distributed.scheduler
    # Ingest logs each file it cannot read by its path, which may hold a name: held until it can be masked.
    with _survivors_frozen() as settle, HeldFileNames(input_files(input_path)) as held:
        context = _Context(config, _Timer(on_stage, settle), _cache_folder(cache_dir), nlp, embedder,
                           distributed.connect(scheduler) if scheduler else None, held_names=held)
        return _run_stages(input_path, out, config, roster, curation, curation_path, started, context)


def _run_stages(input_path: Path, out, config: Config, roster, curation, curation_path, started: datetime,
                context: _Context) -> Run:
    """Every stage of `run`, in order, with `context`'s clock, caches and models."""
    try:
        corpus, turns, anonymised, quotes, phrases = _parsed_stages(input_path, list(roster or []), context)
        vectors, model = _themes(quotes, anonymised, phrases, context)
        with context.timer.stage("ground"):
            themes, quotes, decisions, outlier_share = summarise_themes(
                quotes, vectors, model.keywords_, model.theme_labels_, model.centroids_, config)
            themes, quotes = add_theme_context(themes, quotes, vectors,
                                               _prompt_vectors(quotes, anonymised.turns, context),
                                               lambda indices: model.refit_labels(vectors, indices), config)
        with context.timer.stage("dilemmas"):
            found = find_dilemmas(quotes, vectors, config, themes, encode=lambda texts: _encoded(texts, context))
            quotes[schema.DILEMMA_ID] = found.dilemma_of.to_numpy()
        with context.timer.stage("curate"):
            # Keys from the run this one replaces keep the themes' and dilemmas' names; the
            # curation file (renames, merges, splits, hides; retitles, drops) is re-applied.
            previous = read_theme_keys(out) if out is not None else None
            curated = curate(themes, quotes, decisions, curation, previous=snapshot_keys(previous),
                             config=config, source=curation_path.name if curation_path else "",
                             dilemmas=DilemmaTables(found.dilemmas, found.decisions, found.common_ground),
                             previous_dilemmas=snapshot_dilemma_keys(previous))
        dilemmas = curated.dilemmas
        summary = _summary(started, corpus, turns, anonymised, curated, outlier_share, model, context)
        summary["counts"].update(dilemmas.counts())
        result = Run(themes=curated.themes, quotes=curated.quotes, decisions=curated.decisions, summary=summary,
                     turns=anonymised.turns, embeddings=vectors, out_dir=Path(out) if out is not None else None,
                     theme_keys=curated.snapshot, dilemmas=dilemmas.dilemmas, dilemma_decisions=dilemmas.decisions,
                     common_ground=dilemmas.common_ground)
        if out is not None:
            with context.timer.stage("report"):
                # Fail closed: the staged files are searched for every original before any is published.
                write_report(out, report_data(result, config), summary,
                             check=partial(secure_staged_outputs, originals=anonymised.leak_terms,
                                           placeholders=anonymised.leak_placeholders))
        return result
    finally:
        # Close the cluster connection whatever happened; the run's errors still propagate.
        if context.client is not None:
            context.client.close()


@dataclass
class _Context:
    """What every stage of one run shares: settings, clock, caches, models, and the cluster if any."""

    config: Config
    timer: _Timer
    cache_folder: Path | None
    nlp: Any = None
    embedder: Any = None
    client: Any = None
    embed_cache: EmbeddingCache | None = None
    counts: dict[str, int] = field(default_factory=dict)  # cache hits, for run.json
    signal_detectors: str = "rules"  # what flagged the signals: "learned" or "rules"
    held_names: HeldFileNames | None = None  # log records naming an input file, until the anonymise stage


def _cache_folder(cache_dir: str | Path | None) -> Path | None:
    if cache_dir is None:
        return None
    return default_cache_dir() if cache_dir == DEFAULT_CACHE else Path(cache_dir)


def _parsed_stages(input_path: Path, roster: list[str], context: _Context):
    """Every stage that reads the spaCy parse, then the parse let go.

    The Docs of every turn (two sets where a turn was anonymised: the
    original's and the anonymised one's) are the run's largest objects, some
    500 MB on the 137 AMI meetings, and nothing after the quote units' key
    phrases reads them. Read here, they are released before the sentence
    encoder and the clustering need their memory: their references live
    only in this function's frame and in `anonymised.docs`, emptied here.

    Returns the corpus, the turns, the anonymised turns (without Docs), the
    quote units with their signals, and each unit's key-phrase candidates.
    """
    corpus, turns, docs = _read_and_parse(input_path, context)
    anonymised, quotes = _quote_units(input_path, corpus, turns, docs, roster, context)
    with context.timer.stage("phrases"):
        # The labels' key phrases, read from the anonymised parse, never from a name.
        phrases = quote_phrases(quotes, anonymised.docs, names=anonymised.distinctive)
    anonymised.docs = []
    del docs
    release_freed_memory()
    return corpus, turns, anonymised, quotes, phrases


def release_freed_memory() -> None:
    """Return the heap's free pages to the system (glibc's `malloc_trim`); nothing elsewhere.

    A Doc's token array and strings are many small allocations in the heap.
    Freed, their pages stay resident, and the large arrays allocated next
    (the encoder's, the clustering's) are mapped outside the heap, so without
    the trim the freed Docs still count in the run's peak memory. The same
    holds for the sentence encoder's activations: below glibc's mmap
    threshold (which rises to the largest block freed, up to 32 MB) they
    are carved from the heap too. A trim takes milliseconds and changes no
    value, only which pages the process keeps.
    """
    import ctypes

    try:  # the process's own symbols: no library search, which would start a subprocess
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc (macOS, musl): the memory is reused, not returned
        return
    trim(0)


def _read_and_parse(input_path: Path, context: _Context):
    """Ingest every file, then parse every turn once (the parse serves anonymise, segment and signals)."""
    config, timer = context.config, context.timer
    with timer.stage("ingest"):
        corpus = read_corpus(input_path, config.ingest)
    turns = corpus.turns.reset_index(drop=True)
    if turns.empty:
        raise NoUsableInputError("no transcript in the input could be read" + _why_unread(corpus.inputs),
                                 "fix or convert the files named; supported: " + " ".join(TRANSCRIPT_EXTENSIONS),
                                 input_path)
    with timer.stage("parse"):
        context.nlp = context.nlp or load_spacy()
        texts = turns[schema.TEXT].tolist()
        if context.client is not None:
            docs = distributed.parse(context.client, texts, turns[schema.TRANSCRIPT_ID].tolist(), nlp=context.nlp,
                                     transcripts_per_task=config.distributed.transcripts_per_task)
            context.counts["turns_parse_cached"] = 0
        else:
            parse_cache = None if context.cache_folder is None else ParseCache(context.cache_folder)
            docs = parse(context.nlp, texts, cache=parse_cache, batch_size=config.parse.batch_size,
                         n_process=config.parse.processes, min_chars_per_process=config.parse.min_chars_per_process)
            context.counts["turns_parse_cached"] = parse_cache.hits if parse_cache else 0
    return corpus, turns, docs


# How many unread files the no-input error names; the rest are counted.
_UNREAD_NAMED = 5


def _why_unread(records) -> str:
    """The unread files and their reasons, for the error itself: with --quiet no warning shows them.

    A record's reason never holds transcript text (`InputRecord`).

    >>> from pipeline.ingest.records import InputRecord
    >>> _why_unread([InputRecord("a.txt", "", "failed", "no speaker turns found")])
    ': a.txt (failed: no speaker turns found)'
    >>> _why_unread([InputRecord("Interview 2 - Kim Farrow.pdf", "", "failed", "not a PDF")])
    ': Interview 2 - PERSON-1.pdf (failed: not a PDF)'
    >>> _why_unread([])
    ''
    """
    unread = [r for r in records if r.status != STATUS_OK]
    # No text was read, so a file name holding a name is masked by its own evidence ("Kim Farrow"), as the log is.
    mask = file_name_masker([r.file for r in records])
    paths = re.compile("|".join(re.escape(r.file) for r in sorted(records, key=lambda r: -len(r.file))))
    named = "; ".join(f"{mask(r.file)} ({r.status}: {paths.sub(lambda m: mask(m.group()), r.reason)})"
                      for r in unread[:_UNREAD_NAMED])
    more = f"; and {len(unread) - _UNREAD_NAMED} more" if len(unread) > _UNREAD_NAMED else ""
    return f": {named}{more}" if unread else ""


def _quote_units(input_path: Path, corpus, turns: pd.DataFrame, docs: list, roster: list[str], context: _Context):
    """Anonymise the turns, cut participant turns into quote units, and flag their signals."""
    config, timer = context.config, context.timer
    with timer.stage("anonymise"):
        findings = None if context.cache_folder is None else FindingsCache(context.cache_folder,
                                                                           parse_fingerprint(context.nlp))
        anonymised = anonymise(turns, docs, config.anonymise, list(corpus.roster) + roster,
                               common_words=common_words(context.nlp), cache=findings,
                               file_names=[rec.file for rec in corpus.inputs])
        context.counts["turns_findings_cached"] = findings.hits if findings is not None else 0
    if context.held_names is not None:  # the log names each file as run.json will
        context.held_names.release(anonymised.redact)
    with timer.stage("segment"):
        # From here on only anonymised text and its parse: anonymise is the barrier.
        quotes = segment(anonymised.turns, anonymised.docs, config.segment)
    if quotes.empty:
        raise NoUsableInputError("no participant speech found to quote",
                                 "check that speakers are labelled and the interviewer is identified", input_path)
    with timer.stage("signals"):
        cues = None if context.cache_folder is None else CueCache(context.cache_folder, parse_fingerprint(context.nlp))
        quotes = detect_signals(quotes, anonymised.docs, config.signals, turns=anonymised.turns, cache=cues,
                                original_texts=turns[schema.TEXT].tolist())
        context.counts["turns_cues_cached"] = cues.hits if cues is not None else 0
        # The rules' scores are their flags; learned detectors, where configured, replace them after embed.
        for flag, score in ((schema.IS_DILEMMA, schema.DILEMMA_SCORE), (schema.IS_DECISION, schema.DECISION_SCORE),
                            (schema.IS_RATIONALE, schema.RATIONALE_SCORE)):
            quotes[score] = quotes[flag].astype(float)
    return anonymised, quotes


def _themes(quotes: pd.DataFrame, anonymised, phrases: list, context: _Context):
    """Embed the quote units, read each in its answer's context, and fit the themes; `quotes` gains their columns.

    `phrases`: each unit's key-phrase candidates (`_parsed_stages`), which label the themes.
    """
    config, timer, turns = context.config, context.timer, anonymised.turns
    with timer.stage("embed"):
        context.embedder = context.embedder or embedder_from_config(config.embed)
        if context.client is not None:
            context.embedder = distributed.DistributedEmbedder(context.client, context.embedder,
                                                               config.distributed.texts_per_task)
        context.embed_cache = None if context.cache_folder is None else EmbeddingCache(context.cache_folder)
        embeddings, embed_counts = embed_texts(quotes[schema.EMBED_TEXT].tolist(), context.embedder,
                                               context.embed_cache)
        context.counts.update(embed_counts)
    context.signal_detectors = "rules"
    if config.signals.detector == "learned":
        detectors = LearnedDetectors.load()
        if embeddings.shape[1] != detectors.dim:
            # Trained on the pinned model's vectors: another embedder's cannot be read. Say so, keep the rules.
            logger.warning("the learned signal detectors read %d-dimensional vectors of the pinned sentence model; "
                           "this embedder gives %d, so the cue rules flag the signals ([signals] detector = "
                           "\"rules\" says so without this warning)", detectors.dim, embeddings.shape[1])
        else:
            with timer.stage("score"):  # the learned detectors read the vectors the embed stage made
                scored = apply_learned(quotes, turns, embeddings, context.embedder, config.signals,
                                       context.embed_cache, detectors)
                for column in scored.columns:  # in place, as the themes' columns below
                    quotes[column] = scored[column]
            context.signal_detectors = "learned"
    with timer.stage("themes"):
        # From here on a quote is represented by its vector read in its answer's context.
        vectors = vectors_in_context(embeddings, quotes, turns, config.themes.context_weight,
                                     config.themes.context_window)
        model = build_theme_model(config, embedder=context.embedder, cache_dir=context.cache_folder,
                                  n_conversations=quotes[schema.TRANSCRIPT_ID].nunique()).fit(
            vectors, phrases)
        context.counts["theme_fits_cached"] = model.cache.hits if model.cache is not None else 0
        quotes[schema.THEME_ID] = model.labels_
        quotes[schema.PLACED_BY] = model.placed_by_
        quotes[schema.X_2D] = model.map_[:, 0]
        quotes[schema.Y_2D] = model.map_[:, 1]
    return vectors, model


def _summary(started: datetime, corpus, turns: pd.DataFrame, anonymised, curated, outlier_share: dict,
             model, context: _Context) -> dict[str, Any]:
    """run.json: what went in, what came out, and how; no transcript text and no names."""
    config, nlp = context.config, context.nlp
    inputs = [{"file": anonymised.redact(rec.file), "sha256": rec.sha256, "status": rec.status,
               "reason": anonymised.redact(rec.reason), "interviewer": rec.interviewer_method,
               "language": rec.language}
              for rec in corpus.inputs]
    counts = context.counts
    return {
        "version": package_version(),
        "created": started.isoformat(timespec="seconds"),
        "seed": config.seed,
        "config": _shareable_config(config),
        "models": {"sentence_model": context.embedder.fingerprint,
                   "spacy_model": f"{nlp.meta['name']}-{nlp.meta['version']}",
                   "signal_detectors": context.signal_detectors},
        "inputs": inputs,
        "counts": {**_counts(inputs, anonymised.turns, curated.quotes, curated.themes),
                   **{k: counts[k] for k in counts if k not in _CACHE_COUNT_ORDER},
                   **{k: counts.get(k, 0) for k in _CACHE_COUNT_ORDER}},
        "outlier_share_by_team": outlier_share,
        "anonymisation": {**anonymised.counts, "not_names": anonymised.not_names},
        "common_ground_formula": FORMULA,
        "curation": curated.summary,
        "timings": context.timer.timings,
    }


# run.json's counts keep the order they always had: the embedder's counts, then these.
_CACHE_COUNT_ORDER = ("turns_parse_cached", "theme_fits_cached", "turns_findings_cached", "turns_cues_cached")


def _encoded(texts: list[str], context: _Context) -> np.ndarray:
    """Vectors of anonymised texts as the embed stage reads a unit (placeholders neutralised), through its cache."""
    return embed_texts([neutralise_placeholders(t) for t in texts], context.embedder, context.embed_cache)[0]


def _prompt_vectors(quotes: pd.DataFrame, turns: pd.DataFrame, context: _Context) -> list[np.ndarray | None]:
    """Per quote, the vector of the interviewer turn just before it (None when there is none)."""
    prompts = preceding_prompts(quotes, turns)
    rows = iter(_encoded([turns[schema.TEXT].iat[p] for p in prompts if p is not None], context))
    return [None if p is None else next(rows) for p in prompts]


def _counts(inputs: list[dict], turns: pd.DataFrame, quotes: pd.DataFrame, themes: pd.DataFrame) -> dict[str, int]:
    """run.json's counts of files, turns, quotes and themes; `turns` anonymised, as the quotes' transcript ids are.

    A participant turn shorter than `[segment] drop_below_words` gives no quote; a conversation of
    such turns only (a request of four words, say) gives none at all, and is counted, so that the
    report's count of conversations is not read as the number quoted.
    """
    participant = turns[turns[schema.ROLE] == schema.ROLE_PARTICIPANT]
    quoted = set(zip(quotes[schema.TRANSCRIPT_ID], quotes[schema.TURN].astype(int)))
    return {
        "files": len(inputs),
        "files_ok": sum(i["status"] == "ok" for i in inputs),
        "files_failed": sum(i["status"] == "failed" for i in inputs),
        "files_skipped": sum(i["status"] == "skipped" for i in inputs),
        "transcripts": int(turns[schema.TRANSCRIPT_ID].nunique()),
        "teams": int(quotes[schema.TEAM].nunique()),
        "turns": len(turns),
        "participant_turns": len(participant),
        "participant_turns_unquoted": sum((t, int(n)) not in quoted for t, n in zip(
            participant[schema.TRANSCRIPT_ID], participant[schema.TURN])),
        "transcripts_unquoted": int(turns[schema.TRANSCRIPT_ID].nunique() - quotes[schema.TRANSCRIPT_ID].nunique()),
        "quotes": len(quotes),
        **_theme_counts(themes, quotes),
        "dilemma_quotes": int(quotes[schema.IS_DILEMMA].sum()),  # flagged units; the dilemmas: DilemmaTables.counts()
        "decision_quotes": int(quotes[schema.IS_DECISION].sum()),
    }
