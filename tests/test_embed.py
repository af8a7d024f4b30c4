import json
import logging

import numpy as np
import pytest

from pipeline import embed
from pipeline.config import load_config
from pipeline.embed import (
    PROBES,
    EmbeddingCache,
    HashingEmbedder,
    OnnxEncoder,
    SentenceEmbedder,
    cpu_flags,
    embed_texts,
    embedder_from_config,
    native_bf16,
    resolve_precision,
)
from pipeline.errors import ConfigError, ModelError
from pipeline.models import sha256_of


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


def test_native_bf16_needs_amx_or_avx512_bf16():
    assert native_bf16(frozenset({"avx512f", "avx512_bf16"}))
    assert native_bf16(frozenset({"amx_tile", "amx_bf16"}))
    assert not native_bf16(frozenset({"avx2", "avx512f"}))


def test_auto_precision_follows_the_cpu_and_explicit_settings_win():
    # bf16 only where it was measured faster than fp32: AMX tiles (benchmarks/results/encoder.md).
    assert resolve_precision("auto", frozenset({"amx_tile", "amx_bf16"})) == "bf16"
    assert resolve_precision("auto", frozenset({"avx512_bf16"})) == "fp32"
    assert resolve_precision("auto", frozenset({"avx2"})) == "fp32"
    assert resolve_precision("fp32", frozenset({"amx_bf16"})) == "fp32"
    assert resolve_precision("bf16", frozenset({"avx2"})) == "bf16"  # honoured, with a warning
    assert resolve_precision("onnx-fp32", frozenset({"avx512_bf16"})) == "onnx-fp32"
    with pytest.raises(ConfigError, match="precision"):
        resolve_precision("fp16")


def test_auto_never_picks_onnx_runtime_which_costs_memory_for_little_speed(monkeypatch):
    # ONNX Runtime fp32 was 1.1x to 1.2x PyTorch fp32 here, for about 650 MB more peak memory.
    monkeypatch.setattr(embed, "onnxruntime_available", lambda: True)
    assert resolve_precision("auto", frozenset({"avx2"})) == "fp32"
    assert resolve_precision("auto", frozenset({"amx_bf16"})) == "bf16"


def test_the_config_accepts_the_onnx_path_and_rejects_unknown_ones():
    assert load_config(**{"embed.precision": "onnx-fp32"}).embed.precision == "onnx-fp32"
    with pytest.raises(ConfigError, match="precision"):
        load_config(**{"embed.precision": "onnx-int8"})


