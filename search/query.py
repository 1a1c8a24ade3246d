"""Understanding a query: folding, language, the people it names, filters."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from corpus.errors import TalksearchError
from corpus.models import KINDS, LANGS
from corpus.text import CJK, language
from index.settings import SearchSettings
from index.tokenize import fold

MAX_QUERY_CHARS = SearchSettings.max_query_chars


class QueryError(TalksearchError, ValueError):
    """A query or parameter the engine cannot answer: the message says what to change."""


def unknown_id(talk_id: str, ids: list[str]) -> QueryError:
    """'unknown talk id', with the nearest ids as suggestions."""
    import difflib

    near = difflib.get_close_matches(talk_id, ids, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(near)}?" if near else "; `talksearch corpus export` lists all ids"
    return QueryError(f"unknown talk id {talk_id!r}{hint}")


@dataclass
class Filters:
    events: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    langs: list[str] = field(default_factory=list)
    sessions: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    years: list[str] = field(default_factory=list)

    def validate(self, known_events: set[str], known_sessions: set[str]) -> None:
        for name, values, allowed in (
            ("event", self.events, known_events),
            ("kind", self.kinds, set(KINDS)),
            ("lang", self.langs, set(LANGS)),
        ):
            bad = [v for v in values if v not in allowed]
            if bad:
                raise QueryError(f"unknown {name} {bad[0]!r}; choose from {', '.join(sorted(allowed))}")
        bad_sessions = [s for s in self.sessions if s not in known_sessions]
        if bad_sessions:
            raise QueryError(f"unknown session {bad_sessions[0]!r}; sessions look like A1, B3 (name the event too)")
        bad_years = [y for y in self.years if not re.fullmatch(r"(19|20)\d\d", y)]
        if bad_years:
            raise QueryError(f"year {bad_years[0]!r} is not a four-digit year")


@dataclass(frozen=True)
class ParsedQuery:
    """A query as typed, understood: never changed after parsing (later stages derive new objects)."""

    text: str
    folded: str
    lang: str
    people: tuple[str, ...]  # ids of people the query names
    rest: str  # the query without the names

    def without_people(self) -> ParsedQuery:
        """The whole query as words: a name in a topic is part of the topic, not a filter."""
        return ParsedQuery(self.text, self.folded, self.lang, (), self.folded)


class NameIndex:
    """Every written form of every person: 许志钦, Xu Zhiqin, Zhiqin Xu, Zhi-Qin John Xu, xuzhiqin.

    The table is built with the index (index.names) and saved in it.
    """

    def __init__(self, table: dict[str, dict[str, list[str]]]) -> None:
        self.cjk = table.get("cjk", {})
        self.latin = table.get("latin", {})
        self.readings = table.get("readings", {})
        self.latin_only = set(table.get("latin_only", {}))
        # Longest name first, as the lookup tries them; found by the query's substrings, not by a
        # pass over every name (which grows with the corpus: 15k names at 100k talks).
        self._order = {name: i for i, name in enumerate(sorted(self.cjk, key=len, reverse=True))}
        self._lengths = sorted({len(n) for n in self.cjk})

    def _cjk_in(self, text: str, after: int) -> list[str]:
        """CJK names that are substrings of ``text`` and come after position ``after``, in order."""
        compact = text.replace(" ", "")
        found = {compact[i : i + n] for n in self._lengths for i in range(len(compact) - n + 1)}
        return sorted((n for n in found if self._order.get(n, -1) > after), key=self._order.__getitem__)

    def _by_reading(self, run: str) -> list[str]:
        """People printed only in Latin letters whose name this Chinese name spells (应乐兴 -> Lexing Ying)."""
        if not 2 <= len(run) <= 4 or any(c not in self.readings for c in run):
            return []
        found: list[str] = []
        for combo in itertools.islice(itertools.product(*(self.readings[c] for c in run)), 64):
            for key in (combo[0] + "".join(combo[1:]), "".join(combo[1:]) + combo[0]):
                found += [p for p in self.latin.get(key, []) if p in self.latin_only and p not in found]
        return found

    def find(self, folded: str) -> tuple[list[str], str]:
        """People named in the query, and the query with those names removed."""
        found: list[str] = []
        rest = folded
        todo = self._cjk_in(rest, -1)
        while todo:  # = every name, longest first, that is in the query as it stands when its turn comes
            name = todo[0]
            found += [p for p in self.cjk[name] if p not in found]
            rest = re.sub(r"\s*".join(map(re.escape, name)), " ", rest)
            todo = self._cjk_in(rest, self._order[name])
        for run in re.findall(f"[{CJK}]+", rest):  # a whole run of characters: 应乐兴, not 模型 in 扩散模型
            people = self._by_reading(run)
            if people:
                found += [p for p in people if p not in found]
                rest = rest.replace(run, " ", 1)
        words = re.findall(r"[a-z]+(?:-[a-z]+)*", rest)
        # Latin names: windows of 2-4 words, hyphens and spaces ignored ("Zhi-Qin John Xu", "Lei Wu").
        for size in (4, 3, 2, 1):
            for i in range(len(words) - size + 1):
                window = words[i : i + size]
                key = "".join(w.replace("-", "") for w in window)
                if len(key) < 5 or key not in self.latin:
                    continue
                if size == 1 and "-" not in window[0] and not re.fullmatch(r"[a-z]{6,}", key):
                    continue
                found += [p for p in self.latin[key] if p not in found]
                rest = re.sub(r"\b" + r"\W+".join(map(re.escape, window)) + r"\b", " ", rest)
        return found, re.sub(r"\s+", " ", rest).strip()


def parse(text: str, names: NameIndex, max_chars: int = MAX_QUERY_CHARS) -> ParsedQuery:
    if not text or not text.strip():
        raise QueryError("empty query; type some words, a name or paste an abstract")
    if len(text) > max_chars:
        raise QueryError(f"query is {len(text)} characters; the limit is {max_chars}")
    folded = fold(text).strip()
    people, rest = names.find(folded)
    return ParsedQuery(text=text.strip(), folded=folded, lang=language(text), people=tuple(people), rest=rest)
