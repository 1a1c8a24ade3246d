"""The dev-set evaluation: nDCG@10, Recall@10 and MRR@10 (computed by ranx) per half and category.

The dev set has two halves (`"split": "tune" | "heldout"`): settings are chosen on the tuning half
and the held-back half is reported as the result. Columns: lexical and dense alone, the old hybrid
(the reference run saved in eval/runs/reference.trec by eval/make_reference.py) and the current
hybrid. The numbers are kept in eval/expected.json; tests fail when either half falls more than 0.01
below them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from corpus.errors import TalksearchError
from corpus.text import language
from search.engine import Engine

EVAL_DIR = Path(__file__).resolve().parent.parent / "eval"
REFERENCE = Path("runs") / "reference.trec"  # inside the eval directory
SPLITS = ("tune", "heldout")
METHODS = ("lexical", "dense", "hybrid")  # run live
OLD = "old hybrid"  # read from the reference run
MEASURES = ("ndcg@10", "recall@10", "mrr@10")
CUTOFF = 10
GRADES = {1, 2}  # 2 = about exactly this, 1 = related
HIGH = 2

Run = dict[str, list[str]]  # query id -> ranked talk (or person) ids


class EvalError(TalksearchError):
    """A malformed dev-set or run file."""


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise EvalError(f"{path}:{n}: not JSON ({e.msg})") from None
    return rows


def check(rows: list[dict[str, Any]], path: Path, text_field: str) -> None:
    """Every row has an id, its text, a split and grades in GRADES; ids are unique."""
    seen: set[str] = set()
    for n, row in enumerate(rows, 1):
        where = f"{path}: row {n} ({row.get('id', 'no id')})"
        for key in ("id", text_field, "split", "relevant"):
            if key not in row:
                raise EvalError(f"{where}: missing field {key!r}")
        if row["id"] in seen:
            raise EvalError(f"{where}: duplicate id")
        seen.add(row["id"])
        if row["split"] not in SPLITS:
            raise EvalError(f"{where}: split must be one of {', '.join(SPLITS)}, got {row['split']!r}")
        bad = {d: g for d, g in row["relevant"].items() if g not in GRADES}
        if bad:
            raise EvalError(f"{where}: grades must be 1 (related) or 2 (about exactly this): {bad}")


def measure(qrels: Mapping[str, Mapping[str, int]], run: Run) -> dict[str, dict[str, float]]:
    """Per-query nDCG@10, Recall@10, MRR@10 from ranx; queries without judgments are left out."""
    try:
        from ranx import Qrels, evaluate
        from ranx import Run as RanxRun
    except ImportError:
        raise EvalError("the evaluation needs ranx: pip install 'talksearch[eval]'") from None

    judged = {q: dict(rel) for q, rel in qrels.items() if rel}
    if not judged:
        return {}
    # Scores that decrease with rank, so ranx sees exactly our order (ties included).
    scored = {q: {d: float(CUTOFF - i) for i, d in enumerate(run.get(q, [])[:CUTOFF])} for q in judged}
    scores = evaluate(Qrels(judged), RanxRun(scored), list(MEASURES), return_mean=False, make_comparable=True)
    qids = list(Qrels(judged).keys())
    return {q: {m: float(scores[m][i]) for m in MEASURES} for i, q in enumerate(qids)}


def summarise(per_query: Mapping[str, Mapping[str, float]], groups: Mapping[str, Iterable[str]]) -> dict[str, Any]:
    """Mean of each measure over each group of query ids (empty groups left out)."""
    out: dict[str, Any] = {}
    for name, qids in groups.items():
        rows = [per_query[q] for q in qids if q in per_query]
        if rows:
            out[name] = {m: round(sum(r[m] for r in rows) / len(rows), 4) for m in MEASURES}
            out[name]["queries"] = len(rows)
    return out


def groups_by_category(rows: list[dict[str, Any]], split: str, key: str = "category") -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row["split"] == split and row["relevant"]:
            groups["all"].append(row["id"])
            groups[row[key]].append(row["id"])
    return dict(sorted(groups.items(), key=lambda kv: (kv[0] != "all", kv[0])))


def search_run(engine: Engine, queries: list[dict[str, Any]], method: str) -> tuple[Run, dict[str, bool]]:
    run, strong = {}, {}
    for q in queries:
        response = engine.search(q["query"], k=CUTOFF, method=method, detail="ranking")
        run[q["id"]] = [h.id for h in response.hits]
        strong[q["id"]] = response.strong_match
    return run, strong


def cross_language_recall(queries: list[dict[str, Any]], run: Run, talk_lang: Mapping[str, str]) -> dict[str, Any]:
    """Share of the highly relevant talks written in the other language than the query found in the top 10.

    Mixed-language queries have no "other" language and are left out.
    """
    found = total = 0
    for q in queries:
        lang = language(q["query"])
        if lang == "mixed":
            continue
        other = [d for d, g in q["relevant"].items() if g == HIGH and talk_lang.get(d, lang) not in (lang, "mixed")]
        total += len(other)
        found += len(set(other) & set(run.get(q["id"], [])[:CUTOFF]))
    return {"share": round(found / total, 4) if total else None, "found": found, "talks": total}


def overlap(a: Run, b: Run, qids: Iterable[str]) -> float | None:
    """Mean share of the top 10 two runs have in common."""
    shares = [
        len(set(a.get(q, [])[:CUTOFF]) & set(b.get(q, [])[:CUTOFF])) / max(len(a.get(q, [])[:CUTOFF]), 1) for q in qids
    ]
    return round(sum(shares) / len(shares), 4) if shares else None


def read_trec(path: Path) -> Run:
    """A TREC run (`qid Q0 doc rank score tag`), ranked by rank."""
    rows: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 6 or not parts[3].isdigit():
            raise EvalError(f"{path}:{n}: expected 'qid Q0 doc rank score tag', got {line!r}")
        rows[parts[0]].append((int(parts[3]), parts[2]))
    return {q: [d for _, d in sorted(ranked)] for q, ranked in rows.items()}


def write_trec(run: Run, path: Path, tag: str) -> None:
    lines = [f"{q} Q0 {d} {i} {CUTOFF - i + 1} {tag}" for q, docs in run.items() for i, d in enumerate(docs, 1)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def resolve_person(engine: Engine, key: str) -> str:
    people = engine.people()
    if any(p.id == key for p in people):
        return key
    matches = [p.id for p in people if p.name == key]
    if len(matches) != 1:
        raise EvalError(f"dev_experts.jsonl names {key!r}, which is {len(matches)} people; use a person id")
    return matches[0]


def topic_kind(topic: str, engine: Engine) -> str:
    """study-plan (topic-N), talk (a talk id) or text."""
    if topic.startswith("topic-") and topic[6:].isdigit():
        return "study-plan"
    return "talk" if topic in {t.id for t in engine.talks()} else "text"


def evaluate_experts(engine: Engine, topics: list[dict[str, Any]]) -> dict[str, Any]:
    qrels, run = {}, {}
    for t in topics:
        qrels[t["id"]] = {resolve_person(engine, k): g for k, g in t["relevant"].items()}
        run[t["id"]] = [e.id for e in engine.experts(t["topic"], k=CUTOFF).experts]
    per_query = measure(qrels, run)
    kinds = [{**t, "kind": topic_kind(t["topic"], engine)} for t in topics]
    return {split: summarise(per_query, groups_by_category(kinds, split, "kind")) for split in SPLITS}


def run(engine: Engine, eval_dir: Path = EVAL_DIR, settings: Mapping[str, float] | None = None) -> dict[str, Any]:
    """Everything `talksearch eval` prints; "search" and "experts" are what eval/expected.json keeps.

    ``settings`` is the hook for `talksearch eval --set name=value`: the overrides go to the engine,
    which must offer ``with_settings`` (the engine facade) to take them.
    """
    if settings:
        if not hasattr(engine, "with_settings"):
            raise EvalError("settings overrides need an engine with settings (the engine facade)")
        engine = engine.with_settings(settings)
    qpath, epath = eval_dir / "dev_queries.jsonl", eval_dir / "dev_experts.jsonl"
    queries, topics = load_jsonl(qpath), load_jsonl(epath)
    check(queries, qpath, "query")
    check(topics, epath, "topic")
    qrels = {q["id"]: q["relevant"] for q in queries}
    runs, strong = {}, {}
    for method in METHODS:
        runs[method], strong[method] = search_run(engine, queries, method)
    ref_path = eval_dir / REFERENCE
    reference = read_trec(ref_path) if ref_path.exists() else None
    per_query = {m: measure(qrels, r) for m, r in runs.items()}
    if reference is not None:
        per_query[OLD] = measure(qrels, reference)
    talk_lang = {t.id: t.abstract_lang or t.title_lang for t in engine.talks()}
    result: dict[str, Any] = {"search": {}, "cross_language": {}, "reference": {}, "calibration": {}}
    for split in SPLITS:
        groups = groups_by_category(queries, split)
        half = [q for q in queries if q["split"] == split]
        result["search"][split] = {m: summarise(per_query[m], groups) for m in METHODS}
        with_old = {**runs, OLD: reference} if reference is not None else runs
        result["cross_language"][split] = {m: cross_language_recall(half, r, talk_lang) for m, r in with_old.items()}
        if reference is not None:
            old = summarise(per_query[OLD], groups)
            result["reference"][split] = {
                "old": old,
                "ndcg_delta": round(result["search"][split]["hybrid"]["all"]["ndcg@10"] - old["all"]["ndcg@10"], 4),
                "overlap": overlap(runs["hybrid"], reference, [q["id"] for q in half]),
                "missing": sorted(q["id"] for q in half if q["id"] not in reference),
            }
        judged = [q["id"] for q in half if q["relevant"]]
        nothing = [q["id"] for q in half if not q["relevant"]]
        result["calibration"][split] = {
            "judged_strong": sum(strong["hybrid"][q] for q in judged),
            "judged": len(judged),
            "none_strong": sum(strong["hybrid"][q] for q in nothing),
            "none": len(nothing),
        }
    result["experts"] = evaluate_experts(engine, topics)
    return result


def _cells(x: Mapping[str, float] | None) -> str:
    return "  ".join(f"{x[m]:.3f}" for m in MEASURES) if x else "   -      -      -  "


def table(result: dict[str, Any]) -> str:
    """Per half: a row per category, nDCG@10 / R@10 / MRR@10 for each column; then the summaries."""
    columns = [*METHODS[:2], OLD, METHODS[2]]
    lines = []
    for split in SPLITS:
        search, ref = result["search"][split], result["reference"].get(split, {})
        if not search.get("hybrid"):
            continue
        cal = result["calibration"][split]
        lines += ["", f"== {split} half: {cal['judged']} judged queries, {cal['none']} no-answer =="]
        lines.append(f"{'category':<10} {'n':>3}  " + "  ".join(f"{c:<20}" for c in columns))
        lines.append(f"{'':<10} {'':>3}  " + "  ".join(f"{'nDCG   R@10   MRR':<20}" for _ in columns))
        for cat, x in search["hybrid"].items():
            cells = [_cells(search[c].get(cat)) if c != OLD else _cells(ref.get("old", {}).get(cat)) for c in columns]
            lines.append(f"{cat:<10} {x['queries']:>3}  " + "  ".join(cells))
        cross = result["cross_language"][split]
        lines.append(
            "grade-2 talks in the other language found in the top 10: "
            + ", ".join(
                f"{c} {x['share']:.0%} ({x['found']}/{x['talks']})" if x and x["share"] is not None else f"{c} -"
                for c, x in ((c, cross.get(c)) for c in columns)
            )
        )
        if ref:
            missing = f" (not in the reference: {', '.join(ref['missing'])})" if ref["missing"] else ""
            lines.append(
                f"hybrid against the reference run: nDCG@10 {ref['ndcg_delta']:+.4f}, "
                f"mean top-10 overlap {ref['overlap']:.1%}{missing}"
            )
        else:
            lines.append("no reference run (eval/runs/reference.trec): run `make reference`")
        lines.append(
            f"strong match: {cal['judged_strong']}/{cal['judged']} judged, {cal['none_strong']}/{cal['none']} no-answer"
        )
        for kind, x in result["experts"].get(split, {}).items():
            lines.append(f"experts {kind:<10} {x['queries']:>3}  {_cells(x)}")
    return "\n".join(lines).lstrip("\n")


def regressions(result: dict[str, Any], expected: dict[str, Any], tolerance: float = 0.01) -> list[str]:
    """Figures that fell more than ``tolerance`` below the ones kept in eval/expected.json, either half."""
    out = []

    def walk(got: Any, want: Any, path: str) -> None:
        if isinstance(want, dict):
            for key, value in want.items():
                if key != "queries":
                    walk(got.get(key) if isinstance(got, dict) else None, value, f"{path}/{key}")
        elif got is None or got < want - tolerance:
            out.append(f"{path.lstrip('/')}: {got} < expected {want}")

    walk(result["search"], expected.get("search", {}), "search")
    walk(result["experts"], expected.get("experts", {}), "experts")
    return out