def test_cpu_flags_reads_the_flags_line(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nflags\t\t: fpu avx512f avx512_bf16\n\nprocessor\t: 1\nflags\t\t: fpu\n")
    assert cpu_flags(info) == frozenset({"fpu", "avx512f", "avx512_bf16"})
    assert cpu_flags(tmp_path / "missing") == frozenset()


def test_bf16_and_fp32_vectors_never_share_a_cache_entry(monkeypatch):
    fp32, bf16 = SentenceEmbedder(precision="fp32"), SentenceEmbedder(precision="bf16")
    monkeypatch.setattr(bf16, "precision_", "bf16", raising=False)
    assert bf16.fingerprint == fp32.fingerprint + "+bf16"
    assert EmbeddingCache.key(fp32.fingerprint, "a text") != EmbeddingCache.key(bf16.fingerprint, "a text")


def test_auto_embedder_fingerprint_names_the_resolved_precision(monkeypatch):
    monkeypatch.setattr(embed, "cpu_flags", lambda cpuinfo=None: frozenset({"amx_bf16"}))
    assert SentenceEmbedder(precision="auto").fingerprint.endswith("+bf16")
    monkeypatch.setattr(embed, "cpu_flags", lambda cpuinfo=None: frozenset({"avx512_bf16"}))
    assert not SentenceEmbedder(precision="auto").fingerprint.endswith("+bf16")


def test_embedder_from_config_passes_the_precision(config):
    embedder = embedder_from_config(config.embed)
    assert (embedder.model, embedder.batch_size, embedder.precision) == (
        config.embed.model, config.embed.batch_size, config.embed.precision)


@pytest.mark.models
def test_bf16_vectors_stay_close_to_fp32_and_unit_length():
    texts = ["We had to choose between answering the phones and clearing the backlog.",
             "Picking up calls left no time for the casework queue.",
             "The bin lorries start their rounds at six in the morning, before the traffic."] * 3
    fp32 = SentenceEmbedder(precision="fp32").encode(texts)
    bf16 = SentenceEmbedder(precision="bf16").encode(texts)
    assert bf16.dtype == np.float32 and bf16.shape == fp32.shape
    assert np.allclose(np.linalg.norm(bf16, axis=1), 1.0, atol=1e-5)
    # 0.99998 is measured; vectors rounded through 8-bit floats still reach 0.9996, so the bar sits above that.
    assert (fp32 * bf16).sum(axis=1).min() >= 0.9999


def test_every_encoder_path_has_its_own_cache_key(monkeypatch):
    keys = set()
    for path in ("fp32", "bf16", "onnx-fp32"):
        embedder = SentenceEmbedder(precision=path)
        monkeypatch.setattr(embedder, "precision_", path, raising=False)
        keys.add(EmbeddingCache.key(embedder.fingerprint, "a text"))
    assert len(keys) == 3
    onnx = SentenceEmbedder(precision="onnx-fp32")
    monkeypatch.setattr(onnx, "precision_", "onnx-fp32", raising=False)
    assert onnx.fingerprint == SentenceEmbedder(precision="fp32").fingerprint + "+onnx-fp32"


def test_onnx_path_falls_back_to_fp32_with_a_warning_without_onnxruntime(monkeypatch, caplog, tmp_path):
    monkeypatch.setattr(embed, "onnxruntime_available", lambda: False)
    embedder = SentenceEmbedder(precision="onnx-fp32", derived_dir=tmp_path)
    with caplog.at_level(logging.WARNING, logger="pipeline.embed"):
        assert embedder.precision_used == "fp32"
    assert "onnxruntime" in caplog.text
    assert embedder.fingerprint == SentenceEmbedder(precision="fp32").fingerprint


def test_onnx_path_falls_back_to_fp32_when_the_graph_cannot_be_built(monkeypatch, caplog, tmp_path):
    monkeypatch.setattr(embed, "onnxruntime_available", lambda: True)

    def broken(self, load_model):
        raise RuntimeError("exporter failed")
    monkeypatch.setattr(OnnxEncoder, "prepare", broken)
    embedder = SentenceEmbedder(precision="onnx-fp32", derived_dir=tmp_path)
    with caplog.at_level(logging.WARNING, logger="pipeline.embed"):
        assert embedder.precision_used == "fp32"
    assert "could not be built" in caplog.text and "RuntimeError" in caplog.text


def test_onnx_path_falls_back_to_fp32_when_its_vectors_fail_the_check(monkeypatch, caplog, tmp_path):
    monkeypatch.setattr(embed, "onnxruntime_available", lambda: True)

    def failed(self, load_model):
        self.check_ = {"passed": False, "min_cosine": 0.87}
        return False
    monkeypatch.setattr(OnnxEncoder, "prepare", failed)
    embedder = SentenceEmbedder(precision="onnx-fp32", derived_dir=tmp_path)
    with caplog.at_level(logging.WARNING, logger="pipeline.embed"):
        assert embedder.precision_used == "fp32"
    assert "0.8700" in caplog.text
    assert not embedder.fingerprint.endswith("onnx-fp32")


def test_onnx_path_is_used_when_its_graph_passes(monkeypatch, tmp_path):
    monkeypatch.setattr(embed, "onnxruntime_available", lambda: True)
    monkeypatch.setattr(OnnxEncoder, "prepare", lambda self, load_model: True)
    embedder = SentenceEmbedder(precision="onnx-fp32", derived_dir=tmp_path)
    assert embedder.precision_used == "onnx-fp32"
    assert embedder.onnx_.folder == tmp_path


def _stored_graph(encoder, passed=True):
    encoder.path.mkdir(parents=True)
    (encoder.path / "model.onnx").write_bytes(b"a graph")
    check = {"passed": passed, "min_cosine": 0.9999 if passed else 0.9, "sha256": sha256_of(encoder.path / "model.onnx")}
    (encoder.path / "check.json").write_text(json.dumps(check))


def _no_model():
    raise AssertionError("the model was loaded to export a graph that was already checked")


def test_a_checked_graph_is_reused_without_loading_the_model(tmp_path):
    encoder = OnnxEncoder(tmp_path, "model@abc")
    _stored_graph(encoder)
    assert encoder.prepare(_no_model) is True
    failed = OnnxEncoder(tmp_path, "model@def")
    _stored_graph(failed, passed=False)
    assert failed.prepare(_no_model) is False  # a failed verdict stands: no export on every run


def test_a_changed_or_missing_graph_is_exported_and_checked_again(tmp_path, monkeypatch):
    exported = []
    monkeypatch.setattr(OnnxEncoder, "_export_and_check", lambda self, model: exported.append(model) or {"passed": True})
    encoder = OnnxEncoder(tmp_path, "model@abc")
    _stored_graph(encoder)
    (encoder.path / "model.onnx").write_bytes(b"another graph")
    assert encoder.prepare(lambda: "the model") is True
    (encoder.path / "model.onnx").unlink()
    encoder.prepare(lambda: "the model")
    OnnxEncoder(tmp_path, "model@new").prepare(lambda: "the model")
    assert exported == ["the model"] * 3


def test_derived_graphs_are_keyed_by_model_and_library_versions(tmp_path, monkeypatch):
    a, b = OnnxEncoder(tmp_path, "model@abc"), OnnxEncoder(tmp_path, "model@def")
    assert a.path != b.path and a.path.parent == tmp_path
    before = a.path
    monkeypatch.setattr(embed, "_library_versions", lambda: "onnxruntime=9.9")
    assert a.path != before


def test_the_onnx_path_refuses_models_it_cannot_rebuild():
    class Transformer:
        pass

    class Pooling:
        pooling_mode = "cls"

    with pytest.raises(ModelError, match="mean pooling"):
        embed._check_structure([Transformer(), Pooling()])
    Pooling.pooling_mode = "mean"
    embed._check_structure([Transformer(), Pooling()])


def test_probes_cover_padding_and_truncation():
    assert min(len(p.split()) for p in PROBES) <= 2
    assert max(len(p.split()) for p in PROBES) > 256  # past the model's 256 tokens


TEXTS = ["We had to choose between answering the phones and clearing the backlog.",
         "Picking up calls left no time for the casework queue.",
         "So we decided to stop the home visits, because [PERSON 3] could not cover two areas.",
         "Yes.", "The bin lorries start their rounds at six in the morning, before the traffic."]


@pytest.mark.models
def test_onnx_vectors_match_fp32_and_repeat_exactly(tmp_path):
    fp32 = SentenceEmbedder(precision="fp32").encode(TEXTS)
    embedder = SentenceEmbedder(precision="onnx-fp32", derived_dir=tmp_path)
    assert embedder.precision_used == "onnx-fp32"  # built and passed, no fallback
    vectors = embedder.encode(TEXTS)
    assert vectors.dtype == np.float32 and vectors.shape == fp32.shape
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # 0.9999999 is measured (the same fp32 arithmetic, another order of operations).
    assert (vectors * fp32).sum(axis=1).min() >= 0.9999
    assert np.array_equal(vectors, SentenceEmbedder(precision="onnx-fp32", derived_dir=tmp_path).encode(TEXTS))
    check = json.loads(next(tmp_path.glob("onnx-*/check.json")).read_text())
    assert check["passed"] and check["min_cosine"] >= 0.99


@pytest.mark.models
def test_the_path_auto_chooses_keeps_the_vectors(tmp_path):
    fp32 = SentenceEmbedder(precision="fp32").encode(TEXTS)
    auto = SentenceEmbedder(precision="auto", derived_dir=tmp_path)
    assert auto.precision_used == resolve_precision("auto")
    assert (auto.encode(TEXTS) * fp32).sum(axis=1).min() >= 0.99


@pytest.mark.models
def test_a_graph_that_fails_its_check_is_not_used(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(embed, "PROBE_MIN_COSINE", 1.01)  # no graph can pass: the check must say no
    embedder = SentenceEmbedder(precision="onnx-fp32", derived_dir=tmp_path)
    with caplog.at_level(logging.WARNING, logger="pipeline.embed"):
        assert embedder.precision_used == "fp32"
    assert "differ from fp32" in caplog.text
    assert json.loads(next(tmp_path.glob("onnx-*/check.json")).read_text())["passed"] is False
