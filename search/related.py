"""Talks similar to a given talk: dense + lexical, never itself or its duplicate, two per speaker at most."""

from __future__ import annotations

import numpy as np

from index.passages import DOCUMENT, TITLE
from search.engine import Engine, Hit, Scores, check_k
from search.query import ParsedQuery, QueryError, unknown_id

PER_SPEAKER = 2


def unknown_talk(engine: Engine, talk_id: str) -> QueryError:
    return unknown_id(talk_id, list(engine.row))


def talk_vector(engine: Engine, row: int) -> np.ndarray:
    """The talk's own document vector (title + abstract), else its title vector."""
    kinds = engine.bundle.passage_kind
    mine = np.flatnonzero(engine.bundle.passage_talk == row)
    doc = [p for p in mine if kinds[p] == DOCUMENT] or [p for p in mine if kinds[p] == TITLE]
    return engine.bundle.vectors.reconstruct(int(doc[0]))[None, :]


def talk_as_query(engine: Engine, row: int) -> tuple[ParsedQuery, Scores]:
    """A talk used as the query: its own vector, and its title and abstract (not a copied one) as words."""
    talk = engine.talks[row]
    text = f"{talk.title} {talk.abstract if not talk.duplicate_of else ''}"
    scores = engine.scores_for(talk_vector(engine, row), engine.bundle.tokenizer.tokens(text))
    parsed = ParsedQuery(text=talk.title, folded=text, lang=talk.abstract_lang or talk.title_lang, people=[], rest=text)
    return parsed, scores


def related(engine: Engine, talk_id: str, k: int = 5, other_events: bool = False) -> list[Hit]:
    check_k(k)
    if talk_id not in engine.row:
        raise unknown_talk(engine, talk_id)
    row = engine.row[talk_id]
    talk = engine.talks[row]
    parsed, scores = talk_as_query(engine, row)
    fused = engine.rank(parsed, scores)
    twins = {talk.id, talk.duplicate_of} | {t.id for t in engine.talks if t.duplicate_of == talk.id}
    per_speaker: dict[str, int] = {}
    hits: list[Hit] = []
    for i in np.lexsort((np.arange(len(fused)), -fused)):
        other = engine.talks[int(i)]
        if other.id in twins or (other_events and other.event == talk.event):
            continue
        keys = other.person_ids or [other.speaker]
        if any(per_speaker.get(p, 0) >= PER_SPEAKER for p in keys):
            continue
        for p in keys:
            per_speaker[p] = per_speaker.get(p, 0) + 1
        hits.append(engine.hit(int(i), fused, scores, [], parsed))
        if len(hits) == k:
            break
    return hits
