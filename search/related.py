"""Talks similar to a given talk: dense + lexical, never itself or its duplicate, a few per speaker at most."""

from __future__ import annotations

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
    mine = np.flatnonzero(bundle.passage_talk == row)
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


def related(searcher: Searcher, talk_id: str, k: int = 5, other_events: bool = False) -> list[Hit]:
    searcher.check_k(k)
    if talk_id not in searcher.row:
        raise unknown_talk(searcher, talk_id)
    row = searcher.row[talk_id]
    talk = searcher.talks[row]
    query, scores = talk_as_query(searcher, row)
    fused = searcher.rank(query, scores)
    twins = {talk.id, talk.duplicate_of} | {t.id for t in searcher.talks if t.duplicate_of == talk.id}
    cap = searcher.settings.related.per_speaker
    per_speaker: dict[str, int] = {}
    hits: list[Hit] = []
    for i in np.lexsort((np.arange(len(fused)), -fused)):
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
