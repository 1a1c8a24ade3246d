"""Parse the abstract sections of a CSML programme book: invited talks and session talks.

The schedule grid (dates, times, rooms, chairs) is parsed separately by ``csml_grid``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.lines import Line, Warnings
from corpus.text import CJK, join_lines

CN = CJK
TALK_HEAD = re.compile(r"^([A-F]\d{1,2}-\d{1,2})\s*(.*)$")
SESSION_HEAD = re.compile(r"(?:分会报告|学生分会)\s*([A-F]\d{1,2})\s*专题\s*[:：]?\s*(.*)$")
SESSION_SECTION = re.compile(r"^[一二三四五六七八九十]+、\s*分会报告")
INVITED_SECTION = re.compile(r"^[一二三四五六七八九十]+、\s*(?:大会)?邀请报告")
NAME = rf"[{CN}·]{{2,5}}|[A-Z][a-zA-Z\-]+(?: [A-Z][a-zA-Z\-]+){{1,3}}"
SPEAKER = re.compile(rf"^(?P<name>{NAME})\s*[,，、]\s*(?P<aff>.+)$")
TITLE_AND_SPEAKER = re.compile(rf"^(?P<title>.+?\S)\s+(?P<name>[{CN}]{{2,4}})\s*[,，]\s*(?P<aff>.+)$")
ABSTRACT_MARK = re.compile(r"^(?:(?:报告)?摘要|Abstract)\s*[:：]\s*", re.I)
BIO_MARK = re.compile(r"^(?:报告人)?简介\s*[:：]\s*")
TITLE_MARK = re.compile(r"^报告题目\s*[:：]\s*")
INVITED_ITEM = re.compile(rf"^(?:(\d+)\s*[.．、]\s*([{CN}]{{2,4}})|大会邀请报告([一二三四五六七八九十]+))\s*$")
PAREN_SPEAKER = re.compile(rf"^[（(]\s*([{CN}]{{2,4}})\s*[,，]\s*(.+?)\s*[)）]$")


@dataclass
class RawTalk:
    code: str
    kind: str
    title: str
    speaker: str
    affiliation: str
    abstract: str
    bio: str
    session: str
    session_title: str
    line: int
    title_lines: list[str] = field(default_factory=list)


def _strip_markers(text: str, mark: re.Pattern[str]) -> str:
    """Remove a marker and any doubled copies of it ("摘要: 摘要: ...")."""
    while True:
        new = mark.sub("", text, count=1).strip()
        if new == text:
            return text
        text = new


def _is_noise(line: Line) -> bool:
    """Page footers: a bare page number on a line of its own.

    A page number is known by its position only; a number inside a line of text is text
    ("包含 5 级台阶"), however lonely it stands.
    """
    return bool(re.fullmatch(r"[-–— ]*\d{1,3}[-–— ]*", line.text))


def split_sections(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """Return the invited-talk section and the session-talk section of a book."""
    invited_at = session_at = None
    for i, line in enumerate(lines):
        # The table of contents lists both headings too; a heading counts only once the
        # section's first record follows it, so the last match before the records wins.
        if INVITED_SECTION.match(line.text) and not re.search(r"\d+\s*$", line.text):
            invited_at = i
        elif SESSION_SECTION.match(line.text) and invited_at is not None and session_at is None:
            session_at = i
    if invited_at is None or session_at is None:
        return [], []
    return lines[invited_at + 1 : session_at], lines[session_at:]


def parse_invited(lines: list[Line], path: str, warnings: Warnings) -> list[RawTalk]:
    talks: list[RawTalk] = []
    blocks: list[tuple[Line, list[Line]]] = []
    for line in lines:
        if INVITED_ITEM.match(line.text):
            blocks.append((line, []))
        elif blocks:
            blocks[-1][1].append(line)
        else:
            warnings.add(path, line.no, f"text before the first invited talk ignored: {line.text[:40]!r}")
    for n, (head, body) in enumerate(blocks, start=1):
        m = INVITED_ITEM.match(head.text)
        assert m
        speaker = m.group(2) or ""
        affiliation = ""
        parts: dict[str, list[str]] = {"title": [], "bio": [], "abstract": []}
        current = "title"
        for line in body:
            text = line.text
            if _is_noise(line):
                continue
            if (p := PAREN_SPEAKER.match(text)) and not speaker:
                speaker, affiliation = p.group(1), p.group(2)
                current = "after-speaker"
                continue
            for name, mark in (("bio", BIO_MARK), ("title", TITLE_MARK), ("abstract", ABSTRACT_MARK)):
                if mark.match(text):
                    current, text = name, _strip_markers(text, mark)
                    break
            if current == "after-speaker":
                warnings.add(path, line.no, f"unplaced line in invited talk: {text[:40]!r}")
                continue
            parts[current].append(text)
        title = join_lines(parts["title"])
        if not title or not speaker:
            warnings.add(path, head.no, "invited talk without title or speaker")
        talks.append(
            RawTalk(
                code=f"INV-{n}",
                kind="invited",
                title=title,
                speaker=speaker,
                affiliation=affiliation,
                abstract=join_lines(parts["abstract"]),
                bio=join_lines(parts["bio"]),
                session="",
                session_title="",
                line=head.no,
            )
        )
    return talks


def parse_sessions(lines: list[Line], path: str, warnings: Warnings, student_letters: str) -> list[RawTalk]:
    talks: list[RawTalk] = []
    session, session_title_lines = "", []
    state = "none"  # none | session-title | title | abstract
    current: RawTalk | None = None
    abstract_lines: list[str] = []

    def finish() -> None:
        nonlocal current
        if current is None:
            return
        current.title = join_lines(current.title_lines)
        current.abstract = join_lines(abstract_lines)
        if not current.speaker:
            warnings.add(path, current.line, f"talk {current.code} has no speaker line")
        talks.append(current)
        current = None

    for line in lines:
        text = line.text
        if _is_noise(line):
            continue
        if m := SESSION_HEAD.search(text):
            finish()
            session, session_title_lines, state = m.group(1), [m.group(2)], "session-title"
            continue
        if m := TALK_HEAD.match(text):
            finish()
            code, rest = m.group(1), m.group(2).strip()
            if not code.startswith(session or "?"):
                warnings.add(path, line.no, f"talk {code} outside its session heading ({session or 'none'})")
                session = code.split("-")[0]
                session_title_lines = []
            stitle = join_lines(session_title_lines)
            current = RawTalk(
                code=code,
                kind="student" if code[0] in student_letters else "session",
                title="",
                speaker="",
                affiliation="",
                abstract="",
                bio="",
                session=session,
                session_title=stitle,
                line=line.no,
            )
            abstract_lines = []
            if ts := TITLE_AND_SPEAKER.match(rest):
                current.title_lines = [ts.group("title")]
                current.speaker, current.affiliation = ts.group("name"), ts.group("aff").strip()
                state = "abstract"
            else:
                current.title_lines = [rest] if rest else []
                state = "title"
            continue
        if state == "session-title":
            session_title_lines.append(text)
        elif state == "title" and current is not None:
            if sp := SPEAKER.match(text):
                current.speaker, current.affiliation = sp.group("name"), sp.group("aff").strip()
                state = "abstract"
            elif ABSTRACT_MARK.match(text):
                warnings.add(path, line.no, f"talk {current.code}: abstract before any speaker line")
                abstract_lines.append(_strip_markers(text, ABSTRACT_MARK))
                state = "abstract"
            else:
                current.title_lines.append(text)
        elif state == "abstract" and current is not None:
            abstract_lines.append(_strip_markers(text, ABSTRACT_MARK))
        else:
            if not SESSION_SECTION.match(text):
                warnings.add(path, line.no, f"line outside any talk: {text[:40]!r}")
    finish()
    return talks
