"""BM25 (bm25s, Lucene-style IDF) over bilingual tokens; fields weighted by repetition."""

from __future__ import annotations

from pathlib import Path

import bm25s
import numpy as np

# How often each field's tokens are repeated in a talk's lexical document.
FIELD_WEIGHTS = {"title": 3, "abstract": 1, "people": 2, "session": 1, "affiliation": 1}


class LexicalIndex:
    def __init__(self, model: bm25s.BM25) -> None:
        self.model = model

    @classmethod
    def build(cls, documents: list[list[str]]) -> LexicalIndex:
        model = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
        model.index([doc or [""] for doc in documents], show_progress=False)
        return cls(model)

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every document; unknown tokens add nothing."""
        ids = self.model.get_tokens_ids(tokens)
        if not ids:
            return np.zeros(self.model.scores["num_docs"], dtype=np.float32)
        return self.model.get_scores_from_ids(ids).astype(np.float32)

    def save(self, path: Path) -> None:
        self.model.save(str(path), show_progress=False)

    @classmethod
    def load(cls, path: Path) -> LexicalIndex:
        return cls(bm25s.BM25.load(str(path), mmap=False, show_progress=False, verbosity=0))
