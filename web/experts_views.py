"""Pages for organizers: experts by topic, with conflict-of-interest filters, and their CSV."""

from __future__ import annotations

from flask import Blueprint, Response, request

from search.csv_safe import csv_text
from search.engine import ExpertResponse
from web import params
from web.context import engine, page

bp = Blueprint("experts", __name__)


def find(q: str) -> ExpertResponse:
    return engine().experts(
        q,
        k=params.k(request.args, 20),
        exclude_names=[x for x in params.values(request.args, "exclude_name") if x.strip()],
        exclude_affiliations=[x for x in params.values(request.args, "exclude_affiliation") if x.strip()],
    )


@bp.get("/experts")
def experts_page() -> str:
    q = params.query(request.args, required=False)
    return page("experts.html", q=q, response=find(q) if q else None, topics=engine().topics())


@bp.get("/experts.csv")
def experts_csv() -> Response:
    response = find(params.query(request.args))
    rows = (
        [n, e.id, e.name, e.latin, f"{e.score:.4f}", "; ".join(e.affiliations),
         "; ".join(sorted({r["role"] for r in e.roles})),
         "; ".join(f"{ev.talk_id} ({ev.score:.3f})" for ev in e.evidence)]
        for n, e in enumerate(response.experts, start=1)
    )  # fmt: skip
    text = csv_text(["rank", "person_id", "name", "latin", "score", "affiliations", "roles", "evidence"], rows)
    return Response(
        "\ufeff" + text,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=experts.csv"},
    )
