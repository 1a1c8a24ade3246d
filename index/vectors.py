"""FAISS over L2-normalised vectors with inner product: exact by default, IVF or HNSW on request."""

from __future__ import annotations

import math
from pathlib import Path

import faiss
import numpy as np

# Measured by `make bench` (scale run): up to this many vectors exact search answers in about
# 1 ms on 2 cores, so approximation buys nothing and costs recall.
AUTO_APPROXIMATE_ABOVE = 50_000
KINDS = ("flat", "ivf", "hnsw", "auto")


def choose_kind(kind: str, n: int) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown index type {kind!r}; choose one of {', '.join(KINDS)}")
    if kind == "auto":
        return "flat" if n <= AUTO_APPROXIMATE_ABOVE else "ivf"
    return kind


TRAIN_PER_LIST = 40  # k-means training sample: 40 points per list is plenty and keeps 1M builds in minutes


def ivf_lists(n: int) -> int:
    """nlist = 4·sqrt(N), the low end of the usual 4·sqrt(N)..16·sqrt(N) band: training cost on
    2 cores grows with nlist, and recall at a given scan budget hardly differs across the band."""
    return max(1, min(int(4 * math.sqrt(n)), n // 39))


def build(
    vectors: np.ndarray, ids: np.ndarray, kind: str = "flat", nprobe: int = 32, ef_search: int = 128
) -> faiss.Index:
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    n, d = vectors.shape
    kind = choose_kind(kind, n)
    if kind == "flat" or n < 1000:
        index = faiss.IndexIDMap2(faiss.IndexFlatIP(d))
    elif kind == "ivf":
        nlist = ivf_lists(n)
        quantizer = faiss.IndexFlatIP(d)
        ivf = faiss.IndexIVFFlat(quantizer, d, nlist, faiss.METRIC_INNER_PRODUCT)
        rng = np.random.default_rng(0)
        sample = vectors[rng.choice(n, min(n, TRAIN_PER_LIST * nlist), replace=False)]
        ivf.train(sample)
        ivf.nprobe = min(nprobe, nlist)
        index = faiss.IndexIDMap2(ivf)
    else:
        hnsw = faiss.IndexHNSWFlat(d, 32, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = 80
        hnsw.hnsw.efSearch = ef_search
        index = faiss.IndexIDMap2(hnsw)
    index.add_with_ids(vectors, np.asarray(ids, dtype=np.int64))
    return index


def describe(index: faiss.Index) -> str:
    inner = faiss.downcast_index(index.index) if isinstance(index, faiss.IndexIDMap2) else index
    if isinstance(inner, faiss.IndexIVF):
        return f"IDMap2,IVF{inner.nlist},Flat (nprobe {inner.nprobe})"
    if isinstance(inner, faiss.IndexHNSW):
        return f"IDMap2,HNSW32,Flat (efSearch {inner.hnsw.efSearch})"
    return "IDMap2,Flat"


def save(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def load(path: Path) -> faiss.Index:
    return faiss.read_index(str(path))


def search(index: faiss.Index, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    k = max(1, min(k, index.ntotal))
    return index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
