"""Pages for attendees: search, talk, person."""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for

from web import params
from web.context import HELPERS, catalogue, engine, page
from web.searchview import Controls

bp = Blueprint("pages", __name__)


@bp.get("/")
def search_page():
    q = params.query(request.args, required=False)
    controls = Controls(request.args, catalogue(), HELPERS)
    response = None
    if q:
        k = params.k(request.args)
        response = engine().search(
            q,
            k=k,
            filters=params.filters(request.args),
            offset=params.offset(request.args),
            sort=request.args.get("sort", "relevance"),
        )
        if response.total and response.offset >= response.total:  # past the end: the last page
            last = (response.total - 1) // k * k
            return redirect(_page_url(last), 302)
    return page("search.html", q=q, response=response, page_url=_page_url, controls=controls,
                years=catalogue().years())  # fmt: skip


@bp.get("/talk/<talk_id>")
def talk_page(talk_id: str):
    cat = catalogue()
    canonical = cat.canonical_id(talk_id)
    if canonical is None:
        near = cat.near_ids(talk_id)
        return page("error.html", status=404, message=f"unknown talk id {talk_id!r}", near=near), 404
    if canonical != talk_id:
        return redirect(url_for("pages.talk_page", talk_id=canonical, **request.args.to_dict(flat=False)), 301)
    talk = engine().talk(canonical)
    people = [engine().person(p) for p in talk.person_ids]
    chairs = [(name, cat.person_id(name, talk.event)) for name in talk.chairs]
    back = None
    if request.args.get("q"):
        back = url_for("pages.search_page", **request.args.to_dict(flat=False))
    return page("talk.html", talk=talk, related=engine().related(canonical, k=6), people=people, chairs=chairs,
                back=back)  # fmt: skip


@bp.get("/person/<person_id>")
def person_page(person_id: str) -> str:
    return page("person.html", person=engine().person(person_id), talks=engine().person_talks(person_id))


def _page_url(offset: int) -> str:
    args = request.args.to_dict(flat=False)
    args["offset"] = [str(offset)] if offset else []
    return url_for("pages.search_page", **args)
