"""Reviewer assignment over the web: the organizers' upload page (/assign) and POST /api/assign (JSON).

Both validate every submission row before anything is computed (search.submissions, as `corpus
add` does) and cap the request body (MAX_UPLOAD bytes) before reading it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, jsonify, request

from search.assign import Assignment, record, summary_lines, to_csv, to_jsonl
from search.batch import BatchFileError, decode
from search.engine import QueryError
from search.notes import Note
from search.submissions import SubmissionError, from_rows, parse_submissions
from web import params
from web.context import engine, page, ui

bp = Blueprint("assign", __name__)

MAX_UPLOAD = 5 * 1024 * 1024  # bytes: 5,000 submissions of 1,000 Chinese characters
MAX_PER_SUBMISSION = 20
MAX_LOAD = 500
MAX_REVIEWERS = 5000

LABELS = {
    "en": {
        "assign": "Assign reviewers",
        "intro": "Upload submissions (JSONL or CSV with id, title, abstract, authors, affiliations; authors and "
        "affiliations separated by ';'). Every submission gets the same number of reviewers, nobody reviews "
        "more than the maximum load, authors and their institutions' members never review it, and the total "
        "affinity is the largest possible.",
        "file": "Submissions file (.jsonl or .csv, at most 5 MB)",
        "per": "Reviewers per submission",
        "load": "Maximum load per reviewer",
        "pool": "Who may review (one name or person id per line; empty: everyone with a talk)",
        "format": "Result as",
        "page": "this page",
        "problems": "Nothing was assigned; fix these rows:",
        "choose": "choose a submissions file (.jsonl or .csv)",
        "summary": "Summary",
        "submission": "Submission",
        "reviewers": "Reviewers (affinity, rank for this submission)",
        "excluded": "conflicts excluded",
        "warnings": "Warnings",
    },
    "zh": {
        "assign": "分配审稿人",
        "intro": "上传投稿（JSONL 或 CSV，字段 id、title、abstract、authors、affiliations；authors 与 affiliations "
        "用 ';' 分隔）。每篇投稿分到相同数量的审稿人，每位审稿人不超过最大负载，作者及其单位的成员不审该稿，"
        "总匹配度最大。",
        "file": "投稿文件（.jsonl 或 .csv，不超过 5 MB）",
        "per": "每篇投稿的审稿人数",
        "load": "每位审稿人的最大负载",
        "pool": "审稿人范围（每行一个姓名或人员 id；留空则为所有报告人）",
        "format": "结果格式",
        "page": "本页",
        "problems": "未分配；请修改以下各行：",
        "choose": "请选择投稿文件（.jsonl 或 .csv）",
        "summary": "概要",
        "submission": "投稿",
        "reviewers": "审稿人（匹配度，在该投稿中的排名）",
        "excluded": "因利益冲突排除",
        "warnings": "警告",
    },
}


def _cap_body() -> None:
    """413 before reading a body over MAX_UPLOAD (a chunked body is cut off at the cap by werkzeug)."""
    request.max_content_length = MAX_UPLOAD
    if request.content_length is not None and request.content_length > MAX_UPLOAD:
        abort(413, description=f"the request is {request.content_length:,} bytes; the limit is {MAX_UPLOAD:,}")


def _pool(lines: list[Any]) -> list[str] | None:
    if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
        raise QueryError("reviewers must be a list of names or person ids")
    pool = [x.strip() for x in lines if x.strip()]
    if len(pool) > MAX_REVIEWERS:
        raise QueryError(f"{len(pool)} reviewers; at most {MAX_REVIEWERS}")
    return pool or None


def _bounded(value: Any, name: str, default: int, high: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
        raise QueryError(f"{name} must be a whole number between 1 and {high}, got {value!r}")
    return value


@bp.post("/api/assign")
def api_assign():
    """JSON in: {"submissions": [...], "per_submission": 3, "max_load": 4, "reviewers": [...]}."""
    _cap_body()
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise QueryError('the body must be a JSON object: {"submissions": [...], "per_submission": 3, "max_load": 4}')
    unknown = sorted(set(body) - {"submissions", "per_submission", "max_load", "reviewers"})
    if unknown:
        raise QueryError(f"unknown field(s) {', '.join(unknown)}; allowed: submissions, per_submission, max_load, "
                         "reviewers")  # fmt: skip
    rows = body.get("submissions")
    if not isinstance(rows, list):
        raise QueryError("submissions must be a list of objects with id, title, abstract, authors, affiliations")
    per = _bounded(body.get("per_submission"), "per_submission", 3, MAX_PER_SUBMISSION)
    load = _bounded(body.get("max_load"), "max_load", 4, MAX_LOAD)
    pool = _pool(body.get("reviewers", []))
    try:
        subs = from_rows(
            [(n, r if isinstance(r, dict) else Note("not_submission")) for n, r in enumerate(rows, 1)],
            "submissions",
        )
    except SubmissionError as exc:
        return jsonify(
            {"status": 400, "error": "nothing assigned; fix these submissions", "problems": exc.problems}
        ), 400
    result = engine().assign(subs, per, load, pool)
    return jsonify(
        {
            "submissions": [record(a) for a in result.submissions],
            "summary": result.summary,
            "warnings": [f"{a.id}: {w}" for a in result.submissions for w in a.warnings],
        }
    )


@bp.get("/assign")
def assign_page() -> str:
    return _render()


@bp.post("/assign")
def assign_upload():
    _cap_body()
    form = request.form
    per = params.integer(form, "per_submission", 3, 1, MAX_PER_SUBMISSION)
    load = params.integer(form, "max_load", 4, 1, MAX_LOAD)
    fmt = form.get("format", "page")
    if fmt not in ("page", "csv", "jsonl"):
        raise QueryError(f"format must be page, csv or jsonl, got {fmt!r}")
    pool = _pool(form.get("reviewers", "").splitlines())
    upload = request.files.get("submissions")
    if upload is None or not upload.filename:
        return _render(problems=[LABELS[ui()]["choose"]]), 400
    try:
        subs = parse_submissions(decode(upload.read(), upload.filename), upload.filename)
    except SubmissionError as exc:
        return _render(problems=exc.problems), 400
    except BatchFileError as exc:
        return _render(problems=list(exc.args[:1])), 400  # the message itself: a Note the page can say in Chinese
    result = engine().assign(subs, per, load, pool)
    if fmt == "page":
        return _render(result=result)
    text, mimetype = (to_csv(result), "text/csv") if fmt == "csv" else (to_jsonl(result), "application/x-ndjson")
    return Response(
        ("\ufeff" if fmt == "csv" else "") + text,
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename=assignment.{fmt}"},
    )


def _render(result: Assignment | None = None, problems: list[str] | None = None) -> str:
    form = request.form if request.method == "POST" else {}
    return page(
        "assign.html",
        ta=LABELS[ui()],
        result=result,
        summary=summary_lines(result.summary) if result else [],
        problems=problems or [],
        form=form,
    )
