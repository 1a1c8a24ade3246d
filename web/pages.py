"""Pages for attendees: search, talk, person."""

from __future__ import annotations

from flask import Blueprint, request, url_for

from web import params
from web.context import engine, page

bp = Blueprint("pages", __name__)


@bp.get("/")
def search_page() -> str:
    q = params.query(request.args, required=False)
    response = None
    if q:
        response = engine().search(
            q,
            k=params.k(request.args),
            filters=params.filters(request.args),
            offset=params.offset(request.args),
            sort=request.args.get("sort", "relevance"),
        )
    return page("search.html", q=q, response=response, page_url=_page_url)


@bp.get("/talk/<talk_id>")
def talk_page(talk_id: str) -> str:
    talk = engine().talk(talk_id)
    people = [engine().person(p) for p in talk.person_ids]
    return page("talk.html", talk=talk, related=engine().related(talk_id, k=6), people=people)


@bp.get("/person/<person_id>")
def person_page(person_id: str) -> str:
    return page("person.html", person=engine().person(person_id), talks=engine().person_talks(person_id))


def _page_url(offset: int) -> str:
    args = request.args.to_dict(flat=False)
    args["offset"] = [str(offset)]
    return url_for("pages.search_page", **args)
