"""Snippets with the matched terms located in both scripts.

Highlights are returned as character spans, never as markup: a renderer escapes the text first
and then marks the spans (the web layer) or colours them (the terminal).

A highlight is a whole query term, never a fragment of a longer word: an English term matches a
text word with the same stem ("network" marks "networks", "how" does not mark "However"); a
Chinese term matches only where the text's own segmentation starts and ends a word (大 is not
marked inside 大幅, 问题 not inside 背包问题 when the text reads 背包问题 as one word).
Snippets start at a sentence or phrase start and end at a sentence end or word boundary.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

import jieba
import Stemmer

from corpus.text import CJK, has_cjk
from index.tokenize import EN_STOP, ZH_STOP, Tokenizer, fold

WIDTH = 180
_LATIN = re.compile(r"[a-z0-9]+")
_LATIN_WORD = re.compile(r"(?<![a-z0-9])[a-z0-9]+(?![a-z0-9])")
_CJK_RUN = re.compile(f"[{CJK}]+")
_SENTENCE_END = re.compile(r"[。！？；!?;]|\.(?=\s|$)|\n")
_SOFT_BREAK = re.compile(r"[\s，、,：:（）()“”\"]")
_SEARCH_BACK = 60  # how far before the best window a snippet may start to begin a sentence


@lru_cache(maxsize=1)
def _stem():
    return Stemmer.Stemmer("english").stemWord


def terms(query: str, tokenizer: Tokenizer, extra: list[str] = ()) -> list[str]:
    """Words worth highlighting: each Chinese run of the query whole (大模型 before 大 and 模型),
    its jieba words, Latin words, extra (translated) terms; longest first."""
    out: list[str] = []
    runs = [r for r in _CJK_RUN.findall(fold(query)) if len(r) > 1]
    for w in runs + tokenizer.words(query) + list(extra):
        w = fold(w).strip()
        if not w or w in ZH_STOP or w in EN_STOP:
            continue
        if _LATIN.fullmatch(w) and len(w) < 2:
            continue
        if len(w) < 2 and not has_cjk(w):
            continue
        if w not in out:
            out.append(w)
    return sorted(out, key=len, reverse=True)


@lru_cache(maxsize=8192)  # a talk's text folds the same for every query
def _folded(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    if len(folded) != len(text):  # NFKC changed lengths (ligatures): fall back to case folding only
        folded = text.casefold()
    if has_cjk(folded):
        converted = fold(folded)
        if len(converted) == len(folded):  # traditional -> simplified, character for character
            folded = converted
    return folded


@lru_cache(maxsize=8192)  # query-independent: where each talk's Chinese runs are, found once
def _cjk_runs(folded: str) -> tuple[list[int], list[int]]:
    """Start and end offsets of the text's Chinese runs, in order."""
    runs = [m.span() for m in _CJK_RUN.finditer(folded)]
    return [a for a, _ in runs], [b for _, b in runs]


@lru_cache(maxsize=65536)  # query-independent: a run of a talk's text is segmented once, when first matched
def _run_edges(folded: str, start: int, end: int, segmenter: jieba.Tokenizer) -> frozenset[int]:
    """Offsets (in the text) where a word starts or ends in one Chinese run, by jieba's segmentation."""
    edges: set[int] = set()
    for _, a, b in segmenter.tokenize(folded[start:end]):
        edges.update((start + a, start + b))
    return frozenset(edges)


def _is_edge(folded: str, offset: int, segmenter: jieba.Tokenizer) -> bool:
    """Whether a word of the text's own segmentation starts or ends at ``offset``. Runs are cut
    apart, so only the run around a match is segmented, not the whole text (a talk's first
    highlight cost ~2 ms of jieba per Chinese abstract before)."""
    starts, ends = _cjk_runs(folded)
    i = bisect_right(starts, offset) - 1
    return i >= 0 and offset <= ends[i] and offset in _run_edges(folded, starts[i], ends[i], segmenter)


