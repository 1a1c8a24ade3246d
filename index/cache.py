"""Embeddings cached by content hash, per encoder: unchanged talks are never embedded twice."""

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
        self._vectors: dict[str, np.ndarray] = {}
        if self.path.exists():
            try:
                with np.load(self.path) as data:
                    keys, vecs = data["keys"], data["vectors"]
                if vecs.ndim == 2 and vecs.shape[1] == dimension:
                    self._vectors = {str(k): v for k, v in zip(keys, vecs, strict=True)}
            except (OSError, ValueError, KeyError):
                self._vectors = {}  # a damaged cache is only a cache: rebuild it

    def missing(self, texts: list[str]) -> list[str]:
        seen: set[str] = set()
        out = []
        for t in texts:
            k = text_key(t)
            if k not in self._vectors and k not in seen:
                seen.add(k)
                out.append(t)
        return out

    def put(self, texts: list[str], vectors: np.ndarray) -> None:
        for t, v in zip(texts, vectors, strict=True):
            self._vectors[text_key(t)] = np.asarray(v, dtype=np.float32)

    def get(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._vectors[text_key(t)] for t in texts])

    def save(self, keep: list[str]) -> None:
        """Write the cache holding only ``keep`` texts (the current corpus), atomically."""
        keys = sorted({text_key(t) for t in keep} & self._vectors.keys())
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".npz")
        os.close(fd)
        try:
            vectors = np.stack([self._vectors[k] for k in keys]) if keys else np.zeros((0, self.dimension), np.float32)
            np.savez(tmp, keys=np.array(keys), vectors=vectors)
            os.replace(tmp, self.path)
        finally:
            Path(tmp).unlink(missing_ok=True)
