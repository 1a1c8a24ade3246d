"""Pages for organizers: experts by topic, with conflict-of-interest filters, and their CSV."""

from __future__ import annotations

from flask import Blueprint, Response, request

from search.csv_safe import csv_text
from search.engine import ExpertResponse
from web import params
from web.context import engine, page

bp = Blueprint("experts", __name__)


def find(p: params.ExpertParams) -> ExpertResponse:
    return engine().experts(p.q, k=p.k, exclude_names=list(p.exclude_name),
                            exclude_affiliations=list(p.exclude_affiliation))  # fmt: skip


def _form_params(required: bool) -> params.ExpertParams | None:
    """The experts form's fields: empty exclusion boxes are left out, not errors."""
    args = request.args.copy()
    for name in ("exclude_name", "exclude_affiliation"):
        args.setlist(name, [v for v in args.getlist(name) if v.strip()])
    if not required and not (args.get("q") or "").strip():
        return None
    return params.from_args(params.ExpertParams, args)


@bp.get("/experts")
def experts_page() -> str:
    p = _form_params(required=False)
    return page("experts.html", q=p.q.strip() if p else "", response=find(p) if p else None, topics=engine().topics())


@bp.get("/experts.csv")
def experts_csv() -> Response:
    response = find(_form_params(required=True))
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
