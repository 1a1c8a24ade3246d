"""Talks supplied by users as JSONL or CSV, validated field by field.

Schema (one talk per line / row; README.md documents it):
  required: event, code, title, speaker
  optional: kind, event_name, affiliation, abstract, bio, session, session_title,
            date (YYYY-MM-DD), time (HH:MM-HH:MM), room, chairs (list, or ';'-separated in CSV),
            online (true/false)
The talk id is ``<event>-<code>``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from corpus.errors import TalksearchError
from corpus.models import EVENT_NAMES, KINDS, Talk
from corpus.notes import Note

REQUIRED = ("event", "code", "title", "speaker")
OPTIONAL = (
    "kind", "event_name", "affiliation", "abstract", "bio", "session", "session_title",
    "date", "time", "room", "chairs", "online",
)  # fmt: skip
PATTERNS = {
    "event": (re.compile(r"^[a-z][a-z0-9]{1,31}$"), "lowercase letters and digits, e.g. csml2026"),
    "code": (re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-]{0,31}$"), "letters, digits and '-', e.g. A1-2"),
    "date": (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "YYYY-MM-DD"),
    "time": (re.compile(r"^\d{1,2}:\d{2}-\d{1,2}:\d{2}$"), "HH:MM-HH:MM"),
}
MAX_LEN = {"title": 500, "speaker": 200, "abstract": 20000, "bio": 10000}


class UserDataError(TalksearchError):
    """All problems of a user file, one per line: 'FILE:ROW: field X: what is wrong'."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def read_user_file(path: Path, existing_ids: Iterable[str] = ()) -> list[Talk]:
    """Parse and validate every row; raise UserDataError listing all bad rows, adding nothing."""
    try:
        text = utf8_text(path.read_bytes(), str(path))
    except FileNotFoundError:
        raise UserDataError([f"{path}: file not found"]) from None
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        rows = _jsonl_rows(text, str(path))  # one row at a time: a million rows are never all held as dicts
    elif suffix == ".csv":
        rows = _csv_rows(text)
    else:
        raise UserDataError([Note("at_file", name=str(path)) + Note("unknown_format", suffix=suffix or "(none)")])
    checked, problems = validated_rows(
        rows,
        str(path),
        validate_row,
        set(existing_ids),
        lambda i: f"field id: talk {i!r} already exists; use another code",
    )
    talks: list[Talk] = []
    for row_no, talk in checked:
        talk.source = f"{path.name}:{row_no}"
        talks.append(talk)
    if not checked and not problems:  # every row gives a talk or a problem: there were no rows
        problems.append(f"{path}: no talks in the file")
    if problems:
        raise UserDataError(problems)
    return talks


def utf8_text(raw: bytes, name: str) -> str:
    """The file as text (a UTF-8 BOM dropped); not UTF-8: an error naming the line and byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise UserDataError(
            [f"{name}:{line}: not UTF-8 text (byte {column} of the line is {raw[exc.start]:#04x}); save it as UTF-8"]
        ) from None


def validated_rows(
    rows: Iterable[tuple[int, dict[str, Any] | str]],
    name: str,
    validate: Callable[[dict[str, Any]], tuple[Any, list[str]]],
    seen: set[str],
    duplicate: Callable[[str], str],
) -> tuple[list[tuple[int, Any]], list[str]]:
    """Every row validated (``validate`` gives a record with an ``id``, or None, and its errors), ids
    unique against ``seen`` (``duplicate(id)`` says the problem); the good ``(row number, record)``
    pairs and one 'NAME:ROW: ...' per problem (a ``Note`` when the problem is one)."""
    problems: list[str] = []
    out: list[tuple[int, Any]] = []
    for no, row in rows:
        if isinstance(row, str):
            problems.append(Note("at_row", name=name, no=no) + row)
            continue
        record, errors = validate(row)
        problems += [Note("at_row", name=name, no=no) + e for e in errors]
        if record is None:
            continue
        if record.id in seen:
            problems.append(Note("at_row", name=name, no=no) + duplicate(record.id))
            continue
        seen.add(record.id)
        out.append((no, record))
    return out, problems


def _lines(text: str) -> Iterator[str]:
    """The text's lines (split at "\n" only, as JSON Lines are), one at a time."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        yield text[start:end]
        start = end + 1


