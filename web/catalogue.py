"""What the browsing pages need from the talks, computed once per app: events, programmes, name links.

Built from the engine's facade (talks and people) the first time a page asks, then kept for the
life of the process (the index does not change under a running server).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cached_property

from corpus.models import Person, Talk
from search.engine import Engine
from web import programme
from web.programme import Programme, Session


@dataclass
class EventInfo:
    id: str
    name: str  # as stored with the talks (an added event's own name)
    first: str  # first date, "" when undated
    last: str
    talks: int

    @property
    def years(self) -> str:
        a, b = self.first[:4], self.last[:4]
        return a if a == b else f"{a}-{b}"


class Catalogue:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.talks: list[Talk] = engine.talks()
        self.people: list[Person] = engine.people()
        self.memo: dict[str, object] = {}  # answers pages compute once (topic summaries)

    @cached_property
    def events(self) -> dict[str, EventInfo]:
        """Events, newest first."""
        info: dict[str, EventInfo] = {}
        for t in self.talks:
            e = info.setdefault(t.event, EventInfo(t.event, t.event_name, t.date, t.date, 0))
            e.talks += 1
            if t.date:
                e.first = min(e.first or t.date, t.date)
                e.last = max(e.last, t.date)
        return dict(sorted(info.items(), key=lambda kv: (kv[1].last, kv[0]), reverse=True))

    @cached_property
    def programmes(self) -> dict[str, Programme]:
        return {e.id: programme.build(e.id, e.name, self.talks) for e in self.events.values()}

    def programme(self, event: str) -> Programme | None:
        return self.programmes.get(event) or self.programmes.get(self._event_id(event))

    def _event_id(self, event: str) -> str:
        return next((e for e in self.events if e.casefold() == event.casefold()), "")

    def session(self, event: str, code: str) -> Session | None:
        p = self.programme(event)
        if p is None:
            return None
        return next((s for s in p.sessions if s.code.casefold() == code.casefold()), None)

    @cached_property
    def _ids(self) -> dict[str, str]:
        return {t.id.casefold(): t.id for t in self.talks}

    def canonical_id(self, talk_id: str) -> str | None:
        """The talk id as stored, for any capitalisation of it."""
        return self._ids.get(talk_id.casefold())

    def near_ids(self, talk_id: str, n: int = 5) -> list[str]:
        """Ids that look like a mistyped ``talk_id`` (compared without case)."""
        found = difflib.get_close_matches(talk_id.casefold(), list(self._ids), n=n, cutoff=0.6)
        return [self._ids[f] for f in found]

    @cached_property
    def _by_name(self) -> dict[str, list[Person]]:
        out: dict[str, list[Person]] = {}
        for p in self.people:
            for name in {p.name, *p.aliases}:
                out.setdefault(name.casefold(), []).append(p)
        return out

    @cached_property
    def person_names(self) -> dict[str, str]:
        return {p.id: p.name for p in self.people}

    def person_id(self, name: str, event: str, role: str = "chair") -> str | None:
        """The person a printed name refers to at an event (homonyms: the one with that role there)."""
        found = self._by_name.get(name.casefold(), [])
        for p in found:
            if any(r.get("role") == role and r.get("event") == event for r in p.roles):
                return p.id
        return found[0].id if len(found) == 1 else None

    def years(self) -> list[str]:
        return sorted({t.date[:4] for t in self.talks if t.date})
