"""Loopback load test (`make bench`): 10,000 mixed queries against `talksearch serve` at 1, 8 and
32 concurrent clients; p50/p99 latency, throughput, and errors other than the intended 4xx.

Traffic goes only to 127.0.0.1, to a server this script starts itself; every loop is bounded in
request count and time.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOOD = [
    "PINN implicit regularization", "扩散模型 逆问题", "大模型 reasoning", "许志钦", "Lei Wu", "optimal transport",
    "脉冲神经网络", "deep potential molecular dynamics", "非视距成像", "combustion kinetics", "张量网络",
    "neural operator", "强化学习", "Bayesian inverse problems", "LLM 训练 优化器", "medical imaging",
]  # fmt: skip
HOSTILE = [
    "<script>alert(1)</script>", "' OR 1=1 --", "%00%ff", "../../etc/passwd", "😀" * 50, "a" * 3000,
    "{{7*7}}", "\u202e\u202dabc", "SELECT * FROM talks",
]  # fmt: skip
# "q=" + 9,000 letters: a request line over the 8,190-byte limit (414). It was 5,000 letters, which became a
# valid (and slow) query when the query limit rose to 20,000 characters for pasted abstracts.
MALFORMED = ["q=", "q=%20%20", "q=x&k=0", "q=x&k=1000", "q=x&k=abc", "q=x&event=nope", "q=" + "x" * 9000, ""]


def requests_mix(n: int, seed: int = 0) -> list[tuple[str, bool]]:
    """(path, expect_ok): 80 % real queries (some filtered or paged), 10 % hostile, 10 % malformed."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.8:
            params = {"q": rng.choice(GOOD), "k": rng.choice([5, 10, 20])}
            if rng.random() < 0.2:
                params["event"] = rng.choice(["csml2022", "csml2024", "csml2025", "seminar"])
            out.append(("/api/search?" + urllib.parse.urlencode(params), True))
        elif r < 0.9:
            out.append(("/api/search?" + urllib.parse.urlencode({"q": rng.choice(HOSTILE)}), True))
        else:
            out.append(("/api/search?" + rng.choice(MALFORMED), False))
    return out


def run_level(base: str, mix: list[tuple[str, bool]], clients: int, time_limit: float) -> dict[str, float]:
    latencies: list[float] = []
    errors = {"unexpected": 0, "intended_4xx": 0}
    lock = threading.Lock()
    cursor = iter(range(len(mix)))
    deadline = time.monotonic() + time_limit

    host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port

    def worker() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=30)  # keep-alive, as a browser would
        while time.monotonic() < deadline:
            with lock:
                i = next(cursor, None)
            if i is None:
                break
            path, ok = mix[i]
            t = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
            dt = (time.perf_counter() - t) * 1000
            with lock:
                latencies.append(dt)
                if status == 200 and ok:
                    pass
                elif 400 <= status < 500 and not ok:
                    errors["intended_4xx"] += 1
                else:
                    errors["unexpected"] += 1

        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "clients": clients,
        "requests": len(latencies),
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[int(0.99 * (len(latencies) - 1))],
        "req_per_s": len(latencies) / elapsed,
        "unexpected_errors": errors["unexpected"],
        "intended_4xx": errors["intended_4xx"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--requests", type=int, default=10_000)
    ap.add_argument("--clients", default="1,8,32")
    ap.add_argument("--time-limit", type=float, default=300.0, help="seconds per concurrency level, at most")
    ap.add_argument("--data-dir", default=None, help="an index to serve (default: build one in a temporary dir)")
    ap.add_argument("--serve-args", default="", help="extra `talksearch serve` options, e.g. '--workers 2 --threads 2'")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        data = args.data_dir
        if data is None:
            from index.builder import build
            from index.store import Store

            data = tmp
            build(Store(Path(tmp)), "use-multilingual")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {**os.environ, "TALKSEARCH_HOME": str(data)}
        cmd = [sys.executable, "-m", "search.cli", "serve", "--port", str(port), *args.serve_args.split()]
        server = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(240):
                try:
                    urllib.request.urlopen(base + "/api/health", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.5)
            print(
                f"{'clients':>7} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8} {'4xx ok':>7} {'errors':>7}"
            )
            for clients in (int(c) for c in args.clients.split(",")):
                r = run_level(base, requests_mix(args.requests, seed=clients), clients, args.time_limit)
                print(
                    f"{r['clients']:>7} {r['requests']:>8} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} "
                    f"{r['req_per_s']:>8.1f} {r['intended_4xx']:>7} {r['unexpected_errors']:>7}",
                    flush=True,
                )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
