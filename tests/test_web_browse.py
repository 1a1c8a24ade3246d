"""Programme, session and calendar routes, talk-page links and id handling, through Flask's test client."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from web.app import create_app


@pytest.fixture(scope="module")
def client(engine):
    return create_app(engine).test_client()


def test_programme_index_lists_every_event_with_names_in_both_uis(client):
    en = client.get("/programme").get_data(as_text=True)
    for event in ("csml2025", "csml2024", "csml2022", "seminar"):
        assert f'href="/programme/{event}?ui=en"' in en
    assert "CSML 2024 — China Conference on Machine Learning and Scientific Applications" in en
    zh = client.get("/programme?ui=zh").get_data(as_text=True)
    assert "CSML 2024 中国机器学习与科学应用大会" in zh and "会议日程" in zh


def test_programme_grid_has_rooms_sessions_and_invited_talks(client):
    html = client.get("/programme/csml2024").get_data(as_text=True)
    assert 'id="day-2024-08-10"' in html and 'id="day-2024-08-11"' in html
    assert "<th>会场1（陈瑞球楼310）</th>" in html
    assert 'href="/session/csml2024/A1?ui=en"' in html and "13:30-15:30" in html
    assert 'href="/talk/csml2024-INV-1?ui=en"' in html  # an invited talk in its slot
    assert 'href="/programme/csml2024.ics"' in html
    seminar = client.get("/programme/seminar").get_data(as_text=True)
    assert "<table" not in seminar and seminar.count('class="talkrow"') == 33


def test_programme_unknown_event_and_case(client):
    r = client.get("/programme/csml2023")
    assert r.status_code == 404 and "the events are csml2025, csml2024, csml2022, seminar" in r.get_data(as_text=True)
    r = client.get("/programme/CSML2024?ui=zh")
    assert r.status_code == 301 and r.headers["Location"] == "/programme/csml2024?ui=zh"


def test_session_page_chairs_talks_and_calendar_link(client):
    html = client.get("/session/csml2022/A2").get_data(as_text=True)
    assert "复杂度和泛化理论" in html and "观湖C会议室" in html and "2022-08-18 13:30-15:30" in html
    assert 'href="/person/luo-tao?ui=en"' in html  # the chair, linked
    talks = html.split('id="session-talks"')[1]
    assert talks.index("csml2022-A2-1") < talks.index("csml2022-A2-2") < talks.index("csml2022-A2-4")
    assert 'href="/person/zhou-qixuan?ui=en"' in talks  # speakers linked
    assert 'href="/session/csml2022/A2.ics"' in html
    r = client.get("/session/csml2022/a2")
    assert r.status_code == 301 and r.headers["Location"] == "/session/csml2022/A2"
    r = client.get("/session/csml2022/Z9")
    assert r.status_code == 404 and "its sessions are A1" in r.get_data(as_text=True)


def _calendar(client, url: str) -> Calendar:
    r = client.get(url)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/calendar")
    assert r.headers["Content-Disposition"].startswith("attachment")
    return Calendar.from_ical(r.data)


def test_ics_routes_parse_back(client):
    (ev,) = _calendar(client, "/talk/csml2022-A2-4.ics").walk("VEVENT")
    assert ev.decoded("dtstart").isoformat() == "2022-08-18T13:30:00+08:00"
    assert str(ev["uid"]) == "csml2022-A2-4@talksearch" and str(ev["url"]).endswith("/talk/csml2022-A2-4")
    (ev,) = _calendar(client, "/session/csml2022/A2.ics").walk("VEVENT")
    assert str(ev["summary"]) == "A2 复杂度和泛化理论" and "罗涛" in str(ev["description"])
    events = _calendar(client, "/programme/csml2024.ics").walk("VEVENT")
    assert len(events) == len({str(e["uid"]) for e in events}) > 30
    assert client.get("/talk/CSML2022-a2-4.ics").status_code == 200  # ids without case here too


def test_ics_errors(client):
    r = client.get("/talk/csml2022-ZZ-1.ics")
    assert r.status_code == 404 and "unknown talk id" in r.get_data(as_text=True)
    assert client.get("/session/csml2022/Z9.ics").status_code == 404
    assert client.get("/programme/nope.ics").status_code == 404


def test_talk_page_links_session_chairs_speakers_and_hides_the_source(client):
    html = client.get("/talk/csml2022-A2-4").get_data(as_text=True)
    assert 'href="/session/csml2022/A2?ui=en"' in html
    assert 'href="/person/luo-tao?ui=en"' in html and 'href="/person/zhou-qixuan?ui=en"' in html
    assert 'href="/talk/csml2022-A2-4.ics"' in html
    about = html.split('<details class="about"')[1].split("</details>")[0]
    assert "corpus/sources/" in about and html.count("corpus/sources/") == 1
    assert 'id="back"' not in html


def test_back_to_results_keeps_the_query(client):
    html = client.get("/talk/csml2022-A2-4?q=PINN+失效&event=csml2022&ui=zh").get_data(as_text=True)
    back = html.split('id="back" href="')[1].split('"')[0]
    assert back.startswith("/?") and "q=PINN" in back and "event=csml2022" in back and "ui=zh" in back


def test_talk_ids_ignore_case_and_unknown_ids_suggest(client):
    r = client.get("/talk/CSML2022-a2-4?ui=zh")
    assert r.status_code == 301 and r.headers["Location"] == "/talk/csml2022-A2-4?ui=zh"
    r = client.get("/talk/csml2022-A2-44")
    html = r.get_data(as_text=True)
    assert r.status_code == 404 and 'id="near"' in html and 'href="/talk/csml2022-A2-4?ui=en"' in html
    assert 'id="near"' not in client.get("/talk/zzzzzzzz").get_data(as_text=True)
