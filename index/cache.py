"""Embeddings cached by content hash, per encoder: unchanged talks are never embedded twice.

Held as one float32 matrix (rows appended in blocks) and a key -> row table, not one array per
text, so a cache of millions of passages costs its vectors and little more.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

import numpy as np


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    def __init__(self, root: Path, encoder_name: str, dimension: int) -> None:
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", encoder_name)
        self.path = root / "cache" / f"embeddings-{safe}-{dimension}.npz"
        self.dimension = dimension
        self._row: dict[str, int] = {}
        self._blocks: list[np.ndarray] = []
        self._matrix: np.ndarray | None = np.zeros((0, dimension), dtype=np.float32)
        if self.path.exists():
            try:
                with np.load(self.path) as data:
                    keys, vecs = data["keys"], data["vectors"]
                if vecs.ndim == 2 and vecs.shape[1] == dimension and len(keys) == len(vecs):
                    self._row = {str(k): i for i, k in enumerate(keys)}
                    self._matrix = np.asarray(vecs, dtype=np.float32)
            except (OSError, ValueError, KeyError):
                self._row = {}  # a damaged cache is only a cache: rebuild it

    def missing(self, texts: list[str]) -> list[str]:
        seen: set[str] = set()
        out = []
        for t in texts:
            k = text_key(t)
            if k not in self._row and k not in seen:
                seen.add(k)
                out.append(t)
        return out

    def put(self, texts: list[str], vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        if len(vectors) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(vectors)} vectors")
        start = len(self._row)
        fresh = []
        for t, v in zip(texts, vectors, strict=True):
            k = text_key(t)
            if k not in self._row:
                self._row[k] = start + len(fresh)
                fresh.append(v)
        if fresh:
            self._blocks.append(np.stack(fresh))

    def _all(self) -> np.ndarray:
        if self._blocks:
            self._matrix = np.concatenate([self._matrix, *self._blocks])
            self._blocks = []
        return self._matrix

    def rows(self, texts: list[str]) -> np.ndarray:
        """Each text's row in ``matrix()``: a build reads its passages' vectors through these rows
        instead of copying them into a second matrix (15 GB at a million talks)."""
        return np.fromiter((self._row[text_key(t)] for t in texts), dtype=np.int64, count=len(texts))

    def matrix(self) -> np.ndarray:
        """Every cached vector, one row per text (see ``rows``)."""
        return self._all()

    def get(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self._all()[self.rows(texts)]

    def save(self, keep: list[str]) -> None:
        """Write the cache holding only ``keep`` texts (the current corpus), atomically."""
        keys = sorted({text_key(t) for t in keep} & self._row.keys(), key=self._row.__getitem__)  # in row order
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".npz")
        os.close(fd)
        try:
            matrix = self._all()
            if len(keys) < len(matrix):  # some texts left the corpus; else every row, not copied
                matrix = matrix[np.fromiter((self._row[k] for k in keys), dtype=np.int64, count=len(keys))]
            np.savez(tmp, keys=np.array(keys), vectors=matrix)
            os.replace(tmp, self.path)
        finally:
            Path(tmp).unlink(missing_ok=True)
