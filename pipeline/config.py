"""The one typed configuration: defaults from `default_config.toml`, overridden by a user's TOML.

Every tunable number lives in the TOML file, none in code. Unknown keys and
values of the wrong type are rejected with the key's name, so a typo fails
loudly instead of silently running with a default.
"""
from __future__ import annotations

import copy
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any, get_type_hints

from .errors import ConfigError

DEFAULT_CONFIG_PATH = Path(__file__).with_name("default_config.toml")


@dataclass(frozen=True)
class IngestConfig:
    max_file_mb: float
    interviewers: list[str]
    fallback_encoding: str


@dataclass(frozen=True)
class AnonymiseConfig:
    entity_labels: list[str]
    roster: list[str]
    keep: list[str]
    min_name_length: int
    redact_organisations: bool


@dataclass(frozen=True)
class SegmentConfig:
    min_words: int
    max_words: int
    max_sentences: int
    drop_below_words: int


@dataclass(frozen=True)
class SignalsConfig:
    rationale_window: int
    why_answer_units: int
    change_answer_units: int
    detector: str
    dilemma_threshold: float
    decision_threshold: float
    rationale_threshold: float


@dataclass(frozen=True)
class ParseConfig:
    processes: int
    batch_size: int
    min_chars_per_process: int


@dataclass(frozen=True)
class EmbedConfig:
    model: str
    batch_size: int
    precision: str


@dataclass(frozen=True)
class DistributedConfig:
    scheduler: str
    transcripts_per_task: int
    texts_per_task: int


@dataclass(frozen=True)
class ReduceConfig:
    method: str
    n_neighbors: int
    n_components: int
    min_dist: float
    metric: str
    approximate_from: int


@dataclass(frozen=True)
class ClusterConfig:
    method: str
    min_cluster_size: int
    auto_fraction: float
    auto_min: int
    auto_max: int
    min_samples: int
    selection: str
    fast_from: int
    n_clusters: int


@dataclass(frozen=True)
class ThemesConfig:
    max_groups: int
    stability_refits: int
    echo_similarity: float
    echo_share: float
    scaffolding_edge: float
    scaffolding_share: float
    context_weight: float
    context_window: int
    max_themes: int
    max_themes_per_conversation: float
    loose_stability: float
    loose_cohesion: float
    refine_iterations: int


@dataclass(frozen=True)
class OutliersConfig:
    policy: str
    min_similarity: float


@dataclass(frozen=True)
class LabelConfig:
    n_keywords: int
    max_ngram: int
    mmr_relevance: float
    n_candidates: int
    phrase_boost: float
    headline_quotes: int
    headline_min_words: int
    headline_max_words: int


@dataclass(frozen=True)
class GroundConfig:
    smoothing: float
    decision_window: int


@dataclass(frozen=True)
class DilemmasConfig:
    theme_weight: float
    max_distance: float
    min_units: int
    decision_window: int
    principle_min_link: float
    side_words: int
    reason_max_distance: float
    ground_min_teams: int
    ground_min_dilemmas: int


@dataclass(frozen=True)
class ReportConfig:
    title: str
    n_representative: int


@dataclass(frozen=True)
class CurationConfig:
    file: str
    min_overlap: float


@dataclass(frozen=True)
class Config:
    seed: int
    ingest: IngestConfig
    parse: ParseConfig
    anonymise: AnonymiseConfig
    segment: SegmentConfig
    signals: SignalsConfig
    embed: EmbedConfig
    distributed: DistributedConfig
    reduce: ReduceConfig
    cluster: ClusterConfig
    themes: ThemesConfig
    outliers: OutliersConfig
    label: LabelConfig
    ground: GroundConfig
    dilemmas: DilemmasConfig
    report: ReportConfig
    curation: CurationConfig

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def replace(self, **overrides: Any) -> Config:
        """A copy with dotted-key overrides: `cfg.replace(**{"cluster.min_cluster_size": 8})`."""
        data = self.to_dict()
        for dotted, value in overrides.items():
            _set_dotted(data, dotted, value)
        return _build(Config, data, "")


