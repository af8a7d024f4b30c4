"""One spaCy pipeline, loaded once, run once over every turn.

The parsed documents serve three stages (anonymise reads entities, segment
reads sentences and noun chunks, signals reads lemmas and dependencies), so
the text is parsed a single time per run.
"""
from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from .errors import ModelError
from .models import PINNED, force_offline, verify_pinned

logger = logging.getLogger(__name__)


class DocCache(Protocol):
    """What `parse` needs of a cache (`pipeline.parsecache.ParseCache`, which builds on this module)."""

    def get_many(self, nlp, texts: Sequence[str], chunk_chars: int = ...) -> dict: ...

    def put_many(self, nlp, texts_and_docs: Iterable[tuple[str, object]], chunk_chars: int = ...) -> int: ...

# Turns longer than spaCy's default limit are rare but real (a transcript
# with no speaker labels is one long turn). `parse` cuts any text longer than
# CHUNK_CHARS into pieces at sentence-like boundaries and stitches the parsed
# pieces back into one Doc, so no single call sees more than CHUNK_CHARS and
# memory stays flat; the limit is raised only for callers that call nlp() directly.
MAX_TURN_CHARS = 2_000_000
CHUNK_CHARS = 20_000
# Where a chunk may end, best first: after a line break, after sentence
# punctuation and its whitespace, after any whitespace.
_BREAKS = (re.compile(r"\n\s*"), re.compile(r"[.!?\u2026][\"')\]]*\s+"), re.compile(r"\s+"))


@lru_cache(maxsize=2)
def load_spacy(model: str = PINNED):
    """Load the pinned spaCy pipeline (checksums verified) or a named/local one."""
    force_offline()
    import spacy

    target: str | Path = verify_pinned("spacy_model") if model == PINNED else model
    try:
        nlp = spacy.load(target)
    except OSError as exc:
        raise ModelError(f"cannot load the spaCy pipeline '{model}' ({type(exc).__name__})",
                         "set [nlp] model to an installed package or a local model folder") from exc
    nlp.max_length = MAX_TURN_CHARS
    missing = {"parser", "ner", "lemmatizer"} - set(nlp.pipe_names)
    if missing:
        raise ModelError(f"the spaCy pipeline '{model}' lacks components {sorted(missing)}",
                         "use a pipeline with a parser, a lemmatizer and an entity recogniser")
    return nlp


