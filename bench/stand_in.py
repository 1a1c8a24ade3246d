"""A fast stand-in encoder for the scale benchmark only: hashed character n-grams, 512 dimensions.

It is not a language model and must never serve real queries: it exists so that building 100k or
1M synthetic talks measures the index, store and engine rather than a neural network's forward
pass. Texts sharing character 2- and 3-grams get similar vectors, which is enough to give the
vector index a realistic neighbourhood structure (clusters of recombined sentences).

Every character n-gram of a text is hashed (a fixed polynomial, the same in every process) to one
of 512 buckets with a sign, the counts are summed per text and the vector is L2-normalised: the
"hashing trick", a random projection of the n-gram counts. All of it is numpy over the whole batch.
"""

from __future__ import annotations

import numpy as np

NAME = "hash-ngram-stand-in"
DIMENSION = 512
NGRAMS = (2, 3)
_MULT = np.uint64(0x9E3779B97F4A7C15)
_SEP = "\x00"


class HashNgramStandIn:
    """Hashed character n-grams projected to 512 dimensions (benchmark stand-in, not a model)."""

    name = NAME
    dimension = DIMENSION
    package = "talksearch-bench"

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self.encode_documents(texts)

    def encode_documents(self, texts: list[str]) -> np.ndarray:
        n = len(texts)
        if not n:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        joined = _SEP.join(t.casefold() for t in texts) + _SEP
        codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        row = np.cumsum(codes == 0) - (codes == 0)  # text number of every character
        out = np.zeros(n * DIMENSION, dtype=np.float32)
        for size in NGRAMS:
            if len(codes) < size:
                continue
            h = np.zeros(len(codes) - size + 1, dtype=np.uint64)
            valid = np.ones(len(h), dtype=bool)
            for j in range(size):
                part = codes[j : j + len(h)]
                h = (h ^ part) * _MULT
                valid &= part != 0
            h ^= h >> np.uint64(29)
            bucket = (h % np.uint64(DIMENSION)).astype(np.int64)
            sign = np.where((h >> np.uint64(40)) & np.uint64(1), 1.0, -1.0).astype(np.float32)
            where = row[: len(h)][valid] * DIMENSION + bucket[valid]
            out += np.bincount(where, weights=sign[valid], minlength=n * DIMENSION).astype(np.float32)
        vectors = out.reshape(n, DIMENSION)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)