@lru_cache(maxsize=8192)  # query-independent: stem each talk's Latin words once, not once per query
def _latin_words(folded: str) -> dict[str, list[tuple[int, int]]]:
    """The spans of the text's Latin words, by stem."""
    stem = _stem()
    out: dict[str, list[tuple[int, int]]] = {}
    for m in _LATIN_WORD.finditer(folded):
        out.setdefault(stem(m.group()), []).append(m.span())
    return out


@lru_cache(maxsize=4096)
def _phrase(words: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z0-9]){re.escape(words)}(?:e?s)?(?![a-z0-9])")


def spans(text: str, words: list[str], tokenizer: Tokenizer | None = None) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans of the words in text, longest words first."""
    folded = _folded(text)
    stem = _stem()
    taken: list[tuple[int, int]] = []

    def take(a: int, b: int) -> None:
        if all(b <= x or a >= y for x, y in taken):
            taken.append((a, b))

    latin_stems = {stem(w) for w in words if _LATIN.fullmatch(w)}
    segmenter = tokenizer.segmenter if tokenizer else jieba.dt
    for w in words:
        if _LATIN.fullmatch(w):
            continue
        if has_cjk(w):  # each non-overlapping occurrence, left to right
            a = folded.find(w)
            while a >= 0:
                b = a + len(w)
                if _is_edge(folded, a, segmenter) and _is_edge(folded, b, segmenter):
                    take(a, b)
                a = folded.find(w, b)
        else:  # a phrase ("tensor network"): whole words at both ends, a plural allowed
            for m in _phrase(w).finditer(folded):
                take(m.start(), m.end())
    if latin_stems:  # Latin words never overlap one another, so the order they are taken in is free
        by_stem = _latin_words(folded)
        for s in latin_stems:
            for a, b in by_stem.get(s, ()):
                take(a, b)
    return sorted(taken)


def _start(text: str, start: int) -> int:
    """Move a window start back to the beginning of a sentence, else of a phrase or word."""
    if start <= 0:
        return 0
    lo = max(0, start - _SEARCH_BACK)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, lo, start + 1)]
    if ends:
        new = ends[-1]
    else:
        breaks = [m.end() for m in _SOFT_BREAK.finditer(text, lo, start + 1)]
        new = breaks[-1] if breaks else start
    while new < len(text) and text[new].isspace():
        new += 1
    return new


def _end(text: str, start: int, end: int) -> int:
    """Cut a window end back to a sentence end, else a phrase break or word boundary."""
    if end >= len(text):
        return len(text)
    floor = start + (end - start) * 2 // 3
    ends = [m.end() for m in _SENTENCE_END.finditer(text, floor, end)]
    if ends:
        return ends[-1]
    breaks = [m.start() for m in _SOFT_BREAK.finditer(text, floor, end)]
    if breaks:
        return breaks[-1]
    return end


def snippet(
    text: str, words: list[str], width: int = WIDTH, tokenizer: Tokenizer | None = None
) -> tuple[str, list[tuple[int, int]]]:
    """The window of ``text`` with the most matches, and the match spans relative to it."""
    if not text:
        return "", []
    found = spans(text, words, tokenizer)
    if len(text) <= width:
        return text, found
    best_start, best_hits = 0, -1
    for a, _ in found or [(0, 0)]:
        start = max(0, min(a - width // 4, len(text) - width))
        hits = sum(1 for x, y in found if x >= start and y <= start + width)
        if hits > best_hits:
            best_start, best_hits = start, hits
    first_hit = min((a for a, _ in found if a >= best_start), default=best_start)
    start = min(_start(text, best_start), first_hit)
    end = _end(text, start, start + width)
    window = text[start:end].rstrip()
    end = start + len(window)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    inside = [(a + shift, b + shift) for a, b in found if a >= start and b <= end]
    return prefix + window + suffix, inside