def split_long(text: str, chunk_chars: int = CHUNK_CHARS) -> list[str]:
    """Consecutive pieces of `text`, each at most `chunk_chars` long, that join back to `text`.

    A piece ends at the last line break in its window, else after the last
    sentence-ending punctuation, else after the last whitespace, else at the
    window's edge (a 20,000-character word).

    Examples
    --------
    >>> split_long("One. Two. Three.", 10)
    ['One. Two. ', 'Three.']
    """
    if chunk_chars < 1:
        raise ValueError(f"chunk_chars ({chunk_chars}) must be at least 1")
    pieces, start, n = [], 0, len(text)
    while n - start > chunk_chars:
        window = text[start:start + chunk_chars]
        cut = 0
        for pattern in _BREAKS:
            # Never a sliver: each call to the pipeline has a fixed cost too.
            ends = [m.end() for m in pattern.finditer(window) if m.end() > chunk_chars // 4]
            if ends:
                cut = ends[-1]
                break
        cut = cut or chunk_chars
        pieces.append(text[start:start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def auto_processes(n_chars: int, min_chars_per_process: int = 50_000, max_processes: int = 4) -> int:
    """spaCy worker processes worth starting for `n_chars` characters of turns on this machine.

    The work grows with the text, not with the number of turns: the sample's
    702 turns (150,000 characters) parsed 1.7x faster in two processes than
    in one, as AMI's first 5,987 short turns (361,000 characters) did 1.6x.
    A process is forked from the loaded pipeline and ships its Docs back to
    the parent, so it pays only with at least `min_chars_per_process`
    characters to parse (some 10,000 words); never more than the cores this
    process may run on.

    Examples
    --------
    >>> auto_processes(10_000)
    1
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, max_processes, n_chars // max(1, min_chars_per_process)))


def parse(nlp, texts: Iterable[str], batch_size: int = 64, n_process: int = 1,
          chunk_chars: int = CHUNK_CHARS, cache: DocCache | None = None,
          min_chars_per_process: int = 50_000) -> list:
    """Parse every text once with `nlp.pipe`, keeping the input order.

    Every component of the pipeline runs: anonymise reads entities, segment
    sentences, noun chunks and part-of-speech tags, signals lemmas and
    dependencies. A text longer than `chunk_chars` is parsed in pieces
    (`split_long`) and stitched back with `Doc.from_docs`, so its Doc has the
    original text and character offsets. `n_process` > 1 runs spaCy's worker
    processes (worth it only with spare cores and tens of thousands of
    characters; see BENCHMARKS.md); 0 lets `auto_processes` choose from the characters to
    parse and `min_chars_per_process`.

    With a `cache` (`pipeline.parsecache.ParseCache`), every text is looked
    up first and only the texts not found are parsed, each distinct text
    once (a repeated "Yeah." gets a copy of the first one's Doc); their parses
    are then stored. Docs rebuilt from the cache equal a fresh parse in
    tokens, tags, morphology, dependencies, sentences, entities, lemmas and
    norms. Without a cache every text is parsed. No Doc keeps its `tensor`
    (see `_parse`).

    Examples
    --------
    >>> import spacy
    >>> docs = parse(spacy.blank("en"), ["a short turn", "x. " * 20], chunk_chars=25)
    >>> [d.text for d in docs] == ["a short turn", "x. " * 20]
    True
    """
    texts = [str(t) for t in texts]
    if cache is None:
        return _parse(nlp, texts, batch_size, n_process, chunk_chars, min_chars_per_process)
    found = cache.get_many(nlp, texts, chunk_chars=chunk_chars)
    todo = list(dict.fromkeys(t for i, t in enumerate(texts) if i not in found))
    fresh = dict(zip(todo, _parse(nlp, todo, batch_size, n_process, chunk_chars, min_chars_per_process))) \
        if todo else {}
    if fresh:
        cache.put_many(nlp, fresh.items(), chunk_chars=chunk_chars)
        logger.debug("parse cache: %d turns found, %d distinct turns parsed", len(found), len(fresh))
    docs, handed = [], set()
    for i, text in enumerate(texts):
        if i in found:
            docs.append(found[i])
        else:  # a repeated text gets its own copy: no two turns share a Doc
            docs.append(fresh[text].copy() if text in handed else fresh[text])
            handed.add(text)
    return docs


def _parse(nlp, texts: list[str], batch_size: int, n_process: int, chunk_chars: int,
           min_chars_per_process: int = 50_000) -> list:
    """`parse` without a cache: every text through `nlp.pipe`, long ones in pieces.

    Each Doc's `tensor` (the tok2vec layer's 96 floats per token, which the
    tagger, parser and entity recogniser have already read) is dropped as the
    Doc arrives: nothing downstream reads it, a Doc rebuilt from the parse
    cache has none, and on the 137 AMI meetings it held about 270 MB for the
    whole run.
    """
    if n_process == 0:
        n_process = auto_processes(sum(map(len, texts)), min_chars_per_process)
        logger.debug("parsing %d turns in %d process(es)", len(texts), n_process)
    pieces = [split_long(t, chunk_chars) if len(t) > chunk_chars else [t] for t in texts]
    flat = (p for ps in pieces for p in ps)
    docs = []
    with _msgpack_hooks_frozen():
        parsed: Iterator = iter(nlp.pipe(flat, batch_size=batch_size, n_process=n_process))
        for text, ps in zip(texts, pieces):
            if len(ps) == 1:
                docs.append(_without_tensor(next(parsed)))
                continue
            from spacy.tokens import Doc

            doc = Doc.from_docs([next(parsed) for _ in ps], ensure_whitespace=False)
            if doc.text != text:  # from_docs must not touch the text: offsets are used downstream
                raise RuntimeError(f"stitched document differs from its text "
                                   f"({len(doc.text)} vs {len(text)} characters)")
            logger.debug("parsed a %d-character turn in %d pieces", len(text), len(ps))
            docs.append(_without_tensor(doc))
    return docs


def _without_tensor(doc):
    """`doc` with the empty tensor a new Doc has (what `parsecache` restores), in place."""
    import numpy

    doc.tensor = numpy.zeros((0,), dtype="float32")
    return doc


@contextmanager
def _msgpack_hooks_frozen():
    """Look up srsly's msgpack encoders and decoders once instead of once per Doc.

    spaCy's worker processes send each Doc to the parent as msgpack, and
    srsly asks its `catalogue` registries for the (de)serialisation hooks on
    every call, scanning all installed packages' entry points each time:
    about 0.3 ms a Doc on each side, 4 s of a 25 s parse of 12,558 AMI turns.
    Nothing registers a hook during a parse, so the registries' contents are
    read once and served from that snapshot until the parse ends (the
    workers are forked inside, so they inherit it).
    """
    import srsly.msgpack

    # Registries another (nested) parse has frozen already stay as they are and are left to it.
    frozen = [r for r in (srsly.msgpack.msgpack_encoders, srsly.msgpack.msgpack_decoders)
              if "get_all" not in vars(r)]
    for registry in frozen:
        snapshot = registry.get_all()
        registry.get_all = lambda snapshot=snapshot: dict(snapshot)  # shadows the method on this instance
    try:
        yield
    finally:
        for registry in frozen:
            del registry.get_all


def common_words(nlp) -> frozenset[str]:
    """Lower-case English words the pipeline's lemmatizer knows (WordNet's index).

    The anonymiser uses it to tell "housing" from "Dave": a detected name
    that is also a common word needs more evidence before it is replaced in
    every letter case. Empty when the pipeline has no such table.
    """
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = nlp.get_pipe("lemmatizer").lookups
    if not lookups.has_table("lemma_index"):
        return frozenset()
    index = lookups.get_table("lemma_index")
    return frozenset(word for pos in ("noun", "verb", "adj", "adv") if pos in index for word in index[pos])
