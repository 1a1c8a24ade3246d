"""The Flask app: pages for attendees and organizers and the JSON API. Routes only parse
parameters, call the search library and render; they never parse sources or rank."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from typing import Any

from flask import Flask, Response, abort, jsonify, render_template, request, url_for
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException

from search.engine import Engine
from search.experts import find_experts
from search.query import QueryError
from search.related import related as find_related
from web import params
from web.i18n import labels
from web.openapi import SPEC

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def mark(text: str, spans: list[tuple[int, int]] | list[list[int]]) -> Markup:
    """Escape first, then mark: user text never becomes markup."""
    out, last = [], 0
    for a, b in sorted(tuple(s) for s in spans):
        if a < last:
            continue
        out += [escape(text[last:a]), Markup("<mark>"), escape(text[a:b]), Markup("</mark>")]
        last = b
    out.append(escape(text[last:]))
    return Markup("").join(out)


def create_app(engine: Engine) -> Flask:
    app = Flask(__name__)
    app.config["JSON_AS_ASCII"] = False
    app.json.ensure_ascii = False
    app.jinja_env.filters["mark"] = mark

    def ui() -> str:
        return "zh" if request.args.get("ui") == "zh" else "en"

    def page(template: str, **context: Any) -> str:
        return render_template(template, t=labels(ui()), ui=ui(), args=request.args, switch_url=switch_url(), **context)

    def switch_url() -> str:
        """This page in the other UI language; unknown pages switch on the search page."""
        args = request.args.to_dict(flat=False)
        args["ui"] = ["en" if ui() == "zh" else "zh"]
        endpoint = request.endpoint if request.endpoint not in (None, "static") else "search_page"
        view_args = request.view_args if endpoint == request.endpoint else {}
        return url_for(endpoint, **(view_args or {}), **args)

    def talk_or_404(talk_id: str):
        row = engine.row.get(talk_id)
        if row is None:
            abort(404, description=f"unknown talk id {talk_id!r}")
        return engine.talks[row]

    def person_or_404(person_id: str):
        person = engine.people.get(person_id)
        if person is None:
            abort(404, description=f"unknown person id {person_id!r}")
        return person

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.errorhandler(QueryError)
    def bad_request(exc: QueryError):
        return error(400, str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return error(exc.code or 500, exc.description or exc.name)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("unexpected error")
        return error(500, "internal error; the server log has the details")

    def error(status: int, message: str):
        if request.path.startswith("/api/"):
            return jsonify({"status": status, "error": message}), status
        try:
            return page("error.html", status=status, message=message), status
        except Exception:
            return Response(f"{status}: {message}", status=status, mimetype="text/plain")

    # --- pages -----------------------------------------------------------------------------------
    @app.get("/")
    def search_page() -> str:
        q = params.query(request.args, required=False)
        response = None
        if q:
            k = params.k(request.args)
            offset = params.integer(request.args, "offset", 0, 0, 100_000)
            response = engine.search(
                q, k=k, filters=params.filters(request.args), offset=offset, sort=request.args.get("sort", "relevance")
            )
        return page("search.html", q=q, response=response, page_url=_page_url)

    @app.get("/talk/<talk_id>")
    def talk_page(talk_id: str) -> str:
        talk = talk_or_404(talk_id)
        hits = find_related(engine, talk_id, k=6)
        return page("talk.html", talk=talk, related=hits, people=[engine.people[p] for p in talk.person_ids])

    @app.get("/person/<person_id>")
    def person_page(person_id: str) -> str:
        person = person_or_404(person_id)
        talks = [engine.talks[engine.row[t]] for t in person.talk_ids if t in engine.row]
        return page("person.html", person=person, talks=talks)

    @app.get("/experts")
    def experts_page() -> str:
        q = params.query(request.args, required=False)
        response = _experts(q) if q else None
        return page("experts.html", q=q, response=response, topics=engine.bundle.topics)

    @app.get("/experts.csv")
    def experts_csv() -> Response:
        response = _experts(params.query(request.args))
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["rank", "person_id", "name", "score", "affiliations", "roles", "evidence"])
        for n, e in enumerate(response.experts, start=1):
            roles = sorted({r["role"] for r in e.roles})
            evidence = [f"{ev.talk_id} ({ev.score:.3f})" for ev in e.evidence]
            writer.writerow([n, e.id, e.name, f"{e.score:.4f}", "; ".join(e.affiliations), "; ".join(roles),
                             "; ".join(evidence)])  # fmt: skip
        return Response(
            "\ufeff" + buf.getvalue(),
            mimetype="text/csv",
            headers={"Content-Disposition": "attachment; filename=experts.csv"},
        )

    def _experts(q: str):
        return find_experts(
            engine,
            q,
            k=params.k(request.args, 20),
            exclude_names=[x for x in request.args.getlist("exclude_name") if x.strip()],
            exclude_affiliations=[x for x in request.args.getlist("exclude_affiliation") if x.strip()],
        )

    def _page_url(offset: int) -> str:
        args = request.args.to_dict(flat=False)
        args["offset"] = [str(offset)]
        return url_for("search_page", **args)

    # --- JSON API --------------------------------------------------------------------------------
    @app.get("/api/search")
    def api_search():
        response = engine.search(
            params.query(request.args),
            k=params.k(request.args),
            filters=params.filters(request.args),
            offset=params.integer(request.args, "offset", 0, 0, 100_000),
            sort=request.args.get("sort", "relevance"),
        )
        return jsonify(response.to_dict())

    @app.get("/api/talks/<talk_id>")
    def api_talk(talk_id: str):
        return jsonify(talk_or_404(talk_id).to_dict())

    @app.get("/api/talks/<talk_id>/related")
    def api_related(talk_id: str):
        talk_or_404(talk_id)
        other = request.args.get("other_events", "").lower() in ("1", "true", "yes")
        hits = find_related(engine, talk_id, k=params.k(request.args, 5), other_events=other)
        return jsonify({"id": talk_id, "related": [asdict(h) for h in hits]})

    @app.get("/api/people/<person_id>")
    def api_person(person_id: str):
        return jsonify(person_or_404(person_id).to_dict())

    @app.get("/api/experts")
    def api_experts():
        return jsonify(_experts(params.query(request.args)).to_dict())

    @app.get("/api/health")
    def api_health():
        m = engine.bundle.manifest
        return jsonify(
            {
                "status": "ok",
                "index_loaded": True,
                "counts": m.get("counts", {}),
                "encoder": m.get("encoder", {}),
                "index_type": m.get("index_type"),
                "built_at": m.get("built_at"),
            }
        )

    @app.get("/api/openapi.json")
    def api_openapi():
        return jsonify(SPEC)

    return app
