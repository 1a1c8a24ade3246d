"""Pages for attendees: search, talk, person."""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from werkzeug.datastructures import MultiDict

from web import params
from web.context import HELPERS, catalogue, engine, page, pasted, ui
from web.i18n import labels
from web.searchview import Controls

bp = Blueprint("pages", __name__)


@bp.route("/", methods=["GET", "POST"])
def search_page():
    """GET for short, shareable queries. The form POSTs: a text that fits in a URL is redirected to its
    GET address, a longer one (a pasted abstract) to ``/?qid=…``, a short id for it (web.pasted), so
    paging, filters and talk links work for it too."""
    args = _search_args()
    if request.method == "POST":
        target = url_for("pages.search_page", **args.to_dict(flat=False))
        text = (args.get("q") or "").strip()
        if text and len(target) + len("GET  HTTP/1.1") > params.SHARE_URL_BYTES:  # a pasted abstract: an id
            args.setlist("qid", [pasted().put(text)])
            args.setlist("q", [])
            target = url_for("pages.search_page", **args.to_dict(flat=False))
        return redirect(target, code=303)
    q = (args.get("q") or "").strip()
    query = args
    if not q and args.get("qid"):  # links keep the id; the query is the text it stands for
        q = pasted().get(args["qid"]) or ""
        if not q:
            message = labels(ui())["pasted_gone"]
            return page("error.html", status=404, message=message, near=[]), 404
        query = MultiDict(args)
        query.setlist("q", [q])
    controls = Controls(args, catalogue(), HELPERS)
    response = None
    if q:
        p = params.from_args(params.search_model(engine()), query)
        response = engine().search(p.q, k=p.k, filters=params.filters(p), offset=p.offset, sort=p.sort)
        if response.total and response.offset >= response.total:  # past the end: the last page
            last = (response.total - 1) // p.k * p.k
            return redirect(_page_url(args, last), 302)
    return page("search.html", q=q, response=response, page_url=lambda offset: _page_url(args, offset),
                controls=controls, years=catalogue().years())  # fmt: skip


@bp.get("/search")
def search_alias():
    """``/search?q=…``, the address many sites use for search, is the search page at ``/?q=…``."""
    return redirect(url_for("pages.search_page", **request.args.to_dict(flat=False)), code=301)


def _search_args() -> MultiDict:
    """The query string, with the posted form's fields on a POST (empty choices such as "all years" left out)."""
    args = MultiDict(request.args)
    if request.method == "POST":
        for name in request.form:
            args.setlist(name, [v for v in request.form.getlist(name) if name == "q" or v])
    return args


@bp.get("/talk/<talk_id>")
def talk_page(talk_id: str):
    cat = catalogue()
    canonical = cat.canonical_id(talk_id)
    if canonical is None:
        near = cat.near_ids(talk_id)
        message = labels(ui())["unknown_talk"].format(id=talk_id)
        return page("error.html", status=404, message=message, near=near), 404
    if canonical != talk_id:
        return redirect(url_for("pages.talk_page", talk_id=canonical, **request.args.to_dict(flat=False)), 301)
    talk = engine().talk(canonical)
    people = [engine().person(p) for p in talk.person_ids]
    chairs = [(name, cat.person_id(name, talk.event)) for name in talk.chairs]
    back = None
    if request.args.get("q") or request.args.get("qid"):
        back = url_for("pages.search_page", **request.args.to_dict(flat=False))
    return page("talk.html", talk=talk, related=engine().related(canonical, k=6), people=people, chairs=chairs,
                back=back)  # fmt: skip


@bp.get("/person/<person_id>")
def person_page(person_id: str) -> str:
    return page("person.html", person=engine().person(person_id), talks=engine().person_talks(person_id))


def _page_url(args: MultiDict, offset: int) -> str:
    values = args.to_dict(flat=False)
    values["offset"] = [str(offset)] if offset else []
    return url_for("pages.search_page", **values)
