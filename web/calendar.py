"""Calendar files (RFC 5545, built with icalendar) for talks, sessions and whole programmes.

Times are the programme's local times in Asia/Shanghai (a VTIMEZONE is included); UIDs are
derived from talk ids and session codes, so re-importing a file updates events instead of
duplicating them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from corpus.errors import TalksearchError
from corpus.models import Talk
from web.programme import Programme, Session, minutes

TZ = ZoneInfo("Asia/Shanghai")
UID_DOMAIN = "talksearch"


class NoScheduleError(TalksearchError):
    """The record has no date and time in the programme, so there is nothing to put in a calendar."""


def _span(day: str, clock: str) -> tuple[datetime, datetime] | None:
    span = minutes(clock)
    if not day or span is None:
        return None
    try:
        d = date.fromisoformat(day)
    except ValueError:
        return None
    midnight = datetime.combine(d, time(0), tzinfo=TZ)
    return midnight + timedelta(minutes=span[0]), midnight + timedelta(minutes=span[1])


def _event(uid: str, summary: str, span: tuple[datetime, datetime], location: str, description: str,
           url: str, stamp: datetime) -> Event:  # fmt: skip
    ev = Event()
    ev.add("uid", f"{uid}@{UID_DOMAIN}")
    ev.add("dtstamp", stamp)
    ev.add("dtstart", span[0])
    ev.add("dtend", span[1])
    ev.add("summary", summary)
    if location:
        ev.add("location", location)
    if description:
        ev.add("description", description)
    if url:
        ev.add("url", url)
    return ev


def talk_event(talk: Talk, url: str, stamp: datetime) -> Event | None:
    span = _span(talk.date, talk.time)
    if span is None:
        return None
    lines = [talk.speaker + (f" ({talk.affiliation})" if talk.affiliation else "")]
    if talk.session:
        lines.append(f"{talk.session} {talk.session_title}".strip())
    lines.append(talk.event_name)
    return _event(talk.id, talk.title, span, talk.room, "\n".join(lines), url, stamp)


def session_event(session: Session, event_name: str, url: str, stamp: datetime) -> Event | None:
    span = _span(session.date, session.time)
    if span is None:
        return None
    lines = [f"{n}. {t.title} — {t.speaker}" for n, t in enumerate(session.talks, start=1)]
    if session.chairs:
        lines.insert(0, "Chairs / 主持人: " + ", ".join(session.chairs))
    summary = f"{session.code} {session.title}".strip()
    return _event(f"{session.event}-session-{session.code}", summary, span, session.room,
                  "\n".join([*lines, event_name]), url, stamp)  # fmt: skip


def _calendar(name: str, events: Iterable[Event]) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//talksearch//programme//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    for ev in events:
        cal.add_component(ev)
    cal.add_missing_timezones()
    return cal.to_ical()


def stamp_of(built_at: str | None) -> datetime:
    """DTSTAMP: when the index was built (the calendar's content is as of then)."""
    try:
        return datetime.fromisoformat(str(built_at)).astimezone(UTC)
    except ValueError:
        return datetime(2000, 1, 1, tzinfo=UTC)


def talk_calendar(talk: Talk, url: str, stamp: datetime) -> bytes:
    ev = talk_event(talk, url, stamp)
    if ev is None:
        raise NoScheduleError(f"talk {talk.id} has no date and time in the programme, so it has no calendar entry")
    return _calendar(talk.title, [ev])


def session_calendar(session: Session, event_name: str, url: str, stamp: datetime) -> bytes:
    ev = session_event(session, event_name, url, stamp)
    if ev is None:
        raise NoScheduleError(
            f"session {session.code} of {session.event} has no date and time in the programme, "
            "so it has no calendar entry"
        )
    return _calendar(f"{session.code} {session.title}", [ev])


def programme_calendar(programme: Programme, url_of_session, url_of_talk, stamp: datetime) -> bytes:
    """Every timed session and stand-alone talk (invited, seminar) of an event."""
    events: list[Event] = []
    for day in programme.days:
        for slot in day.slots:
            for s in slot.sessions:
                ev = session_event(s, programme.name, url_of_session(s), stamp)
                if ev is not None:
                    events.append(ev)
            for t in slot.talks:
                ev = talk_event(t, url_of_talk(t), stamp)
                if ev is not None:
                    events.append(ev)
    if not events:
        raise NoScheduleError(f"event {programme.event} has no dated sessions or talks, so it has no calendar")
    return _calendar(programme.name, events)
