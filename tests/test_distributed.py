"""The Dask path: parse and embed on a LocalCluster give what the local path gives."""
import numpy as np
import pandas as pd
import pytest

pytest.importorskip("dask.distributed")

from pipeline import schema
from pipeline.anonymise import anonymise
from pipeline.distributed import DistributedEmbedder, _group_by_transcript
from pipeline.distributed import parse as cluster_parse
from pipeline.embed import EmbeddingCache, HashingEmbedder, embed_texts
from pipeline.nlp import common_words
from pipeline.nlp import parse as local_parse
from pipeline.segment import segment
from pipeline.signals import detect_signals

ROWS = [  # three conversations; Sarah Jones and Leeds appear in two of them
    ("a", "Sam", "interviewer", "Why did the team change the rota?"),
    ("a", "Priya Shah", "participant", "Sarah Jones from Leeds said we had to choose between the phones "
                                       "and the backlog, and in the end we stopped taking calls after two."),
    ("a", "Priya Shah", "participant", "Because nobody could clear the casework queue while answering calls."),
    ("b", "Sam", "interviewer", "And in your team?"),
    ("b", "Tom Baker", "participant", "Sarah told me the same thing. We moved to a shared inbox in Leeds, "
                                      "since the phones were eating every morning of the week."),
    ("c", "Sam", "interviewer", "What about data sharing?"),
    ("c", "Ana Ruiz", "participant", "Consent forms hold data sharing back for weeks, so families wait, and "
                                     "we decided to ask for consent at the first visit instead."),
    ("c", "Ana Ruiz", "participant", "It is a balancing act between speed and getting it right for the family."),
]


def turns_table() -> pd.DataFrame:
    rows = []
    for tid, speaker, role, text in ROWS:
        rows.append({schema.TRANSCRIPT_ID: tid, schema.TURN: sum(r[schema.TRANSCRIPT_ID] == tid for r in rows),
                     schema.SPEAKER: speaker, schema.ROLE: role, schema.TEAM: f"team-{tid}", schema.START: None,
                     schema.TEXT: text, schema.SOURCE_FILE: f"{tid}.txt"})
    return pd.DataFrame(rows, columns=schema.TURN_COLUMNS)


@pytest.fixture(scope="module")
def client():
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0") as cluster, \
            Client(cluster) as c:
        yield c


def token_rows(doc):
    return [(t.idx, t.text, t.whitespace_, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, t.ent_iob_, t.ent_type_,
             t.is_sent_start) for t in doc]


def test_tasks_hold_whole_transcripts_in_order():
    assert _group_by_transcript(["a", "a", "b", "c", "c", "d"], 2) == [[0, 1, 2], [3, 4, 5]]
    assert _group_by_transcript(["a", "b", "a"], 1) == [[0, 2], [1]]


def test_cluster_parse_equals_local_parse(client, nlp):
    turns = turns_table()
    texts = turns[schema.TEXT].tolist()
    local = local_parse(nlp, texts)
    remote = cluster_parse(client, texts, turns[schema.TRANSCRIPT_ID].tolist(), nlp=nlp, transcripts_per_task=1)
    assert [d.text for d in remote] == texts
    assert [token_rows(d) for d in remote] == [token_rows(d) for d in local]
    assert [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in remote] == \
        [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in local]
    assert [[c.text for c in d.noun_chunks] for d in remote] == [[c.text for c in d.noun_chunks] for d in local]


def test_anonymise_segment_signals_on_cluster_docs_equal_the_local_path(client, nlp, config):
    """Parsing moves to the workers; the run-wide register still sees every transcript."""
    turns = turns_table()
    texts = turns[schema.TEXT].tolist()

    def front(docs):
        anonymised = anonymise(turns, docs, config.anonymise, common_words=common_words(nlp))
        quotes = detect_signals(segment(anonymised.turns, anonymised.docs, config.segment), anonymised.docs,
                                config.signals)
        return anonymised, quotes

    local_anon, local_quotes = front(local_parse(nlp, texts))
    remote_anon, remote_quotes = front(cluster_parse(client, texts, turns[schema.TRANSCRIPT_ID].tolist(), nlp=nlp))
    pd.testing.assert_frame_equal(remote_anon.turns, local_anon.turns)
    pd.testing.assert_frame_equal(remote_quotes, local_quotes)
    assert remote_anon.key == local_anon.key
    # One person, one placeholder across transcripts a and b.
    redacted = remote_anon.turns[schema.TEXT].tolist()
    placeholder = remote_anon.key["Sarah Jones"]
    assert placeholder in redacted[1] and placeholder in redacted[4]


def test_distributed_embedder_equals_local_with_the_same_cache_keys(client, tmp_path):
    texts = [f"quote number {i} about phones and the backlog" for i in range(23)] + ["the backlog"] * 3
    local, local_counts = embed_texts(texts, HashingEmbedder(dim=32), EmbeddingCache(tmp_path / "local"))
    embedder = DistributedEmbedder(client, HashingEmbedder(dim=32), texts_per_task=5)  # 26 texts: several tasks
    assert embedder.fingerprint == HashingEmbedder(dim=32).fingerprint
    remote, remote_counts = embed_texts(texts, embedder, EmbeddingCache(tmp_path / "remote"))
    assert np.array_equal(remote, local)
    assert remote_counts == local_counts == {"embedded": 24, "cached": 0}
    again, counts = embed_texts(texts, embedder, EmbeddingCache(tmp_path / "remote"))
    assert np.array_equal(again, local) and counts == {"embedded": 0, "cached": 24}
