"""Every written form of every person's name, computed at build time (pypinyin is slow to load)."""

from __future__ import annotations

import re
import unicodedata

from corpus.models import Person
from corpus.people import latin_keys, pinyin_keys
from corpus.text import has_cjk
from index.tokenize import fold


def name_table(people: list[Person]) -> dict[str, dict[str, list[str]]]:
    """{"cjk": {许志钦: [ids]}, "latin": {xuzhiqin / zhiqinxu / zhiqinjohnxu ...: [ids]},
    "readings": {应: [ying], ...}, "latin_only": {lexing-ying: []}}.

    People printed only in Latin letters (Lexing Ying) are found by the Chinese form of their name
    (应乐兴) through ``readings``: the pinyin of every character whose reading occurs in their names.
    """
    cjk: dict[str, set[str]] = {}
    latin: dict[str, set[str]] = {}
    for p in people:
        for name in [p.name, *p.aliases]:
            if has_cjk(name):
                cjk.setdefault(fold(name).replace(" ", ""), set()).add(p.id)
                for key in pinyin_keys(name):
                    latin.setdefault(key, set()).add(p.id)
            else:
                for key in latin_keys(name) | _family_name_first(name):
                    latin.setdefault(key, set()).add(p.id)
    latin_only = [p for p in people if not any(has_cjk(n) for n in [p.name, *p.aliases])]
    return {
        "cjk": {k: sorted(v) for k, v in cjk.items() if len(k) >= 2},
        "latin": {k: sorted(v) for k, v in latin.items()},
        "readings": _readings({k for p in latin_only for n in [p.name, *p.aliases] for k in latin_keys(n)}),
        "latin_only": {p.id: [] for p in latin_only},
    }


def _family_name_first(name: str) -> set[str]:
    """'Lexing Ying' as a Chinese reader writes it, family name first: 'yinglexing'."""
    words = [w for w in re.split(r"[\s\-.]+", name.casefold()) if w]
    return {words[-1] + "".join(words[:-1])} if len(words) >= 2 else set()


def _readings(keys: set[str]) -> dict[str, list[str]]:
    """Toneless pinyin of every Chinese character with a reading that occurs inside one of ``keys``."""
    from pypinyin.pinyin_dict import pinyin_dict

    pieces = {k[i:j] for k in keys for i in range(len(k)) for j in range(i + 1, min(len(k), i + 6) + 1)}
    out: dict[str, list[str]] = {}
    for code, marked in pinyin_dict.items():
        readings = {_toneless(r) for r in marked.split(",")}
        if readings & pieces:
            out[chr(code)] = sorted(readings)
    return out


def _toneless(reading: str) -> str:
    """'lǜ' -> 'lu' (names print ü as u), 'yīng' -> 'ying'."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", reading) if not unicodedata.combining(c))
    return plain.replace("ü", "u").replace("v", "u")
