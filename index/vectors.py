"""FAISS over L2-normalised vectors with inner product: exact up to a measured size, then IVF with
8-bit scalar-quantised vectors (a quarter of the memory); IVF-Flat and HNSW on request."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING

import faiss
import numpy as np

from index.passages import SENTENCE

if TYPE_CHECKING:
    from index.bundle import IndexBundle

# Measured by `make bench` (scale run): up to this many vectors exact search answers in about
# 1 ms on 2 cores, so approximation buys nothing and costs recall.
AUTO_APPROXIMATE_ABOVE = 50_000
KINDS = ("flat", "ivf", "ivf-sq8", "hnsw", "auto")


def choose_kind(kind: str, n: int) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown index type {kind!r}; choose one of {', '.join(KINDS)}")
    if kind == "auto":
        return "flat" if n <= AUTO_APPROXIMATE_ABOVE else "ivf-sq8"
    return kind


# IVF lists scanned per query: recall@10 on 77k stand-in passages (scale benchmark, 10k talks)
# 0.86 at 16, 0.91 at 32, 0.95 at 64, 0.98 at 128 (IVF-Flat at 32: 0.91, so SQ8 costs little).
NPROBE = 64
ADD_BLOCK = 200_000
BUILD_THREADS = max(1, os.cpu_count() or 1)
SINGLE_THREAD_UP_TO = 8  # queries per call
TRAIN_PER_LIST = 40  # k-means training sample: 40 points per list is plenty and keeps 1M builds in minutes


def ivf_lists(n: int) -> int:
    """nlist = 4·sqrt(N), the low end of the usual 4·sqrt(N)..16·sqrt(N) band: training cost on
    2 cores grows with nlist, and recall at a given scan budget hardly differs across the band."""
    return max(1, min(int(4 * math.sqrt(n)), n // 39))


def build(
    vectors: np.ndarray,
    ids: np.ndarray,
    kind: str = "flat",
    nprobe: int = NPROBE,
    ef_search: int = 128,
    rows: np.ndarray | None = None,
) -> faiss.Index:
    """An index of ``vectors`` (with ``rows``: of ``vectors[rows]``, read a block at a time, never
    copied whole) under ``ids``."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    rows = np.arange(len(vectors)) if rows is None else np.asarray(rows, dtype=np.int64)
    n, d = len(rows), vectors.shape[1]
    faiss.omp_set_num_threads(BUILD_THREADS)
    kind = choose_kind(kind, n)
    if kind == "flat" or n < 1000:
        index = faiss.IndexIDMap2(faiss.IndexFlatIP(d))
    elif kind in ("ivf", "ivf-sq8"):
        nlist = ivf_lists(n)
        quantizer = faiss.IndexFlatIP(d)
        if kind == "ivf":
            ivf = faiss.IndexIVFFlat(quantizer, d, nlist, faiss.METRIC_INNER_PRODUCT)
        else:
            qtype = faiss.ScalarQuantizer.QT_8bit
            ivf = faiss.IndexIVFScalarQuantizer(quantizer, d, nlist, qtype, faiss.METRIC_INNER_PRODUCT)
        rng = np.random.default_rng(0)
        sample = vectors[rows[rng.choice(n, min(n, TRAIN_PER_LIST * nlist), replace=False)]]
        ivf.train(sample)
        ivf.nprobe = min(nprobe, nlist)
        index = faiss.IndexIDMap2(ivf)
    else:
        hnsw = faiss.IndexHNSWFlat(d, 32, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = 80
        hnsw.hnsw.efSearch = ef_search
        index = faiss.IndexIDMap2(hnsw)
    ids = np.asarray(ids, dtype=np.int64)
    for start in range(0, n, ADD_BLOCK):  # blocks: FAISS's temporary buffers stay small
        index.add_with_ids(vectors[rows[start : start + ADD_BLOCK]], ids[start : start + ADD_BLOCK])
    _direct_map(index)
    return index


def _direct_map(index: faiss.Index) -> None:
    """IVF lists need a passage -> list position table to give a stored vector back (related talks)."""
    inner = faiss.downcast_index(index.index) if isinstance(index, faiss.IndexIDMap2) else index
    if isinstance(inner, faiss.IndexIVF) and inner.direct_map.type == faiss.DirectMap.NoMap:
        inner.make_direct_map()


def describe(index: faiss.Index) -> str:
    inner = faiss.downcast_index(index.index) if isinstance(index, faiss.IndexIDMap2) else index
    if isinstance(inner, faiss.IndexIVFScalarQuantizer):
        return f"IDMap2,IVF{inner.nlist},SQ8 (nprobe {inner.nprobe})"
    if isinstance(inner, faiss.IndexIVF):
        return f"IDMap2,IVF{inner.nlist},Flat (nprobe {inner.nprobe})"
    if isinstance(inner, faiss.IndexHNSW):
        return f"IDMap2,HNSW32,Flat (efSearch {inner.hnsw.efSearch})"
    return "IDMap2,Flat"


def save(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def load(path: Path) -> faiss.Index:
    index = faiss.read_index(str(path))
    _direct_map(index)
    return index


def search(index: faiss.Index, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-k per query. A few queries run on one thread: FAISS's OpenMP team costs more than it
    saves there (measured on 2 busy cores: 20 ms with two threads, 2 ms with one, for IVF-SQ8 k=2000)."""
    k = max(1, min(k, index.ntotal))
    faiss.omp_set_num_threads(1 if len(queries) <= SINGLE_THREAD_UP_TO else BUILD_THREADS)
    return index.search(np.ascontiguousarray(queries, dtype=np.float32), k)


def candidate_signals(bundle: IndexBundle, vector: np.ndarray, depth: int, n_talks: int) -> dict[str, np.ndarray]:
    """Dense signals from an approximate index's top-``depth`` passages only (no pass over all passages).

    A talk scores as its best candidate passage; talks without one get the lowest candidate's
    score. ``best_passage`` is each talk's best candidate sentence (-1: none among the candidates).
    """
    sims, ids = search(bundle.vectors, vector, min(bundle.vectors.ntotal, depth))
    keep = ids[0] >= 0
    ids, sims = ids[0][keep], sims[0][keep]
    talks = bundle.passage_talk[ids]
    dense = np.full(n_talks, float(sims.min()) if len(sims) else 0.0, dtype=np.float32)
    np.maximum.at(dense, talks, sims)
    sentence = np.flatnonzero(bundle.passage_kind[ids] == SENTENCE)
    order = sentence[np.lexsort((-sims[sentence], talks[sentence]))]
    first = np.ones(len(order), dtype=bool)
    first[1:] = talks[order][1:] != talks[order][:-1]
    best_passage = np.full(n_talks, -1, dtype=np.int64)
    best_passage[talks[order][first]] = ids[order][first]
    return {"dense": dense, "best_passage": best_passage}
