"""Parse the schedule grid of a CSML programme book: date, time, room and chairs per session.

The grid is a table flattened by PDF extraction: cells separated by tabs (2024, 2025) or one
cell per line (2022), rows wrapped over several lines, rooms split across cells. The parser
walks it once, tracking the current date and time slot, and cuts it into one chunk per
session code ("A1 专题") or invited talk ("邀请报告").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from corpus.text import CJK, squash, strip_markup

CN = CJK
GRID_START = re.compile(r"^[一二三四五六七八九十]+、\s*会议日程")
DATE = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
TIME = re.compile(r"(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})")
SESSION_CODE = re.compile(r"(?<![A-Za-z0-9])([A-F]\d)\s*专题")
INVITED = re.compile(r"邀请报告[一二三四五六七八九十]*")
BREAK = re.compile(r"茶歇|午餐|晚餐|签到|致辞|合影|圆桌论坛|开场")
ENTRY_START = re.compile(rf"^\s*([{CN}](?:\s*[{CN}]){{1,3}})\s*[：:]")
ONLINE = re.compile(r"[（(]\s*线\s*上\s*[)）]")
NAME_LINE = re.compile(rf"^[{CN}]{{2,4}}$")
INVITED_SPEAKER = re.compile(rf"(?:^|\s)([{CN}]{{2,4}})\s*[（(]([^()（）]*(?:[（(][^()（）]*[)）][^()（）]*)*)[)）]")


@dataclass
class Chunk:
    kind: str  # session | invited
    code: str
    date: str
    time: str
    line: int
    content: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)
    name_lines: list[tuple[int, str]] = field(default_factory=list)
    last_talk_line: int = -1
    student: bool = False  # printed as '学生分会 E1 专题'


@dataclass
class SessionSlot:
    code: str
    date: str = ""
    time: str = ""
    room: str = ""
    chairs: list[str] = field(default_factory=list)
    chair_text: list[str] = field(default_factory=list)
    online_speakers: set[str] = field(default_factory=set)
    student: bool = False
    line: int = 0
    entries: list[tuple[str, str]] = field(default_factory=list)  # (speaker, title) as the grid prints them


@dataclass
class InvitedSlot:
    speaker: str
    affiliation: str
    date: str
    time: str
    room: str
    chairs: list[str]
    line: int


def grid_lines(raw_lines: list[str]) -> list[tuple[int, str]]:
    """The lines of the schedule section, 1-based numbers kept, markup stripped, tabs kept."""
    out: list[tuple[int, str]] = []
    inside = False
    for no, raw in enumerate(raw_lines, start=1):
        text = strip_markup(raw).rstrip()
        if GRID_START.match(text.strip()) and not re.search(r"\d\s*$", text):
            inside = True
            continue
        if (
            inside
            and re.match(r"^\s*[一二三四五六七八九十]+、\s*(?:大会)?邀请报告", text)
            and not re.search(r"\d\s*$", text)
        ):
            break
        if inside and text.strip():
            out.append((no, text))
    return out


def _room(text: str) -> str:
    flat = re.sub(r"\s+", "", text)
    if m := re.search(r"会场(\d+)", flat):
        building = re.search(r"楼(\d{3})", flat)
        return f"会场{m.group(1)}" + (f"（陈瑞球楼{building.group(1)}）" if building else "")
    if m := re.search(r"(观湖|映塔)([A-D])会议室", flat):
        return f"{m.group(1)}{m.group(2)}会议室"
    if m := re.search(r"友谊宫(聚英厅|\d+号(?:会议室)?)", flat):
        room = m.group(1)
        return f"友谊宫{room}" + ("会议室" if room.endswith("号") else "")
    if m := re.search(r"(陈瑞球楼\d{3}会议室|陈瑞球楼\d{3}|B1群英宴会厅|群英宴会厅)", flat):
        return m.group(1)
    return ""


def _is_room_text(text: str) -> bool:
    return bool(re.search(r"会场|会议室|宴会厅|陈瑞球|楼\s*\d|友谊宫|二层|^\s*\d+\s*号", text))


def split_names(text: str, known: set[str]) -> list[str]:
    """Split chair text such as '周栋焯李松挺' or '王涵 王磊' into names, preferring known names."""
    names: list[str] = []
    for part in re.split(r"[\s、，,]+", ONLINE.sub("", text)):
        part = part.strip()
        if len(part) < 2 or not re.fullmatch(rf"[{CN}]+", part) or re.search("厅|会议|会场|楼", part):
            continue
        names.extend(_split_glued(part, known))
    return names


def _split_glued(s: str, known: set[str]) -> list[str]:
    if len(s) <= 3 or s in known:
        return [s]
    best: list[str] | None = None
    best_score = -1

    # Every split into 2- or 3-character names; score = how many pieces are known names.
    def walk(rest: str, acc: list[str]) -> None:
        nonlocal best, best_score
        if not rest:
            score = sum(p in known for p in acc) * 10 - len(acc)
            if score > best_score:
                best, best_score = list(acc), score
            return
        for n in (2, 3, 4):
            if len(rest) >= n:
                walk(rest[n:], [*acc, rest[:n]])

    walk(s, [])
    return best or [s]


class _Walker:
    """Walks the grid lines once, cutting them into chunks and tracking date and time slot."""

    def __init__(self, year: int, titles: str) -> None:
        self.year = year
        self.titles = titles
        self.chunks: list[Chunk] = []
        self.current: Chunk | None = None
        self.pending: list[Chunk] = []
        self.date = ""
        self.time = ""
        self.time_kind = ""
        self.plenary_rooms: dict[str, str] = {}

    def walk(self, lines: list[tuple[int, str]]) -> list[Chunk]:
        for idx, (no, line) in enumerate(lines):
            nxt = lines[idx + 1][1] if idx + 1 < len(lines) else ""
            self._line(no, line, nxt)
        return self.chunks

    def _line(self, no: int, line: str, nxt: str) -> None:
        stripped = line.strip()
        if m := DATE.match(re.sub(r"\s+", "", stripped)):
            self.date = f"{self.year}-{int(m.group(1)):02d}-{int(m.group(2)):02d}"
            self.pending.clear()
            self.current = None
            return
        first_cell = stripped.split("\t")[0]
        times = TIME.findall(first_cell) if TIME.match(first_cell) else []
        if not times and (m := TIME.search(stripped)) and stripped.endswith(m.group(0)):
            times = [m.groups()]  # a time printed at the end of a row ("董彬 B1 群英宴会厅 8:45-9:30")
            line = line[: line.rindex(m.group(0))]
        if times:
            self._time(stripped, nxt, times)
        marks = sorted(
            [(m.start(), "session", m.group(1)) for m in SESSION_CODE.finditer(line)]
            + [(m.start(), "invited", "") for m in INVITED.finditer(line)]
        )
        if not marks:
            self._feed(line)
            return
        self._feed(line[: marks[0][0]])
        ends = [pos for pos, _, _ in marks[1:]] + [len(line)]
        invited_times = list(times) if self.time_kind == "invited" else []
        for (pos, kind, code), end in zip(marks, ends, strict=True):
            slot_time = self.time if self.time_kind in ("session", "invited") else ""
            if kind == "invited" and invited_times:
                slot_time = "-".join(invited_times.pop(0))
            chunk = Chunk(kind, code, self.date, slot_time, no)
            chunk.student = bool(re.search(r"学生分会\s*$", line[:pos]))
            if kind == "session" and self.time_kind != "session":
                self.pending.append(chunk)
            self.chunks.append(chunk)
            self.current = chunk
            self._feed(line[pos:end])

    def _time(self, stripped: str, nxt: str, times: list[tuple[str, str]]) -> None:
        if BREAK.search(stripped):
            self.time_kind = "break"
            self.current = None
        elif INVITED.search(stripped) or (not SESSION_CODE.search(stripped) and INVITED.search(nxt)):
            self.time_kind = "invited"
        else:
            self.time_kind = "session"
        self.time = "-".join(times[-1] if self.time_kind == "invited" else times[0])
        if self.time_kind == "invited" and len(times) > 1:
            self.time = "-".join(times[0])
        if self.time_kind == "session":
            for chunk in self.pending:
                chunk.time = self.time
            self.pending.clear()

    def _continues_title(self, chunk: Chunk, flat: str) -> bool:
        """'应研究' after '...滑移反' is the end of a wrapped title, not a chair's name."""
        if not chunk.content:
            return False
        tail = re.sub(r"\s+", "", chunk.content[-1])[-6:]
        return bool(self.titles) and (tail + flat) in self.titles

    def _feed(self, text: str) -> None:
        if not text.strip("\t "):
            return
        chunk = self.current
        if chunk is None:
            room = _room(text)
            if room and self.date not in self.plenary_rooms:
                self.plenary_rooms[self.date] = room
            return
        cells = text.split("\t")
        if len(cells) > 1:
            if TIME.match(cells[0].strip()) or not cells[0].strip():
                cells = cells[1:]
            if cells:
                chunk.content.append(TIME.sub("", cells[0]))
                chunk.cells.extend(c.strip() for c in cells[1:] if c.strip())
            return
        text = text.strip()
        flat = squash(ONLINE.sub("", text))
        if ENTRY_START.match(text) or INVITED.search(text) or SESSION_CODE.search(text):
            chunk.content.append(text)
            chunk.last_talk_line = len(chunk.content) - 1
        elif _is_room_text(text):
            chunk.cells.append(text)
        elif NAME_LINE.match(flat) and not self._continues_title(chunk, flat):
            chunk.name_lines.append((len(chunk.content), flat))
            chunk.content.append(text)
        else:
            chunk.content.append(text)


