"""The JSON API: the same answers as the CLI's --json, described in /api/openapi.json."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from web import params
from web.context import engine
from web.experts_views import find as find_experts
from web.openapi import SPEC

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def api_search():
    response = engine().search(
        params.query(request.args),
        k=params.k(request.args),
        filters=params.filters(request.args),
        offset=params.offset(request.args),
        sort=request.args.get("sort", "relevance"),
    )
    return jsonify(response.to_dict())


@bp.get("/talks/<talk_id>")
def api_talk(talk_id: str):
    return jsonify(engine().talk(talk_id).to_dict())


@bp.get("/talks/<talk_id>/related")
def api_related(talk_id: str):
    engine().talk(talk_id)
    other = request.args.get("other_events", "").lower() in ("1", "true", "yes")
    hits = engine().related(talk_id, k=params.k(request.args, 5), other_events=other)
    return jsonify({"id": talk_id, "related": [h.to_dict() for h in hits]})


@bp.get("/people/<person_id>")
def api_person(person_id: str):
    return jsonify(engine().person(person_id).to_dict())


@bp.get("/experts")
def api_experts():
    return jsonify(find_experts(params.query(request.args)).to_dict())


@bp.get("/health")
def api_health():
    return jsonify(engine().health())


@bp.get("/openapi.json")
def api_openapi():
    return jsonify(SPEC)
