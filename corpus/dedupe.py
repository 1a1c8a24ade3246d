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


def _candidates(shingles: list[set[str]]) -> set[tuple[int, int]]:
    """Pairs that share a rare shingle: copies share hundreds, unrelated talks almost none."""
    postings: dict[str, list[int]] = {}
    for i, s in enumerate(shingles):
        for g in s:
            postings.setdefault(g, []).append(i)
    pairs: dict[tuple[int, int], int] = {}
    for docs in postings.values():
        if 1 < len(docs) <= 4:
            for x in range(len(docs)):
                for y in range(x + 1, len(docs)):
                    pairs[(docs[x], docs[y])] = pairs.get((docs[x], docs[y]), 0) + 1
    return {p for p, shared in pairs.items() if shared >= 10}


def mark_duplicates(talks: list[Talk]) -> list[tuple[str, str, float]]:
    """Set ``duplicate_of`` on copies; returns (copy, original, similarity) for each pair found."""
    found: list[tuple[str, str, float]] = []
    with_abs = [t for t in talks if t.has_abstract]
    shingles = [_shingles(t.abstract_norm) for t in with_abs]
    for i, j in sorted(_candidates(shingles)):
        a, b = with_abs[i], with_abs[j]
        sa, sb = shingles[i], shingles[j]
        if sa and sb:
            sim = len(sa & sb) / len(sa | sb)
            if sim < NEAR:
                continue
            original, copy = (a, b) if _title_fit(a) >= _title_fit(b) else (b, a)
            if copy.duplicate_of is None:
                copy.duplicate_of = original.duplicate_of or original.id
                found.append((copy.id, copy.duplicate_of, round(sim, 3)))
    return found
