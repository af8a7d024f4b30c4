"""The per-transcript work on a Dask cluster (the optional `distributed` extra).

With `--scheduler ADDRESS` (or `[distributed] scheduler`) the two expensive
stages run on the cluster's workers:

- parse: each task parses the turns of a few whole transcripts with the
  pinned spaCy pipeline (loaded once per worker) and returns them as
  `DocBin` bytes, which keep the text, tokens, tags, lemmas, dependencies,
  sentences and entities exactly;
- embed: `DistributedEmbedder` wraps the run's embedder and sends batches of
  texts to the workers; the embedding cache stays with the client, so cache
  keys and counts are those of the local path.

Everything run-wide stays on the client: ingest (duplicates, the manifest and
interviewer detection compare files), anonymisation (one register over the
whole run, so a person gets one placeholder in every transcript), segment,
signals (milliseconds per transcript) and themes. The results equal the
local path's (tests/test_distributed.py).

dask itself is imported only when a scheduler is configured,
so `dask` is needed only then: `pip install "commonground[distributed]"`.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from .errors import UsageError
from .models import PINNED

logger = logging.getLogger(__name__)

# Per worker process: models loaded once and reused by every task.
_WORKER_EMBEDDERS: dict = {}


def connect(address: str):
    """A `dask.distributed.Client` for the scheduler at `address` (e.g. "tcp://10.0.0.5:8786")."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise UsageError("a scheduler is configured but dask.distributed is not installed",
                         'install the extra: pip install "commonground[distributed]"') from None
    try:
        return Client(address, timeout="30s")
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address} ({type(exc).__name__})",
                         "check --scheduler / [distributed] scheduler and that the scheduler is running") from exc


def _group_by_transcript(transcript_ids: Sequence[str], per_task: int) -> list[list[int]]:
    """Row positions grouped into tasks of `per_task` whole transcripts, in first-seen order."""
    rows: dict[str, list[int]] = {}
    for i, tid in enumerate(transcript_ids):
        rows.setdefault(str(tid), []).append(i)
    groups = list(rows.values())
    per_task = max(1, per_task)
    return [[i for g in groups[k:k + per_task] for i in g] for k in range(0, len(groups), per_task)]


def _parse_task(spacy_model: str, texts: list[str]) -> bytes:
    """On a worker: parse `texts` with the (cached) pipeline; DocBin bytes, every attribute kept."""
    from spacy.tokens import DocBin

    from .nlp import load_spacy, parse

    docs = parse(load_spacy(spacy_model), texts)
    return DocBin(docs=docs, store_user_data=False).to_bytes()


def parse(client, texts: Sequence[str], transcript_ids: Sequence[str], nlp=None,
          spacy_model: str = PINNED, transcripts_per_task: int = 4) -> list:
    """`nlp.parse` on the cluster: the parsed Docs of `texts`, in input order.

    Parameters
    ----------
    client : a `dask.distributed.Client`.
    texts, transcript_ids : the turns' text and transcript, aligned.
    nlp : the client's pipeline (its vocab receives the Docs); default: `load_spacy(spacy_model)`.
    spacy_model : what the workers load ("pinned", or a package or folder every worker can see).
    transcripts_per_task : whole transcripts per task.
    """
    from spacy.tokens import DocBin

    from .nlp import load_spacy

    texts = [str(t) for t in texts]
    if len(texts) != len(transcript_ids):
        raise ValueError(f"parse got {len(texts)} texts but {len(transcript_ids)} transcript ids")
    nlp = nlp if nlp is not None else load_spacy(spacy_model)
    groups = _group_by_transcript(transcript_ids, transcripts_per_task)
    futures = client.map(_parse_task, [spacy_model] * len(groups), [[texts[i] for i in g] for g in groups],
                         pure=False)
    docs: list = [None] * len(texts)
    for group, payload in zip(groups, client.gather(futures)):
        for i, doc in zip(group, DocBin().from_bytes(payload).get_docs(nlp.vocab)):
            docs[i] = doc
    logger.info("parsed %d turns in %d tasks on the cluster", len(texts), len(groups))
    return docs


def _worker_embedder(embedder):
    """The worker's copy of `embedder`: a SentenceEmbedder is rebuilt from its settings and kept."""
    from .embed import SentenceEmbedder

    if not isinstance(embedder, SentenceEmbedder):
        return embedder
    key = (embedder.model, embedder.batch_size, embedder.precision)
    if key not in _WORKER_EMBEDDERS:
        _WORKER_EMBEDDERS[key] = SentenceEmbedder(*key)
    return _WORKER_EMBEDDERS[key]


def _embed_task(embedder, texts: list[str]) -> np.ndarray:
    return _worker_embedder(embedder).encode(texts)


class DistributedEmbedder:
    """An embedder whose `encode` runs on the cluster's workers, `texts_per_task` texts a task.

    The wrapped embedder's fingerprint is kept, so the cache is shared with
    local runs. A `SentenceEmbedder` travels as its settings only (its loaded
    model stays behind); each worker loads the model once.

    Parameters
    ----------
    client : a `dask.distributed.Client`.
    embedder : the local embedder to distribute.
    texts_per_task : texts per task; a multiple of the embedder's batch size keeps its batches whole.
    """

    def __init__(self, client, embedder, texts_per_task: int = 512):
        self.client = client
        self.embedder = embedder
        self.texts_per_task = texts_per_task

    @property
    def fingerprint(self) -> str:
        return self.embedder.fingerprint

    def _portable(self):
        from .embed import SentenceEmbedder

        if isinstance(self.embedder, SentenceEmbedder):
            # The client's resolved precision, so every worker matches the fingerprint (and the cache).
            return SentenceEmbedder(self.embedder.model, self.embedder.batch_size, self.embedder.precision_used)
        return self.embedder

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        step = max(1, self.texts_per_task)
        if len(texts) <= step:
            # Fewer texts than one task (the labeller's key phrases, a re-run's few new quotes):
            # a round trip to the cluster costs more than encoding them here.
            return self.embedder.encode(texts)
        chunks = [texts[i:i + step] for i in range(0, len(texts), step)]
        portable = self._portable()  # settings only, a few hundred bytes per task
        futures = self.client.map(_embed_task, [portable] * len(chunks), chunks, pure=False)
        return np.concatenate(self.client.gather(futures)).astype(np.float32)

    def __getattr__(self, name):
        # The theme model and run.json ask the embedder for its attributes; answer as the wrapped one.
        if name in {"client", "embedder", "texts_per_task"}:
            raise AttributeError(name)
        return getattr(self.embedder, name)
