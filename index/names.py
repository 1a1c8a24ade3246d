"""Every written form of every person's name, computed at build time (pypinyin is slow to load)."""

from __future__ import annotations

from corpus.models import Person
from corpus.people import latin_keys, pinyin_keys
from corpus.text import has_cjk
from index.tokenize import fold


def name_table(people: list[Person]) -> dict[str, dict[str, list[str]]]:
    """{"cjk": {许志钦: [ids]}, "latin": {xuzhiqin / zhiqinxu / zhiqinjohnxu ...: [ids]}}."""
    cjk: dict[str, set[str]] = {}
    latin: dict[str, set[str]] = {}
    for p in people:
        for name in [p.name, *p.aliases]:
            if has_cjk(name):
                cjk.setdefault(fold(name).replace(" ", ""), set()).add(p.id)
                for key in pinyin_keys(name):
                    latin.setdefault(key, set()).add(p.id)
            else:
                for key in latin_keys(name):
                    latin.setdefault(key, set()).add(p.id)
    return {
        "cjk": {k: sorted(v) for k, v in cjk.items() if len(k) >= 2},
        "latin": {k: sorted(v) for k, v in latin.items()},
    }
