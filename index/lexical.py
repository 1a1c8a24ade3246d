"""BM25 (bm25s, Lucene-style IDF) over bilingual tokens; fields weighted by repetition."""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable
from pathlib import Path

import numpy as np


def _import_bm25s():
    """bm25s without its optional numba and scipy backends: it imports both when they are installed
    (0.3 s of every start), but this index uses its numpy backends only (``backend="numpy"``,
    ``csc_backend="numpy"``, the defaults). Other code may still import numba and scipy later."""
    blocked = [m for m in ("numba", "scipy.sparse") if m not in sys.modules]
    for m in blocked:
        sys.modules[m] = None  # an import of a module mapped to None raises ImportError
    try:
        import bm25s
    finally:
        for m in blocked:
            del sys.modules[m]
    return bm25s


bm25s = _import_bm25s()

# How often each field's tokens are repeated in a talk's lexical document.
# "translated": the other-language terms of the title and abstract (document-side translation).
FIELD_WEIGHTS = {"title": 3, "abstract": 1, "people": 2, "session": 1, "affiliation": 1, "translated": 1}


class _LeanBM25(bm25s.BM25):
    """bm25s's BM25 with its CSC step (documented as swappable) done by scipy's counting sort: bm25s's
    own argsorts packed 64-bit keys, ~40 bytes per stored score at once (15 GB at a million talks)."""

    @staticmethod
    def _np_csc(data: np.ndarray, rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]):
        from scipy.sparse import csc_matrix

        m = csc_matrix((data, (rows, cols)), shape=shape)
        return m.data, m.indices, m.indptr.astype(np.int64)


class LexicalIndex:
    def __init__(self, model: bm25s.BM25) -> None:
        self.model = model

    @classmethod
    def build(cls, documents: Iterable[list[str]]) -> LexicalIndex:
        """BM25 over the documents, each turned into token ids as it comes (4 bytes a token, ids in
        order of first use): a million talks' token lists are never all held at once."""
        vocab: dict[str, int] = {}
        ids = [array("i", [vocab.setdefault(t, len(vocab)) for t in doc or [""]]) for doc in documents]
        model = _LeanBM25(method="lucene", k1=1.2, b=0.75)
        model.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)
        return cls(model)

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every document; unknown tokens add nothing."""
        ids = self.model.get_tokens_ids(tokens)
        if not ids:
            return np.zeros(self.model.scores["num_docs"], dtype=np.float32)
        return self.model.get_scores_from_ids(ids).astype(np.float32)

    def _postings(self, token: str) -> tuple[np.ndarray, float]:
        """Documents containing a token and its IDF (an unseen token: none, the highest IDF)."""
        n = int(self.model.scores["num_docs"])
        indptr, indices = self.model.scores["indptr"], self.model.scores["indices"]
        tid = self.model.vocab_dict.get(token)
        if tid is None or tid >= len(indptr) - 1:
            return indices[:0], float(np.log(1 + (n + 0.5) / 0.5))
        docs = indices[indptr[tid] : indptr[tid + 1]]
        return docs, float(np.log(1 + (n - len(docs) + 0.5) / (len(docs) + 0.5)))

    def idf(self, token: str) -> float:
        """The token's IDF (an unseen token: the highest)."""
        return self._postings(token)[1]

    def coverage(self, tokens: list[str]) -> np.ndarray:
        """Share of the query's IDF mass each document contains: a document matching only a
        query's common words ('成像' of '非视距成像') covers little of it."""
        cover = np.zeros(int(self.model.scores["num_docs"]), dtype=np.float32)
        total = 0.0
        for token in dict.fromkeys(tokens):  # in query order: float sums must not depend on the hash seed
            docs, idf = self._postings(token)
            total += idf
            cover[docs] += idf
        return cover / total if total > 0 else cover

    def idf_share(self, part: list[str], whole: list[str]) -> float:
        """Share of the IDF mass of ``whole`` that its tokens in ``part`` carry."""
        idf = {t: self._postings(t)[1] for t in dict.fromkeys(whole)}  # ordered: sums independent of the hash seed
        total = sum(idf.values())
        return sum(idf.get(t, 0.0) for t in dict.fromkeys(part)) / total if total > 0 else 0.0

    def save(self, path: Path) -> None:
        self.model.save(str(path), show_progress=False)

    @classmethod
    def load(cls, path: Path, mmap: bool = False) -> LexicalIndex:
        """``mmap``: the score arrays stay in the file, read as queries touch them (as plain ndarray
        views of the mapping: np.memmap's Python-level ``__getitem__`` costs a call per slice)."""
        model = bm25s.BM25.load(str(path), mmap=mmap, show_progress=False, verbosity=0)
        for key in ("data", "indices", "indptr"):
            if isinstance(model.scores[key], np.memmap):
                model.scores[key] = model.scores[key].view(np.ndarray)
        return cls(model)
