"""Source lines with their line numbers, cleaned of markup, and the warnings parsers raise."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from corpus.errors import TalksearchError
from corpus.text import strip_markup

# A record glued to the previous one with markdown bold: "摘要: (TBD)**B4-2 面向..." .
_GLUE = re.compile(r"\*\*(?=\s*(?:分会报告|[A-F]\d{1,2}-\d{1,2}\b))")


class SourceError(TalksearchError):
    """A source file that cannot be read or recognised."""


@dataclass(frozen=True)
class Line:
    no: int
    text: str


@dataclass
class Warnings:
    """Blocks a parser could not place: reported with file:line, never dropped silently."""

    items: list[str] = field(default_factory=list)

    def add(self, path: str, line: int, message: str) -> None:
        self.items.append(f"{path}:{line}: {message}")


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError(f"{path}: source file not found") from None
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from None


def clean_lines(text: str) -> list[Line]:
    """Split into lines, un-glue records joined with '**', strip markup; blank lines dropped."""
    out: list[Line] = []
    for no, raw in enumerate(text.splitlines(), start=1):
        for part in _GLUE.split(raw):
            part = strip_markup(part).strip()
            if part:
                out.append(Line(no, part))
    return out