_CHOICES = {
    "reduce.method": {"spectral", "umap", "pca"},
    "cluster.method": {"hdbscan", "kmeans"},
    "cluster.selection": {"eom", "leaf"},
    "outliers.policy": {"neighbours", "nearest", "none"},
    "embed.precision": {"auto", "fp32", "bf16", "onnx-fp32"},
    "signals.detector": {"learned", "rules"},
}


def load_config(path: str | Path | None = None, **overrides: Any) -> Config:
    """Defaults, then the TOML file at `path` if given, then dotted `overrides`.

    Examples
    --------
    >>> load_config(seed=7).seed
    7
    """
    with DEFAULT_CONFIG_PATH.open("rb") as fh:
        data = tomllib.load(fh)
    if path is not None:
        path = Path(path)
        try:
            with path.open("rb") as fh:
                user = tomllib.load(fh)
        except FileNotFoundError:
            raise ConfigError("config file not found", "check the --config path", path) from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"not valid TOML ({exc})", "fix the syntax at the line named", path) from exc
        _merge(data, user, "", path)
    for dotted, value in overrides.items():
        _set_dotted(data, dotted, value)
    return _build(Config, data, "")


def _merge(base: dict, update: dict, prefix: str, path: Path | None) -> None:
    for key, value in update.items():
        dotted = f"{prefix}{key}"
        if key not in base:
            raise ConfigError(f"unknown setting '{dotted}'",
                              "see pipeline/default_config.toml for the settings", path)
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise ConfigError(f"'{dotted}' must be a table", "write it as [" + dotted + "]", path)
            _merge(base[key], value, dotted + ".", path)
        else:
            base[key] = value


def _set_dotted(data: dict, dotted: str, value: Any) -> None:
    parts = dotted.replace("__", ".").split(".")
    node = data
    for part in parts[:-1]:
        if part not in node or not isinstance(node[part], dict):
            raise ConfigError(f"unknown setting '{dotted}'", "see pipeline/default_config.toml")
        node = node[part]
    if parts[-1] not in node:
        raise ConfigError(f"unknown setting '{dotted}'", "see pipeline/default_config.toml")
    node[parts[-1]] = copy.deepcopy(value)


def _build(cls: type, data: dict, prefix: str):
    hints = get_type_hints(cls)
    kwargs = {}
    for f in fields(cls):
        dotted = f"{prefix}{f.name}"
        if f.name not in data:
            raise ConfigError(f"setting '{dotted}' is missing", "restore it from default_config.toml")
        value = data[f.name]
        expected = hints[f.name]
        if is_dataclass(expected):
            kwargs[f.name] = _build(expected, value, dotted + ".")
            continue
        kwargs[f.name] = _check_type(dotted, value, expected)
    return cls(**kwargs)


def _check_type(dotted: str, value: Any, expected: Any) -> Any:
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    origin = getattr(expected, "__origin__", None)
    if origin is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"'{dotted}' must be a list of strings", "for example [\"a\", \"b\"]")
        return list(value)
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise ConfigError(f"'{dotted}' must be {expected.__name__}, got {type(value).__name__}",
                          "fix the value in the config file")
    if dotted in _CHOICES and value not in _CHOICES[dotted]:
        raise ConfigError(f"'{dotted}' must be one of {sorted(_CHOICES[dotted])}, got '{value}'",
                          "fix the value in the config file")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
        raise ConfigError(f"'{dotted}' must not be negative, got {value}", "fix the value")
    return value


def config_from_summary(summary: Mapping[str, Any]) -> Config:
    """The settings a run was made with, as far as curation and the report use them.

    run.json shows name-bearing settings only as a count, so the whole
    config cannot be rebuilt; the numbers curation and rendering need can.
    """
    settings = summary.get("config", {})
    overrides = {}
    for section, key in (("ground", "smoothing"), ("report", "n_representative"), ("report", "title"),
                         ("label", "n_keywords"), ("curation", "min_overlap")):
        if key in settings.get(section, {}):
            overrides[f"{section}.{key}"] = settings[section][key]
    return load_config(**overrides)