def parse_grid(
    raw_lines: list[str], year: int, known_names: set[str], titles: str = ""
) -> tuple[dict[str, SessionSlot], list[InvitedSlot]]:
    """Session and invited-talk slots; ``titles`` (all talk titles, blanks removed) tells
    wrapped title ends from chair names."""
    lines = grid_lines(raw_lines)
    sessions: dict[str, SessionSlot] = {}
    invited: list[InvitedSlot] = []
    walker = _Walker(year, titles)
    for chunk in walker.walk(lines):
        chair_cells = [_without_room(c) for c in chunk.cells if not TIME.fullmatch(c.strip())]
        name_lines = [n for i, n in chunk.name_lines if i > chunk.last_talk_line]
        chairs: list[str] = []
        for text in chair_cells + name_lines:
            for name in split_names(text, known_names):
                if name not in chairs:
                    chairs.append(name)
        room = _room(" ".join(c for c in chunk.cells if _is_room_text(c))) or _room(
            " ".join(chunk.cells + chunk.content)
        )
        if chunk.kind == "session":
            slot = sessions.setdefault(chunk.code, SessionSlot(chunk.code, line=chunk.line))
            slot.date = slot.date or chunk.date
            slot.time = slot.time or chunk.time
            slot.room = slot.room or room
            slot.chairs += [c for c in chairs if c not in slot.chairs]
            slot.student = slot.student or chunk.student
            slot.online_speakers |= _online_speakers(chunk.content)
            chair_lines = {i for i, _ in chunk.name_lines if i > chunk.last_talk_line}
            talk_lines = [t for i, t in enumerate(chunk.content) if i not in chair_lines]
            slot.entries += grid_entries(talk_lines, {re.sub(r"\s+", "", n) for n in known_names})
        else:
            m = INVITED_SPEAKER.search(INVITED.sub(" ", " ".join(chunk.content)))
            if m:
                room = room or walker.plenary_rooms.get(chunk.date, "")
                invited.append(InvitedSlot(m.group(1), m.group(2), chunk.date, chunk.time, room, chairs, chunk.line))
    _inherit(invited)
    _merged_rows(list(sessions.values()))
    _inherit(list(sessions.values()))
    return sessions, invited


