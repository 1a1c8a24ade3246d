"""Detect talks that print another talk's abstract (exact or near copies) and mark them."""

from __future__ import annotations

import re

import numpy as np

from corpus.models import Talk

_FLAT = re.compile(r"[\W_]+")
NEAR = 0.8  # Jaccard similarity of character 5-grams above which two abstracts are copies


def _shingles(text: str, n: int = 5) -> set[str]:
    flat = _FLAT.sub("", text)
    return {flat[i : i + n] for i in range(max(len(flat) - n + 1, 1))} if flat else set()


def similarity(a: str, b: str) -> float:
    sa, sb = _shingles(a), _shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def _title_fit(talk: Talk) -> float:
    """How much of the title the abstract talks about: the true owner of a copied abstract fits best."""
    title = _shingles(talk.title_norm, 3)
    return len(title & _shingles(talk.abstract_norm, 3)) / len(title) if title else 0.0


_MULT = np.uint64(0x9E3779B97F4A7C15)


def _hashed_shingles(text: str, n: int = 5) -> np.ndarray:
    """The text's character n-grams (as ``_shingles`` cuts them) as unique 64-bit hashes."""
    flat = _FLAT.sub("", text)
    if not flat:
        return np.zeros(0, dtype=np.uint64)
    codes = np.frombuffer(flat.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    width = min(n, len(codes))
    h = np.full(len(codes) - width + 1, np.uint64(width), dtype=np.uint64)
    for j in range(width):
        h = (h ^ codes[j : j + len(h)]) * _MULT
    return np.unique(h ^ (h >> np.uint64(31)))


RANGE_BITS = 4  # shingles are sorted one hash range (of 16: the top 4 bits) at a time
PARTITIONS = 1 << RANGE_BITS
CHUNK = 2_000  # texts hashed at a time


def _candidates(texts: list[str]) -> set[tuple[int, int]]:
    """Pairs that share a rare shingle: copies share hundreds, unrelated talks almost none.

    In numpy over hashed shingles (64-bit hash, 32-bit talk number), sorted one hash range at a
    time: a million abstracts' half a billion shingles take 12 bytes each and one range's sort,
    not one sort of everything (which needed ~16 GB at a million talks).
    """
    n = len(texts)
    ranges: list[list[tuple[np.ndarray, np.ndarray]]] = [[] for _ in range(PARTITIONS)]
    for start in range(0, n, CHUNK):
        hashes = [_hashed_shingles(t) for t in texts[start : start + CHUNK]]
        lens = np.fromiter((len(h) for h in hashes), dtype=np.int64, count=len(hashes))
        if not lens.sum():
            continue
        shingle = np.concatenate(hashes)
        doc = np.repeat(np.arange(start, start + len(hashes), dtype=np.int32), lens)
        part = (shingle >> np.uint64(64 - RANGE_BITS)).astype(np.int64)
        order = np.argsort(part, kind="stable")  # stable: talks stay in order within a range
        bounds = np.searchsorted(part[order], np.arange(PARTITIONS + 1))
        for p in range(PARTITIONS):
            take = order[bounds[p] : bounds[p + 1]]
            ranges[p].append((shingle[take], doc[take]))
    pairs = []
    for p in range(PARTITIONS):
        if not ranges[p]:
            continue
        shingle = np.concatenate([s for s, _ in ranges[p]])
        doc = np.concatenate([d for _, d in ranges[p]]).astype(np.int64)
        ranges[p] = []
        order = np.argsort(shingle, kind="stable")  # stable: talks stay in order within a shingle
        shingle, doc = shingle[order], doc[order]
        starts = np.flatnonzero(np.r_[True, shingle[1:] != shingle[:-1]])
        sizes = np.diff(np.r_[starts, len(shingle)])
        for size in (2, 3, 4):
            g = starts[sizes == size]
            for x in range(size):
                for y in range(x + 1, size):
                    pairs.append(doc[g + x] * n + doc[g + y])
    if not pairs:
        return set()
    keys, shared = np.unique(np.concatenate(pairs), return_counts=True)
    keys = keys[shared >= 10]
    return set(zip((keys // n).tolist(), (keys % n).tolist(), strict=True))


def mark_duplicates(talks: list[Talk]) -> list[tuple[str, str, float]]:
    """Set ``duplicate_of`` on copies; returns (copy, original, similarity) for each pair found."""
    found: list[tuple[str, str, float]] = []
    with_abs = [t for t in talks if t.has_abstract]
    for i, j in sorted(_candidates([t.abstract_norm for t in with_abs])):
        a, b = with_abs[i], with_abs[j]
        sa, sb = _shingles(a.abstract_norm), _shingles(b.abstract_norm)
        if sa and sb:
            sim = len(sa & sb) / len(sa | sb)
            if sim < NEAR:
                continue
            original, copy = (a, b) if _title_fit(a) >= _title_fit(b) else (b, a)
            if copy.duplicate_of is None:
                copy.duplicate_of = original.duplicate_of or original.id
                found.append((copy.id, copy.duplicate_of, round(sim, 3)))
    return found
