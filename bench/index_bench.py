"""Index and query benchmarks (`make bench`): medians over several runs, printed as a table.

Measures: full build time of the bundled corpus (empty embedding cache) and a cached rebuild;
encoder throughput per encoder; warm in-process query latency (encode + FAISS + BM25 + fusion)
next to the encoder alone on the same queries; batch queries per second after load;
cold start (load index + first answer, in a fresh process); peak memory; and a scale run with
synthetic vectors: exact Flat vs IVF vs HNSW latency and recall@10 against exact.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def pct(xs: list[float], p: float) -> float:
    return float(np.percentile(np.array(xs), p))


def bench_build(runs: int) -> dict[str, float]:
    from index.builder import build
    from index.store import Store

    cold, warm = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            build(Store(Path(tmp)), "use-multilingual")
            cold.append(time.perf_counter() - t)
            t = time.perf_counter()
            build(Store(Path(tmp)), "use-multilingual")
            warm.append(time.perf_counter() - t)
    return {"build_s_median": median(cold), "rebuild_cached_s_median": median(warm)}


def bench_encoders(runs: int) -> dict[str, float]:
    from corpus.build import load
    from index.encoders import get_encoder

    texts = [f"{t.title}\n{t.abstract}" for t in load().talks if t.has_abstract][:120]
    out = {}
    for name in ("use-multilingual", "e5-small"):
        enc = get_encoder(name)
        enc.encode_documents(texts[:4])
        rates = []
        for _ in range(runs):
            t = time.perf_counter()
            enc.encode_documents(texts)
            rates.append(len(texts) / (time.perf_counter() - t))
        out[f"{name}_abstracts_per_s"] = median(rates)
        q = []
        for text in ["PINN implicit regularization", "扩散模型 逆问题", "大模型 reasoning"] * 10:
            t = time.perf_counter()
            enc.encode_queries([text])
            q.append((time.perf_counter() - t) * 1000)
        out[f"{name}_query_encode_ms_p50"] = pct(q, 50)
    return out


def bench_queries(data: Path, passes: int) -> dict[str, float]:
    """Warm searches of the judged dev queries, and the encoder alone on the same queries in the same
    run (its forward pass is the floor of a query); wall and CPU (thread) time, which a shared
    machine disturbs less. One BLAS thread, as `serve` and `batch` run queries."""
    from threadpoolctl import threadpool_limits

    from index.store import Store
    from search.engine import Engine
    from search.evaluate import EVAL_DIR, load_jsonl

    engine = Engine.open(Store(data))
    encoder = engine.encoder
    queries = [q["query"] for q in load_jsonl(EVAL_DIR / "dev_queries.jsonl")]
    engine.search("warm up", k=10)
    short, long_, short_cpu, enc, enc_cpu = [], [], [], [], []
    with threadpool_limits(1):
        for _ in range(passes):
            for q in queries:
                t, c = time.perf_counter(), time.thread_time()
                engine.search(q, k=10)
                wall, cpu = (time.perf_counter() - t) * 1000, (time.thread_time() - c) * 1000
                if len(q) > 200:
                    long_.append(wall)
                    continue
                short.append(wall)
                short_cpu.append(cpu)
                t, c = time.perf_counter(), time.thread_time()
                encoder.encode_queries([q])
                enc.append((time.perf_counter() - t) * 1000)
                enc_cpu.append((time.thread_time() - c) * 1000)
    return {
        "query_ms_p50": pct(short, 50),
        "query_ms_p95": pct(short, 95),
        "query_cpu_ms_p50": pct(short_cpu, 50),
        "encoder_ms_p50": pct(enc, 50),
        "encoder_cpu_ms_p50": pct(enc_cpu, 50),
        "query_over_encoder_p50": pct(short, 50) / pct(enc, 50),
        "query_over_encoder_cpu_p50": pct(short_cpu, 50) / pct(enc_cpu, 50),
        "abstract_query_ms_p50": pct(long_, 50),
        "queries_timed": len(short) + len(long_),
    }


def bench_batch(data: Path, passes: int = 4) -> dict[str, float]:
    """`talksearch batch` after load: the short dev queries ×``passes`` through the batch answerer,
    one thread, as the batch command runs them."""
    from threadpoolctl import threadpool_limits

    from index.store import Store
    from search.batch import answerer
    from search.engine import Engine
    from search.evaluate import EVAL_DIR, load_jsonl

    with threadpool_limits(1):
        answer = answerer(Engine.open(Store(data)), "search", 10)
        queries = [q["query"] for q in load_jsonl(EVAL_DIR / "dev_queries.jsonl") if len(q["query"]) <= 200]
        answer("warm up")
        t, c = time.perf_counter(), time.process_time()
        for _ in range(passes):
            for q in queries:
                answer(q)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
    n = passes * len(queries)
    return {"batch_queries": n, "batch_qps_wall": n / wall, "batch_qps_cpu": n / cpu}


# The child reports VmHWM, its own address space's peak: getrusage's ru_maxrss survives exec on
# Linux, so it would report the benchmark process's size at fork time when that is larger.
COLD = """
import time, sys
t = time.perf_counter()
from pathlib import Path
from index.store import Store
from search.engine import Engine
e = Engine.open(Store(Path(sys.argv[1])))
e.search("扩散模型 逆问题", k=10)
hwm = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(time.perf_counter() - t, hwm)
"""


def bench_cold(data: Path, runs: int) -> dict[str, float]:
    times, rss = [], []
    for _ in range(runs):
        cmd = [sys.executable, "-c", COLD, str(data)]
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=True)
        t, m = out.stdout.split()
        times.append(float(t))
        rss.append(float(m) / 1024)
    return {"cold_start_s_median": median(times), "serving_peak_rss_mb": median(rss)}


def clustered(n: int, d: int, rng: np.random.Generator, centers: np.ndarray) -> np.ndarray:
    x = centers[rng.integers(0, len(centers), n)] + 0.6 * rng.standard_normal((n, d)).astype(np.float32)
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def bench_scale(sizes: list[int], hnsw_max: int, queries: int = 200) -> list[dict[str, object]]:
    import faiss

    from index import vectors

    faiss.omp_set_num_threads(2)
    d = 512
    rng = np.random.default_rng(0)
    # 1,024 topics; centre and noise of equal norm, so two vectors of one topic have cosine ~0.5,
    # as sentence embeddings of one subject do (tight blobs would make approximate search too easy)
    centers = (0.6 * rng.standard_normal((1024, d))).astype(np.float32)
    rows: list[dict[str, object]] = []
    for n in sizes:
        data = clustered(n, d, rng, centers)
        qs = clustered(queries, d, rng, centers)
        exact = vectors.build(data, np.arange(n), "flat")
        _, truth = exact.search(qs, 10)
        for kind in ("flat", "ivf", "hnsw"):
            if kind == "hnsw" and n > hnsw_max:
                rows.append({"n": n, "index": kind, "skipped": f"build above {hnsw_max} vectors takes too long here"})
                continue
            t = time.perf_counter()
            index = exact if kind == "flat" else vectors.build(data, np.arange(n), kind)
            build_s = time.perf_counter() - t
            settings = [None]
            if kind == "ivf":
                settings = [8, 16, 32, 64]
            elif kind == "hnsw":
                settings = [32, 64, 128]
            for setting in settings:
                inner = faiss.downcast_index(index.index)
                if kind == "ivf":
                    inner.nprobe = setting
                elif kind == "hnsw":
                    inner.hnsw.efSearch = setting
                lat = []
                found = []
                for i in range(queries):
                    t = time.perf_counter()
                    _, ids = index.search(qs[i : i + 1], 10)
                    lat.append((time.perf_counter() - t) * 1000)
                    found.append(ids[0])
                recall = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(truth, found, strict=True)]))
                knob = "nprobe" if kind == "ivf" else "efSearch"
                rows.append(
                    {
                        "n": n,
                        "index": vectors.describe(index) if setting is None else f"{kind} ({knob} {setting})",
                        "build_s": round(build_s, 1),
                        "p50_ms": round(pct(lat, 50), 3),
                        "p95_ms": round(pct(lat, 95), 3),
                        "recall@10": round(recall, 4),
                    }
                )
                print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
        del data
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--hnsw-max", type=int, default=1_000_000)
    ap.add_argument("--skip-scale", action="store_true")
    ap.add_argument("--data-dir", type=Path, help="time queries, batch and cold start on this index only (no builds)")
    args = ap.parse_args()

    from index.builder import build
    from index.store import Store

    report: dict[str, object] = {}
    if args.data_dir is None:
        report.update(bench_build(args.runs))
        report.update(bench_encoders(args.runs))
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data_dir.resolve() if args.data_dir else Path(tmp)
        if args.data_dir is None:
            build(Store(data), "use-multilingual")
        report.update(bench_queries(data, args.runs))
        report.update(bench_batch(data))
        report.update(bench_cold(data, args.runs))
    report["bench_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for key, value in report.items():
        print(f"{key:36s} {value:.3f}" if isinstance(value, float) else f"{key:36s} {value}")
    if not args.skip_scale and args.data_dir is None:
        rows = bench_scale([int(s) for s in args.sizes.split(",")], args.hnsw_max)
        print(f"\n{'n':>8}  {'index':38s} {'build s':>8} {'p50 ms':>8} {'p95 ms':>8} {'recall@10':>10}")
        for r in rows:
            if "skipped" in r:
                print(f"{r['n']:>8}  {r['index']:38s} skipped: {r['skipped']}")
            else:
                cells = f"{r['build_s']:>8} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['recall@10']:>10}"
                print(f"{r['n']:>8}  {r['index']:38s} {cells}")


if __name__ == "__main__":
    main()
