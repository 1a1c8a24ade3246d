"""A bilingual lexicon induced from the corpus: field terms no dictionary lists whole.

CC-CEDICT lists words of daily language; the field's terms are compounds of them
(分子动力学模拟 = 分子 + 动力学 + 模拟). A compound is translated word by word, every combination of
the words' dictionary senses is tried, and a combination is kept only where the corpus supports it:
the English phrase is printed in at least ``MIN_DF`` of the corpus's English talks. Sense choice is
thereby made by corpus evidence: 状态空间 is 'state space', not 'condition space' (状态's first
sense), 稀疏测量 'sparse measurements', not 'sparse survey'. The pairs join the glossary, so they
translate queries and talks alike.

Only this direction is induced: the dictionary's Chinese renderings of English words are too
scattered (neural -> 神经性, graph -> 图形) to spell the corpus's Chinese terms.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from functools import cache

import jieba

from corpus.text import CJK
from index.parallel import count_sets
from index.tokenize import EN_STOP, Tokenizer, fold

MAX_SENSES = 4  # dictionary senses tried per word
MAX_COMBINATIONS = 64
MIN_DF = 2  # talks that must print an induced phrase (one could be a coincidence of wording)
WORD = re.compile(r"[a-z][a-z\-]*")


def english_phrases(texts: Sequence[str], stem: Callable[[str], str]) -> dict[tuple[str, ...], Counter[str]]:
    """Runs of 2-4 content words of the English texts: stems -> printed forms (one count per text)."""
    phrases: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for (key, form), df in count_sets(lambda t: _phrases_of(t, stem).items(), texts).items():
        phrases[key][form] += df
    return phrases


def _phrases_of(text: str, stem: Callable[[str], str]) -> dict[tuple[str, ...], str]:
    seen: dict[tuple[str, ...], str] = {}
    for run in re.split(r"[^a-z\- ]+", fold(text)):
        words = [w.strip("-") for w in run.split()]
        words = [w for w in words if w]
        start = 0
        for i in range(len(words) + 1):
            if i == len(words) or words[i] in EN_STOP:
                chunk = words[start:i]
                stems = [stem(w) for w in chunk]
                for n in (2, 3, 4):
                    for j in range(len(chunk) - n + 1):
                        seen.setdefault(tuple(stems[j : j + n]), " ".join(chunk[j : j + n]))
                start = i + 1
    return seen


def chinese_terms(texts: Sequence[str], tok: Tokenizer) -> Counter[str]:
    """Candidate Chinese terms: runs of 1-3 jieba words (3-10 characters), one count per text."""
    return count_sets(lambda t: terms_of(t, tok), texts)


def terms_of(text: str, tok: Tokenizer) -> set[str]:
    """A text's candidate terms (see ``chinese_terms``)."""
    seen: set[str] = set()
    for run in re.findall(f"[{CJK}]{{3,}}", fold(text)):
        words = tok.cut(run)
        for n in (1, 2, 3):
            for i in range(len(words) - n + 1):
                term = "".join(words[i : i + n])
                if 3 <= len(term) <= 10:
                    seen.add(term)
    return seen


def induce(
    zh_texts: list[str],
    en_texts: list[str],
    tok: Tokenizer,
    senses: dict[str, list[str]],
    known: set[str],
    zh_terms: Counter[str] | None = None,
) -> list[tuple[str, str]]:
    """(Chinese term, English phrase) pairs built word by word from ``senses`` (CC-CEDICT) and kept
    where the corpus prints the result; terms in ``known`` (already translated) are skipped.
    ``zh_terms``: ``chinese_terms(zh_texts)`` where the caller has counted it already."""

    @cache
    def stem(word: str) -> str:
        return (tok.tokens(word) or [""])[0]

    en = {k: c for k, c in english_phrases(en_texts, stem).items() if sum(c.values()) >= MIN_DF}
    pairs: set[tuple[str, str]] = set()

    for term, df in (chinese_terms(zh_texts, tok) if zh_terms is None else zh_terms).items():
        if df < MIN_DF or term in known:
            continue
        parts = jieba.lcut(term)
        if len(parts) < 2 or len(parts) > 4:
            continue
        options = [_sense_stems(senses.get(p, []), stem) for p in parts]
        if not all(options):
            continue
        best: tuple[int, str] | None = None
        for combo in itertools.islice(itertools.product(*options), MAX_COMBINATIONS):
            key = tuple(s for stems in combo for s in stems)
            if key in en:
                printed = sum(en[key].values())
                if best is None or printed > best[0]:
                    best = (printed, en[key].most_common(1)[0][0])
        if best:
            pairs.add((term, best[1]))
    return sorted(pairs)


def _sense_stems(definitions: list[str], stem: Callable[[str], str]) -> list[tuple[str, ...]]:
    """The stems of a word's first senses of one or two content words ('molecule' -> ('molecul',))."""
    out: list[tuple[str, ...]] = []
    for d in definitions[:MAX_SENSES]:
        words = [w for w in WORD.findall(d) if w not in EN_STOP]
        if 1 <= len(words) <= 2:
            stems = tuple(stem(w) for w in words)
            if all(stems) and stems not in out:
                out.append(stems)
    return out
