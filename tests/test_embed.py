import numpy as np
import pytest

from pipeline.embed import EmbeddingCache, HashingEmbedder, SentenceEmbedder, embed_texts


class CountingEmbedder(HashingEmbedder):
    def __init__(self):
        super().__init__(dim=16)
        self.seen = []

    def encode(self, texts):
        self.seen.extend(texts)
        return super().encode(texts)


def test_fake_embedder_is_deterministic_and_unit_length():
    a = HashingEmbedder().encode(["closing the phone lines", "agency staff costs"])
    b = HashingEmbedder().encode(["closing the phone lines", "agency staff costs"])
    assert np.array_equal(a, b)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0)


def test_cache_embeds_only_new_texts_and_returns_identical_vectors(tmp_path):
    cache = EmbeddingCache(tmp_path)
    embedder = CountingEmbedder()
    first, counts1 = embed_texts(["a phone call", "the backlog", "a phone call"], embedder, cache)
    second, counts2 = embed_texts(["the backlog", "a new text", "a phone call"], embedder, cache)
    assert counts1 == {"embedded": 2, "cached": 0}
    assert counts2 == {"embedded": 1, "cached": 2}
    assert embedder.seen.count("a phone call") == 1
    assert np.array_equal(first[0], second[2])


def test_cache_holds_no_raw_text(tmp_path):
    embed_texts(["a very secret sentence about Sarah"], HashingEmbedder(), EmbeddingCache(tmp_path))
    raw = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert b"secret" not in raw and b"Sarah" not in raw


def test_cache_keys_depend_on_the_model():
    assert EmbeddingCache.key("model-a", "text") != EmbeddingCache.key("model-b", "text")


@pytest.mark.models
def test_pinned_sentence_model_embeds_similar_sentences_closer():
    vectors = SentenceEmbedder().encode([
        "We had to choose between answering the phones and clearing the backlog.",
        "Picking up calls left no time for the casework queue.",
        "The bin lorries start their rounds at six in the morning.",
    ])
    assert vectors.shape == (3, 384)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
