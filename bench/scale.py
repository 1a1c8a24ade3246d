"""Scale benchmark: N synthetic talks through the real corpus add / build / store / engine / batch code.

    python bench/scale.py --talks 100000 [--json] [--runs 3] [--dir DIR]

The talks are recombined from the bundled corpus: a title, 3-8 abstract sentences drawn from talks
in the same language, a speaker whose family and given names come from two bundled speakers (with
one affiliation per synthetic person), a bundled event with one of its sessions. They are added
with `talksearch corpus add` and indexed by `index.builder.build` with ``--index-type auto``, using
the hashed n-gram stand-in encoder (bench/stand_in.py) so the figures measure the index, not a
neural network. Serving is measured in a fresh process (``--runs`` times; timing keys are the
median of the runs): load (with checksum verification), the dev queries (plain, filtered by event),
related talks, experts for the dev topics, a batch run, and peak RSS. ``ann_recall_at_10`` compares
the configured vector index with exact inner-product search over the same float vectors.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KEYS = (
    "talks", "passages", "build_s", "index_mb", "load_s", "rss_mb", "search_p50_ms", "search_p95_ms",
    "filtered_p50_ms", "related_p50_ms", "experts_p50_ms", "batch_qps", "ann_recall_at_10",
)  # fmt: skip
TIMING = ("load_s", "search_p50_ms", "search_p95_ms", "filtered_p50_ms", "related_p50_ms", "experts_p50_ms")
SEED = 20261204


# --- the synthetic corpus ----------------------------------------------------------------------------
def _split_name(name: str) -> tuple[str, str] | None:
    from corpus.text import has_cjk

    if has_cjk(name):
        return (name[0], name[1:]) if 2 <= len(name) <= 4 else None
    parts = name.split()
    return (parts[-1], " ".join(parts[:-1])) if len(parts) >= 2 else None


def synthetic_rows(n: int, seed: int = SEED) -> list[dict[str, object]]:
    """``n`` talk rows in the `corpus add` schema, recombined from the bundled corpus."""
    from corpus.build import load
    from corpus.text import has_cjk
    from index.passages import sentences

    rng = random.Random(seed)
    corpus = load()
    talks = [t for t in corpus.talks if t.has_abstract and not t.duplicate_of]
    by_lang: dict[str, list] = {}
    for t in talks:
        if (t.abstract_lang or t.title_lang) in ("zh", "en"):
            by_lang.setdefault(t.abstract_lang or t.title_lang, []).append(t)
    pools = {
        lang: ([t.title for t in ts], [s for t in ts for s in sentences(t.abstract)]) for lang, ts in by_lang.items()
    }
    langs = [lang for lang in pools for _ in by_lang[lang]]  # each language as often as in the corpus
    names = {"zh": ([], []), "en": ([], [])}
    for t in corpus.talks:
        split = _split_name(t.speaker)
        if split:
            side = names["zh" if has_cjk(t.speaker) else "en"]
            side[0].append(split[0])
            side[1].append(split[1])
    affiliations = sorted({t.affiliation for t in corpus.talks if t.affiliation})
    slots = [(t.event, t.session, t.session_title, t.date, t.time, t.kind) for t in corpus.talks]
    people: list[tuple[str, str]] = []  # synthetic speakers: about four talks each
    seen: set[str] = set()
    for _ in range(max(50, n // 4)):
        side = names["zh" if rng.random() < 0.6 else "en"]
        family, given = rng.choice(side[0]), rng.choice(side[1])
        name = family + given if has_cjk(family) else f"{given} {family}"
        if name not in seen:
            seen.add(name)
            people.append((name, rng.choice(affiliations)))
    rows = []
    for i in range(n):
        titles, pool = pools[rng.choice(langs)]
        speaker, affiliation = rng.choice(people)
        event, session, session_title, date, time_, kind = rng.choice(slots)
        row = {
            "event": event,
            "code": f"S{i}",
            "title": rng.choice(titles),
            "speaker": speaker,
            "affiliation": affiliation,
            "abstract": "".join(s if has_cjk(s) else s + " " for s in rng.sample(pool, rng.randint(3, 8))).strip(),
            "kind": kind if kind != "invited" else "session",
            "session": session,
            "session_title": session_title,
            "date": date,
            "time": time_,
        }
        rows.append({k: v for k, v in row.items() if v})
    return rows


def _dev_queries() -> list[str]:
    lines = (ROOT / "eval" / "dev_queries.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(ln)["query"] for ln in lines if ln.strip()]


def _dev_topics() -> list[str]:
    lines = (ROOT / "eval" / "dev_experts.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(ln)["topic"] for ln in lines if ln.strip()]


def _size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- phases (each in its own process) ------------------------------------------------------------------
def phase_build(data: Path, n: int) -> dict[str, object]:
    """corpus add + build through the real CLI and builder; recall of the configured vector index."""
    from click.testing import CliRunner

    from bench.stand_in import NAME, HashNgramStandIn
    from index import vectors as vec
    from index.builder import build
    from index.cache import EmbeddingCache
    from index.store import Store
    from search.cli import main

    data.mkdir(parents=True, exist_ok=True)
    rows_file = data / "synthetic.jsonl"
    with rows_file.open("w", encoding="utf-8") as fh:
        for row in synthetic_rows(n):
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    started = time.perf_counter()
    added = CliRunner().invoke(main, ["--data-dir", str(data), "corpus", "add", str(rows_file)])
    if added.exit_code != 0:
        raise SystemExit(f"corpus add failed: {added.output[-2000:]}")
    logging.getLogger("talksearch.build").info("corpus add: %d rows (%.1f s)", n, time.perf_counter() - started)
    store = Store(data)
    encoder = HashNgramStandIn()
    bundle = build(store, NAME, "auto", encoder=encoder)
    build_s = time.perf_counter() - started
    # Recall@10 of the configured index against exact search over the same float vectors.
    queries = encoder.encode_queries(_dev_queries())
    cache = EmbeddingCache(store.root, NAME, encoder.dimension)
    vectors = cache.matrix(), cache.rows(bundle.passage_text)  # never copied whole (15 GB at 1M talks)
    recall = ann_recall(vectors, queries, vec.search(bundle.vectors, queries, 10)[1])
    return {
        "talks": len(bundle.talks),
        "passages": len(bundle.passage_talk),
        "build_s": round(build_s, 1),
        "index_mb": round(_size_mb(store.index_dir), 1),
        "ann_recall_at_10": round(recall, 3),
        "index_type": bundle.manifest["index_type"],
        "build_rss_mb": round(_rss_mb()),
    }


def ann_recall(vectors: tuple[np.ndarray, np.ndarray], queries: np.ndarray, found: np.ndarray, k: int = 10) -> float:
    """Share of the exact top-k the index returns; a passage tied with the exact k-th one counts
    as found (recombined talks repeat titles and sentences, so equal vectors are common).
    ``vectors``: a matrix and each passage's row in it."""
    matrix, rows = vectors
    exact = _exact_top(matrix, rows, queries, k)
    hits = []
    for q, ids, top in zip(queries, found, exact, strict=True):
        kth = float(matrix[rows[top[-1]]] @ q)
        ids = [int(i) for i in ids if i >= 0]
        hits.append(sum(float(matrix[rows[i]] @ q) >= kth - 1e-5 for i in ids) / k)
    return float(np.mean(hits))


