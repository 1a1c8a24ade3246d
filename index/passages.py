"""What gets embedded for a talk: its title, its title with the abstract, and each abstract sentence;
and how the passage texts are kept (one memory-mapped UTF-8 buffer).

Sentence vectors let a short query match one precise sentence of a long abstract, and tell the
search layer which sentence of the abstract is closest to the query.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

import numpy as np

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


def passage_table(talks: Sequence[Talk]) -> tuple[PassageTexts, np.ndarray, np.ndarray]:
    """Every talk's passages, in talk order: their texts, talk rows (int32) and kinds (int8)."""
    talk, kind = array("i"), array("b")

    def texts() -> Iterator[str]:
        for row, t in enumerate(talks):
            for p in passages(row, t):
                talk.append(p.talk)
                kind.append(p.kind)
                yield p.text

    text = PassageTexts.from_list(texts())
    return text, np.frombuffer(talk, dtype=np.int32), np.frombuffer(kind, dtype=np.int8)


def passages(row: int, talk: Talk) -> list[Passage]:
    out = [Passage(row, TITLE, talk.title)]
    if talk.has_abstract and not talk.duplicate_of:
        out.append(Passage(row, DOCUMENT, f"{talk.title}\n{talk.abstract}"))
        out += [Passage(row, SENTENCE, s) for s in sentences(talk.abstract)]
    return out


class PassageTexts(Sequence[str]):
    """Every passage's text as one UTF-8 buffer and offsets: ``texts[i]`` decodes one passage.

    On disk the buffer is a plain file that loading maps into memory (``np.memmap``), so a
    million talks' sentences cost address space, not resident memory, and only the texts shown
    with hits are ever read. Saved with the offsets as ``passage_text.bin`` + ``passage_offsets.npy``.
    """

    BUFFER, OFFSETS = "passage_text.bin", "passage_offsets.npy"

    def __init__(self, buffer: np.ndarray, offsets: np.ndarray) -> None:
        self.buffer = buffer  # uint8
        self.offsets = offsets  # int64, len(texts) + 1

    @classmethod
    def from_list(cls, texts: Iterable[str]) -> PassageTexts:
        """The texts appended one by one to a growing buffer: a million talks' passages are never
        held as Python strings or bytes objects all at once."""
        buffer = bytearray()
        ends = array("q", [0])
        for t in texts:
            buffer += t.encode("utf-8")
            ends.append(len(buffer))
        return cls(np.frombuffer(buffer, dtype=np.uint8), np.frombuffer(ends, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(f"passage {i} out of range")
        return self.buffer[self.offsets[i] : self.offsets[i + 1]].tobytes().decode("utf-8")

    def save(self, directory: Path) -> None:
        self.buffer.tofile(directory / self.BUFFER)
        np.save(directory / self.OFFSETS, self.offsets)

    @classmethod
    def load(cls, directory: Path) -> PassageTexts:
        offsets = np.load(directory / cls.OFFSETS)
        path = directory / cls.BUFFER
        size = path.stat().st_size
        if size != offsets[-1]:
            raise ValueError(f"{path} holds {size} bytes, the offsets say {offsets[-1]}")
        # a plain ndarray view of the mapping: np.memmap's __getitem__ is a Python call per slice
        buffer = np.memmap(path, dtype=np.uint8, mode="r").view(np.ndarray) if size else np.zeros(0, dtype=np.uint8)
        return cls(buffer, offsets)