def _merged_rows(slots: list[SessionSlot]) -> None:
    """Parallel sessions on one line are table rows the extraction merged (CSML 2024 D1 and D2): the
    chairs and room printed at the line's end are the first row's; the others' were not printed."""
    by_line: dict[int, list[SessionSlot]] = {}
    for slot in slots:
        by_line.setdefault(slot.line, []).append(slot)
    for group in by_line.values():
        first, *rest = group
        for other in (s for s in rest if _parallel(first, s)):
            first.room = first.room or other.room
            first.chairs += [c for c in other.chairs if c not in first.chairs]
            other.room, other.chairs = "", []


def _parallel(a: SessionSlot | InvitedSlot, b: SessionSlot | InvitedSlot) -> bool:
    """Two sessions in the same time slot of the same day: they cannot share a room."""
    return isinstance(a, SessionSlot) and bool(a.date) and (a.date, a.time) == (b.date, b.time)


def _inherit(slots: list) -> None:
    """Slots printed in one merged cell (same line or same date block) share room and chairs, but
    parallel sessions (same date and time) never do: a line holding two of them is a table row the
    extraction merged, and its room and chairs belong to one only (the other's are not printed)."""
    for a, b in [*pairwise(slots), *((b, a) for a, b in pairwise(slots))]:
        together = (a.line == b.line and not _parallel(a, b)) or (isinstance(a, InvitedSlot) and a.date == b.date)
        if together and not a.room and b.room:
            a.room = b.room
        if together and not a.chairs and b.chairs:
            a.chairs = list(b.chairs)


