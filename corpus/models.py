"""Records the corpus produces: talks, people, topics."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from sys import intern
from typing import Any

from corpus.text import normalize

EVENT_NAMES = {
    "csml2022": "中国机器学习与科学应用大会 CSML 2022",
    "csml2024": "中国机器学习与科学应用大会 CSML 2024",
    "csml2025": "中国机器学习与科学应用大会 CSML 2025",
    "seminar": "Joint Seminar of Machine Learning 2020-2021",
}
KINDS = ("invited", "session", "student", "seminar", "lecture")
LANGS = ("zh", "en", "mixed")


@dataclass
class Talk:
    id: str
    event: str
    event_name: str
    kind: str
    title: str
    speaker: str
    affiliation: str = ""
    abstract: str = ""
    bio: str = ""
    session: str = ""
    session_title: str = ""
    date: str = ""
    time: str = ""
    room: str = ""
    chairs: list[str] = field(default_factory=list)
    online: bool = False
    title_lang: str = "en"
    abstract_lang: str = ""
    has_abstract: bool = False
    duplicate_of: str | None = None
    source: str = ""
    speakers: list[str] = field(default_factory=list)
    person_ids: list[str] = field(default_factory=list)

    # Derived, not stored: a served index holds every talk in memory, and these doubled its text
    # (30k talks: 104 -> 55 MB of live objects with repeated fields interned too).
    @property
    def title_norm(self) -> str:
        """The title as matched: NFKC, case folded, blanks squashed."""
        return normalize(self.title)

    @property
    def abstract_norm(self) -> str:
        return normalize(self.abstract)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "title_norm": self.title_norm, "abstract_norm": self.abstract_norm}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Talk:
        """A talk from ``to_dict``'s output (derived fields ignored; repeated strings shared)."""
        return cls(**{k: intern(v) if k in _SHARED and isinstance(v, str) else v
                      for k, v in data.items() if k not in _DERIVED})  # fmt: skip


_DERIVED = frozenset({"title_norm", "abstract_norm"})
# Fields many talks print the same (an event's name, a session's title, a room): one string each.
_SHARED = frozenset({"event", "event_name", "kind", "session", "session_title", "date", "time", "room",
                     "title_lang", "abstract_lang", "affiliation", "speaker"})  # fmt: skip


@dataclass
class Person:
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    roles: list[dict[str, str]] = field(default_factory=list)
    talk_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Topic:
    id: str
    title: str
    description: str
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Mention:
    """One appearance of a person in a source: the raw material people are resolved from."""

    name: str
    event: str
    role: str
    affiliation: str = ""
    talk_id: str = ""
    latin: str = ""
    source: str = ""
