"""The programme of an event as attendees read it: days, time slots, parallel sessions by room.

Built from talk records alone, so it works for the bundled events and for events users add: a
session is the talks sharing an event and a session code; talks without a session (invited
talks, seminar talks) stand alone in their slot; sessions and talks without a date or time are
listed after the grid.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from corpus.models import Talk

_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–~]\s*(\d{1,2}):(\d{2})\s*$")


def minutes(time: str) -> tuple[int, int] | None:
    """'8:45-9:30' -> (525, 570); None for a missing or unreadable time."""
    m = _TIME.match(time or "")
    if not m:
        return None
    h1, m1, h2, m2 = (int(x) for x in m.groups())
    return h1 * 60 + m1, h2 * 60 + m2


def talk_order(talk: Talk) -> tuple:
    """Talks in printed order: by date, start time, then the number ending the code (A1-2 before A1-10)."""
    span = minutes(talk.time) or (24 * 60, 24 * 60)
    numbers = [int(n) for n in re.findall(r"\d+", talk.id.rsplit("-", 1)[-1])]
    return (talk.date or "9999", span[0], numbers, talk.id)


@dataclass
class Session:
    event: str
    code: str
    title: str
    kind: str
    date: str
    time: str
    room: str
    chairs: list[str]
    talks: list[Talk]

    @property
    def span(self) -> tuple[int, int] | None:
        return minutes(self.time)


@dataclass
class Slot:
    """One time range of one day: the sessions running in parallel, or stand-alone talks."""

    time: str
    sessions: list[Session] = field(default_factory=list)
    talks: list[Talk] = field(default_factory=list)

    def cells(self, rooms: list[str]) -> list[list[Session]]:
        """The slot's sessions by room column (a list per room: a programme may double-book one)."""
        return [[s for s in self.sessions if s.room == room] for room in rooms]


@dataclass
class Day:
    date: str
    slots: list[Slot]
    rooms: list[str]  # room columns, empty when the day's sessions name no rooms

    @property
    def grid(self) -> bool:
        return len(self.rooms) > 1


@dataclass
class Programme:
    event: str
    name: str
    days: list[Day]
    untimed_sessions: list[Session]
    untimed_talks: list[Talk]

    @property
    def sessions(self) -> list[Session]:
        out = [s for d in self.days for slot in d.slots for s in slot.sessions]
        return out + self.untimed_sessions


def sessions(talks: Iterable[Talk]) -> list[Session]:
    """Every session (talks sharing event and session code), talks in printed order."""
    groups: dict[tuple[str, str], list[Talk]] = {}
    for t in talks:
        if t.session:
            groups.setdefault((t.event, t.session), []).append(t)
    out = []
    for (event, code), members in groups.items():
        members.sort(key=talk_order)
        first = members[0]
        out.append(
            Session(
                event=event,
                code=code,
                title=first.session_title,
                kind=first.kind,
                date=_common(t.date for t in members),
                time=_common(t.time for t in members),
                room=_common(t.room for t in members),
                chairs=first.chairs,
                talks=members,
            )
        )
    return out


def _common(values: Iterable[str]) -> str:
    """The most frequent non-empty value (talks of one session share date, time and room)."""
    counts = Counter(v for v in values if v)
    return counts.most_common(1)[0][0] if counts else ""


def build(event: str, name: str, talks: Iterable[Talk]) -> Programme:
    """The programme of one event from its talks."""
    talks = sorted((t for t in talks if t.event == event), key=talk_order)
    all_sessions = sessions(talks)
    slots: dict[tuple[str, str], Slot] = {}
    untimed_sessions: list[Session] = []
    untimed_talks: list[Talk] = []
    for s in all_sessions:
        if s.date and s.span:
            slots.setdefault((s.date, s.time), Slot(s.time)).sessions.append(s)
        else:
            untimed_sessions.append(s)
    for t in talks:
        if t.session:
            continue
        if t.date and minutes(t.time):
            slots.setdefault((t.date, t.time), Slot(t.time)).talks.append(t)
        else:
            untimed_talks.append(t)
    days: dict[str, list[Slot]] = {}
    for (date, _), slot in sorted(slots.items(), key=lambda kv: (kv[0][0], minutes(kv[0][1]))):
        slot.sessions.sort(key=lambda s: _code_key(s.code))
        days.setdefault(date, []).append(slot)
    return Programme(
        event=event,
        name=name,
        days=[Day(date, day_slots, _rooms(day_slots)) for date, day_slots in days.items()],
        untimed_sessions=sorted(untimed_sessions, key=lambda s: _code_key(s.code)),
        untimed_talks=untimed_talks,
    )


def _code_key(code: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.findall(r"\d+|\D+", code))


def _rooms(slots: list[Slot]) -> list[str]:
    """Room columns for a day, ordered by the first session code seen in each room; a last column ""
    holds sessions whose room the source does not print, so a grid never leaves a session out."""
    first: dict[str, tuple] = {}
    roomless = False
    for slot in slots:
        for s in slot.sessions:
            if s.room:
                key = (_code_key(s.code)[1:], _code_key(s.code))
                first[s.room] = min(first.get(s.room, key), key)
            else:
                roomless = True
    rooms = sorted(first, key=first.__getitem__)
    return [*rooms, ""] if rooms and roomless else rooms


def session(talks: Iterable[Talk], event: str, code: str) -> Session | None:
    """One session by event and code (codes compared case-insensitively)."""
    wanted = code.casefold()
    members = [t for t in talks if t.event == event and t.session.casefold() == wanted]
    found = sessions(members)
    return found[0] if found else None
