"""Expert finding: people ranked by the evidence of their talks (document-centric aggregation).

Each talk is scored for the topic by the same hybrid ranking as search; a person's score is a
weighted sum of their best talks (weights 1, 0.3, 0.1: the best talk counts most, breadth helps
a little; steeper weights measured better on the dev set than 1, 1/2, 1/4, which favour prolific
speakers over focused ones). Every ranked person carries the evidence (talks scored above zero),
their roles, and every exclusion is reported with its rule (search.affiliations).
"""

from __future__ import annotations

import weakref
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from corpus.models import Person
from corpus.text import has_cjk
from index.settings import ExpertSettings
from search import fusion
from search.affiliations import Excluded, Exclusions, People, by_name
from search.analysis import QueryAnalysis
from search.notes import Note
from search.person_scores import PersonTalks
from search.query import QueryError
from search.ranking import other_language
from search.related import talk_as_query, unknown_talk
from search.retrievers import Scores, TranslatedRetriever
from search.searcher import Searcher

TOP_WEIGHTS = ExpertSettings.top_weights
MIN_SCORE = ExpertSettings.min_score  # relative to the best talk: below this a person has no evidence worth showing
MIN_EVIDENCE = 0.005
_PEOPLE: weakref.WeakKeyDictionary[Searcher, People] = weakref.WeakKeyDictionary()


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
    label: str  # the name, with the institution for people who share a name: 林伟 (北京大学)
    latin: str  # the Latin-script name, where the corpus has one
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
    excluded: list[Excluded]
    warnings: list[str] = field(default_factory=list)
    strong_match: bool = True  # false: the best talk is only the least-bad answer (nonsense topic)
    topic: dict[str, str] | None = None  # for a topic id: id, title, description
    talk: dict[str, Any] | None = None  # for a talk id: id, title, speakers

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def aggregate(talk_scores: list[float]) -> float:
    """Weighted top-3 of a person's talk scores, best first."""
    best = sorted(talk_scores, reverse=True)[: len(TOP_WEIGHTS)]
    return float(sum(w * s for w, s in zip(TOP_WEIGHTS, best, strict=False)))


def people(engine: Searcher) -> People:
    """The engine's people with affiliations resolved, computed once per engine."""
    if engine not in _PEOPLE:
        _PEOPLE[engine] = People(engine.people.values())
    return _PEOPLE[engine]


@dataclass
class _Query:
    fused: np.ndarray
    scores: Scores | None
    source: str
    topic: dict[str, str] | None = None
    talk_row: int | None = None


# A long query (a topic's description, a talk, a pasted abstract) is reduced to its specific
# terms: each token once, and none that is generic in this corpus. A token is generic when it is
# found in more than GENERIC_DF of the talks, and a Chinese compound when its character bigrams are
# on average ('机器学习方法' = 机器 器学 学习 习方 方法, '人工智能'); 'large language model' is
# generic word by word.
GENERIC_DF = 0.2
LONG_QUERY = 80  # characters: a query longer than this is a description, not a few typed words
FOCUS = {"dedupe": True, "generic": True}  # switches for measuring each part
BIGRAM = "§"  # prefix of the lexical index's Chinese character bigrams (index.tokenize)


def idf_cutoff(n: int, share: float = GENERIC_DF) -> float:
    """The IDF (Lucene's formula, as index.lexical) of a token found in ``share`` of ``n`` talks."""
    df = share * n
    return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))


def specificity(engine: Searcher, token: str) -> float:
    """A token's IDF; for a Chinese word of three or more characters, at most the mean IDF of its
    character bigrams (a rare compound of common words is as generic as they are)."""
    lex = engine.bundle.lexical
    idf = lex.idf(token)
    if len(token) >= 3 and not token.startswith(BIGRAM) and has_cjk(token):
        bigrams = [BIGRAM + token[i : i + 2] for i in range(len(token) - 1)]
        idf = min(idf, float(np.mean([lex.idf(b) for b in bigrams])))
    return idf


