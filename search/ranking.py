"""Stage 4 of a search: fuse the retrievers' signals into one score per talk, then rerank.

``fused_scores`` is the one place the methods differ (the single-signal baselines `make eval`
reports, and the hybrid ranking); a reranker is any object with ``rerank`` and takes one line of
wiring in the engine.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from index.settings import FusionSettings
from search import fusion
from search.analysis import QueryAnalysis
from search.retrievers import Scores

METHODS = ("hybrid", "lexical", "dense", "rrf")


class Reranker(Protocol):
    def rerank(self, query: QueryAnalysis, scores: Scores, fused: np.ndarray) -> np.ndarray: ...


def other_language(talk_lang: np.ndarray, lang: str) -> np.ndarray:
    """Talks written in the other language than the query (none for a mixed query)."""
    if lang == "zh":
        return talk_lang == "en"
    if lang == "en":
        return talk_lang == "zh"
    return np.zeros(len(talk_lang), dtype=bool)


def fused_scores(
    method: str,
    query: QueryAnalysis,
    scores: Scores,
    weights: FusionSettings,
    talk_lang: np.ndarray,
    person_rows: dict[str, list[int]],
) -> np.ndarray:
    if method == "dense":
        return fusion.relative_dense(scores.dense, weights.dense_floor_quantile)
    if method == "lexical":
        return fusion.relative_lexical(scores.lexical)
    if method == "rrf":
        fused = fusion.rrf([scores.dense, scores.lexical])
        return fused / fused.max()
    if method != "hybrid":
        raise ValueError(f"unknown ranking method {method!r}; choose from {', '.join(METHODS)}")
    lexical = fusion.lexical_signal(scores.lexical, scores.coverage, weights)
    translated = fusion.translated_signal(
        scores.translated, scores.translated_coverage, scores.translated_share, weights
    )
    fused = fusion.fuse(scores.dense, lexical, translated, other_language(talk_lang, query.lang), weights)
    for pid in query.parsed.people:
        rows = person_rows.get(pid)
        if rows:
            fused[rows] += weights.person_boost
    return fused
