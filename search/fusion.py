"""Fusing dense and lexical scores: pure functions, weights chosen on the dev set (eval/).

Each signal is first made relative to the query (a query's best talk is 1): raw BM25 and cosine
scales differ from query to query. The fused score is a weighted sum. A talk written in the
other language than the query cannot match its words, so it is not punished for that: its
lexical share comes from the query's translated terms (each signal relative to its own best
talk, so a Chinese query's English talks compete on equal terms) or from its dense score,
discounted by ``cross_credit``.
"""

from __future__ import annotations

import numpy as np

from index.settings import FusionSettings

# The weights live with every other tuning constant in index.settings (saved in the manifest).
Weights = FusionSettings
DEFAULT = Weights()


def relative_lexical(scores: np.ndarray) -> np.ndarray:
    top = float(scores.max(initial=0.0))
    return scores / top if top > 0 else np.zeros_like(scores)


def relative_dense(scores: np.ndarray, floor_quantile: float) -> np.ndarray:
    """Cosines rescaled so the query's median talk is 0 and its best is 1."""
    if scores.size == 0:
        return scores
    floor = float(np.quantile(scores, floor_quantile))
    top = float(scores.max())
    if top - floor < 1e-6:
        return np.zeros_like(scores)
    return np.clip((scores - floor) / (top - floor), 0.0, 1.0)


def lexical_signal(bm25: np.ndarray, coverage: np.ndarray, weights: Weights = DEFAULT) -> np.ndarray:
    """BM25 relative to the query's best talk, damped by how much of the query's IDF mass the
    talk covers: a talk matching only a common word of the query is no full match."""
    best = float(coverage.max(initial=0.0))
    cover = coverage / max(best, weights.coverage_floor) if best > 0 else coverage
    return relative_lexical(bm25) * np.power(cover, weights.coverage_power)


def translated_signal(bm25: np.ndarray, coverage: np.ndarray, share: float, weights: Weights = DEFAULT) -> np.ndarray:
    """BM25 of the query's translated terms relative to the best talk, damped by the talk's
    absolute coverage of them (a translation is trusted only as far as a talk has all of it:
    '晶体结构' -> 'crystal structure' is no match for a talk on 'structure') and by the share of
    the query the translation covers ('LLM 训练 优化器' translates only 'LLM')."""
    return relative_lexical(bm25) * coverage * share**weights.translated_share_power


def fuse(
    dense: np.ndarray,
    lexical: np.ndarray,
    translated: np.ndarray,
    other_language: np.ndarray,
    weights: Weights = DEFAULT,
) -> np.ndarray:
    """Hybrid score per talk from the dense signal and the lexical signals of the query's own
    words and of its translated terms (each already in [0, 1]).

    A talk in the other language than the query cannot match its words: its lexical share comes
    from the translated terms (discounted by ``translation``) or from its dense score (discounted
    by ``cross_credit``), whichever is higher. Same-language talks use the query's own words,
    and translated terms only where they add to them (mixed queries).
    """
    d = relative_dense(dense, weights.dense_floor_quantile)
    other = np.maximum(weights.translation * translated, weights.cross_credit * d)
    same = np.maximum(lexical, weights.translation * translated * ~other_language.any())
    lex = np.where(other_language, np.maximum(lexical, other), same)
    return weights.dense * d + weights.lexical * lex


def with_other_terms(
    fused: np.ndarray,
    dense: np.ndarray,
    translated: np.ndarray,
    other_language: np.ndarray,
    weights: Weights = DEFAULT,
) -> np.ndarray:
    """``fused`` (from ``fuse`` with the same ``dense``) where an other-language talk may take a
    second translated signal as its lexical share instead, if that is higher: e.g. the translation
    of a topic's short title next to that of its long, noisy description."""
    d = relative_dense(dense, weights.dense_floor_quantile)
    second = weights.dense * d + weights.lexical * weights.translation * translated
    return np.where(other_language, np.maximum(fused, second), fused)


def rrf(rankings: list[np.ndarray], k: int = 60) -> np.ndarray:
    """Reciprocal rank fusion of score vectors (kept as the baseline `make eval` reports)."""
    fused = np.zeros_like(rankings[0], dtype=np.float64)
    for scores in rankings:
        order = np.argsort(-scores, kind="stable")
        ranks = np.empty_like(order)
        ranks[order] = np.arange(1, len(order) + 1)
        fused += 1.0 / (k + ranks)
    return fused