def _exact_top(
    matrix: np.ndarray, rows: np.ndarray, queries: np.ndarray, k: int, chunk: int = 200_000
) -> list[list[int]]:
    best_s = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(queries), 0), dtype=np.int64)
    for start in range(0, len(rows), chunk):
        sims = queries @ matrix[rows[start : start + chunk]].T
        s = np.concatenate([best_s, sims], axis=1)
        i = np.concatenate([best_i, np.broadcast_to(np.arange(start, start + sims.shape[1]), sims.shape)], axis=1)
        top = np.argsort(-s, axis=1, kind="stable")[:, :k]
        best_s, best_i = np.take_along_axis(s, top, 1), np.take_along_axis(i, top, 1)
    return best_i.tolist()


def phase_serve(data: Path) -> dict[str, object]:
    """Load in a fresh process, then time searches, filtered searches, related, experts and batch."""
    from bench.stand_in import HashNgramStandIn
    from index.store import Store
    from search import batch as batch_mod
    from search.engine import Engine, Filters

    batch_mod.one_thread()  # as `serve` and `batch` run queries: one core each
    started = time.perf_counter()
    engine = Engine.open(Store(data), encoder=HashNgramStandIn())
    load_s = time.perf_counter() - started
    queries = _dev_queries()
    rng = random.Random(SEED)
    synthetic = [t.id for t in engine.talks() if "-S" in t.id]
    related_ids = rng.sample(synthetic, min(50, len(synthetic)))
    engine.search(queries[0])  # first-call costs (lazy tables) belong to load, not to a query

    def timed(fn, items) -> list[float]:
        out = []
        for item in items:
            t = time.perf_counter()
            fn(item)
            out.append((time.perf_counter() - t) * 1000)
        return out

    search = timed(lambda q: engine.search(q, k=10), queries)
    filtered = timed(lambda q: engine.search(q, k=10, filters=Filters(events=["csml2024"])), queries)
    related = timed(lambda i: engine.related(i, k=5), related_ids)
    experts = timed(lambda q: engine.experts(q, k=10), _dev_topics())
    text = "".join(f"q{i}\t{q}\n" for i, q in enumerate(queries * 3) if "\t" not in q and "\n" not in q)
    batch, errors = batch_mod.read_queries(text, "scale.tsv")

    def answer(q: str) -> list[tuple[str, float, dict[str, object]]]:
        return [(h.id, h.score, {}) for h in engine.search(q, k=10).hits]

    t = time.perf_counter()
    out = batch_mod.format_rows(batch_mod.run(batch, answer, errors, "scale.tsv"), "trec")
    batch_s = time.perf_counter() - t
    assert out and not errors, errors
    return {
        "load_s": round(load_s, 2),
        "rss_mb": round(_rss_mb()),
        "search_p50_ms": round(float(np.percentile(search, 50)), 1),
        "search_p95_ms": round(float(np.percentile(search, 95)), 1),
        "filtered_p50_ms": round(float(np.percentile(filtered, 50)), 1),
        "related_p50_ms": round(float(np.percentile(related, 50)), 1),
        "experts_p50_ms": round(float(np.percentile(experts, 50)), 1),
        "batch_qps": round(len(batch) / batch_s, 1),
    }


