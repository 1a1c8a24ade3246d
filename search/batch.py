"""Batch queries: read TSV or JSONL query files, run them, write TREC, JSONL or CSV runs.

Input: TSV ``id<TAB>query`` (an ``id<TAB>query`` header line is optional) or JSONL
``{"id": ..., "query": ...}``. A malformed line is reported with its number; the other lines
still run. Output is deterministic: ties are broken by id.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from search.csv_safe import csv_text

RUN_TAG = "talksearch"


@dataclass
class BatchQuery:
    qid: str
    query: str
    line: int


@dataclass
class BatchRow:
    qid: str
    rank: int
    doc: str
    score: float
    extra: dict[str, object]


def read_queries(text: str, name: str) -> tuple[list[BatchQuery], list[str]]:
    """Queries and one error message per malformed line ('FILE:LINE: what is wrong')."""
    queries: list[BatchQuery] = []
    errors: list[str] = []
    lines = text.splitlines()
    is_jsonl = next((ln.lstrip().startswith("{") for ln in lines if ln.strip()), False)
    seen: set[str] = set()
    for no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if is_jsonl:
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"{name}:{no}: not valid JSON ({exc.msg})")
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("query"), str) or "id" not in obj:
                errors.append(f'{name}:{no}: expected {{"id": ..., "query": "..."}}')
                continue
            qid, query = str(obj["id"]), obj["query"]
        else:
            parts = line.split("\t")
            if no == 1 and [p.strip().lower() for p in parts] == ["id", "query"]:
                continue
            if len(parts) != 2 or not parts[0].strip():
                errors.append(f"{name}:{no}: expected 'id<TAB>query', got {len(parts)} field(s)")
                continue
            qid, query = parts[0].strip(), parts[1]
        if not query.strip():
            errors.append(f"{name}:{no}: query {qid!r} is empty")
            continue
        if qid in seen:
            errors.append(f"{name}:{no}: query id {qid!r} repeats an earlier line")
            continue
        seen.add(qid)
        queries.append(BatchQuery(qid, query, no))
    return queries, errors


def run(
    queries: Iterable[BatchQuery],
    answer: Callable[[str], list[tuple[str, float, dict[str, object]]]],
    errors: list[str],
    name: str,
) -> Iterator[BatchRow]:
    """Answer each query; a query the engine rejects is an error for its line, not the batch."""
    for q in queries:
        try:
            results = answer(q.query)
        except ValueError as exc:  # QueryError
            errors.append(f"{name}:{q.line}: query {q.qid!r}: {exc}")
            continue
        ordered = sorted(results, key=lambda r: (-r[1], r[0]))
        for rank, (doc, score, extra) in enumerate(ordered, start=1):
            yield BatchRow(q.qid, rank, doc, score, extra)


def format_rows(rows: Iterable[BatchRow], fmt: str) -> str:
    rows = list(rows)
    if fmt == "trec":
        return "".join(f"{r.qid} Q0 {r.doc.replace(' ', '_')} {r.rank} {r.score:.6f} {RUN_TAG}\n" for r in rows)
    if fmt == "jsonl":
        return "".join(
            json.dumps({"id": r.qid, "rank": r.rank, "doc": r.doc, "score": round(r.score, 6), **r.extra},
                       ensure_ascii=False) + "\n"
            for r in rows
        )  # fmt: skip
    extra_keys = sorted({k for r in rows for k in r.extra})
    return csv_text(
        ["id", "rank", "doc", "score", *extra_keys],
        ([r.qid, r.rank, r.doc, f"{r.score:.6f}", *[r.extra.get(k, "") for k in extra_keys]] for r in rows),
    )
