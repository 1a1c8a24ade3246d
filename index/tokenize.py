"""Bilingual tokenizer for the lexical index: jieba for Chinese, stemmed words for English.

Text is NFKC-folded, lowercased and converted to simplified Chinese, then cut into script
runs so a Latin acronym inside Chinese text ("PINN的失效") stays one token. Chinese runs give
jieba words (``cut_for_search``) plus character bigrams: the bigrams guarantee that a query whose
characters occur in a talk always scores, whatever jieba does with the context. The user
dictionary is derived from the corpus and saved with the index, so queries are cut the same way
the documents were.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache

import jieba
import Stemmer

from corpus.text import CJK, CJK_CHAR, has_cjk
from index.parallel import count_sets

RUNS = re.compile(rf"[{CJK}]+|[A-Za-z0-9]+")
PLURAL_ACRONYM = re.compile(r"[A-Z]{2,}s")
BIGRAM = "§"  # prefix keeping character bigrams apart from jieba words in the vocabulary
EN_STOP = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "into", "is", "it",
        "its", "of", "on", "or", "that", "the", "their", "this", "to", "we", "with", "our", "which", "these",
        "those", "can", "via", "using", "based", "than", "then", "also", "such", "not", "will", "talk", "present",
    }
)  # fmt: skip
ZH_STOP = frozenset(
    {
        "的", "了", "和", "与", "及", "在", "是", "对", "为", "将", "从", "中", "等", "我们", "本", "这", "该", "其",
        "并", "以", "于", "或", "一种", "一个", "通过", "进行", "基于",
    }
)  # fmt: skip
# Question words and polite filler: they say that the query is a question, not what it is about.
# Removed from the lexical side of a query only (the encoder reads the question whole).
QUESTION_EN = (
    "how", "why", "what", "which", "when", "where", "who", "whom", "whose", "whether", "is there", "are there",
    "does", "do", "did", "can", "could", "would", "should", "may", "might", "please", "tell me", "i want",
    "i'd like", "i would like", "to know", "any", "anyone", "someone", "somebody", "is", "are", "was", "were",
    "be", "been", "there", "know", "about", "way", "ways", "explain", "find", "show me", "me", "you", "i",
)  # fmt: skip
QUESTION_ZH = (
    "请问", "请", "如何", "怎样", "怎么样", "怎么", "为什么", "为何", "是否", "能否", "能不能", "可不可以", "可以",
    "有没有", "有哪些", "哪些", "哪个", "什么样", "什么", "谁", "吗", "呢", "吧", "我想", "想知道", "知道",
    "有关", "关于", "一下",
)  # fmt: skip
_QUESTION = re.compile(
    "|".join(
        [*(re.escape(w) for w in sorted(QUESTION_ZH, key=len, reverse=True))]
        + [rf"\b{re.escape(w)}\b" for w in sorted(QUESTION_EN, key=len, reverse=True)]
    ),
    re.IGNORECASE,
)


def without_question_words(text: str) -> str:
    """The query without its question words ('How can AI compress data?' -> ' AI compress data?');
    a query made of nothing else is returned unchanged."""
    rest = _QUESTION.sub(" ", text)
    return rest if RUNS.search(rest) else text


# Words after which a Chinese span before a bracketed English gloss starts its term:
# '我将从神经正切核（NTK）' -> '神经正切核'. Words, not characters: 对 breaks, 对抗 does not.
_TERM_BREAK = frozenset("的了在和与及从对为即或等是把将被由")
_TERM_LEADERS = (
    "本报告", "报告", "基于", "一种", "一个", "采用", "使用", "利用", "通过", "讨论", "介绍", "以及", "目前", "提出",
    "我们", "新的", "求解", "研究", "解决", "针对", "面向", "实现", "结合", "构建", "发展", "建立", "设计",
    "包括", "尽管", "虽然",
)  # fmt: skip
# Productive suffixes that make a term of a word: 正则化, 鲁棒性, 收敛率, 复杂度, 编码器.
_SUFFIXES = "化性率度器法论"
GLOSS = re.compile(rf"([{CJK}]{{2,16}})\s*[（(]\s*([A-Za-z][A-Za-z0-9\- ]{{0,40}}[A-Za-z0-9])\s*[)）]")

jieba.setLogLevel(logging.WARNING)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _t2s_triggers() -> frozenset[str]:
    """Characters without which the t2s conversion changes nothing.

    The pure-Python converter costs ~20 µs per clause, most of a build's time on simplified text,
    which needs no conversion. A text changes only where a dictionary entry with a different
    value matches; every such entry contains a traditional character that converts on its own,
    except a handful of phrases (沈默 -> 沉默) whose first character is added here.
    """
    converter = _t2s()
    converter.convert("")  # loads the dictionaries
    chars: set[str] = set()
    phrases: list[str] = []
    for group in converter._dict_chain_data:  # [(longest key, shortest key, {key: value})]
        for _, _, table in group:
            chars |= {k for k, v in table.items() if len(k) == 1 and v != k}
            phrases += [k for k, v in table.items() if len(k) > 1 and v != k]
    return frozenset(chars | {p[0] for p in phrases if chars.isdisjoint(p)})


def is_chinese_token(token: str) -> bool:
    """An index token from Chinese text (a jieba word or a character bigram)."""
    return token.startswith(BIGRAM) or bool(CJK_CHAR.match(token))


def fold(text: str, case: bool = True) -> str:
    """NFKC, case-fold (unless ``case`` is False), traditional -> simplified Chinese."""
    text = unicodedata.normalize("NFKC", text)
    if case:
        text = text.casefold()
    if has_cjk(text) and not _t2s_triggers().isdisjoint(text):
        text = _t2s().convert(text)
    return text


def gloss_pairs(text: str) -> list[tuple[str, str]]:
    """(Chinese term, English gloss) pairs printed as '物理信息神经网络（PINN）'."""
    pairs = []
    for m in GLOSS.finditer(unicodedata.normalize("NFKC", text)):
        span, gloss = m.group(1), m.group(2).strip()
        words = jieba.lcut(span)
        breaks = [i for i, w in enumerate(words) if w in _TERM_BREAK]
        term = "".join(words[breaks[-1] + 1 :] if breaks else words)
        changed = True
        while changed:
            changed = False
            for lead in _TERM_LEADERS:
                if term.startswith(lead) and len(term) > len(lead) + 1:
                    term, changed = term[len(lead) :], True
        if 2 <= len(term) <= 10:
            pairs.append((term, gloss))
    return pairs


def derive_user_words(texts: Iterable[str], min_df: int = 3) -> list[str]:
    """Technical terms for jieba's dictionary.

    Two sources: terms printed with an English gloss ('物理信息神经网络（PINN）'), and Chinese
    strings of 3-8 characters that jieba splits into several dictionary words but that recur in at
    least ``min_df`` talks starting and ending on word boundaries (偏微分方程, 两层神经网络).
    A trailing productive suffix (正则化, 鲁棒性) counts as part of the term.
    """
    texts = [fold(t) for t in texts]
    jieba.dt.check_initialized()  # once, before any worker process is forked
    words = set(count_sets(lambda t: {term for term, _ in gloss_pairs(t)}, texts))
    df = count_sets(_spans_of, texts)
    words |= {w for w, c in df.items() if c >= min_df and 3 <= len(w) <= 8 and w not in jieba.dt.FREQ}
    return sorted(words)


def _spans_of(text: str) -> set[str]:
    """Strings of 2-4 dictionary words (a productive suffix aside) in a text's Chinese runs."""
    seen: set[str] = set()
    for run in re.findall(f"[{CJK}]{{3,}}", text):
        spans = list(jieba.tokenize(run))
        for a in range(len(spans)):
            for b in range(a + 1, min(a + 4, len(spans))):
                parts = [w for w, _, _ in spans[a : b + 1]]
                if parts[-1] in _SUFFIXES:
                    parts = parts[:-1]
                if all(len(p) > 1 and p not in ZH_STOP for p in parts):
                    seen.add(run[spans[a][1] : spans[b][2]])
    return seen


