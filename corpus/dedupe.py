"""Detect talks that print another talk's abstract (exact or near copies) and mark them."""

from __future__ import annotations

import re

from corpus.models import Talk

NEAR = 0.8  # Jaccard similarity of character 5-grams above which two abstracts are copies


def _shingles(text: str, n: int = 5) -> set[str]:
    flat = re.sub(r"[\W_]+", "", text)
    return {flat[i : i + n] for i in range(max(len(flat) - n + 1, 1))} if flat else set()


def similarity(a: str, b: str) -> float:
    sa, sb = _shingles(a), _shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def _title_fit(talk: Talk) -> float:
    """How much of the title the abstract talks about: the true owner of a copied abstract fits best."""
    title = _shingles(talk.title_norm, 3)
    return len(title & _shingles(talk.abstract_norm, 3)) / len(title) if title else 0.0


def mark_duplicates(talks: list[Talk]) -> list[tuple[str, str, float]]:
    """Set ``duplicate_of`` on copies; returns (copy, original, similarity) for each pair found."""
    found: list[tuple[str, str, float]] = []
    shingles = {t.id: _shingles(t.abstract_norm) for t in talks if t.has_abstract}
    with_abs = [t for t in talks if t.has_abstract]
    for i, a in enumerate(with_abs):
        for b in with_abs[i + 1 :]:
            sa, sb = shingles[a.id], shingles[b.id]
            if not sa or not sb:
                continue
            sim = len(sa & sb) / len(sa | sb)
            if sim < NEAR:
                continue
            original, copy = (a, b) if _title_fit(a) >= _title_fit(b) else (b, a)
            if copy.duplicate_of is None:
                copy.duplicate_of = original.duplicate_of or original.id
                found.append((copy.id, copy.duplicate_of, round(sim, 3)))
    return found
