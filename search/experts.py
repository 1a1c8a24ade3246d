"""Expert finding: people ranked by the evidence of their talks (document-centric aggregation).

Each talk is scored for the topic by the same hybrid ranking as search; a person's score is a
weighted sum of their best talks (weights 1, 0.3, 0.1: the best talk counts most, breadth helps
a little; steeper weights measured better on the dev set than 1, 1/2, 1/4, which favour prolific
speakers over focused ones). Every ranked person carries the evidence: which talks, which scores,
and their roles.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from corpus.models import Person
from search.affiliations import affiliated
from search.engine import Engine, check_k
from search.query import QueryError, parse
from search.related import talk_as_query, unknown_talk

TOP_WEIGHTS = (1.0, 0.3, 0.1)


@dataclass
class Evidence:
    talk_id: str
    title: str
    event: str
    score: float


@dataclass
class Expert:
    id: str
    name: str
    aliases: list[str]
    affiliations: list[str]
    score: float
    roles: list[dict[str, str]]
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ExpertResponse:
    query: str
    source: str  # text | topic | talk
    experts: list[Expert]
    excluded: list[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def aggregate(talk_scores: list[float]) -> float:
    """Weighted top-3 of a person's talk scores, best first."""
    best = sorted(talk_scores, reverse=True)[: len(TOP_WEIGHTS)]
    return float(sum(w * s for w, s in zip(TOP_WEIGHTS, best, strict=False)))


def _talk_scores(engine: Engine, query: str) -> tuple[np.ndarray, str, set[str]]:
    """Hybrid score of every talk for the query: text, a topic id or a talk id."""
    topics = {t.id: t for t in engine.bundle.topics}
    if query in topics:
        topic = topics[query]
        text = f"{topic.title}。{topic.description}"
        parsed = parse(text, engine.names)
        parsed.people = []
        return engine.rank(parsed, engine.scores(parsed, text=text)), "topic", set()
    if query in engine.row:
        row = engine.row[query]
        parsed, scores = talk_as_query(engine, row)
        # The speakers of the talk under review are not its reviewers.
        return engine.rank(parsed, scores), "talk", set(engine.talks[row].person_ids)
    if query.startswith(("topic-", "csml", "seminar-")) and " " not in query.strip():
        raise (
            unknown_talk(engine, query)
            if not query.startswith("topic-")
            else QueryError(f"unknown topic {query!r}; topics are topic-1 .. topic-{len(topics)}")
        )
    parsed = parse(query, engine.names)
    parsed.people = []  # a name in a topic is part of the topic, not a filter
    parsed.rest = parsed.folded
    return engine.rank(parsed, engine.scores(parsed)), "text", set()


def find_experts(
    engine: Engine,
    query: str,
    k: int = 10,
    exclude_names: list[str] = (),
    exclude_affiliations: list[str] = (),
    evidence: int = 3,
) -> ExpertResponse:
    check_k(k)
    fused, source, conflicted = _talk_scores(engine, query)
    top = float(fused.max(initial=0.0)) or 1.0
    fused = fused / top
    excluded_ids = set(conflicted)
    for name in exclude_names:
        found, _ = engine.names.find(name.casefold())
        if not found:
            raise QueryError(f"--exclude-name {name!r} names nobody in the corpus")
        excluded_ids |= set(found)
    per_person: dict[str, list[tuple[float, int]]] = {}
    for pid, rows in engine.person_rows.items():
        per_person[pid] = sorted(((float(fused[r]), r) for r in rows), reverse=True)
    experts: list[Expert] = []
    for pid, person in engine.people.items():
        if pid in excluded_ids or affiliated(person.affiliations, list(exclude_affiliations)):
            continue
        talks = per_person.get(pid, [])
        score = aggregate([s for s, _ in talks])
        if score <= 0.05:
            continue
        experts.append(_expert(engine, person, score, talks[:evidence]))
    experts.sort(key=lambda e: (-e.score, e.name))
    return ExpertResponse(query=query, source=source, experts=experts[:k], excluded=sorted(excluded_ids))


def _expert(engine: Engine, person: Person, score: float, talks: list[tuple[float, int]]) -> Expert:
    return Expert(
        id=person.id,
        name=person.name,
        aliases=person.aliases,
        affiliations=person.affiliations,
        score=round(score, 4),
        roles=person.roles,
        evidence=[
            Evidence(engine.talks[r].id, engine.talks[r].title, engine.talks[r].event, round(s, 4)) for s, r in talks
        ],
    )
