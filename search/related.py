"""Talks similar to a given talk: dense + lexical, never itself or its duplicate, a few per speaker at most."""

from __future__ import annotations

import weakref
from collections.abc import Iterator

import numpy as np

from index.passages import DOCUMENT, TITLE
from search.analysis import QueryAnalysis
from search.query import ParsedQuery, QueryError, unknown_id
from search.results import Hit
from search.retrievers import Scores
from search.searcher import Searcher


def unknown_talk(searcher: Searcher, talk_id: str) -> QueryError:
    return unknown_id(talk_id, list(searcher.row))


def talk_vector(searcher: Searcher, row: int) -> np.ndarray:
    """The talk's own document vector (title + abstract), else its title vector."""
    bundle = searcher.bundle
    # Passages are stored in talk order: the talk's own are one slice, found by binary search.
    mine = range(*np.searchsorted(bundle.passage_talk, [row, row + 1]))
    doc = [p for p in mine if bundle.passage_kind[p] == DOCUMENT] or [
        p for p in mine if bundle.passage_kind[p] == TITLE
    ]
    return bundle.vectors.reconstruct(int(doc[0]))[None, :]


def talk_as_query(searcher: Searcher, row: int) -> tuple[QueryAnalysis, Scores]:
    """A talk used as the query: its own vector, and its title and abstract (not a copied one) as words."""
    talk = searcher.talks[row]
    text = f"{talk.title} {talk.abstract if not talk.duplicate_of else ''}"
    parsed = ParsedQuery(text=talk.title, folded=text, lang=talk.abstract_lang or talk.title_lang, people=(), rest=text)
    query = QueryAnalysis(parsed=parsed, text=text, tokens=tuple(searcher.bundle.tokenizer.tokens(text)))
    return query, searcher.scores(query, talk_vector(searcher, row))


_COPIES: weakref.WeakKeyDictionary[Searcher, dict[str, list[str]]] = weakref.WeakKeyDictionary()


def _copies(searcher: Searcher) -> dict[str, list[str]]:
    """Talk id -> the talks that print its abstract (computed once per engine)."""
    if searcher not in _COPIES:
        copies: dict[str, list[str]] = {}
        for t in searcher.talks:
            if t.duplicate_of:
                copies.setdefault(t.duplicate_of, []).append(t.id)
        _COPIES[searcher] = copies
    return _COPIES[searcher]


def ranked_rows(fused: np.ndarray, head: int = 256) -> Iterator[int]:
    """Rows best first, ties by row: the ``head`` best sorted first, the rest only if asked for."""
    n = len(fused)
    if n <= head:
        yield from np.lexsort((np.arange(n), -fused)).tolist()
        return
    threshold = np.partition(fused, n - head)[n - head]
    for part in (np.flatnonzero(fused >= threshold), np.flatnonzero(fused < threshold)):
        yield from part[np.lexsort((part, -fused[part]))].tolist()


def related(searcher: Searcher, talk_id: str, k: int = 5, other_events: bool = False) -> list[Hit]:
    searcher.check_k(k)
    if talk_id not in searcher.row:
        raise unknown_talk(searcher, talk_id)
    row = searcher.row[talk_id]
    talk = searcher.talks[row]
    query, scores = talk_as_query(searcher, row)
    fused = searcher.rank(query, scores)
    twins = {talk.id, talk.duplicate_of} | set(_copies(searcher).get(talk.id, ()))
    cap = searcher.settings.related.per_speaker
    per_speaker: dict[str, int] = {}
    hits: list[Hit] = []
    for i in ranked_rows(fused):
        other = searcher.talks[int(i)]
        if other.id in twins or (other_events and other.event == talk.event):
            continue
        keys = other.person_ids or [other.speaker]
        if any(per_speaker.get(p, 0) >= cap for p in keys):
            continue
        for p in keys:
            per_speaker[p] = per_speaker.get(p, 0) + 1
        hits.append(searcher.hit(int(i), fused, scores, [], query))
        if len(hits) == k:
            break
    return hits
