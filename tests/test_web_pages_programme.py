"""The programme model and calendar files, from the bundled corpus and from added talks."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
from icalendar import Calendar

from corpus.models import Talk
from index.layout import layout
from web import calendar, programme

STAMP = datetime(2025, 1, 1, tzinfo=UTC)


def test_csml2024_programme_days_slots_rooms(corpus):
    p = programme.build("csml2024", "CSML 2024", corpus.talks)
    assert [d.date for d in p.days] == ["2024-08-10", "2024-08-11"]
    first = p.days[0]
    assert first.slots[0].time == "8:40-9:25"  # the invited talks open the day
    assert first.slots[0].talks and not first.slots[0].sessions
    afternoon = next(s for s in first.slots if s.time == "13:30-15:30")
    assert [s.code for s in afternoon.sessions][:3] == ["A1", "A3", "A4"]
    assert first.grid and first.rooms[0] == "会场1（陈瑞球楼310）"
    cells = afternoon.cells(first.rooms)
    assert [s.code for s in cells[0]] == ["A1"] and sum(len(c) for c in cells) == len(afternoon.sessions)
    # every session talk of the event is in exactly one session of the programme
    in_sessions = [t.id for s in p.sessions for t in s.talks]
    assert sorted(in_sessions) == sorted(t.id for t in corpus.talks if t.event == "csml2024" and t.session)


def test_every_session_has_a_grid_cell_even_without_a_printed_room(corpus):
    """D2 (CSML 2024) has no room in the source: it sits in a last column, not left off the grid."""
    for event in sorted({t.event for t in corpus.talks}):
        p = programme.build(event, event, corpus.talks)
        for day in p.days:
            for slot in day.slots:
                placed = [s.code for cell in slot.cells(day.rooms) for s in cell] if day.grid else slot.sessions
                assert len(placed) == len(slot.sessions), (event, day.date, slot.time)
    day = programme.build("csml2024", "CSML 2024", corpus.talks).days[1]
    afternoon = next(s for s in day.slots if s.time == "13:30-15:30")
    assert day.rooms[-1] == "" and [s.code for s in afternoon.cells(day.rooms)[-1]] == ["D2"]


def test_session_lookup_order_and_chairs(corpus):
    s = programme.session(corpus.talks, "csml2022", "a2")  # codes are case-insensitive
    assert s is not None and s.code == "A2" and s.title == "复杂度和泛化理论"
    assert s.room == "观湖C会议室" and s.chairs == ["罗涛"] and s.time == "13:30-15:30"
    assert [t.id for t in s.talks] == [f"csml2022-A2-{n}" for n in range(1, len(s.talks) + 1)]
    assert programme.session(corpus.talks, "csml2022", "Z9") is None


def test_seminar_is_a_list_of_dated_talks(corpus):
    p = programme.build("seminar", "Joint Seminar", corpus.talks)
    assert not p.sessions and len(p.days) == 19
    assert all(not d.grid for d in p.days)
    assert sum(len(slot.talks) for d in p.days for slot in d.slots) == 33


def _added(code: str, session: str = "", date: str = "", time: str = "") -> Talk:
    return Talk(id=f"conf2026-{code}", event="conf2026", event_name="Conf 2026", kind="session",
                title=f"Talk {code}", speaker="Ann Lee", session=session, date=date, time=time)  # fmt: skip


def test_added_event_without_times_is_listed_without_grid():
    talks = [
        _added("S1-1", "S1"),
        _added("S1-2", "S1"),
        _added("K-1"),
        _added("S2-1", "S2", "2026-05-01", "9:00-10:00"),
    ]
    p = programme.build("conf2026", "Conf 2026", talks)
    assert [s.code for s in p.untimed_sessions] == ["S1"] and [t.id for t in p.untimed_talks] == ["conf2026-K-1"]
    assert len(p.days) == 1 and not p.days[0].grid and p.days[0].slots[0].sessions[0].code == "S2"


def test_ics_round_trip_with_shanghai_times_and_stable_uids(corpus):
    talk = next(t for t in corpus.talks if t.id == "csml2022-A2-4")
    data = calendar.talk_calendar(talk, "http://x/talk/csml2022-A2-4", STAMP)
    assert data == calendar.talk_calendar(talk, "http://x/talk/csml2022-A2-4", STAMP)  # reproducible
    cal = Calendar.from_ical(data)
    (ev,) = cal.walk("VEVENT")
    start = ev.decoded("dtstart")
    assert str(start.tzinfo) == "Asia/Shanghai" and start.isoformat() == "2022-08-18T13:30:00+08:00"
    assert ev.decoded("dtend").isoformat() == "2022-08-18T15:30:00+08:00"
    assert str(ev["uid"]) == "csml2022-A2-4@talksearch" and str(ev["summary"]) == talk.title
    assert cal.walk("VTIMEZONE") and str(ev["location"]) == "观湖C会议室"


def test_programme_calendar_has_every_timed_session_once(corpus):
    p = programme.build("csml2025", "CSML 2025", corpus.talks)
    cal = Calendar.from_ical(calendar.programme_calendar(p, lambda s: "", lambda t: "", STAMP))
    uids = [str(e["uid"]) for e in cal.walk("VEVENT")]
    assert len(uids) == len(set(uids)) == len(p.sessions) + 4  # 4 invited talks stand alone
    assert "csml2025-session-A1@talksearch" in uids


def test_untimed_records_raise_a_clear_error():
    try:
        calendar.talk_calendar(_added("K-1"), "", STAMP)
    except calendar.NoScheduleError as exc:
        assert "conf2026-K-1" in str(exc) and "no date and time" in str(exc)
    else:
        raise AssertionError("a talk without a time got a calendar")


def test_layout_separates_subjects_not_languages():
    rng = np.random.default_rng(0)
    topic = rng.normal(size=(2, 64)) * 0.5
    language = rng.normal(size=(2, 64)) * 2.0  # a language offset larger than the subject difference
    rows, langs, topics = [], [], []
    for i in range(80):
        t, lang = i % 2, (i // 2) % 2
        rows.append(topic[t] + language[lang] + rng.normal(size=64) * 0.05)
        langs.append("zh" if lang else "en")
        topics.append(t)
    coords = layout(np.array(rows, dtype=np.float32), langs)
    assert coords.shape == (80, 2) and coords.min() >= 0 and coords.max() <= 1
    x = coords[:, 0]
    topics = np.array(topics)
    assert abs(x[topics == 0].mean() - x[topics == 1].mean()) > 0.5  # the first axis is the subject
