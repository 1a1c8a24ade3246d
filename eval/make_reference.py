"""Regenerate eval/runs/reference.trec: the dev queries ranked by the landed engine of a given commit.

    python eval/make_reference.py [--commit bf93a30]      (or `make reference`)

Checks the commit out in a temporary git worktree, builds its index from its own bundled corpus in a
temporary data directory, and runs every dev query (both halves, the current eval/dev_queries.jsonl)
through that commit's `Engine.search(query, k=10, method="hybrid")`, with PYTHONPATH pointing at the
checkout so none of today's code is involved. `talksearch eval` compares the current hybrid ranking
with this one (nDCG@10 delta and top-10 overlap per half).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

EVAL_DIR = Path(__file__).resolve().parent
REPO = EVAL_DIR.parent
DEFAULT_COMMIT = "bf93a30"  # the engine as landed before the facade refactoring

# Runs inside the old checkout: reads the queries, prints TREC lines (ranks 1..10, score = the engine's).
RANK = """
import json, sys
from pathlib import Path
from index.store import Store
from search.engine import Engine
engine = Engine.open(Store(Path(sys.argv[1])))
for line in open(sys.argv[2], encoding="utf-8"):
    if line.strip():
        q = json.loads(line)
        for i, h in enumerate(engine.search(q["query"], k=10, method="hybrid").hits, 1):
            print(f"{q['id']} Q0 {h.id} {i} {h.score:.6f} reference")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commit", default=DEFAULT_COMMIT)
    parser.add_argument("-o", "--output", type=Path, default=EVAL_DIR / "runs" / "reference.trec")
    parser.add_argument("--data-dir", type=Path, help="keep the old index here (rebuilt only when stale)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="talksearch-ref-") as tmp:
        tree, data = Path(tmp) / "tree", (args.data_dir or Path(tmp) / "var").resolve()
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(tree), args.commit], check=True)
        try:
            env = {"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "HOME": tmp}
            py = sys.executable
            subprocess.run(
                [py, "-m", "search.cli", "--data-dir", str(data), "build", "--if-stale"], cwd=tree, env=env, check=True
            )
            out = subprocess.run(
                [py, "-c", RANK, str(data), str(EVAL_DIR / "dev_queries.jsonl")],
                cwd=tree,
                env=env,
                check=True,
                stdout=subprocess.PIPE,
                text=True,
            ).stdout
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], check=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(out, encoding="utf-8")
    print(f"wrote {args.output}: {len({line.split()[0] for line in out.splitlines()})} queries ranked by {args.commit}")


if __name__ == "__main__":
    main()
