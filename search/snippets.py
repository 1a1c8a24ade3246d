"""Snippets with the matched terms located in both scripts.

Highlights are returned as character spans, never as markup: a renderer escapes the text first
and then marks the spans (the web layer) or colours them (the terminal).
"""

from __future__ import annotations

import re
import unicodedata

from corpus.text import has_cjk
from index.tokenize import EN_STOP, ZH_STOP, Tokenizer, fold

WIDTH = 180


def terms(query: str, tokenizer: Tokenizer, extra: list[str] = ()) -> list[str]:
    """Words worth highlighting: jieba words of the query, Latin word stems, extra (translated) terms."""
    out: list[str] = []
    for w in tokenizer.words(query) + list(extra):
        w = fold(w).strip()
        if not w or w in ZH_STOP or w in EN_STOP:
            continue
        if re.fullmatch(r"[a-z0-9]+", w):
            w = w[:-1] if len(w) > 4 and w.endswith("s") else w
            if len(w) < 2:
                continue
        elif len(w) < 2 and not has_cjk(w):
            continue
        if w not in out:
            out.append(w)
    return sorted(out, key=len, reverse=True)


def spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans of the words in text; Latin words match as word prefixes."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if len(folded) != len(text):  # NFKC changed lengths (ligatures): fall back to case folding only
        folded = text.casefold()
    taken: list[tuple[int, int]] = []
    for w in words:
        if re.fullmatch(r"[a-z0-9]+", w):
            pattern = re.compile(rf"(?<![a-z0-9]){re.escape(w)}[a-z0-9]*")
        else:
            pattern = re.compile(re.escape(w))
        for m in pattern.finditer(folded):
            if all(m.end() <= a or m.start() >= b for a, b in taken):
                taken.append((m.start(), m.end()))
    return sorted(taken)


def snippet(text: str, words: list[str], width: int = WIDTH) -> tuple[str, list[tuple[int, int]]]:
    """The window of ``text`` with the most matches, and the match spans relative to it."""
    if not text:
        return "", []
    found = spans(text, words)
    if len(text) <= width:
        return text, found
    best_start, best_hits = 0, -1
    for a, _ in found or [(0, 0)]:
        start = max(0, min(a - width // 4, len(text) - width))
        hits = sum(1 for x, y in found if x >= start and y <= start + width)
        if hits > best_hits:
            best_start, best_hits = start, hits
    end = best_start + width
    window = text[best_start:end]
    prefix = "…" if best_start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - best_start
    inside = [(a + shift, b + shift) for a, b in found if a >= best_start and b <= end]
    return prefix + window + suffix, inside
