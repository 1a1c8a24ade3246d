"""The search pipeline over one loaded index: parse -> analyse -> retrieve -> fuse -> rerank -> results.

Internal to the search package: related talks and experts build on it, the product talks to
``search.engine.Engine``.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, cached_property

import numpy as np

from corpus.models import Person, Talk
from index.bundle import IndexBundle
from index.encoders import Encoder, get_encoder
from index.settings import Settings
from search import relevance, snippets
from search.analysis import QueryAnalysis, analyze
from search.filters import TalkTable, talk_lang
from search.query import Filters, NameIndex, ParsedQuery, QueryError, parse
from search.ranking import METHODS, Reranker, fused_scores
from search.results import DETAILS, Detail, Hit, SearchResponse, make_hit
from search.retrievers import Retriever, Scores, collect, default_retrievers
from search.suggest import Speller


class Searcher:
    def __init__(self, bundle: IndexBundle, encoder: Encoder | None = None, settings: Settings | None = None) -> None:
        self.bundle = bundle
        self.settings = settings or Settings.from_dict(bundle.manifest.get("settings"))
        self.talks: list[Talk] = bundle.talks
        self.people: dict[str, Person] = {p.id: p for p in bundle.people}
        self.row = bundle.talk_row()
        self._encoder = self._checked(encoder) if encoder is not None else None
        self.names = NameIndex(bundle.names)
        self.talk_lang = np.array([talk_lang(t) for t in self.talks])
        self.person_rows: dict[str, list[int]] = {}
        for i, t in enumerate(self.talks):
            for pid in t.person_ids:
                self.person_rows.setdefault(pid, []).append(i)
        self.table = TalkTable(self.talks, self.names, self.person_rows)
        self.retrievers: list[Retriever] = default_retrievers(bundle, self.settings.search, self.talk_lang)
        self.rerankers: list[Reranker] = []

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = self._checked(get_encoder(self.encoder_name, threads=1))
        return self._encoder

    def _checked(self, encoder: Encoder) -> Encoder:
        """The encoder, if its vectors have the index's dimension (else the dot product would fail later)."""
        if encoder.dimension != self.bundle.vectors.d:
            from index.store import StoreError

            raise StoreError(
                f"the index holds vectors of dimension {self.bundle.vectors.d}, but the encoder its manifest names "
                f"({self.encoder_name!r}) gives {encoder.dimension}: the manifest was edited or the index is "
                "damaged; run `talksearch build`"
            )
        return encoder

    @property
    def encoder_name(self) -> str:
        return self.bundle.manifest.get("encoder", {}).get("name", "")

    @cached_property
    def events(self) -> set[str]:
        return {t.event for t in self.talks}

    @cached_property
    def speller(self) -> Speller:
        return Speller(self.talks, self.people.values())

    @cached_property
    def sessions(self) -> set[str]:
        return {t.session for t in self.talks if t.session}

    def rows_of(self, people: Iterable[str]) -> list[int]:
        """The rows of these people's talks."""
        return [r for p in people for r in self.person_rows.get(p, [])]

    def check_k(self, k: int) -> None:
        if not 1 <= k <= self.settings.search.max_k:
            raise QueryError(f"k must be between 1 and {self.settings.search.max_k}, got {k}")

    # --- stages ----------------------------------------------------------------------------------
    def parse(self, text: str) -> ParsedQuery:
        return parse(text, self.names, self.settings.search.max_query_chars)

    def analyze(self, parsed: ParsedQuery, translate: bool = True, text: str | None = None) -> QueryAnalysis:
        return analyze(parsed, self.bundle, self.settings.search, translate, text)

    def encode(self, text: str) -> np.ndarray:
        return self.encoder.encode_queries([text[: self.settings.search.max_dense_chars]])

    def scores(self, query: QueryAnalysis, vector: np.ndarray | None = None) -> Scores:
        return collect(self.retrievers, query, self.encode(query.text) if vector is None else vector)

    def rank(self, query: QueryAnalysis, scores: Scores, method: str = "hybrid") -> np.ndarray:
        fused = fused_scores(method, query, scores, self.settings.fusion, self.talk_lang, self.person_rows)
        for reranker in self.rerankers:
            fused = reranker.rerank(query, scores, fused)
        return fused

    def hit(
        self, row: int, fused: np.ndarray, scores: Scores, words: list[str], query: QueryAnalysis,
        detail: Detail = "full",
    ) -> Hit:  # fmt: skip
        return make_hit(
            self.talks[row],
            row,
            fused,
            scores,
            words,
            query.parsed.people,
            self.bundle.passage_text,
            self.bundle.tokenizer,
            detail,
        )

    # --- a whole search --------------------------------------------------------------------------
    def search(
        self,
        query: str,
        k: int = 10,
        filters: Filters | None = None,
        offset: int = 0,
        sort: str = "relevance",
        method: str = "hybrid",
        detail: Detail = "full",
    ) -> SearchResponse:
        self.check_k(k)
        if offset < 0:
            raise QueryError(f"offset must be 0 or more, got {offset}")
        if sort not in ("relevance", "date"):
            raise QueryError(f"sort must be 'relevance' or 'date', got {sort!r}")
        if method not in METHODS:
            raise QueryError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
        if detail not in DETAILS:
            raise QueryError(f"detail must be one of {', '.join(DETAILS)}, got {detail!r}")
        filters = filters or Filters()
        filters.validate(self.events, self.sessions)
        parsed = self.parse(query)
        if method != "hybrid":  # single-method baselines see the raw query: no names, no translation
            parsed = parsed.without_people()
        analysis = self.analyze(parsed, translate=method == "hybrid")
        scores = self.scores(analysis)
        fused = self.rank(analysis, scores, method)
        cutoff = self.settings.search.relevance_cutoff * fused.max(initial=0.0)
        rows = np.flatnonzero(self.table.mask(filters) & (fused > cutoff))
        order = self.table.order(rows, fused, "relevance")
        top = int(order[0]) if len(order) else -1
        tokenizer = self.bundle.tokenizer
        words = cache(lambda: snippets.terms(parsed.rest or parsed.folded, tokenizer, list(analysis.translations)))
        confidence = self.confidence(scores, top, parsed)
        found = bool(parsed.people) or bool(scores.coverage.max(initial=0) or scores.translated_coverage.max(initial=0))
        title_matches = lambda r: bool(snippets.spans(self.talks[r].title, words(), tokenizer))  # noqa: E731
        if method == "hybrid":  # the baselines' scores are not calibrated for the cutoff
            order = relevance.matching(order, fused, confidence, self.settings.search, self.table.placeholder,
                                       title_matches, words_found=found)  # fmt: skip
        if parsed.people and not parsed.rest:  # a name alone: that person's talks, not talks that read like it
            order = order[np.isin(order, self.rows_of(parsed.people))]
        if sort == "date":  # only the matches, so the weak tail never comes first
            order = self.table.order(order, fused, "date")
        full = detail == "full"
        shown = order[offset : offset + k]
        hits = [self.hit(int(i), fused, scores, words() if full else [], analysis, detail) for i in shown]
        return SearchResponse(
            query=parsed.text,
            lang=parsed.lang,
            total=len(order),
            offset=offset,
            k=k,
            strong_match=confidence >= 1.0,
            confidence=round(confidence, 3),
            hits=hits,
            people=[{"id": p, "name": self.people[p].name} for p in parsed.people if p in self.people],
            translations=list(analysis.translations),
            facets=self.table.facet_counts(order) if full else {},
            suggestion=self.speller.suggestion(parsed.text) if full else None,
        )

    def confidence(self, scores: Scores, top: int, parsed: ParsedQuery) -> float:
        """>= 1 when the best hit is a strong match (thresholds calibrated per encoder), else below 1."""
        if top < 0:
            return 0.0
        if parsed.people and top in self.rows_of(parsed.people):
            return 1.0 + float(scores.dense[top])
        strong = self.settings.strong_for(self.encoder_name)
        return max(float(scores.dense[top]) / strong.dense, float(scores.coverage[top]) / strong.coverage)
