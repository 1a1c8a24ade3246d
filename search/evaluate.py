"""The project's own evaluation: nDCG@10, Recall@10 and MRR@10 on the bilingual dev set.

Numbers are kept beside the command in eval/expected.json, so a change that makes search worse
shows up (`make eval` compares; tests/test_eval.py fails on a regression).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

from search.engine import Engine

EVAL_DIR = Path(__file__).resolve().parent.parent / "eval"
METHODS = ("lexical", "dense", "rrf", "hybrid")
CUTOFF = 10


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def ndcg(ranked: list[str], judged: dict[str, int], k: int = CUTOFF) -> float:
    dcg = sum((2 ** judged.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(judged.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: list[str], judged: dict[str, int], k: int = CUTOFF) -> float:
    relevant = {d for d, g in judged.items() if g > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def mrr(ranked: list[str], judged: dict[str, int], k: int = CUTOFF) -> float:
    return next((1.0 / (i + 1) for i, d in enumerate(ranked[:k]) if judged.get(d, 0) > 0), 0.0)


def evaluate_search(engine: Engine, queries: list[dict[str, Any]]) -> dict[str, Any]:
    """metrics[method][category][metric], 'all' included; strong-match calibration counts."""
    per: dict[str, dict[str, list[tuple[float, float, float]]]] = {m: defaultdict(list) for m in METHODS}
    calibration = {"judged_strong": 0, "judged": 0, "none_strong": 0, "none": 0}
    for q in queries:
        for method in METHODS:
            response = engine.search(q["query"], k=CUTOFF, method=method)
            if q["category"] == "none":
                if method == "hybrid":
                    calibration["none"] += 1
                    calibration["none_strong"] += response.strong_match
                continue
            ranked = [h.id for h in response.hits]
            row = (ndcg(ranked, q["relevant"]), recall(ranked, q["relevant"]), mrr(ranked, q["relevant"]))
            per[method][q["category"]].append(row)
            per[method]["all"].append(row)
            if method == "hybrid":
                calibration["judged"] += 1
                calibration["judged_strong"] += response.strong_match
    metrics: dict[str, Any] = {}
    for method, cats in per.items():
        metrics[method] = {
            cat: {
                "ndcg@10": round(sum(r[0] for r in rows) / len(rows), 4),
                "recall@10": round(sum(r[1] for r in rows) / len(rows), 4),
                "mrr@10": round(sum(r[2] for r in rows) / len(rows), 4),
                "queries": len(rows),
            }
            for cat, rows in sorted(cats.items())
        }
    return {"search": metrics, "calibration": calibration}


def resolve_person(engine: Engine, key: str) -> str:
    people = engine.people()
    if any(p.id == key for p in people):
        return key
    matches = [p.id for p in people if p.name == key]
    if len(matches) != 1:
        raise ValueError(f"dev set names {key!r}, which is {len(matches)} people; use a person id")
    return matches[0]


def evaluate_experts(engine: Engine, topics: list[dict[str, Any]]) -> dict[str, float]:
    scores = []
    for t in topics:
        judged = {resolve_person(engine, k): g for k, g in t["relevant"].items()}
        ranked = [e.id for e in engine.experts(t["topic"], k=CUTOFF).experts]
        scores.append((ndcg(ranked, judged), recall(ranked, judged), mrr(ranked, judged)))
    n = len(scores)
    return {
        "ndcg@10": round(sum(s[0] for s in scores) / n, 4),
        "recall@10": round(sum(s[1] for s in scores) / n, 4),
        "mrr@10": round(sum(s[2] for s in scores) / n, 4),
        "topics": n,
    }


def run(engine: Engine, eval_dir: Path = EVAL_DIR) -> dict[str, Any]:
    result = evaluate_search(engine, load_jsonl(eval_dir / "dev_queries.jsonl"))
    result["experts"] = evaluate_experts(engine, load_jsonl(eval_dir / "dev_experts.jsonl"))
    return result


def table(result: dict[str, Any]) -> str:
    search = result["search"]
    cats = list(search["hybrid"].keys())
    lines = [f"{'category':<10} {'n':>3}  " + "  ".join(f"{m:>22}" for m in METHODS)]
    lines.append(f"{'':<10} {'':>3}  " + "  ".join(f"{'nDCG   R@10   MRR':>22}" for _ in METHODS))
    for cat in ["all", *[c for c in cats if c != "all"]]:
        cells = []
        for m in METHODS:
            x = search[m][cat]
            cells.append(f"{x['ndcg@10']:.3f}  {x['recall@10']:.3f}  {x['mrr@10']:.3f}".rjust(22))
        lines.append(f"{cat:<10} {search['hybrid'][cat]['queries']:>3}  " + "  ".join(cells))
    e = result["experts"]
    lines.append("")
    lines.append(
        f"experts    {e['topics']:>3}  nDCG@10 {e['ndcg@10']:.3f}  R@10 {e['recall@10']:.3f}  MRR@10 {e['mrr@10']:.3f}"
    )
    c = result["calibration"]
    lines.append(
        f"strong match: {c['judged_strong']}/{c['judged']} judged queries, "
        f"{c['none_strong']}/{c['none']} no-answer queries"
    )
    return "\n".join(lines)


def regressions(result: dict[str, Any], expected: dict[str, Any], tolerance: float = 0.01) -> list[str]:
    """Metrics that fell more than ``tolerance`` below the numbers kept in eval/expected.json."""
    out = []
    for method, cats in expected.get("search", {}).items():
        for cat, metrics in cats.items():
            for name, value in metrics.items():
                if name == "queries":
                    continue
                got = result["search"].get(method, {}).get(cat, {}).get(name)
                if got is None or got < value - tolerance:
                    out.append(f"{method}/{cat}/{name}: {got} < expected {value}")
    for name, value in expected.get("experts", {}).items():
        if name != "topics" and result["experts"][name] < value - tolerance:
            out.append(f"experts/{name}: {result['experts'][name]} < expected {value}")
    return out