def focus(engine: Searcher, analysis: QueryAnalysis) -> QueryAnalysis:
    """A long query's specific tokens, each once (short queries are left as they are)."""
    if len(analysis.text) <= LONG_QUERY or not analysis.tokens:
        return analysis
    tokens = list(dict.fromkeys(analysis.tokens)) if FOCUS["dedupe"] else list(analysis.tokens)
    if FOCUS["generic"]:
        cutoff = idf_cutoff(len(engine.talks))
        tokens = [t for t in tokens if specificity(engine, t) >= cutoff] or tokens
    return replace(analysis, tokens=tuple(tokens))


def _ranked(engine: Searcher, analysis: QueryAnalysis, vector: np.ndarray) -> tuple[np.ndarray, Scores]:
    """Fused talk scores; a long query reduced to its specific terms first."""
    analysis = focus(engine, analysis)
    scores = engine.scores(analysis, vector)
    return engine.rank(analysis, scores), scores


# Languages. A topic's description is long: its own-language talks match it word for word (each
# signal relative to the best talk), but the talks in the other language match only its
# translation, which for a long text is many loose word-by-word terms of which any one talk holds
# a small share (topic-3: 32 terms, 'face turn towards' among them; the best English talk held 27 %
# of them, and 8 of the 50 best talks were English against 208 English of 449). The title is the
# topic in a few words and translates as a short query does, so an other-language talk also
# takes the title's translated terms as its lexical share where that is higher.
BALANCE = {"title": True}  # switch for measuring


def _with_title_terms(
    engine: Searcher, title: str, analysis: QueryAnalysis, scores: Scores, fused: np.ndarray
) -> np.ndarray:
    """``fused`` with the other-language talks also scored against the translation of ``title``."""
    other = other_language(engine.talk_lang, analysis.lang)
    if not other.any():
        return fused
    short = engine.analyze(engine.parse(title).without_people(), text=title)
    if not short.translated_tokens:
        return fused
    signals = TranslatedRetriever(engine.bundle, engine.talk_lang).signals(short, scores.dense)
    w = engine.settings.fusion
    translated = fusion.translated_signal(
        signals["translated"], signals["translated_coverage"], short.translated_share, w
    )
    return fusion.with_other_terms(fused, scores.dense, translated, other, w)


def _talk_scores(engine: Searcher, query: str) -> _Query:
    """Hybrid score of every talk for the query: text, a topic id or a talk id."""
    topics = {t.id: t for t in engine.bundle.topics}
    if query in topics:
        topic = topics[query]
        text = f"{topic.title}。{topic.description}"
        analysis = engine.analyze(engine.parse(text).without_people(), text=text)
        fused, scores = _ranked(engine, analysis, engine.encode(text))
        if BALANCE["title"]:
            fused = _with_title_terms(engine, topic.title, analysis, scores, fused)
        return _Query(fused, scores, "topic", topic.to_dict())
    if query in engine.row:
        row = engine.row[query]
        analysis, scores = talk_as_query(engine, row)  # as related talks rank it
        return _Query(engine.rank(analysis, scores), None, "talk", talk_row=row)
    if query.startswith(("topic-", "csml", "seminar-")) and " " not in query.strip():
        raise (
            unknown_talk(engine, query)
            if not query.startswith("topic-")
            else QueryError(f"unknown topic {query!r}; topics are topic-1 .. topic-{len(topics)}")
        )
    analysis = engine.analyze(engine.parse(query).without_people())  # a name in a topic is part of the topic
    fused, scores = _ranked(engine, analysis, engine.encode(analysis.text))
    return _Query(fused, scores, "text")


def _confidence(engine: Searcher, scores: Scores | None, fused: np.ndarray) -> float:
    """The search's calibrated confidence in the best talk (>= 1: a strong match); 1 for a talk id."""
    if scores is None or not len(fused):
        return 1.0
    top = int(np.argmax(fused))
    strong = engine.settings.strong_for(engine.encoder_name)
    return max(float(scores.dense[top]) / strong.dense, float(scores.coverage[top]) / strong.coverage)


