"""Build-time passes over every talk on all local cores: forked worker processes, results in order.

Tokenizing (jieba is pure Python) is most of a large build, and every talk is independent. The
workers are forked, so they inherit the tokenizer, term tables and the items themselves; only chunk
numbers go out and results come back. Below ``MIN_ITEMS`` items (the bundled corpus), or on one
core, or where fork is unavailable, the pass runs in this process: the output is the same either way.
Spreading a build over several machines is Ray's job (``build --ray``), not this module's.
"""

from __future__ import annotations

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


def _run_map(chunk: int) -> list[Any]:
    fn, items, chunks = _job  # type: ignore[misc]
    return [fn(items[i]) for i in chunks[chunk]]


def _run_count(chunk: int) -> Counter[Any]:
    fn, items, chunks = _job  # type: ignore[misc]
    counts: Counter[Any] = Counter()
    for i in chunks[chunk]:
        counts.update(fn(items[i]))
    return counts


def _forked(runner: Callable[[int], R], fn: Callable[[T], Any], items: Sequence[T]) -> list[R] | None:
    """``runner`` over the chunks of ``items`` in forked workers, or None where that does not pay."""
    global _job
    n = workers()
    if len(items) < MIN_ITEMS or n < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    chunks = _chunks(len(items), n * CHUNKS_PER_WORKER)
    _job = (fn, items, chunks)
    try:
        with multiprocessing.get_context("fork").Pool(n) as pool:
            return pool.map(runner, range(len(chunks)), chunksize=1)
    finally:
        _job = None


def ordered_map(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``[fn(x) for x in items]``, on all cores for large inputs."""
    parts = _forked(_run_map, fn, items)
    return [fn(x) for x in items] if parts is None else [r for part in parts for r in part]


def count_sets(fn: Callable[[T], Iterable[Hashable]], items: Sequence[T]) -> Counter[Any]:
    """In how many items each key occurs, ``fn(item)`` giving an item's distinct keys."""
    parts = _forked(_run_count, fn, items)
    if parts is None:
        counts: Counter[Any] = Counter()
        for x in items:
            counts.update(fn(x))
        return counts
    total: Counter[Any] = Counter()
    for part in parts:
        total.update(part)
    return total