def _child(phase: str, data: Path, n: int) -> dict[str, object]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--phase", phase, "--dir", str(data), "--talks", str(n)]
    done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)  # stderr: the build's stage log
    if done.returncode != 0:
        raise SystemExit(f"{phase} phase failed (exit {done.returncode}); its log is above")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(n: int, runs: int, data: Path | None) -> dict[str, object]:
    tmp = Path(tempfile.mkdtemp(prefix="talksearch-scale-")) if data is None else data
    try:
        built = _child("build", tmp, n)
        served = [_child("serve", tmp, n) for _ in range(runs)]
    finally:
        if data is None:
            shutil.rmtree(tmp, ignore_errors=True)
    result = {**built}
    for key in served[0]:
        values = [s[key] for s in served]
        result[key] = statistics.median(values) if key in TIMING or key == "batch_qps" else max(values)
    result["runs"] = runs
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--talks", type=int, default=10_000, help="synthetic talks to add (on top of the bundled ones)")
    ap.add_argument("--runs", type=int, default=3, help="serving runs; timing keys are their median")
    ap.add_argument("--dir", type=Path, default=None, help="data directory to build in (default: a temporary one)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--phase", choices=["build", "serve"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase == "build":
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
        print(json.dumps(phase_build(args.dir, args.talks)))
        return
    if args.phase == "serve":
        print(json.dumps(phase_serve(args.dir)))
        return
    result = run(args.talks, args.runs, args.dir)
    if args.json:
        print(json.dumps({k: result[k] for k in KEYS}))
    else:
        for k, v in result.items():
            print(f"{k:>18}  {v}")


if __name__ == "__main__":
    main()
