"""Institutions: which institution a printed affiliation names, in any script or short form.

The table (``data/institutions.toml``, format described at its top) lists every institution of
the corpus with its Chinese and English names, aliases, abbreviations and parent. ``resolve``
finds the institutions an affiliation names, longest name first, so that
'中国科学院数学与系统科学研究院' is that institute (whose parent is 中国科学院) and
'The Chinese University of Hong Kong, Shenzhen' is not also 'University of Hong Kong'.

An affiliation that names only a school or department ('数学科学学院') is *ambiguous*: it is
resolved from the same person's other affiliations where there are any (``resolve_person``), and
never guessed from the venue.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from corpus.errors import TalksearchError
from corpus.text import CJK, has_cjk

TABLE_PATH = Path(__file__).parent / "data" / "institutions.toml"
RESOLVED, AMBIGUOUS, UNRESOLVED, IGNORED = "resolved", "ambiguous", "unresolved", "ignored"
# Parts of an affiliation: '数学科学学院/上海交通大学', '北京大学，国际机器学习研究中心'.
_PART_SEP = re.compile(r"[；;、/，,|()（）\s]+")
# What a school, department or centre printed without its university looks like.
_UNIT = re.compile(r"(学院|学系|系|研究院|研究所|研究中心|中心|实验室|school|department|faculty|college|institute)$")
_GAP = re.compile(rf"\s+(?=[{CJK}()])|(?<=[{CJK}()])\s+")
_DOTS = str.maketrans({"•": "·", "・": "·", "‧": "·", "∙": "·"})


class InstitutionTableError(TalksearchError):
    """The institution table is malformed: the message names the entry and what to fix."""


def normalize(text: str) -> str:
    """NFKC, case-folded, one blank between Latin words, none around Chinese text or brackets."""
    text = unicodedata.normalize("NFKC", text).translate(_DOTS).casefold()
    text = re.sub(r"\s+", " ", text).strip()
    return _GAP.sub("", text)


@dataclass(frozen=True)
class Institution:
    zh: str
    en: str
    aliases: tuple[str, ...] = ()
    short: tuple[str, ...] = ()
    parent: str = ""

    @property
    def key(self) -> str:
        return self.zh

    def label(self) -> str:
        return self.zh if self.zh == self.en else f"{self.zh} ({self.en})"


@dataclass(frozen=True)
class Match:
    institution: str  # key (zh) of the institution
    alias: str  # the name or abbreviation from the table that matched


@dataclass
class Resolution:
    """What one printed affiliation names."""

    text: str
    status: str  # resolved | ambiguous (a school only) | unresolved | ignored
    matches: list[Match] = field(default_factory=list)
    inferred_from: str = ""  # for an ambiguous affiliation: the person's affiliation it was resolved from
    note: str = ""

    @property
    def institutions(self) -> list[str]:
        return list(dict.fromkeys(m.institution for m in self.matches))


class InstitutionTable:
    def __init__(self, institutions: list[Institution], ignored: dict[str, str]) -> None:
        self.by_key = {i.key: i for i in institutions}
        self.ignored = {normalize(t): reason for t, reason in ignored.items()}
        anywhere: dict[str, tuple[str, str]] = {}  # normalized alias -> (key, alias as written)
        at_start: dict[str, tuple[str, str]] = {}
        for inst in institutions:
            for alias in (inst.zh, inst.en, *inst.aliases, *inst.short):
                chinese_short = alias in inst.short and has_cjk(alias)
                table = at_start if chinese_short else anywhere
                norm = normalize(alias)
                if norm in table and table[norm][0] != inst.key:
                    raise InstitutionTableError(
                        f"{TABLE_PATH.name}: {alias!r} is a name of both {table[norm][0]} and {inst.key}; "
                        "keep it under one institution"
                    )
                table[norm] = (inst.key, alias)
        self._anywhere = anywhere
        self._at_start = at_start
        self._pattern = _alternation(anywhere)
        self._start_pattern = re.compile("^(?:" + "|".join(map(re.escape, _longest_first(at_start))) + ")")

    @classmethod
    def load(cls, path: Path = TABLE_PATH) -> InstitutionTable:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise InstitutionTableError(f"{path}: cannot read the institution table: {exc}") from None
        institutions = []
        for n, entry in enumerate(data.get("institution", []), start=1):
            unknown = set(entry) - {"zh", "en", "aliases", "short", "parent"}
            if unknown or not entry.get("zh") or not entry.get("en"):
                extra = f"; unknown: {', '.join(sorted(unknown))}" if unknown else ""
                raise InstitutionTableError(
                    f"{path.name}: institution #{n} ({entry.get('zh') or entry.get('en') or '?'}) needs zh and en "
                    f"and may have aliases, short, parent{extra}"
                )
            institutions.append(
                Institution(
                    entry["zh"],
                    entry["en"],
                    tuple(entry.get("aliases", ())),
                    tuple(entry.get("short", ())),
                    entry.get("parent", ""),
                )
            )
        keys = [i.key for i in institutions]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise InstitutionTableError(f"{path.name}: {', '.join(dupes)} listed more than once")
        for inst in institutions:
            if inst.parent and inst.parent not in keys:
                raise InstitutionTableError(f"{path.name}: parent {inst.parent!r} of {inst.zh} is not in the table")
        ignored = {e["text"]: e.get("reason", "") for e in data.get("ignore", [])}
        return cls(institutions, ignored)

    # --- hierarchy --------------------------------------------------------------------------------
    def ancestors(self, key: str) -> list[str]:
        out, seen = [], {key}
        while (parent := self.by_key[key].parent) and parent not in seen:
            out.append(parent)
            seen.add(parent)
            key = parent
        return out

    def root(self, key: str) -> str:
        return ([key, *self.ancestors(key)])[-1]

    def within(self, key: str, scope: str) -> bool:
        """True when ``key`` is ``scope`` or one of its sub-units."""
        return key == scope or scope in self.ancestors(key)

    def names(self) -> dict[str, str]:
        """Every name and abbreviation as written in the table -> institution key (for suggestions)."""
        return {alias: key for key, alias in (*self._anywhere.values(), *self._at_start.values())}

    # --- resolution ------------------------------------------------------------------------------
    def find(self, text: str) -> list[Match]:
        """Institutions named in ``text``, most specific only (a sub-unit hides its parent)."""
        norm = normalize(text)
        found: list[Match] = []
        for m in self._pattern.finditer(norm):
            key, alias = self._anywhere[m.group(1)]
            found.append(Match(key, alias))
        for part in _PART_SEP.split(norm):
            m = self._start_pattern.match(part) if part and self._at_start else None
            if m and not any(normalize(x.alias) in part for x in found):
                key, alias = self._at_start[m.group(0)]
                found.append(Match(key, alias))
        keys = {m.institution for m in found}
        hidden = {a for k in keys for a in self.ancestors(k)}
        return list({m.institution: m for m in found if m.institution not in hidden}.values())

    def resolve(self, text: str) -> Resolution:
        norm = normalize(text)
        if norm in self.ignored:
            return Resolution(text, IGNORED, note=self.ignored[norm])
        matches = self.find(text)
        if matches:
            return Resolution(text, RESOLVED, matches)
        parts = [p for p in _PART_SEP.split(norm) if p]
        if parts and all(_UNIT.search(p) for p in parts):
            return Resolution(text, AMBIGUOUS, note="names a school or department but no institution")
        return Resolution(text, UNRESOLVED, note="not in the institution table")

    def resolve_person(self, affiliations: list[str]) -> list[Resolution]:
        """Each of a person's affiliations resolved; an ambiguous one borrows the institutions of
        the person's other affiliations (a school belongs to the university the person is at)."""
        out = [self.resolve(a) for a in affiliations]
        known = [r for r in out if r.status == RESOLVED]
        for r in out:
            if r.status == AMBIGUOUS and known:
                r.matches = [m for k in known for m in k.matches]
                r.inferred_from = "; ".join(k.text for k in known)
        return out


