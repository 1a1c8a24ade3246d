"""Conflict-of-interest rules: who an exclusion removes, and why; never silently nothing.

An affiliation exclusion ('PKU', '北大', 'Tsinghua', '中科院') names institutions of the table
(corpus.institutions); it removes everyone with an affiliation at that institution or one of its
sub-units, and each removal carries the rule. An exclusion that names no institution falls back to
the printed text ('数学科学学院' removes whoever printed it); one that matches nobody becomes a
warning with the nearest names as suggestions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import Hamming

from corpus.models import Person
from corpus.text import has_cjk
from index.institutions import AMBIGUOUS, UNRESOLVED, InstitutionTable, Resolution, normalize, table
from search.notes import Note

SUGGEST_CUTOFF = 80  # rapidfuzz WRatio: 'Tsinghau' -> 'Tsinghua' scores 87, unrelated names below 75


@dataclass
class Excluded:
    """One person an exclusion removed, with the rule that removed them."""

    person_id: str
    name: str
    rule: str  # affiliation | name | speaker (the talk under review) | author
    value: str  # what was asked for ('Tsinghua', '许志钦') or the talk id
    reason: str  # human-readable: which alias of which institution, through which printed affiliation

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Exclusions:
    excluded: list[Excluded] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ids(self) -> set[str]:
        return {e.person_id for e in self.excluded}


class People:
    """People with their affiliations resolved once, for conflict checks."""

    def __init__(self, people: Iterable[Person], institutions: InstitutionTable | None = None) -> None:
        self.table = institutions or table()
        self.people = {p.id: p for p in people}

    @cached_property
    def resolutions(self) -> dict[str, list[Resolution]]:
        return {pid: self.table.resolve_person(p.affiliations) for pid, p in self.people.items()}

    def institutions(self, pid: str) -> set[str]:
        return {k for r in self.resolutions[pid] for k in r.institutions}

    def roots(self, pid: str) -> set[str]:
        """Top-level institutions of a person (a CAS institute -> 中国科学院), for conflicts."""
        return self._roots[pid]

    @cached_property
    def _roots(self) -> dict[str, set[str]]:
        return {pid: {self.table.root(k) for k in self.institutions(pid)} for pid in self.people}

    def unchecked(self, pid: str) -> list[str]:
        """Printed affiliations of a person that resolve to no institution (nothing to check them by)."""
        rs = self.resolutions[pid]
        if any(r.institutions for r in rs):
            return []
        return [r.text for r in rs if r.status in (AMBIGUOUS, UNRESOLVED)]

    # --- exclusions ------------------------------------------------------------------------------
    def by_affiliation(self, value: str) -> tuple[list[Excluded], str | None]:
        """People an affiliation exclusion removes, or a warning when it removes nobody."""
        out: list[Excluded] = []
        matches = self.table.find(value)
        for pid in sorted(self.people):
            reason = self._institution_reason(pid, matches) if matches else self._printed_reason(pid, value)
            if reason:
                out.append(Excluded(pid, self.people[pid].name, "affiliation", value, reason))
        if out:
            return out, None
        if matches:
            names = ", ".join(self.table.by_key[m.institution].label() for m in matches)
            return out, Note("nobody_there", value=value, names=names)
        names = self.table.names()
        hint = suggest(value, names.keys())
        if hint:
            hint = f"{hint} ({self.table.by_key[names[hint]].label()})" if hint != names[hint] else hint
        return out, Note("no_institution", value=value) + (Note("did_you_mean", hint=hint) if hint else "")

    def _institution_reason(self, pid: str, matches: list) -> str:
        for m in matches:
            inst = self.table.by_key[m.institution]
            for r in self.resolutions[pid]:
                hit = next((k for k in r.institutions if self.table.within(k, inst.key)), None)
                if hit is None:
                    continue
                key, more = ("inferred", {"source": r.inferred_from}) if r.inferred_from else ("institution", {})
                reason = Note(key, alias=m.alias, label=inst.label(), text=r.text, hit=hit, **more)
                return reason + (Note("part_of", unit=inst.zh) if hit != inst.key else "")
        return ""

    def _printed_reason(self, pid: str, value: str) -> str:
        want = normalize(value)
        if len(want) < 2:
            return ""
        for aff in self.people[pid].affiliations:
            if want in normalize(aff):
                return Note("printed", value=value, aff=aff)
        return ""


def by_name(names: Any, people: dict[str, Person], value: str) -> tuple[list[Excluded], str | None]:
    """People a name exclusion removes (every written form: 许志钦, Zhi-Qin John Xu, xuzhiqin)."""
    found, _ = names.find(" ".join(value.casefold().split()))
    out = [Excluded(pid, people[pid].name, "name", value, Note("is_name_of", value=value, name=people[pid].name))
           for pid in sorted(found) if pid in people]  # fmt: skip
    if out:
        return out, None
    written = {n: p.name for p in people.values() for n in (p.name, *p.aliases)}
    hint = suggest_name(value, written)
    hint = f"{hint} ({written[hint]})" if hint and written[hint] != hint else hint
    return [], Note("no_name", value=value) + (Note("did_you_mean", hint=hint) if hint else "")


def suggest(value: str, candidates: Iterable[str], scorer: Any = fuzz.WRatio) -> str:
    """The nearest candidate (rapidfuzz), or '' when none is near."""
    best = process.extractOne(
        value, sorted(set(candidates)), scorer=scorer, processor=utils.default_process, score_cutoff=SUGGEST_CUTOFF
    )
    return best[0] if best else ""


def suggest_name(value: str, candidates: Iterable[str]) -> str:
    """The nearest written name, words in any order ('Xu Zhiqni' -> 'Zhiqin Xu'). WRatio's partial
    matching would rate every short name sharing a surname as near ('Hui Xu' 85.5 like 'Zhiqin Xu').

    A Chinese name of two to four characters with one character wrong (许志琴 for 许志钦) scores
    only 67-75, so it is suggested when exactly one Chinese name of its length differs from it in
    one character (two or more such names: no guess)."""
    value = value.strip()
    if has_cjk(value):
        near = {c for c in candidates if len(c) == len(value) and Hamming.distance(c, value) == 1 and has_cjk(c)}
        return near.pop() if len(near) == 1 else ""
    return suggest(value, candidates, fuzz.token_sort_ratio)
