"""People scored by their talks, in numpy: the aggregation behind expert finding without a Python
loop over every person.

Every (person, talk) pair is an entry of two arrays built once per engine. Per query the pairs
whose talk scores above zero are sorted by person, score and row, each person's best few are
weighted and summed in that order (the same float operations, in the same order, as summing a
Python list), and only the people that can make the top k are returned.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from search.searcher import Searcher

_TABLES: weakref.WeakKeyDictionary[Searcher, PersonTalks] = weakref.WeakKeyDictionary()
ROUND = 4  # experts are compared by their score rounded to this many decimals, then by id


class PersonTalks:
    def __init__(self, ids: list[str], person_rows: dict[str, list[int]]) -> None:
        self.ids = ids
        self.index = {pid: i for i, pid in enumerate(ids)}
        pairs = [(i, r) for i, pid in enumerate(ids) for r in person_rows.get(pid, [])]
        arr = np.array(pairs, dtype=np.int64).reshape(-1, 2)
        self.person, self.talk = arr[:, 0], arr[:, 1]

    @classmethod
    def of(cls, engine: Searcher) -> PersonTalks:
        if engine not in _TABLES:
            _TABLES[engine] = cls(list(engine.people), engine.person_rows)
        return _TABLES[engine]

    def top(
        self,
        fused: np.ndarray,
        weights: tuple[float, ...],
        min_score: float,
        excluded: set[str],
        k: int,
        evidence: int,
    ) -> list[tuple[str, float, list[tuple[float, int]]]]:
        """The k best people as (id, score, their best ``evidence`` (score, row) talks), ranked by
        (-round(score, 4), id); a person's score is the weighted sum of their best talks."""
        s = fused[self.talk].astype(np.float64)
        keep = s > 0
        p, t, s = self.person[keep], self.talk[keep], s[keep]
        order = np.lexsort((-t, -s, p))  # per person: best score first, ties by higher row first
        p, t, s = p[order], t[order], s[order]
        first = np.ones(len(p), dtype=bool)
        first[1:] = p[1:] != p[:-1]
        rank = np.arange(len(p)) - np.maximum.accumulate(np.where(first, np.arange(len(p)), 0))
        w = np.zeros(len(p), dtype=np.float64)
        for i, weight in enumerate(weights):
            w[rank == i] = weight
        score = np.zeros(len(self.ids), dtype=np.float64)
        np.add.at(score, p, w * s)  # in order: 0 + w1*s1 + w2*s2 + w3*s3 + 0.0 ..., as sum() does
        for pid in excluded:
            if pid in self.index:
                score[self.index[pid]] = 0.0
        candidates = np.flatnonzero(score > min_score)
        if len(candidates) > k:  # all that may tie with the k-th after rounding
            kth = np.partition(score[candidates], len(candidates) - k)[len(candidates) - k]
            candidates = candidates[score[candidates] >= kth - 10.0**-ROUND]
        best = sorted(candidates.tolist(), key=lambda i: (-round(float(score[i]), ROUND), self.ids[i]))[:k]
        starts = np.flatnonzero(first)
        where = dict(zip(p[starts].tolist(), starts.tolist(), strict=True))
        out = []
        for i in best:
            j = where[i]
            n = min(evidence, int(np.searchsorted(p, i, side="right")) - j)
            out.append((self.ids[i], float(score[i]), [(float(s[x]), int(t[x])) for x in range(j, j + n)]))
        return out