def _jsonl_rows(text: str, path: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    for no, line in enumerate(_lines(text), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield no, Note("bad_json", error=exc.msg, column=exc.colno)
            continue
        yield no, obj if isinstance(obj, dict) else Note("not_object")


def _csv_rows(text: str) -> Iterable[tuple[int, dict[str, Any] | str]]:
    """Each row with the line it starts on (a quoted cell may run over several lines)."""
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    end = 0
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, Note("bad_csv", error=exc)
            return
        end = reader.line_num
        if not cells or not any(c.strip() for c in cells):
            continue
        if header is None:
            header = cells
            continue
        if len(cells) > len(header):
            yield start, Note("extra_cells")
            continue
        yield start, {k.strip(): v for k, v in zip(header, cells, strict=False) if k and v != ""}


def validate_row(row: dict[str, Any]) -> tuple[Talk | None, list[str]]:
    errors: list[str] = []
    unknown = sorted(set(row) - set(REQUIRED) - set(OPTIONAL) - {"id"})
    if unknown:
        errors.append(Note("unknown_fields", fields=", ".join(unknown), allowed=", ".join(REQUIRED + OPTIONAL)))
    values: dict[str, Any] = {}
    for name in REQUIRED + OPTIONAL:
        value = row.get(name)
        if value is None or value == "":
            if name in REQUIRED:
                errors.append(Note("missing", field=name))
            continue
        if name == "chairs":
            if isinstance(value, str):
                value = [c.strip() for c in value.split(";") if c.strip()]
            if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
                errors.append("field chairs: must be a list of names (CSV: names separated by ';')")
                continue
        elif name == "online":
            if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0", "yes", "no"):
                value = value.strip().lower() in ("true", "1", "yes")
            if not isinstance(value, bool):
                errors.append("field online: must be true or false")
                continue
        elif not isinstance(value, str):
            errors.append(Note("not_text", field=name, kind=type(value).__name__))
            continue
        else:
            value = value.strip()
            if name in PATTERNS and not PATTERNS[name][0].match(value):
                errors.append(f"field {name}: {value[:40]!r} is not {PATTERNS[name][1]}")
                continue
            wrong = _calendar_problem(name, value)
            if wrong:
                errors.append(f"field {name}: {value!r} {wrong}")
                continue
            if name == "kind" and value not in KINDS:
                errors.append(f"field kind: {value!r} is not one of {', '.join(KINDS)}")
                continue
            if len(value) > MAX_LEN.get(name, 2000):
                errors.append(Note("too_long", field=name, limit=MAX_LEN.get(name, 2000)))
                continue
        values[name] = value
    if "id" in row and row["id"] != f"{values.get('event')}-{values.get('code')}":
        errors.append(f"field id: must be <event>-<code> ({values.get('event')}-{values.get('code')}) or left out")
    if errors:
        return None, errors
    event = values["event"]
    talk = Talk(
        id=f"{event}-{values['code']}",
        event=event,
        event_name=values.get("event_name") or EVENT_NAMES.get(event, event),
        kind=values.get("kind", "session"),
        title=values["title"],
        speaker=values["speaker"],
        affiliation=values.get("affiliation", ""),
        abstract=values.get("abstract", ""),
        bio=values.get("bio", ""),
        session=values.get("session", ""),
        session_title=values.get("session_title", ""),
        date=values.get("date", ""),
        time=values.get("time", ""),
        room=values.get("room", ""),
        chairs=values.get("chairs", []),
        online=values.get("online", False),
    )
    talk.speakers = [s.strip() for s in re.split(r"[;；]", talk.speaker) if s.strip()]
    return talk, []


def _calendar_problem(name: str, value: str) -> str | None:
    """Why a date or time of the right shape is not a real one (2026-13-45, 99:99-25:61), or None."""
    if name == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return "is not a date of the calendar (YYYY-MM-DD)"
    if name == "time":
        try:
            start, end = (datetime.strptime(t, "%H:%M") for t in value.split("-"))
        except ValueError:
            return "is not a time of day (HH:MM-HH:MM, 00:00 to 23:59)"
        if end <= start:
            return "ends before it starts"
    return None


def write_jsonl(talks: Iterable[Talk]) -> str:
    """User talks back to JSONL in the input schema (what ``read_user_file`` accepts)."""
    keep = REQUIRED + OPTIONAL
    lines = []
    for t in talks:
        d = t.to_dict()
        d["code"] = t.id[len(t.event) + 1 :]
        lines.append(json.dumps({k: d[k] for k in keep if d.get(k) not in (None, "", [], False)}, ensure_ascii=False))
    return "\n".join(lines) + ("\n" if lines else "")
