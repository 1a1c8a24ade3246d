"""Browsing without a query: programmes by day and room, session pages, calendar files."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, request, url_for

from search.engine import NotFound
from web import calendar
from web.context import catalogue, engine, page, ui
from web.i18n import labels
from web.programme import Session

bp = Blueprint("browse", __name__)

ICS = "text/calendar; charset=utf-8"


@bp.get("/programme")
def programmes() -> str:
    cat = catalogue()
    return page("programmes.html", events=list(cat.events.values()), programmes=cat.programmes)


@bp.get("/programme/<event>")
def programme_page(event: str):
    p = _programme(event)
    if p.event != event:
        return redirect(url_for("browse.programme_page", event=p.event, **request.args.to_dict(flat=False)), 301)
    return page("programme.html", programme=p, event=catalogue().events[p.event])


@bp.get("/programme/<event>.ics")
def programme_ics(event: str) -> Response:
    p = _programme(event)
    data = calendar.programme_calendar(
        p, lambda s: _absolute("browse.session_page", event=s.event, code=s.code),
        lambda t: _absolute("pages.talk_page", talk_id=t.id), _stamp(),
    )  # fmt: skip
    return _ics(data, f"{p.event}.ics")


@bp.get("/session/<event>/<code>")
def session_page(event: str, code: str):
    s = _session(event, code)
    if (s.event, s.code) != (event, code):
        return redirect(
            url_for("browse.session_page", event=s.event, code=s.code, **request.args.to_dict(flat=False)), 301
        )
    chairs = [(name, catalogue().person_id(name, s.event)) for name in s.chairs]
    return page("session.html", session=s, chairs=chairs, event=catalogue().events[s.event])


@bp.get("/session/<event>/<code>.ics")
def session_ics(event: str, code: str) -> Response:
    s = _session(event, code)
    name = catalogue().events[s.event].name
    data = calendar.session_calendar(s, name, _absolute("browse.session_page", event=s.event, code=s.code), _stamp())
    return _ics(data, f"{s.event}-{s.code}.ics")


@bp.get("/talk/<talk_id>.ics")
def talk_ics(talk_id: str) -> Response:
    talk = engine().talk(catalogue().canonical_id(talk_id) or talk_id)
    return _ics(calendar.talk_calendar(talk, _absolute("pages.talk_page", talk_id=talk.id), _stamp()), f"{talk.id}.ics")


def _programme(event: str):
    p = catalogue().programme(event)
    if p is None:
        known = ", ".join(catalogue().events)
        raise NotFound(labels(ui())["unknown_event"].format(event=event, known=known))
    return p


def _session(event: str, code: str) -> Session:
    p = _programme(event)
    s = catalogue().session(p.event, code)
    if s is None:
        codes = ", ".join(x.code for x in p.sessions) or "-"
        raise NotFound(labels(ui())["unknown_session"].format(event=p.event, code=code, known=codes))
    return s


def _absolute(endpoint: str, **values: str) -> str:
    return url_for(endpoint, _external=True, **values)


def _stamp():
    return calendar.stamp_of(engine().health().get("built_at"))


def _ics(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="text/calendar")
    response.headers["Content-Type"] = ICS
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