def exclusions(
    engine: Searcher, exclude_names: list[str], exclude_affiliations: list[str], talk_row: int | None = None
) -> Exclusions:
    """Everyone the request excludes, each with the rule; warnings for exclusions that match nobody."""
    found = Exclusions()
    if talk_row is not None:
        talk = engine.talks[talk_row]
        for pid in talk.person_ids:
            if pid in engine.people:
                found.excluded.append(
                    Excluded(
                        pid,
                        engine.people[pid].name,
                        "speaker",
                        talk.id,
                        Note("speaker", talk=talk.id, title=talk.title),
                    )
                )
    for value in exclude_names:
        removed, warning = by_name(engine.names, engine.people, value)
        found.excluded += removed
        found.warnings += [warning] if warning else []
    coi = people(engine)
    for value in exclude_affiliations:
        removed, warning = coi.by_affiliation(value)
        found.excluded += removed
        found.warnings += [warning] if warning else []
    return found


def find_experts(
    engine: Searcher,
    query: str,
    k: int = 10,
    exclude_names: list[str] = (),
    exclude_affiliations: list[str] = (),
    evidence: int = 3,
) -> ExpertResponse:
    engine.check_k(k)
    q = _talk_scores(engine, query)
    top = float(q.fused.max(initial=0.0)) or 1.0
    fused = q.fused / top
    excl = exclusions(engine, list(exclude_names), list(exclude_affiliations), q.talk_row)
    gone = excl.ids
    best = PersonTalks.of(engine).top(fused, TOP_WEIGHTS, MIN_SCORE, set(gone), k, evidence)  # = aggregate()
    experts = [
        _expert(engine, engine.people[pid], score, [(x, r) for x, r in talks if x >= MIN_EVIDENCE])
        for pid, score, talks in best
    ]  # a talk scored 0 (to 2 places) is no evidence
    confidence = _confidence(engine, q.scores, q.fused)
    strong = confidence >= 1.0
    found = q.scores is None or bool(q.scores.coverage.max(initial=0) or q.scores.translated_coverage.max(initial=0))
    if confidence < engine.settings.search.no_match_below or not (strong or found):  # as search: nothing
        excl.warnings.insert(0, Note("no_expert", query=query))
        experts = []
    elif not strong:
        excl.warnings.insert(0, Note("closest_people", query=query))
    if exclude_affiliations:
        coi = people(engine)
        unchecked = [f"{e.name} ({'; '.join(coi.unchecked(e.id))})" for e in experts if coi.unchecked(e.id)]
        if unchecked:
            excl.warnings.append(Note("unchecked", people=", ".join(unchecked)))
    talk = None
    if q.talk_row is not None:
        t = engine.talks[q.talk_row]
        talk = {"id": t.id, "title": t.title, "speakers": t.speakers, "speakers_excluded": True}
    return ExpertResponse(
        query=query,
        source=q.source,
        experts=experts,
        excluded=excl.excluded,
        warnings=excl.warnings,
        strong_match=strong,
        topic=q.topic,
        talk=talk,
    )


def label(engine: Searcher, person: Person) -> str:
    """'林伟 (北京大学)' for a person whose name another person shares, else the name."""
    if _name_counts(engine)[person.name] < 2:
        return person.name
    institutions = sorted(people(engine).institutions(person.id))
    where = institutions[0] if institutions else (person.affiliations[0] if person.affiliations else person.id)
    return f"{person.name} ({where})"


def latin_name(person: Person) -> str:
    """The person's Latin-script name, where the corpus has one."""
    return next((a for a in person.aliases if a.isascii()), person.name if person.name.isascii() else "")


_NAMES: weakref.WeakKeyDictionary[Searcher, Counter[str]] = weakref.WeakKeyDictionary()


def _name_counts(engine: Searcher) -> Counter[str]:
    if engine not in _NAMES:
        _NAMES[engine] = Counter(p.name for p in engine.people.values())
    return _NAMES[engine]


def _expert(engine: Searcher, person: Person, score: float, talks: list[tuple[float, int]]) -> Expert:
    latin = latin_name(person)
    return Expert(
        id=person.id,
        name=person.name,
        label=label(engine, person),
        latin=latin,
        aliases=person.aliases,
        affiliations=person.affiliations,
        score=round(score, 4),
        roles=person.roles,
        evidence=[
            Evidence(engine.talks[r].id, engine.talks[r].title, engine.talks[r].event, round(s, 4)) for s, r in talks
        ],
    )
