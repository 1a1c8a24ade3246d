"""What gets embedded for a talk: its title, its title with the abstract, and each abstract sentence.

Sentence vectors let a short query match one precise sentence of a long abstract, and tell the
search layer which sentence of the abstract is closest to the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.models import Talk
from corpus.text import CJK

TITLE, DOCUMENT, SENTENCE = 0, 1, 2
_SENTENCE_END = re.compile(r"(?<=[。！？；!?])|(?<=[.;])\s+(?=[A-Z" + CJK + "])")
MIN_SENTENCE = 12
MAX_SENTENCES = 24


@dataclass(frozen=True)
class Passage:
    talk: int  # row of the talk in the index
    kind: int  # TITLE | DOCUMENT | SENTENCE
    text: str


def sentences(text: str) -> list[str]:
    parts = [p.strip() for p in _SENTENCE_END.split(text) if p and p.strip()]
    out: list[str] = []
    for p in parts:
        if out and len(p) < MIN_SENTENCE:
            out[-1] += p  # glue fragments ("e.g." splits, short clauses) to the previous sentence
        else:
            out.append(p)
    return out[:MAX_SENTENCES]


def passages(row: int, talk: Talk) -> list[Passage]:
    out = [Passage(row, TITLE, talk.title)]
    if talk.has_abstract and not talk.duplicate_of:
        out.append(Passage(row, DOCUMENT, f"{talk.title}\n{talk.abstract}"))
        out += [Passage(row, SENTENCE, s) for s in sentences(talk.abstract)]
    return out
