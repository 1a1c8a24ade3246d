"""Stage 3 of a search: retrievers, each scoring the talks for one signal.

Every retriever has the same small interface (``signals(query, vector) -> {name: per-talk array}``),
so a new signal is one class and one line in ``default_retrievers``. The arrays are numpy vectors
over all talks (vectorised: no Python loop over talks); the dense retriever asks an approximate
FAISS index only for its nearest passages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

import faiss
import numpy as np

from index import vectors
from index.bundle import IndexBundle
from index.passages import SENTENCE
from index.settings import SearchSettings
from index.tokenize import is_chinese_token
from search import fusion
from search.analysis import QueryAnalysis


@dataclass
class Scores:
    """Per-talk component scores for one query: what fusion combines."""

    dense: np.ndarray  # raw cosine of the talk's best passage
    lexical: np.ndarray  # raw BM25
    best_passage: np.ndarray  # passage index of the best sentence per talk (-1: none)
    coverage: np.ndarray  # share of the query's IDF mass found in the talk's lexical tokens
    translated: np.ndarray  # BM25 of the query's translated terms (relative per language for mixed queries)
    translated_coverage: np.ndarray
    translated_share: float = 0.0  # share of the query's IDF mass its translated words carry
    extra: dict[str, np.ndarray] = field(default_factory=dict)  # signals of further retrievers


class Retriever(Protocol):
    def signals(self, query: QueryAnalysis, vector: np.ndarray) -> dict[str, np.ndarray]: ...


class DenseRetriever:
    """Cosine of the query vector to every passage; a talk scores as its best passage."""

    def __init__(self, bundle: IndexBundle, settings: SearchSettings) -> None:
        self.bundle = bundle
        self.depth = settings.dense_candidates
        self.n = len(bundle.talks)

    @cached_property
    def exact_matrix(self) -> np.ndarray | None:
        """All passage vectors, for exact flat indexes: one matrix product scores every passage,
        where a FAISS search for all of them would also sort them."""
        index = self.bundle.vectors
        inner = faiss.downcast_index(index.index) if isinstance(index, faiss.IndexIDMap2) else index
        if not isinstance(inner, faiss.IndexFlat):
            return None
        ids = faiss.vector_to_array(index.id_map)
        matrix = np.empty((index.ntotal, index.d), dtype=np.float32)
        matrix[ids] = inner.reconstruct_n(0, index.ntotal)
        return matrix

    def passage_similarities(self, vector: np.ndarray) -> np.ndarray:
        """Cosine of the query to every passage; NaN for passages an approximate index skipped."""
        matrix = self.exact_matrix
        if matrix is not None:
            return matrix @ vector[0]
        sims = np.full(self.bundle.vectors.ntotal, np.nan, dtype=np.float32)
        found, ids = vectors.search(self.bundle.vectors, vector, min(self.bundle.vectors.ntotal, self.depth))
        keep = ids[0] >= 0
        sims[ids[0][keep]] = found[0][keep]
        return sims

    @cached_property
    def segments(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """(talks with passages, each one's first passage, sentence mask) when passages are stored
        grouped by talk, as the builder writes them: per-talk maxima are then one ``reduceat``."""
        talk_of = self.bundle.passage_talk
        if len(talk_of) == 0 or np.any(np.diff(talk_of) < 0):
            return None
        talks, starts = np.unique(talk_of, return_index=True)
        return talks, starts, self.bundle.passage_kind == SENTENCE

    def signals(self, query: QueryAnalysis, vector: np.ndarray) -> dict[str, np.ndarray]:
        if self.exact_matrix is None:
            return vectors.candidate_signals(self.bundle, vector, self.depth, self.n)
        sims = self.passage_similarities(vector)
        if self.segments is not None:
            return self._grouped_signals(sims, *self.segments)
        talk_of = self.bundle.passage_talk
        seen = ~np.isnan(sims)
        dense = np.full(self.n, float(np.nanmin(sims)) if seen.any() else 0.0, dtype=np.float32)
        np.maximum.at(dense, talk_of[seen], sims[seen])
        # The best sentence of each talk: sort sentence passages by (talk, -similarity), take firsts.
        sentence = np.flatnonzero((self.bundle.passage_kind == SENTENCE) & seen)
        order = sentence[np.lexsort((-sims[sentence], talk_of[sentence]))]
        first = np.ones(len(order), dtype=bool)
        first[1:] = talk_of[order][1:] != talk_of[order][:-1]
        best_passage = np.full(self.n, -1, dtype=np.int64)
        best_passage[talk_of[order][first]] = order[first]
        return {"dense": dense, "best_passage": best_passage}

    def _grouped_signals(
        self, sims: np.ndarray, talks: np.ndarray, starts: np.ndarray, sentence: np.ndarray
    ) -> dict[str, np.ndarray]:
        """The same signals as the general path, for passages grouped by talk (ties: lowest passage)."""
        talk_of = self.bundle.passage_talk
        dense = np.full(self.n, sims.min(), dtype=np.float32)
        dense[talks] = np.maximum.reduceat(sims, starts)
        sentence_sims = np.where(sentence, sims, -np.inf)
        best = np.full(self.n, -np.inf, dtype=sentence_sims.dtype)
        best[talks] = np.maximum.reduceat(sentence_sims, starts)
        hits = np.flatnonzero(sentence & (sentence_sims == best[talk_of]))
        first = np.ones(len(hits), dtype=bool)
        first[1:] = talk_of[hits][1:] != talk_of[hits][:-1]
        best_passage = np.full(self.n, -1, dtype=np.int64)
        best_passage[talk_of[hits][first]] = hits[first]
        return {"dense": dense, "best_passage": best_passage}


class LexicalRetriever:
    """BM25 of the query's own words, and how much of the query's IDF mass each talk covers."""

    def __init__(self, bundle: IndexBundle) -> None:
        self.lexical = bundle.lexical

    def signals(self, query: QueryAnalysis, vector: np.ndarray) -> dict[str, np.ndarray]:
        tokens = list(query.tokens)
        return {"lexical": self.lexical.scores(tokens), "coverage": self.lexical.coverage(tokens)}


class TranslatedRetriever:
    """BM25 of the query's other-language terms.

    A mixed query ('neural network 逼近理论') is completed in each talk's language: English talks
    answer 'neural network approximation theory', Chinese talks '神经网络 逼近理论'.
    """

    def __init__(self, bundle: IndexBundle, talk_lang: np.ndarray) -> None:
        self.lexical = bundle.lexical
        self.talk_lang = talk_lang

    def signals(self, query: QueryAnalysis, vector: np.ndarray) -> dict[str, np.ndarray]:
        if query.mixed:
            bm25, cover = self._in_talk_language(list(query.tokens + query.translated_tokens))
        elif query.translated_tokens:
            tokens = list(query.translated_tokens)
            bm25, cover = self.lexical.scores(tokens), self.lexical.coverage(tokens)
        else:
            bm25 = cover = np.zeros(len(self.talk_lang), dtype=np.float32)
        return {"translated": bm25, "translated_coverage": cover}

    def _in_talk_language(self, tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """BM25 (relative to each language's best talk) and coverage of every talk for the
        tokens of its own language; talks in both languages take the better of the two."""
        sides = []
        for chinese in (True, False):
            side = [t for t in tokens if is_chinese_token(t) == chinese]
            sides.append((fusion.relative_lexical(self.lexical.scores(side)), self.lexical.coverage(side)))
        (zh_bm25, zh_cover), (en_bm25, en_cover) = sides
        use_zh = (self.talk_lang == "zh") | ((self.talk_lang != "en") & (zh_bm25 * zh_cover >= en_bm25 * en_cover))
        return np.where(use_zh, zh_bm25, en_bm25), np.where(use_zh, zh_cover, en_cover)


def default_retrievers(bundle: IndexBundle, settings: SearchSettings, talk_lang: np.ndarray) -> list[Retriever]:
    return [DenseRetriever(bundle, settings), LexicalRetriever(bundle), TranslatedRetriever(bundle, talk_lang)]


CORE = {f for f in Scores.__dataclass_fields__ if f not in ("translated_share", "extra")}


def collect(retrievers: list[Retriever], query: QueryAnalysis, vector: np.ndarray) -> Scores:
    """Run every retriever; signals of the core fields fill ``Scores``, any others go to ``extra``."""
    merged: dict[str, np.ndarray] = {}
    for r in retrievers:
        merged.update(r.signals(query, vector))
    core = {k: v for k, v in merged.items() if k in CORE}
    missing = CORE - set(core)
    if missing:
        raise RuntimeError(f"no retriever produced {', '.join(sorted(missing))}")
    extra = {k: v for k, v in merged.items() if k not in CORE}
    return Scores(**core, translated_share=query.translated_share, extra=extra)
