"""Cross-check the programme book against the schedule grid: titles and speaker names per talk.

Both print each session talk once. Where they disagree, the title that matches the talk's abstract
better wins (a title equal to another talk's title in the same session is suspect), and the speaker
name that occurs elsewhere in the corpus wins (else the book's). Every disagreement is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.text import CJK

_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "for",
        "with",
        "and",
        "in",
        "on",
        "to",
        "via",
        "by",
        "from",
        "at",
        "as",
        "is",
        "are",
        "its",
    ]
)
_TOKEN = re.compile(rf"[a-z0-9]+|[{CJK}]+")


def key(text: str) -> str:
    """A title with blanks and punctuation removed, case folded: what 'the same title' means."""
    return re.sub(r"[\W_]+", "", text.casefold())


def content_words(text: str) -> set[str]:
    """Latin words (stop words dropped) and CJK character bigrams of a text."""
    words: set[str] = set()
    for tok in _TOKEN.findall(text.casefold()):
        if tok[0].isascii():
            if tok not in _STOP:
                words.add(tok)
        else:
            words |= {tok[i : i + 2] for i in range(max(1, len(tok) - 1))}
    return words


def title_score(title: str, abstract: str, session_titles: list[str]) -> float:
    """Share of the title's content words found in the abstract; -1 if another talk has this title."""
    if key(title) in {key(t) for t in session_titles}:
        return -1.0
    words = content_words(title)
    if not words:
        return 0.0
    found = content_words(abstract)
    return sum(w in found for w in words) / len(words)


def pick_title(book: str, grid: str, abstract: str, session_titles: list[str]) -> str:
    """The grid's title if it matches the abstract strictly better than the book's, else the book's."""
    if title_score(grid, abstract, session_titles) > title_score(book, abstract, session_titles):
        return grid
    return book


@dataclass
class NameDisagreement:
    """A talk whose speaker the book and the grid print differently; resolved once the corpus is read."""

    talk_id: str
    book: str
    grid: str
    where: str  # path:line of the book's record
    grid_line: int
