"""`talksearch batch --ray [ADDRESS]`: queries spread over Ray actors, each holding the read-only index.

Each actor opens the index directory (the same verified, immutable files: on a cluster, a copy
at the same path on every node) and answers chunks of queries exactly as a single process does
(one query at a time, one thread); results come back in input order, so the run is identical.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from index.ray_embed import RayError, connect, last_line
from search.batch import BatchQuery

CHUNK = 25  # queries per actor call: enough to amortise a call, small enough to stream


class _Answerer:
    def __init__(self, data_dir: str, task: str, k: int) -> None:
        from index.store import Store
        from search.batch import answerer, one_thread
        from search.engine import Engine

        one_thread()
        self.answer = answerer(Engine.open(Store(Path(data_dir))), task, k)

    def answer_all(self, queries: list[str]) -> list[tuple[bool, object]]:
        """(True, rows) per query, or (False, message) for a query the engine rejects."""
        out: list[tuple[bool, object]] = []
        for q in queries:
            try:
                out.append((True, self.answer(q)))
            except ValueError as exc:  # QueryError: reported for its line by the caller
                out.append((False, str(exc)))
        return out


def answers(
    data_dir: Path, task: str, k: int, queries: list[BatchQuery], address: str | None
) -> Iterator[tuple[bool, object]]:
    """Each query's (ok, rows or message), in input order, computed by one actor per cluster CPU."""
    ray = connect(address)
    from ray.util import ActorPool

    chunks = [[q.query for q in queries[i : i + CHUNK]] for i in range(0, len(queries), CHUNK)]
    n = max(1, min(len(chunks), int(ray.cluster_resources().get("CPU", 1))))
    actor = ray.remote(num_cpus=1)(_Answerer)
    actors = [actor.remote(str(data_dir.resolve()), task, k) for _ in range(n)]
    try:
        for chunk in ActorPool(actors).map(lambda a, c: a.answer_all.remote(c), chunks):
            yield from chunk
    except ray.exceptions.RayError as exc:
        raise RayError(f"a Ray batch actor failed: {last_line(exc)}") from None
    finally:  # free the CPUs now, not when the handles happen to be collected
        for a in actors:
            ray.kill(a)
