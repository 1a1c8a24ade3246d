"""The engine: the one object the web app, the CLI, batch runs and the evaluation talk to.

``Engine`` offers what the product needs — search, related talks, experts, a talk, a person,
topics, health — over a verified index. The stages behind it (parse, analyse, retrieve, fuse,
rerank, results) live in their own modules under search/ and are reached through ``searcher``
only by the search package itself and its tests.

The names re-exported here (result types, Filters, QueryError) are what callers may import.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

import index.jieba_load  # noqa: F401 - jieba reads its dictionary cache in one piece (0.6 s of a cold start)
from corpus.errors import TalksearchError
from corpus.models import Person, Talk, Topic
from index.bundle import IndexBundle, current_fingerprint
from index.encoders import Encoder, get_encoder
from index.settings import Settings
from index.store import Store
from search.experts import Expert, ExpertResponse, find_experts
from search.query import Filters, QueryError, unknown_id
from search.related import related
from search.results import Detail, Hit, SearchResponse
from search.searcher import Searcher

__all__ = [
    "Engine",
    "Expert",
    "ExpertResponse",
    "Filters",
    "Hit",
    "NotFound",
    "QueryError",
    "SearchResponse",
    "Settings",
    "TalksearchError",
    "unknown_id",
]


class NotFound(QueryError):
    """An unknown talk or person id (the web app answers 404)."""


def _warm_encoder(name: str, cache_dir: Path) -> Encoder:
    encoder = get_encoder(name, threads=1, cache_dir=cache_dir)  # one short query per call: one BLAS thread
    encoder.encode_queries(["warm up"])
    return encoder


class Engine:
    def __init__(self, bundle: IndexBundle, encoder: Encoder | None = None, settings: Settings | None = None) -> None:
        self.searcher = Searcher(bundle, encoder, settings)

    @classmethod
    def open(cls, store: Store, encoder: Encoder | None = None, settings: Settings | None = None) -> Engine:
        """Load and verify the index in ``store`` (stale or mismatched: StoreError).

        The encoder's weights load in a second thread while the index is read: the two are the
        bulk of a cold start and mostly wait on I/O and numpy, not on each other.
        """
        fingerprint = current_fingerprint(store)
        with ThreadPoolExecutor(max_workers=2) as pool:
            loader = None
            if encoder is None:
                loader = pool.submit(_warm_encoder, store.manifest()["encoder"]["name"], store.root / "cache")
            bundle = store.read_index(expect_fingerprint=fingerprint)
            segmenter = pool.submit(bundle.tokenizer.tokens, "预热 warm up")  # loads jieba's dictionary
            engine = cls(bundle, encoder or loader.result(), settings)
            segmenter.result()
        return engine

    def with_settings(self, overrides: list[str]) -> Engine:
        """The same index and encoder with some settings overridden (``fusion.dense=0.4``)."""
        s = self.searcher
        return Engine(s.bundle, s.encoder, s.settings.override(overrides))

    # --- what the product asks -------------------------------------------------------------------
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
        """Ranked talks for a query in Chinese, English or both (``method``: hybrid or a baseline).

        ``detail="ranking"`` builds only what a run file needs: the same hits, scores, total and
        strong match, without snippets, highlights, best sentences, facets or a spelling suggestion.
        """
        return self.searcher.search(query, k=k, filters=filters, offset=offset, sort=sort, method=method, detail=detail)

    def related(self, talk_id: str, k: int = 5, other_events: bool = False) -> list[Hit]:
        """Talks like ``talk_id``: never itself or its duplicate, a few per speaker at most."""
        return related(self.searcher, talk_id, k=k, other_events=other_events)

    def experts(
        self,
        query: str,
        k: int = 10,
        exclude_names: list[str] = (),
        exclude_affiliations: list[str] = (),
    ) -> ExpertResponse:
        """People ranked by their talks on a topic: free text, a topic id or a talk id."""
        return find_experts(self.searcher, query, k, list(exclude_names), list(exclude_affiliations))

    def assign(self, submissions: list, per_submission: int = 3, max_load: int = 4, pool: list[str] | None = None):
        """Reviewers for a set of submissions: optimal under load limits, conflicts excluded."""
        from search.assign import assign

        return assign(self.searcher, submissions, per_submission, max_load, pool)

    def talk(self, talk_id: str) -> Talk:
        row = self.searcher.row.get(talk_id)
        if row is None:
            raise NotFound(str(unknown_id(talk_id, list(self.searcher.row))))
        return self.searcher.talks[row]

    def person(self, person_id: str) -> Person:
        person = self.searcher.people.get(person_id)
        if person is None:
            raise NotFound(f"unknown person id {person_id!r}")
        return person

    def person_talks(self, person_id: str) -> list[Talk]:
        person = self.person(person_id)
        return [self.searcher.talks[self.searcher.row[t]] for t in person.talk_ids if t in self.searcher.row]

    def topics(self) -> list[Topic]:
        return list(self.searcher.bundle.topics)

    def layout(self) -> np.ndarray | None:
        """The topic map: (talks, 2) coordinates in [0, 1] in the order of ``talks()`` (None: not built)."""
        return self.searcher.bundle.layout

    def talks(self) -> list[Talk]:
        return list(self.searcher.talks)

    def people(self) -> list[Person]:
        return list(self.searcher.people.values())

    def events(self) -> frozenset[str]:
        """The event ids a filter may name."""
        return frozenset(self.searcher.events)

    def sessions(self) -> frozenset[str]:
        """The session codes a filter may name."""
        return frozenset(self.searcher.sessions)

    @property
    def encoder(self) -> Encoder:
        """The query encoder (loaded on first use); a reloaded index with the same encoder reuses it."""
        return self.searcher.encoder

    @property
    def encoder_name(self) -> str:
        return self.searcher.encoder_name

    @property
    def settings(self) -> Settings:
        return self.searcher.settings

    @property
    def max_k(self) -> int:
        return self.searcher.settings.search.max_k

    def check_k(self, k: int) -> None:
        self.searcher.check_k(k)

    def health(self) -> dict[str, Any]:
        m = self.searcher.bundle.manifest
        return {
            "status": "ok",
            "index_loaded": True,
            "counts": m.get("counts", {}),
            "encoder": m.get("encoder", {}),
            "index_type": m.get("index_type"),
            "built_at": m.get("built_at"),
            "fingerprint": m.get("corpus_fingerprint"),
            "index_fingerprint": m.get("manifest_checksum"),  # which build is served (changes on every rebuild)
        }
