"""Which ranked talks count as matches: the cutoff behind "N talks match" and "no talk matches".

A query with a strong match (see ``Searcher.confidence``) counts the talks scoring at least
``match_share`` of the best score. A query without one shows only the few closest talks (within
``closest_share`` of the best, at most ``closest_few``) under a banner, and a query whose best
talk is far from strong (confidence below ``no_match_below``: "medieval poetry"), or none of whose
words occur in any talk ("xqzv blorf"), matches nothing. Placeholder talks (title "TBA", no
abstract) count only when the query's words are in their title. The shares were chosen on the
dev set: at 0.25 no judged talk of any query's top 10 is cut, and the median count falls from 76
to 27.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import numpy as np

from corpus.models import Talk
from index.settings import SearchSettings

_PLACEHOLDER = re.compile(r"^\W*(tba|tbd|to be (announced|determined|confirmed)|待定|暂定|待公布)?\W*$", re.IGNORECASE)


def placeholders(talks: Iterable[Talk]) -> np.ndarray:
    """True for talks with no abstract and a placeholder title (TBA, 待定, or none)."""
    return np.array([not t.has_abstract and bool(_PLACEHOLDER.match(t.title)) for t in talks], dtype=bool)


def matching(
    order: np.ndarray,
    fused: np.ndarray,
    confidence: float,
    settings: SearchSettings,
    placeholder: np.ndarray,
    title_matches: Callable[[int], bool],
    words_found: bool = True,
) -> np.ndarray:
    """The rows of ``order`` (best first) that count as matches, in the same order."""
    if not len(order):
        return order
    keep = ~placeholder[order]
    for i in np.flatnonzero(~keep):  # only placeholders need their title read
        keep[i] = title_matches(int(order[i]))
    order = order[keep]
    if not len(order):
        return order
    best = float(fused[order[0]])
    if confidence >= 1.0:
        return order[fused[order] >= settings.match_share * best]
    if confidence < settings.no_match_below or not words_found:
        return order[:0]
    return order[fused[order] >= settings.closest_share * best][: settings.closest_few]
