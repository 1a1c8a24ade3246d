"""Build the corpus from the bundled sources: talks (with schedule joined), people, topics."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from corpus.crosscheck import NameDisagreement, key, pick_title
from corpus.csml_book import RawTalk, parse_invited, parse_sessions, split_sections
from corpus.csml_grid import SessionSlot, parse_grid
from corpus.dedupe import mark_duplicates
from corpus.lines import SourceError, Warnings, clean_lines, read_text
from corpus.models import EVENT_NAMES, Mention, Person, Talk, Topic
from corpus.organisation import parse_organisation
from corpus.people import resolve
from corpus.seminar import committee, parse_seminar, split_reporter
from corpus.studyplan import parse_topics
from corpus.text import has_cjk, language, squash, strip_placeholder

SOURCES_DIR = Path(__file__).parent / "sources"
# Which parser reads which bundled file. A file in sources/ not listed here is an error.
SOURCES: dict[str, tuple[str, str]] = {
    "000_cfc8a11176645b70.txt": ("csml", "csml2022"),
    "001_bc719c8b9138bfa4.txt": ("csml", "csml2024"),
    "002_5adfddca190b59b2.txt": ("csml", "csml2025"),
    "003_2368c3a7ca65c04c.txt": ("studyplan", ""),
    "004_e2ec0ed9fa6e5f64.txt": ("seminar", "seminar"),
}
# A signature each source must contain, so a wrong or truncated file is caught early.
SIGNATURES = {"csml": "分会报告", "studyplan": "选题范围", "seminar": "Reporter"}
_STRAY_NOTE = re.compile(r"\s*[（(][^()（）]*(?:标间|合住|单间|住宿|房间)[^()（）]*[)）]")


@dataclass
class Corpus:
    talks: list[Talk] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # book vs. grid disagreements, with what was kept

    def talk(self, talk_id: str) -> Talk | None:
        return next((t for t in self.talks if t.id == talk_id), None)

    def fingerprint(self) -> str:
        h = hashlib.sha256()
        for t in self.talks:
            h.update(repr(sorted(t.to_dict().items())).encode())
        return h.hexdigest()[:16]


def load(sources_dir: Path = SOURCES_DIR, extra: list[Talk] | None = None) -> Corpus:
    """Parse every bundled source; ``extra`` talks (user files) are joined before people are resolved."""
    warnings = Warnings()
    problems = Warnings()
    names: list[NameDisagreement] = []
    talks: list[Talk] = []
    mentions: list[Mention] = []
    topics: list[Topic] = []
    listed = set(SOURCES)
    present = {p.name for p in sources_dir.glob("*.txt")}
    for name in sorted(present - listed):
        raise SourceError(f"{sources_dir / name}: unrecognised source file; add it to corpus.build.SOURCES")
    for name, (kind, event) in SOURCES.items():
        path = sources_dir / name
        text = read_text(path)
        if SIGNATURES[kind] not in text:
            raise SourceError(f"{path}: does not look like a {kind} source (no {SIGNATURES[kind]!r} in it)")
        rel = f"corpus/sources/{name}"
        if kind == "csml":
            t, m = _csml(text, event, rel, warnings, problems, names)
            talks += t
            mentions += m
        elif kind == "seminar":
            t, m = _seminar(text, rel, warnings)
            talks += t
            mentions += m
        else:
            topics += parse_topics(clean_lines(text), rel, warnings)
    for t in extra or []:
        talks.append(t)
        mentions += [Mention(s, t.event, "speaker", t.affiliation, t.id, source=t.source) for s in t.speakers]
    _resolve_names(names, talks, mentions, problems)
    for t in talks:
        _finish(t)
    mark_duplicates(talks)
    people, owner = resolve(mentions, _homonyms(sources_dir))
    by_id = {t.id: t for t in talks}
    for i, m in enumerate(mentions):
        if m.talk_id and m.role == "speaker":
            talk = by_id[m.talk_id]
            if owner[i] not in talk.person_ids:
                talk.person_ids.append(owner[i])
    return Corpus(talks, people, topics, warnings.items, problems.items)


def _homonyms(sources_dir: Path) -> dict[str, list[str]]:
    path = sources_dir / "people.toml"
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"{path}: invalid TOML ({exc})") from None
    return {h["name"]: list(h["institutions"]) for h in data.get("homonym", [])}


def _finish(t: Talk) -> None:
    t.affiliation = _STRAY_NOTE.sub("", squash(t.affiliation))
    t.title = squash(t.title).rstrip("=").strip()
    t.abstract = strip_placeholder(t.abstract).lstrip("。，,.;；:： ")
    t.has_abstract = bool(t.abstract)
    t.title_lang = language(t.title)
    t.abstract_lang = language(t.abstract) if t.abstract else ""
    if not t.speakers:
        t.speakers = [t.speaker] if t.speaker else []


def _csml(
    text: str, event: str, path: str, warnings: Warnings, problems: Warnings, names: list[NameDisagreement]
) -> tuple[list[Talk], list[Mention]]:
    year = int(event[-4:])
    lines = clean_lines(text)
    invited_lines, session_lines = split_sections(lines)
    if not session_lines:
        raise SourceError(f"{path}: no session-talk section (分会报告) found")
    raw = parse_invited(invited_lines, path, warnings) + parse_sessions(
        session_lines, path, warnings, "E" if year >= 2024 else ""
    )
    known = {r.speaker for r in raw}
    titles = "".join(re.sub(r"\s+", "", r.title) for r in raw)
    sessions, invited = parse_grid(text.splitlines(), year, known, titles)
    talks: list[Talk] = []
    mentions: list[Mention] = []
    for r in raw:
        talk = _talk_from_raw(r, event, path)
        if r.kind == "invited":
            slot = next((s for s in invited if s.speaker == r.speaker), None)
            if slot is None:
                warnings.add(path, r.line, f"invited talk by {r.speaker} not found in the schedule")
            else:
                talk.date, talk.time, talk.room, talk.chairs = slot.date, slot.time, slot.room, list(slot.chairs)
                talk.affiliation = talk.affiliation or slot.affiliation
        else:
            slot = sessions.get(r.session)
            if slot is None:
                warnings.add(path, r.line, f"session {r.session} of {r.code} not found in the schedule")
            else:
                talk.date, talk.time, talk.room, talk.chairs = slot.date, slot.time, slot.room, list(slot.chairs)
                talk.online = r.speaker in slot.online_speakers
                _cross_check(talk, r, slot, [x for x in raw if x.session == r.session], problems, names)
                if slot.student:
                    talk.kind = "student"
        talks.append(talk)
        mentions.append(Mention(talk.speaker, event, "speaker", talk.affiliation, talk.id, source=talk.source))
    for code, slot in sessions.items():
        for chair in slot.chairs:
            mentions.append(Mention(chair, event, "chair", "", source=f"{path}:{slot.line}", talk_id=""))
        if not any(t.session == code for t in talks):
            warnings.add(path, slot.line, f"session {code} in the schedule has no talks in the book")
        elif not slot.room:  # a source problem: its row was merged into another's (see csml_grid._merged_rows)
            problems.add(path, slot.line, f"session {code}: the schedule prints no room or chairs for it")
    for slot in invited:
        for chair in slot.chairs:
            mentions.append(Mention(chair, event, "chair", "", source=f"{path}:{slot.line}"))
    mentions += parse_organisation(lines, event, path)
    return talks, mentions


def _cross_check(
    talk: Talk, r: RawTalk, slot: SessionSlot, session: list[RawTalk], problems: Warnings, names: list[NameDisagreement]
) -> None:
    """Compare a book talk with its grid entry (same speaker, else same title): pick the title, note names."""
    path = talk.source.rsplit(":", 1)[0]
    speakers = {re.sub(r"\s+", "", x.speaker) for x in session}
    at = next((i for i, (n, _) in enumerate(slot.entries) if n == talk.speaker), None)
    if at is not None:
        grid_title = slot.entries[at][1]
        # a colon inside a title ('Friedrichs 学习: ...') reads like a new entry; rejoin entries of non-speakers
        joined = grid_title
        for name, title in slot.entries[at + 1 :]:
            if name in speakers:
                break
            joined += f"{name}：{title}"
            if key(joined) == key(r.title):
                grid_title = joined
        if grid_title and key(grid_title) != key(r.title):
            others = [x.title for x in session if x is not r]
            talk.title = pick_title(r.title, grid_title, r.abstract, others)
            kept = "grid" if talk.title == grid_title else "book"
            problems.add(
                path, r.line, f"{talk.id}: title {r.title!r} in the book, {grid_title!r} in the grid; kept the {kept}'s"
            )
        return
    for name, title in slot.entries:
        if name not in speakers and title and key(title) == key(r.title):
            names.append(NameDisagreement(talk.id, talk.speaker, name, talk.source, slot.line))
            return


def _resolve_names(
    names: list[NameDisagreement], talks: list[Talk], mentions: list[Mention], problems: Warnings
) -> None:
    """Take the reading of each disputed name that occurs elsewhere in the corpus (else the book's)."""
    by_id = {t.id: t for t in talks}
    for d in names:
        own = [m for m in mentions if m.talk_id == d.talk_id and m.role == "speaker"]
        elsewhere = [m.name for m in mentions if not (m.talk_id == d.talk_id and m.role == "speaker")]
        book, grid = d.book in elsewhere, d.grid in elsewhere
        take = d.grid if grid and not book else d.book
        why = "occurs elsewhere in the corpus" if book != grid else "neither reading occurs elsewhere in the corpus"
        if book and grid:
            why = "both readings occur elsewhere in the corpus"
        if take != d.book:
            by_id[d.talk_id].speaker = take
            for m in own:
                m.name = take
        path, line = d.where.rsplit(":", 1)
        problems.add(
            path,
            int(line),
            f"{d.talk_id}: speaker {d.book!r} in the book, {d.grid!r} in the grid (line {d.grid_line}); "
            f"kept {take!r} ({why})",
        )


def _talk_from_raw(r: RawTalk, event: str, path: str) -> Talk:
    return Talk(
        id=f"{event}-{r.code}",
        event=event,
        event_name=EVENT_NAMES[event],
        kind=r.kind,
        title=r.title,
        speaker=re.sub(r"\s+", "", r.speaker) if has_cjk(r.speaker) else r.speaker,
        affiliation=r.affiliation,
        abstract=r.abstract,
        bio=r.bio,
        session=r.session,
        session_title=r.session_title,
        source=f"{path}:{r.line}",
    )


def _seminar(text: str, path: str, warnings: Warnings) -> tuple[list[Talk], list[Mention]]:
    lines = clean_lines(text)
    talks: list[Talk] = []
    mentions: list[Mention] = []
    per_date: dict[str, int] = {}
    for r in parse_seminar(lines, path, warnings):
        per_date[r.date] = per_date.get(r.date, 0) + 1
        speakers = split_reporter(r.reporter, r.affiliation)
        talk = Talk(
            id=f"seminar-{r.date}-{per_date[r.date]}",
            event="seminar",
            event_name=EVENT_NAMES["seminar"],
            kind=r.kind,
            title=r.title,
            speaker=", ".join(s[0] for s in speakers),
            affiliation=speakers[0][2] if speakers else r.affiliation,
            abstract=r.abstract,
            bio=r.bio,
            date=r.date,
            time=r.time,
            source=f"{path}:{r.line}",
            speakers=[s[0] for s in speakers],
        )
        talks.append(talk)
        for name, latin, aff in speakers:
            mentions.append(Mention(name, "seminar", "speaker", aff, talk.id, latin=latin, source=talk.source))
    names, line = committee(lines)
    mentions += [Mention(n, "seminar", "committee", source=f"{path}:{line}") for n in names]
    return talks, mentions
