"""Stage 5 of a search: the result types, and hits built only for the talks returned."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal

import numpy as np

from corpus.models import Talk
from index.tokenize import Tokenizer
from search import snippets
from search.filters import talk_lang
from search.retrievers import Scores

# How much of a result to build. "full": everything a page or --json shows. "ranking": what a run
# file needs (the ranked talks with their scores and fields, the total, strong match, people,
# translations); no snippet, highlights, best sentence, facets or spelling suggestion.
Detail = Literal["full", "ranking"]
DETAILS: tuple[Detail, ...] = ("full", "ranking")


@dataclass
class Hit:
    id: str
    title: str
    speaker: str
    affiliation: str
    event: str
    event_name: str
    kind: str
    session: str
    session_title: str
    date: str
    time: str
    room: str
    lang: str
    score: float
    dense: float
    lexical: float
    snippet: str
    highlights: list[tuple[int, int]]
    best_sentence: str
    person_match: bool
    duplicate_of: str | None = None
    title_highlights: list[tuple[int, int]] = field(default_factory=list)  # spans of the matched terms in `title`

    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict for JSON (shallow: ``dataclasses.asdict`` deep-copied every span,
        a fifth of an API request's time)."""
        return {name: getattr(self, name) for name in _HIT_FIELDS}


@dataclass
class SearchResponse:
    query: str
    lang: str
    total: int
    offset: int
    k: int
    strong_match: bool
    confidence: float
    hits: list[Hit]
    people: list[dict[str, str]] = field(default_factory=list)
    translations: list[str] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str | None = None  # the query with likely typos corrected from the corpus vocabulary

    def to_dict(self) -> dict[str, Any]:
        """The response as a dict for JSON (shallow, like ``Hit.to_dict``)."""
        out = {name: getattr(self, name) for name in _RESPONSE_FIELDS}
        out["hits"] = [h.to_dict() for h in self.hits]
        return out


_HIT_FIELDS = tuple(f.name for f in fields(Hit))
_RESPONSE_FIELDS = tuple(f.name for f in fields(SearchResponse))


def make_hit(
    talk: Talk,
    row: int,
    fused: np.ndarray,
    scores: Scores,
    words: list[str],
    people: tuple[str, ...],
    passage_text: list[str],
    tokenizer: Tokenizer,
    detail: Detail = "full",
) -> Hit:
    full = detail == "full"
    snip, marks, best = "", [], -1
    if full:
        snip, marks = snippets.snippet(talk.abstract if talk.has_abstract else talk.title, words, tokenizer=tokenizer)
        best = int(scores.best_passage[row])
    return Hit(
        id=talk.id,
        title=talk.title,
        speaker=talk.speaker,
        affiliation=talk.affiliation,
        event=talk.event,
        event_name=talk.event_name,
        kind=talk.kind,
        session=talk.session,
        session_title=talk.session_title,
        date=talk.date,
        time=talk.time,
        room=talk.room,
        lang=talk_lang(talk),
        score=round(float(fused[row]), 4),
        dense=round(float(scores.dense[row]), 4),
        lexical=round(float(scores.lexical[row]), 4),
        snippet=snip,
        highlights=marks,
        best_sentence=passage_text[best] if best >= 0 else "",
        person_match=any(pid in talk.person_ids for pid in people),
        duplicate_of=talk.duplicate_of,
        title_highlights=snippets.spans(talk.title, words, tokenizer) if full else [],
    )