ENTRY_NAME = re.compile(rf"([{CN}](?:\s*[{CN}])*)\s*[：:]")


def grid_entries(content: list[str], known: set[str]) -> list[tuple[str, str]]:
    """The talks of a session cell as (speaker, title): 'NAME：title' entries, wrapped or glued
    ('...新现象林伟: A Statistical...'). A name glued to the end of the previous title is cut at the
    longest known name; an unknown name counts only when it stands alone (2-4 characters)."""
    text = " ".join(s.strip() for s in content)
    cuts: list[tuple[int, int, str]] = []
    for m in ENTRY_NAME.finditer(text):
        run = re.sub(r"\s+", "", m.group(1))
        if run.endswith("专题"):
            continue
        name = next((run[-n:] for n in (4, 3, 2) if len(run) >= n and run[-n:] in known), "")
        if not name and 2 <= len(run) <= 4:
            name = run
        if not name:
            continue
        start = m.start(1) + _offset(m.group(1), len(run) - len(name))
        cuts.append((start, m.end(), name))
    out: list[tuple[str, str]] = []
    for (_, end, name), nxt in zip(cuts, [c[0] for c in cuts[1:]] + [len(text)], strict=False):
        title = re.sub(r"\s*学生分会\s*$", "", text[end:nxt])  # the label of the next session's cell
        out.append((name, squash(ONLINE.sub("", title)).strip()))
    return out


def _offset(s: str, chars: int) -> int:
    """Position in ``s`` after ``chars`` non-blank characters."""
    seen = 0
    for i, ch in enumerate(s):
        if seen == chars:
            return i
        seen += not ch.isspace()
    return len(s)


def _online_speakers(content: list[str]) -> set[str]:
    """Speakers whose grid entry ('NAME：title', possibly wrapped) carries （线上）."""
    online: set[str] = set()
    speaker, text = "", ""
    for line in content:
        if m := ENTRY_START.match(line):
            if speaker and ONLINE.search(text):
                online.add(speaker)
            speaker, text = re.sub(r"\s+", "", m.group(1)), line
        else:
            text += line.strip()
    if speaker and ONLINE.search(text):
        online.add(speaker)
    return online


def _without_room(cell: str) -> str:
    """A cell such as '董彬 B1 群英宴会厅' holds a chair name before the room."""
    cell = re.sub(
        r"(会场\s*\d+|陈瑞球|楼\s*\d+|会议室|B1|群英宴会厅|友谊宫\S*|\d+\s*号|（二层）|观湖\s*[A-D]|映塔\s*[A-D])",
        " ",
        cell,
    )
    return TIME.sub(" ", cell)