def _longest_first(names: dict[str, object]) -> list[str]:
    return sorted(names, key=lambda n: (-len(n), n))


def _alternation(names: dict[str, object]) -> re.Pattern[str]:
    """One regex for every name, longest first; Latin names only as whole words."""
    parts = []
    for name in _longest_first(names):
        escaped = re.escape(name)
        if not has_cjk(name):
            escaped = rf"(?<![a-z0-9]){escaped}(?![a-z0-9])"
        parts.append(escaped)
    return re.compile("(" + "|".join(parts) + ")")


@lru_cache(maxsize=1)
def table() -> InstitutionTable:
    """The bundled table, loaded once."""
    return InstitutionTable.load()


# --- the corpus's affiliations, audited --------------------------------------------------------------
@dataclass
class PersonResolution:
    person_id: str
    name: str
    institutions: list[str]
    inferred_from: str = ""


@dataclass
class Printed:
    """One printed affiliation of the corpus and what it resolves to, for each person who printed it."""

    text: str
    status: str  # of the text alone: resolved | ambiguous | unresolved | ignored
    institutions: list[str]  # of the text alone
    aliases: list[str]  # the table names that matched
    note: str
    people: list[PersonResolution]

    @property
    def unresolved_people(self) -> list[PersonResolution]:
        """People for whom this affiliation names no institution (ignored ones excepted)."""
        return [] if self.status == IGNORED else [p for p in self.people if not p.institutions]


def audit(people: list[Any], talks: list[Any], institutions: InstitutionTable | None = None) -> list[Printed]:
    """Every printed affiliation of the people and talks, resolved alone and per person
    (a school-only one through that person's other affiliations); sorted by text."""
    t = institutions or table()
    by_id = {p.id: p for p in people}
    printers: dict[str, dict[str, None]] = {}
    for p in people:
        for aff in p.affiliations:
            printers.setdefault(aff, {})[p.id] = None
    for talk in talks:
        if talk.affiliation:
            for pid in talk.person_ids or [""]:
                printers.setdefault(talk.affiliation, {})[pid] = None
    out = []
    for text in sorted(printers):
        alone = t.resolve(text)
        rows = []
        for pid in printers[text]:
            person = by_id.get(pid)
            if person is None:
                rows.append(PersonResolution(pid, pid, alone.institutions))
                continue
            affs = person.affiliations if text in person.affiliations else [*person.affiliations, text]
            mine = next(r for r in t.resolve_person(affs) if r.text == text)
            rows.append(PersonResolution(pid, person.name, mine.institutions, mine.inferred_from))
        out.append(Printed(text, alone.status, alone.institutions, [m.alias for m in alone.matches], alone.note, rows))
    return out


def unresolved_warning(printed: list[Printed], limit: int = 8) -> str:
    """One line for the build: the printed affiliations that name no institution, or ''."""
    bad = [p.text for p in printed if p.status == UNRESOLVED]
    if not bad:
        return ""
    shown = ", ".join(repr(b) for b in bad[:limit]) + (f" and {len(bad) - limit} more" if len(bad) > limit else "")
    return (
        f"{len(bad)} printed affiliation(s) name no institution of {TABLE_PATH.name}, so conflict-of-interest "
        f"checks cannot use them: {shown}; see `talksearch corpus institutions --problems`"
    )
