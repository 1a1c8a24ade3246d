"""Build-time passes over every talk on all local cores: forked worker processes, results in order.

Tokenizing (jieba is pure Python) is most of a large build, and every talk is independent. The
workers are forked, so they inherit the tokenizer, term tables and the items themselves; only chunk
numbers go out and results come back. Below ``MIN_ITEMS`` items (the bundled corpus), or on one
core, or where fork is unavailable, the pass runs in this process: the output is the same either way.
Spreading a build over several machines is Ray's job (``build --ray``), not this module's.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
MIN_ITEMS = 2_000
CHUNKS_PER_WORKER = 8

_job: tuple[Callable[[Any], Any], Sequence[Any], list[range]] | None = None  # read by the forked workers


def workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _chunks(n: int, parts: int) -> list[range]:
    size = max(1, -(-n // parts))
    return [range(i, min(i + size, n)) for i in range(0, n, size)]


def _run(chunk: int) -> Any:
    fn, items, chunks = _job  # type: ignore[misc]
    part = chunks[chunk]
    return fn(items[part.start : part.stop])


def map_chunks(fn: Callable[[Sequence[T]], R], items: Sequence[T]) -> list[R]:
    """``fn`` over consecutive chunks of ``items``, results in chunk order: on forked workers for
    large inputs, else ``[fn(items)]`` (one chunk) in this process."""
    global _job
    n = workers()
    if len(items) < MIN_ITEMS or n < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [fn(items)]
    chunks = _chunks(len(items), n * CHUNKS_PER_WORKER)
    _job = (fn, items, chunks)
    gc.freeze()  # the workers' collector then leaves the inherited objects' pages shared, not copied
    try:
        with multiprocessing.get_context("fork").Pool(n) as pool:
            return pool.map(_run, range(len(chunks)), chunksize=1)
    finally:
        gc.unfreeze()
        _job = None


def ordered_map(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``[fn(x) for x in items]``, on all cores for large inputs."""
    return [r for part in map_chunks(lambda chunk: [fn(x) for x in chunk], items) for r in part]


def count_sets(fn: Callable[[T], Iterable[Hashable]], items: Sequence[T]) -> Counter[Any]:
    """In how many items each key occurs, ``fn(item)`` giving an item's distinct keys."""

    def count(chunk: Sequence[T]) -> Counter[Any]:
        counts: Counter[Any] = Counter()
        for x in chunk:
            counts.update(fn(x))
        return counts

    return merged(map_chunks(count, items))


def merged(parts: Iterable[Counter[Any]]) -> Counter[Any]:
    """The sum of counters, keys in the order a single pass would have met them."""
    total: Counter[Any] = Counter()
    for part in parts:
        total.update(part)
    return total
