"""Submissions to assign reviewers to, read from JSONL or CSV and validated row by row.

One submission per line / row: ``id``, ``title`` (required), ``abstract``, ``authors`` (names; a
JSON list, or ';'-separated), ``affiliations`` (likewise). Every row is checked before anything
is used; each problem names the file, the row and the field, as ``corpus add`` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from corpus.errors import TalksearchError
from corpus.userdata import _csv_rows, _jsonl_rows, validated_rows
from search.notes import Note

FIELDS = ("id", "title", "abstract", "authors", "affiliations")
LISTS = ("authors", "affiliations")
MAX_LEN = {"id": 100, "title": 500, "abstract": 20000}
MAX_SUBMISSIONS = 5000
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$")


class SubmissionError(TalksearchError):
    """Every problem of a submissions file, one per line: 'FILE:ROW: field X: what is wrong'."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Submission:
    id: str
    title: str
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.abstract}".strip()


def parse_submissions(text: str, name: str) -> list[Submission]:
    """Submissions in ``text`` (JSONL when ``name`` ends in .jsonl/.json, CSV when .csv)."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in ("jsonl", "ndjson", "json"):
        rows = list(_jsonl_rows(text.lstrip("\ufeff"), name))
    elif suffix == "csv":
        rows = list(_csv_rows(text.lstrip("\ufeff")))
    else:
        raise SubmissionError([_at(name) + Note("unknown_format", suffix=f".{suffix}" if suffix else "(none)")])
    return from_rows(rows, name)


def from_rows(rows: list[tuple[int, dict[str, Any] | str]], name: str) -> list[Submission]:
    checked, problems = validated_rows(rows, name, validate, set(), lambda i: Note("duplicate_id", id=i))
    out = [sub for _, sub in checked]
    if not rows:
        problems.append(_at(name) + Note("no_submissions"))
    if len(out) > MAX_SUBMISSIONS:
        problems.append(_at(name) + Note("too_many", n=len(out), limit=MAX_SUBMISSIONS))
    if problems:
        raise SubmissionError(problems)
    return out


def _at(name: str) -> Note:
    return Note("at_file", name=name)


def validate(row: dict[str, Any]) -> tuple[Submission | None, list[str]]:
    errors: list[str] = []
    unknown = sorted(set(row) - set(FIELDS))
    if unknown:
        errors.append(Note("unknown_fields", fields=", ".join(unknown), allowed=", ".join(FIELDS)))
    values: dict[str, Any] = {}
    for name in FIELDS:
        value = row.get(name)
        if value is None or value == "" or value == []:
            if name in ("id", "title"):
                errors.append(Note("missing", field=name))
            continue
        if name in LISTS:
            if isinstance(value, str):
                value = [v.strip() for v in value.split(";") if v.strip()]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                errors.append(Note("not_names", field=name))
                continue
            blank = [str(i) for i, v in enumerate(value, 1) if not v.strip()]
            if blank:
                errors.append(Note("blank_name", field=name, positions=", ".join(blank)))
                continue
            value = [v.strip() for v in value]
        elif not isinstance(value, str):
            errors.append(Note("not_text", field=name, kind=type(value).__name__))
            continue
        else:
            if len(value) > MAX_LEN[name]:  # as sent, white space included (the API's maxLength)
                errors.append(Note("too_long", field=name, limit=MAX_LEN[name]))
                continue
            value = value.strip()
            if name == "id" and not ID.match(value):
                errors.append(Note("bad_id", value=value[:40]))
                continue
        values[name] = value
    if errors:
        return None, errors
    return Submission(**values), []
