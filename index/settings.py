"""Every tuning constant of the ranking in one object, saved in the index manifest.

The build writes ``Settings().to_dict()`` into the manifest, the engine reads it back (missing keys
take today's defaults, so older indexes still load), `talksearch index info` shows it, and
experiments override single values without editing code: ``--set fusion.dense=0.4``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace
from typing import Any

from corpus.errors import TalksearchError


class SettingsError(TalksearchError):
    """An unknown setting or a value of the wrong type."""


@dataclass(frozen=True)
class FusionSettings:
    """Weights of the hybrid score (search.fusion), chosen on the tuning half of the dev set."""

    dense: float = 0.35
    lexical: float = 0.65
    cross_credit: float = 0.2
    dense_floor_quantile: float = 0.4
    person_boost: float = 1.0
    coverage_power: float = 0.5
    coverage_floor: float = 0.6  # coverage is divided by max(best coverage, floor): < 1 makes it relative
    # A translated match counts as a lexical match (see fusion.translated_signal), at this weight.
    translation: float = 1.0
    translated_share_power: float = 0.5


@dataclass(frozen=True)
class StrongMatch:
    """A best hit whose raw cosine is below ``dense`` and that covers less than ``coverage`` of the
    query's IDF mass is reported as 'no strong match'. Cosines differ by encoder, so these do too."""

    dense: float = 0.42
    coverage: float = 0.6


@dataclass(frozen=True)
class SearchSettings:
    max_k: int = 100
    max_query_chars: int = 20_000  # a pasted abstract is a valid query (POST; ~2 s for 20,000 Chinese characters)
    # The encoder's cost grows with length (a 3,000-character Chinese abstract takes ~120 ms); its
    # opening states a pasted abstract's topic, and the lexical side still reads all of it.
    max_dense_chars: int = 600
    relevance_cutoff: float = 0.15  # a talk is a candidate above this share of the best score
    # What counts as a match (search.relevance): with a strong match, talks above this share of the
    # best score; without one, at most `closest_few` talks above `closest_share`, none at all when the
    # confidence is below `no_match_below` (dev set: no-answer queries 0.37-0.57, weak real ones 0.7+).
    match_share: float = 0.25
    closest_share: float = 0.3
    closest_few: int = 10
    no_match_below: float = 0.6
    dense_candidates: int = 2000  # passages an approximate vector index returns per query


@dataclass(frozen=True)
class RelatedSettings:
    per_speaker: int = 2  # at most this many related talks by one speaker


@dataclass(frozen=True)
class ExpertSettings:
    # A person's score is a weighted top-3 of their talks: the best counts most, breadth a little.
    top_weights: tuple[float, ...] = (1.0, 0.3, 0.1)
    min_score: float = 0.05
    evidence: int = 3


@dataclass(frozen=True)
class Settings:
    fusion: FusionSettings = field(default_factory=FusionSettings)
    search: SearchSettings = field(default_factory=SearchSettings)
    related: RelatedSettings = field(default_factory=RelatedSettings)
    experts: ExpertSettings = field(default_factory=ExpertSettings)
    # Keyed by encoder name; encoders without an entry use "default".
    strong: dict[str, StrongMatch] = field(
        default_factory=lambda: {"default": StrongMatch(), "use-multilingual": StrongMatch()}
    )

    def strong_for(self, encoder: str) -> StrongMatch:
        return self.strong.get(encoder, self.strong["default"])

    def to_dict(self) -> dict[str, Any]:
        return json.loads(json.dumps(asdict(self)))

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Settings:
        """Settings saved in a manifest; keys it lacks keep their defaults, unknown keys are errors."""
        base = cls()
        if not data:
            return base
        changes: dict[str, Any] = {}
        for key, value in data.items():
            if key == "strong":
                changes["strong"] = {**base.strong, **{k: StrongMatch(**v) for k, v in value.items()}}
                continue
            section = getattr(base, key, None)
            if not is_dataclass(section):
                raise SettingsError(f"unknown settings section {key!r}; sections: {', '.join(_sections())}")
            changes[key] = _replace(section, key, value)
        return replace(base, **changes)

    def override(self, assignments: list[str]) -> Settings:
        """``["fusion.dense=0.4", "strong.use-multilingual.dense=0.5"]`` applied to a copy."""
        data = self.to_dict()
        for item in assignments:
            path, sep, raw = item.partition("=")
            keys = path.strip().split(".")
            if not sep or len(keys) < 2:
                raise SettingsError(f"--set {item!r}: expected SECTION.NAME=VALUE, e.g. fusion.dense=0.4")
            node = data
            if keys[0] == "strong" and len(keys) == 3:  # thresholds for an encoder without its own yet
                data["strong"].setdefault(keys[1], dict(data["strong"]["default"]))
            for k in keys[:-1]:
                if not isinstance(node, dict) or k not in node:
                    raise SettingsError(f"--set {item!r}: no setting {path!r}; `talksearch index info` lists them")
                node = node[k]
            if keys[-1] not in node:
                raise SettingsError(f"--set {item!r}: no setting {path!r}; `talksearch index info` lists them")
            node[keys[-1]] = _parse_value(raw.strip(), node[keys[-1]], item)
        return Settings.from_dict(data)


def _sections() -> list[str]:
    return [f.name for f in fields(Settings)]


def _replace(section: Any, name: str, values: dict[str, Any]) -> Any:
    known = {f.name: f for f in fields(section)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise SettingsError(f"unknown setting {name}.{unknown[0]}; {name} has {', '.join(known)}")
    typed = {k: tuple(v) if isinstance(getattr(section, k), tuple) else v for k, v in values.items()}
    return replace(section, **typed)


def _parse_value(raw: str, current: Any, item: str) -> Any:
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        raise SettingsError(f"--set {item!r}: {raw!r} is not a number, list or true/false") from None
    if isinstance(current, bool) != isinstance(value, bool) or (
        isinstance(current, int | float) and not isinstance(value, int | float)
    ):
        raise SettingsError(f"--set {item!r}: expected a value like {json.dumps(current)}")
    return float(value) if isinstance(current, float) else value
