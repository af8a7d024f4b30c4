import pytest

from pipeline import models
from pipeline.errors import ModelError


def test_pins_name_every_model_with_checksums():
    pins = models.model_pins()
    for kind in ("sentence_model", "spacy_model", "language_model"):
        assert pins[kind]["sha256"], kind
        assert all(len(v) == 64 for v in pins[kind]["sha256"].values())


@pytest.mark.models
@pytest.mark.parametrize("kind", ["sentence_model", "spacy_model", "language_model"])
def test_installed_weights_match_their_pins(kind):
    models.verify_pinned.cache_clear()
    assert models.verify_pinned(kind).is_dir()


def test_a_tampered_weight_file_fails_with_a_clear_message(tmp_path, monkeypatch):
    (tmp_path / "model.safetensors").write_bytes(b"not the weights")
    pins = {"sentence_model": {"name": "m", "package": "x", "distribution": "x", "version": "1", "subdir": "",
                               "sha256": {"model.safetensors": "0" * 64}}}
    monkeypatch.setattr(models, "model_pins", lambda: pins)
    monkeypatch.setattr(models, "pinned_model_dir", lambda kind: tmp_path)
    models.verify_pinned.cache_clear()
    with pytest.raises(ModelError, match="fails its checksum") as info:
        models.verify_pinned("sentence_model")
    assert "reinstall" in str(info.value)
    models.verify_pinned.cache_clear()
