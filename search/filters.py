"""Filters, facets and orderings as numpy arrays built once at load.

A filter value becomes a boolean mask the first time it is asked for (then cached), facets are
counts of integer codes, and ties and date order use integer ranks computed once: nothing per
query loops over all talks in Python.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from corpus.models import Talk
from search.query import Filters, NameIndex
from search.relevance import placeholders

FACETS = ("event", "year", "kind", "lang", "session")


def talk_lang(t: Talk) -> str:
    return t.abstract_lang or t.title_lang


def _facet_value(t: Talk, name: str) -> str:
    if name == "event":
        return t.event
    if name == "kind":
        return t.kind
    if name == "lang":
        return talk_lang(t)
    if name == "year":
        return t.date[:4]
    return f"{t.event}:{t.session}" if t.session else ""


class Codes:
    """One column of talk attributes as integer codes (``values[code]`` is the text)."""

    def __init__(self, column: list[str]) -> None:
        self.values = sorted(set(column))
        lookup = {v: i for i, v in enumerate(self.values)}
        self.codes = np.array([lookup[v] for v in column], dtype=np.int32)

    def mask(self, wanted: list[str]) -> np.ndarray:
        codes = [self.values.index(v) for v in wanted if v in self.values]
        return np.isin(self.codes, codes)


class TalkTable:
    """The talks' filterable columns, facets and sort ranks."""

    def __init__(self, talks: list[Talk], names: NameIndex, person_rows: dict[str, list[int]]) -> None:
        self.talks = talks
        self.names = names
        self.person_rows = person_rows
        self.n = len(talks)
        self.columns = {
            "events": Codes([t.event for t in talks]),
            "years": Codes([t.date[:4] for t in talks]),
            "kinds": Codes([t.kind for t in talks]),
            "langs": Codes([talk_lang(t) for t in talks]),
            "sessions": Codes([t.session for t in talks]),
        }
        self.facets = {name: Codes([_facet_value(t, name) for t in talks]) for name in FACETS}
        self.placeholder = placeholders(talks)
        ids = np.array([t.id for t in talks])
        self.id_rank = _ranks(np.argsort(ids, kind="stable"))
        # Newest day first, and within a day by start time (then id): the order of the programme.
        days = np.unique(np.array([t.date for t in talks]), return_inverse=True)[1]
        starts = np.array([_start_minute(t.time) for t in talks])
        self.date_rank = _ranks(np.lexsort((ids, starts, -days)))

    def mask(self, f: Filters) -> np.ndarray:
        mask = np.ones(self.n, dtype=bool)
        for name in self.columns:
            wanted = getattr(f, name)
            if wanted:
                mask &= self._column_mask(name, tuple(wanted))
        if f.speakers:
            mask &= self._speaker_mask(tuple(f.speakers))
        return mask

    @lru_cache(maxsize=512)  # noqa: B019 - one table per engine, kept for its lifetime
    def _column_mask(self, name: str, wanted: tuple[str, ...]) -> np.ndarray:
        return self.columns[name].mask(list(wanted))

    @lru_cache(maxsize=512)  # noqa: B019
    def _speaker_mask(self, wanted: tuple[str, ...]) -> np.ndarray:
        """Talks by a person named in any written form, or whose printed speaker contains the text."""
        mask = np.zeros(self.n, dtype=bool)
        for name in wanted:
            found, _ = self.names.find(re.sub(r"\s+", " ", name.casefold()))
            for pid in found:
                mask[self.person_rows.get(pid, [])] = True
        printed = np.array([any(w in t.speaker for w in wanted) for t in self.talks], dtype=bool)
        return mask | printed

    def order(self, rows: np.ndarray, fused: np.ndarray, sort: str) -> np.ndarray:
        """Rows best first (ties by id), or newest day first, by time within a day."""
        if sort == "date":
            return rows[np.argsort(self.date_rank[rows], kind="stable")]
        return rows[np.lexsort((self.id_rank[rows], -fused[rows]))]

    def facet_counts(self, order: np.ndarray) -> dict[str, dict[str, int]]:
        """Counts per facet value over the ranked rows, values in order of first appearance."""
        out: dict[str, dict[str, int]] = {}
        for name, col in self.facets.items():
            codes = col.codes[order]
            counts = np.bincount(codes, minlength=len(col.values))
            uniq, first = np.unique(codes, return_index=True)
            out[name] = {col.values[c]: int(counts[c]) for c in uniq[np.argsort(first)] if col.values[c]}
        return out


def _start_minute(time: str) -> int:
    """'13:30-15:30' -> 810; untimed talks after the timed ones of their day."""
    m = re.match(r"\s*(\d{1,2}):(\d{2})", time or "")
    return int(m.group(1)) * 60 + int(m.group(2)) if m else 24 * 60


def _ranks(order: np.ndarray) -> np.ndarray:
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(len(order))
    return ranks
