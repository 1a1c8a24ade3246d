"""Build passes on forked workers give exactly what one process gives."""

from __future__ import annotations

import os

import pytest

from index import parallel


@pytest.fixture
def forced(monkeypatch):
    """Fork even for small inputs, on two workers even on one core."""
    monkeypatch.setattr(parallel, "MIN_ITEMS", 0)
    monkeypatch.setattr(parallel, "workers", lambda: 2)


def test_ordered_map_runs_in_other_processes_and_keeps_order(forced):
    items = list(range(1000))
    out = parallel.ordered_map(lambda x: (x * x, os.getpid()), items)
    assert [v for v, _ in out] == [x * x for x in items]
    assert os.getpid() not in {pid for _, pid in out}  # the work really ran in worker processes


def test_count_sets_matches_one_process_in_counts_and_key_order(forced, monkeypatch):
    texts = [f"w{i % 7} w{i % 11} w{i % 3}" for i in range(500)]
    forked = parallel.count_sets(lambda t: set(t.split()), texts)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 10**9)
    alone = parallel.count_sets(lambda t: set(t.split()), texts)
    assert forked == alone and list(forked) == list(alone)
    assert forked["w0"] == sum(1 for t in texts if "w0" in t.split())


def test_user_words_are_the_same_when_derived_on_workers(forced, monkeypatch):
    from corpus.build import load
    from index.tokenize import derive_user_words

    texts = [f"{t.title}\n{t.abstract}" for t in load().talks]
    forked = derive_user_words(texts)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 10**9)
    assert forked == derive_user_words(texts) and len(forked) > 50
