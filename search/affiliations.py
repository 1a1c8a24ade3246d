"""Affiliation matching for conflict-of-interest filters, across scripts and sub-units.

'北京大学数学科学学院', '北京大学', 'Peking University' and 'PKU' all name one institution.
"""

from __future__ import annotations

from corpus.people import institutions


def same_institution(a: str, b: str) -> bool:
    ka, kb = institutions(a), institutions(b)
    return any(x == y or (len(x) >= 4 and len(y) >= 4 and (x in y or y in x)) for x in ka for y in kb)


def affiliated(affiliations: list[str], excluded: list[str]) -> bool:
    return any(same_institution(a, e) for a in affiliations for e in excluded)
