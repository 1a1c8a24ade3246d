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
        raise SubmissionError(
            [f"{name}: unknown format {('.' + suffix) if suffix else '(none)'!r}; use .jsonl or .csv"]
        )
    return from_rows(rows, name)


def from_rows(rows: list[tuple[int, dict[str, Any] | str]], name: str) -> list[Submission]:
    checked, problems = validated_rows(
        rows, name, validate, set(), lambda i: f"{i!r} appears twice; ids must be unique"
    )
    out = [sub for _, sub in checked]
    if not rows:
        problems.append(f"{name}: no submissions in the file")
    if len(out) > MAX_SUBMISSIONS:
        problems.append(f"{name}: {len(out)} submissions; at most {MAX_SUBMISSIONS} at a time")
    if problems:
        raise SubmissionError(problems)
    return out


def validate(row: dict[str, Any]) -> tuple[Submission | None, list[str]]:
    errors: list[str] = []
    unknown = sorted(set(row) - set(FIELDS))
    if unknown:
        errors.append(f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(FIELDS)}")
    values: dict[str, Any] = {}
    for name in FIELDS:
        value = row.get(name)
        if value is None or value == "" or value == []:
            if name in ("id", "title"):
                errors.append(f"field {name}: missing (required)")
            continue
        if name in LISTS:
            if isinstance(value, str):
                value = [v.strip() for v in value.split(";") if v.strip()]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                errors.append(f"field {name}: must be a list of names (CSV: separated by ';')")
                continue
            blank = [str(i) for i, v in enumerate(value, 1) if not v.strip()]
            if blank:
                errors.append(f"field {name}: name {', '.join(blank)} of the list is empty; leave it out")
                continue
            value = [v.strip() for v in value]
        elif not isinstance(value, str):
            errors.append(f"field {name}: must be text, got {type(value).__name__}")
            continue
        else:
            if len(value) > MAX_LEN[name]:  # as sent, white space included (the API's maxLength)
                errors.append(f"field {name}: longer than {MAX_LEN[name]} characters")
                continue
            value = value.strip()
            if name == "id" and not ID.match(value):
                errors.append(f"field id: {value[:40]!r} is not letters, digits and _ . : -")
                continue
        values[name] = value
    if errors:
        return None, errors
    return Submission(**values), []
