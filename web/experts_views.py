"""Pages for organizers: experts by topic, with conflict-of-interest filters, and their CSV."""

from __future__ import annotations

from flask import Blueprint, Response, request

from search.csv_safe import csv_text
from search.engine import ExpertResponse
from web import params
from web.context import engine, page, ui

bp = Blueprint("experts", __name__)

SHOW = (10, 20, 50, 100)  # choices of how many experts the page shows
LABELS = {
    "en": {
        "exclude_name": "Exclude people (names, ';'-separated)",
        "show": "Show",
        "for_topic": "Experts on study-plan topic {id}: {title}",
        "for_talk": "Reviewers for talk {id}: {title}; its speakers ({speakers}) are excluded",
        "for_text": "Experts on: {q}",
        "excluded": "Excluded by the conflict-of-interest rules ({n})",
        "warnings": "Warnings",
        "no_strong": "No talk is a strong match for this topic, so nobody is shown as an expert on it.",
        "assign": "Assign reviewers to a whole set of submissions",
    },
    "zh": {
        "exclude_name": "排除人员（姓名，用 ';' 分隔）",
        "show": "显示",
        "for_topic": "研究方向 {id} 的专家：{title}",
        "for_talk": "报告 {id} 的审稿人：{title}；其报告人（{speakers}）已排除",
        "for_text": "专家：{q}",
        "excluded": "按利益冲突规则排除（{n} 人）",
        "warnings": "警告",
        "no_strong": "没有与该主题高度相关的报告，因此不列出专家。",
        "assign": "为一批投稿分配审稿人",
    },
}


def find(p: params.ExpertParams) -> ExpertResponse:
    return engine().experts(p.q, k=p.k, exclude_names=list(p.exclude_name),
                            exclude_affiliations=list(p.exclude_affiliation))  # fmt: skip


def _form_params(required: bool) -> params.ExpertParams | None:
    """The experts form's fields: a box may hold several ';'-separated entries; empty ones are left out."""
    args = request.args.copy()
    for name in ("exclude_name", "exclude_affiliation"):
        args.setlist(name, [part.strip() for v in args.getlist(name) for part in v.split(";") if part.strip()])
    if not required and not (args.get("q") or "").strip():
        return None
    return params.from_args(params.ExpertParams, args)


@bp.get("/experts")
def experts_page() -> str:
    p = _form_params(required=False)
    k = p.k if p else 20
    return page(
        "experts.html",
        q=p.q.strip() if p else "",
        response=find(p) if p else None,
        topics=engine().topics(),
        te=LABELS[ui()],
        show=sorted({*SHOW, k}),
        k=k,
    )


@bp.get("/experts.csv")
def experts_csv() -> Response:
    response = find(_form_params(required=True))
    rows = (
        [n, e.id, e.name, e.latin, f"{e.score:.4f}", "; ".join(e.affiliations),
         "; ".join(sorted({r["role"] for r in e.roles})), ";".join(ev.talk_id for ev in e.evidence),
         ";".join(f"{ev.score:.3f}" for ev in e.evidence), e.label]
        for n, e in enumerate(response.experts, start=1)
    )  # fmt: skip
    header = ["rank", "person_id", "name", "latin", "score", "affiliations", "roles", "evidence",
              "evidence_scores", "label"]  # fmt: skip
    return Response(
        "\ufeff" + csv_text(header, rows),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=experts.csv"},
    )
