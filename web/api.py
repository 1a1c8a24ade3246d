"""The JSON API: the same answers as the CLI's --json, described in /api/openapi.json.

Search and experts take their parameters as a query string (GET) or as a JSON object with the same
fields (POST, for texts too long for a URL); both are validated by the models in web.params."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request

from corpus.errors import TalksearchError
from web import params
from web.context import catalogue, engine
from web.experts_views import find as find_experts
from web.openapi import spec

bp = Blueprint("api", __name__, url_prefix="/api")


class UnsupportedBody(TalksearchError):
    """A POST whose body is not JSON (answered with 415)."""


def read(model: type) -> Any:
    """The request's parameters: the query string of a GET, the JSON body of a POST."""
    if request.method != "POST":
        return params.from_args(model, request.args)
    if request.mimetype != "application/json":
        raise UnsupportedBody(f"send the parameters as a JSON object with Content-Type: application/json, "
                              f"not {request.mimetype or 'no Content-Type'}")  # fmt: skip
    return params.from_json(model, request.get_data(cache=False))


@bp.route("/search", methods=["GET", "POST"])
def api_search():
    p = read(params.search_model(engine()))
    response = engine().search(p.q, k=p.k, filters=params.filters(p), offset=p.offset, sort=p.sort)
    return jsonify(response.to_dict())


@bp.get("/trends")
def api_trends():
    """Matching talks per year, every year of the corpus listed (0 where none match)."""
    p = read(params.search_model(engine()))
    response = engine().search(p.q, k=1, filters=params.filters(p))
    found = response.facets.get("year", {})
    years = {y: found.get(y, 0) for y in catalogue().years()}
    return jsonify({"query": response.query, "total": response.total, "strong_match": response.strong_match,
                    "years": years})  # fmt: skip


@bp.get("/talks/<talk_id>")
def api_talk(talk_id: str):
    return jsonify(engine().talk(talk_id).to_dict())


@bp.get("/talks/<talk_id>/related")
def api_related(talk_id: str):
    engine().talk(talk_id)
    p = read(params.RelatedParams)
    hits = engine().related(talk_id, k=p.k, other_events=p.other_events)
    return jsonify({"id": talk_id, "related": [h.to_dict() for h in hits]})


@bp.get("/people/<person_id>")
def api_person(person_id: str):
    return jsonify(engine().person(person_id).to_dict())


@bp.route("/experts", methods=["GET", "POST"])
def api_experts():
    return jsonify(find_experts(read(params.ExpertParams)).to_dict())


@bp.get("/health")
def api_health():
    return jsonify(engine().health())


@bp.get("/openapi.json")
def api_openapi():
    return jsonify(spec(engine()))
