import pytest

from pipeline.config import load_config
from pipeline.errors import ConfigError


def test_defaults_load_and_every_section_is_typed():
    config = load_config()
    assert config.seed == 42
    assert config.reduce.method == "spectral"
    assert isinstance(config.outliers.min_similarity, float)


def test_user_file_overrides_only_what_it_names(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("seed = 7\n[cluster]\nmin_cluster_size = 9\n")
    config = load_config(path)
    assert (config.seed, config.cluster.min_cluster_size) == (7, 9)
    assert config.cluster.min_samples == load_config().cluster.min_samples


@pytest.mark.parametrize("text, fragment", [
    ("[cluster]\nmin_clustre_size = 3\n", "cluster.min_clustre_size"),
    ("[reduce]\nmethod = 'tsne'\n", "reduce.method"),
    ("[segment]\nmin_words = 'eight'\n", "segment.min_words"),
    ("[segment]\nmin_words = -1\n", "segment.min_words"),
    ("seed = \n", "not valid TOML"),
])
def test_bad_settings_fail_naming_the_key(tmp_path, text, fragment):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert fragment in str(info.value)
    assert info.value.exit_status == 2


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")


def test_replace_returns_a_new_config_and_leaves_the_old():
    config = load_config()
    changed = config.replace(**{"cluster.min_cluster_size": 11})
    assert changed.cluster.min_cluster_size == 11
    assert config.cluster.min_cluster_size == load_config().cluster.min_cluster_size != 11
