"""Batch queries: read TSV or JSONL query files, run them, write TREC, JSONL or CSV runs.

Input: TSV ``id<TAB>query`` (an ``id<TAB>query`` header line is optional) or JSONL
``{"id": ..., "query": ...}``. A malformed line is reported with its number; the other lines
still run. Output is deterministic: ties are broken by id.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from corpus.errors import TalksearchError
from corpus.notes import Note
from search.csv_safe import csv_text

BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"),
)  # fmt: skip

RUN_TAG = "talksearch"


class BatchFileError(TalksearchError):
    """A query file that cannot be read as text."""


class QueryRejected(ValueError):
    """A query the engine rejected in another process (its message is reported for its line)."""


def decode(data: bytes, name: str) -> str:
    """The text of a query file: a BOM's encoding (Excel saves UTF-16), else UTF-8, else GB18030."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise BatchFileError(
                    Note("at_file", name=name) + Note("bom_mismatch", encoding=encoding, byte=exc.start)
                ) from None
    if b"\x00" in data:
        raise BatchFileError(Note("at_file", name=name) + Note("nul_bytes"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            line = data[: utf8.start].count(b"\n") + 1
            raise BatchFileError(Note("at_row", name=name, no=line) + Note("not_utf8_gb")) from None


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


EXTRA_KEYS = {"search": ["speaker", "title"], "experts": ["person_id", "latin", "evidence"]}


def format_rows(rows: Iterable[BatchRow], fmt: str, extra_keys: list[str] | None = None, header: bool = True) -> str:
    """Rows as TREC, JSONL or CSV text; CSV columns are ``extra_keys`` (default: every key seen)."""
    rows = list(rows)
    if fmt == "trec":
        return "".join(f"{r.qid} Q0 {r.doc.replace(' ', '_')} {r.rank} {r.score:.6f} {RUN_TAG}\n" for r in rows)
    if fmt == "jsonl":
        return "".join(
            json.dumps({"id": r.qid, "rank": r.rank, "doc": r.doc, "score": round(r.score, 6), **r.extra},
                       ensure_ascii=False) + "\n"
            for r in rows
        )  # fmt: skip
    keys = sorted({k for r in rows for k in r.extra}) if extra_keys is None else extra_keys
    return csv_text(
        ["id", "rank", "doc", "score", *keys] if header else None,
        ([r.qid, r.rank, r.doc, f"{r.score:.6f}", *[_cell(r.extra.get(k, "")) for k in keys]] for r in rows),
    )


def _cell(value: object) -> object:
    return ";".join(map(str, value)) if isinstance(value, list) else value


Answer = Callable[[str], list[tuple[str, float, dict[str, object]]]]


def answerer(engine, task: str, k: int) -> Answer:
    """What one query returns for a batch ``task`` (search | experts): (doc, score, extra) rows."""

    def search(q: str) -> list[tuple[str, float, dict[str, object]]]:
        r = engine.search(q, k=k, detail="ranking")  # ids, scores, title, speaker: no snippets or facets
        return [(h.id, h.score, {"title": h.title, "speaker": h.speaker}) for h in r.hits]

    def experts(q: str) -> list[tuple[str, float, dict[str, object]]]:
        r = engine.experts(q, k=k)
        return [
            (e.label, e.score, {"person_id": e.id, "latin": e.latin, "evidence": [ev.talk_id for ev in e.evidence]})
            for e in r.experts
        ]  # label: '林伟 (北京大学)' for people who share a name

    return search if task == "search" else experts


def one_thread() -> None:
    """Queries run one at a time, each on one core (as the server runs them): no BLAS/OpenMP team
    per query, and the same floating-point results whichever process answers."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