class Tokenizer:
    """A value saved with the index: same user words at build and query time."""

    def __init__(self, user_words: Iterable[str] = ()) -> None:
        self.user_words = sorted(set(user_words))
        self._segmenter: jieba.Tokenizer | None = None
        self._subwords: dict[str, list[str]] = {}
        self._cuts: dict[str, list[str]] | None = None  # see ``remembering``

    @property
    def _jieba(self) -> jieba.Tokenizer:
        """jieba loads its dictionary (half a second) on first use, not when the index is read."""
        if self._segmenter is None:
            segmenter = jieba.Tokenizer()
            for w in self.user_words:
                segmenter.add_word(w, freq=2000)
            self._segmenter = segmenter
        return self._segmenter

    @property
    def segmenter(self) -> jieba.Tokenizer:
        """jieba with the corpus's user words: where words start and end in display text."""
        return self._jieba

    @contextmanager
    def remembering(self) -> Iterator[None]:
        """Cut each Chinese run once inside the block: a build reads one talk's text for its
        tokens, words and terms. Scoped to a block (one talk), so memory stays flat."""
        self._cuts = {}
        try:
            yield
        finally:
            self._cuts = None

    def cut(self, run: str) -> list[str]:
        """jieba's words of a Chinese run (precise mode, with the user words)."""
        if self._cuts is None:
            return list(self._jieba.cut(run))
        words = self._cuts.get(run)
        if words is None:
            words = self._cuts[run] = list(self._jieba.cut(run))
        return words

    def _cut_for_search(self, run: str) -> Iterator[str]:
        """jieba's ``cut_for_search`` over ``cut``: each word's dictionary 2- and 3-grams, then the word."""
        freq = self._jieba.FREQ
        for w in self.cut(run):
            if len(w) > 2:
                yield from (w[i : i + 2] for i in range(len(w) - 1) if freq.get(w[i : i + 2]))
            if len(w) > 3:
                yield from (w[i : i + 3] for i in range(len(w) - 2) if freq.get(w[i : i + 3]))
            yield w

    def tokens(self, text: str) -> list[str]:
        """Index tokens of a text (documents and queries alike)."""
        out: list[str] = []
        for run in RUNS.findall(fold(text, case=False)):
            if CJK_CHAR.match(run):
                out += [w for w in self._cut_for_search(run) if w.strip() and w not in ZH_STOP]
                out += [BIGRAM + run[i : i + 2] for i in range(len(run) - 1)]
                if len(run) == 1:
                    out.append(BIGRAM + run)
                continue
            if PLURAL_ACRONYM.fullmatch(run):
                run = run[:-1]  # PDEs -> PDE, LLMs -> LLM
            run = run.lower()
            if run not in EN_STOP:
                out.append(_stemmer().stemWord(run))
        return out

    def subwords(self, word: str) -> list[str]:
        """The dictionary words inside a compound: 扩散模型 -> 扩散, 模型 (remembered per word:
        a build asks for the same words again and again)."""
        found = self._subwords.get(word)
        if found is None:
            found = self._subwords[word] = [w for w in self._jieba.cut_for_search(word) if w != word and len(w) > 1]
        return found

    def words(self, text: str) -> list[str]:
        """Display words (no bigrams, no stemming): for highlighting matched terms."""
        out: list[str] = []
        for run in RUNS.findall(fold(text)):
            if CJK_CHAR.match(run):
                out += [w for w in self.cut(run) if w not in ZH_STOP]
            elif run not in EN_STOP:
                out.append(run)
        return out
