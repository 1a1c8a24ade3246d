"""Records the corpus produces: talks, people, topics."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

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
    title_norm: str = ""
    abstract_norm: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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
