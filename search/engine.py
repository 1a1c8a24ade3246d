"""The search engine: loads a verified index and answers searches, related talks and experts."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

import faiss
import numpy as np

from corpus.models import Person, Talk
from index import vectors
from index.bundle import IndexBundle, current_fingerprint
from index.encoders import Encoder, get_encoder
from index.passages import SENTENCE
from index.store import Store
from index.tokenize import is_chinese_token
from index.translation import Translation, translate_query
from search import fusion, snippets
from search.query import Filters, NameIndex, ParsedQuery, QueryError, parse

MAX_K = 100
# A pasted abstract has words enough in its own language; translating it only adds noise.
MAX_TRANSLATED_CHARS = 80
# The encoder's cost grows with length (a 3,000-character Chinese abstract takes ~120 ms); its
# opening states a pasted abstract's topic, and the lexical side still reads all of it.
MAX_DENSE_CHARS = 600
# Calibrated on the dev set (eval/calibration in `make eval`): a best hit whose raw cosine to the
# query is below this, with no lexical match of most query words, is reported as no strong match.
STRONG_DENSE = 0.42
STRONG_COVERAGE = 0.6


@dataclass
class Hit:
    id: str
    title: str
    speaker: str
    affiliation: str
    event: str
    event_name: str
    kind: str
    session: str
    session_title: str
    date: str
    time: str
    room: str
    lang: str
    score: float
    dense: float
    lexical: float
    snippet: str
    highlights: list[tuple[int, int]]
    best_sentence: str
    person_match: bool
    duplicate_of: str | None = None


@dataclass
class SearchResponse:
    query: str
    lang: str
    total: int
    offset: int
    k: int
    strong_match: bool
    confidence: float
    hits: list[Hit]
    people: list[dict[str, str]] = field(default_factory=list)
    translations: list[str] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Scores:
    """Per-talk component scores for one query."""

    dense: np.ndarray  # raw cosine of the talk's best passage
    lexical: np.ndarray  # raw BM25
    best_passage: np.ndarray  # passage index of the best sentence per talk (-1: none)
    coverage: np.ndarray  # share of the query's IDF mass found in the talk's lexical tokens
    translated: np.ndarray  # raw BM25 of the query's translated terms
    translated_coverage: np.ndarray
    translated_share: float = 0.0  # share of the query's IDF mass its translated words carry


def _warm_encoder(name: str) -> Encoder:
    encoder = get_encoder(name, threads=1)  # one short query per call: BLAS threads only add overhead
    encoder.encode_queries(["warm up"])
    return encoder


def check_k(k: int) -> None:
    if not 1 <= k <= MAX_K:
        raise QueryError(f"k must be between 1 and {MAX_K}, got {k}")


class Engine:
    def __init__(self, bundle: IndexBundle, encoder: Encoder | None = None) -> None:
        self.bundle = bundle
        self.talks: list[Talk] = bundle.talks
        self.people: dict[str, Person] = {p.id: p for p in bundle.people}
        self.row = bundle.talk_row()
        self._encoder = encoder
        self.weights = fusion.DEFAULT
        self.names = NameIndex(bundle.names)
        self.talk_lang = np.array([t.abstract_lang or t.title_lang for t in self.talks])
        self.person_rows: dict[str, list[int]] = {}
        for i, t in enumerate(self.talks):
            for pid in t.person_ids:
                self.person_rows.setdefault(pid, []).append(i)

    @classmethod
    def open(cls, store: Store, encoder: Encoder | None = None) -> Engine:
        """Load and verify the index in ``store`` (stale or mismatched: StoreError).

        The encoder's weights load in a second thread while the index is read: the two are the
        bulk of a cold start and mostly wait on I/O and numpy, not on each other.
        """
        fingerprint = current_fingerprint(store)
        pool = ThreadPoolExecutor(max_workers=2)
        loader = None
        if encoder is None:
            loader = pool.submit(_warm_encoder, store.manifest()["encoder"]["name"])
        bundle = store.read_index(expect_fingerprint=fingerprint)
        segmenter = pool.submit(bundle.tokenizer.tokens, "预热 warm up")  # loads jieba's dictionary
        engine = cls(bundle, encoder or loader.result())
        segmenter.result()
        pool.shutdown()
        return engine

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = get_encoder(self.bundle.manifest["encoder"]["name"], threads=1)
        return self._encoder

    @cached_property
    def known_sessions(self) -> set[str]:
        return {t.session for t in self.talks if t.session}

    # --- scoring -------------------------------------------------------------------------------
    def scores(self, parsed: ParsedQuery, text: str | None = None, translated: bool = True) -> Scores:
        query_text = text if text is not None else parsed.rest or parsed.folded
        qvec = self.encoder.encode_queries([query_text[:MAX_DENSE_CHARS]])
        tok = self.bundle.tokenizer
        tokens = tok.tokens(query_text) if (parsed.rest or not parsed.people) else []
        found = Translation([], [])
        if translated and tokens and len(query_text) <= MAX_TRANSLATED_CHARS:
            found = translate_query(query_text, self.bundle.terms, tok)
            parsed.translations = found.terms
        translated_tokens = tok.tokens(" ".join(parsed.translations))
        if parsed.lang == "mixed" and found.pairs:
            # 'neural network 逼近理论': English talks answer 'neural network approximation theory',
            # Chinese talks '神经网络 逼近理论': each the whole query, in its own language.
            scores = self.scores_for(qvec, tokens)
            scores.translated, scores.translated_coverage = self._in_talk_language(tokens + translated_tokens)
            scores.translated_share = 1.0
            return scores
        scores = self.scores_for(qvec, tokens, translated_tokens)
        if found.pairs:
            sources = [t for source in dict.fromkeys(s for s, _ in found.pairs) for t in tok.tokens(source)]
            scores.translated_share = self.bundle.lexical.idf_share(sources, sources + found.untranslated)
        return scores

    def scores_for(self, qvec: np.ndarray, tokens: list[str], translated: list[str] = ()) -> Scores:
        """Component scores of every talk for a query vector and query tokens."""
        n = len(self.talks)
        sims = self._passage_similarities(qvec)
        talk_of = self.bundle.passage_talk
        dense = np.full(n, float(np.nanmin(sims)) if sims.size else 0.0, dtype=np.float32)
        seen = ~np.isnan(sims)
        np.maximum.at(dense, talk_of[seen], sims[seen])
        # The best sentence of each talk: sort sentence passages by (talk, -similarity), take firsts.
        sentence = np.flatnonzero((self.bundle.passage_kind == SENTENCE) & seen)
        order = sentence[np.lexsort((-sims[sentence], talk_of[sentence]))]
        first = np.ones(len(order), dtype=bool)
        first[1:] = talk_of[order][1:] != talk_of[order][:-1]
        best_passage = np.full(n, -1, dtype=np.int64)
        best_passage[talk_of[order][first]] = order[first]
        lex = self.bundle.lexical
        translated = list(translated)
        return Scores(
            dense,
            lex.scores(tokens),
            best_passage,
            lex.coverage(tokens),
            lex.scores(translated) if translated else np.zeros(n, dtype=np.float32),
            lex.coverage(translated) if translated else np.zeros(n, dtype=np.float32),
        )

    def _in_talk_language(self, tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """BM25 (relative to each language's best talk) and coverage of every talk for the
        tokens of its own language; talks in both languages take the better of the two."""
        lex = self.bundle.lexical
        sides = []
        for chinese in (True, False):
            side = [t for t in tokens if is_chinese_token(t) == chinese]
            sides.append((fusion.relative_lexical(lex.scores(side)), lex.coverage(side)))
        (zh_bm25, zh_cover), (en_bm25, en_cover) = sides
        use_zh = (self.talk_lang == "zh") | ((self.talk_lang != "en") & (zh_bm25 * zh_cover >= en_bm25 * en_cover))
        return np.where(use_zh, zh_bm25, en_bm25), np.where(use_zh, zh_cover, en_cover)

    @cached_property
    def _exact_matrix(self) -> np.ndarray | None:
        """All passage vectors, for exact flat indexes: one matrix product scores every passage,
        where a FAISS search for all of them would also sort them."""
        index = self.bundle.vectors
        inner = faiss.downcast_index(index.index) if isinstance(index, faiss.IndexIDMap2) else index
        if not isinstance(inner, faiss.IndexFlat):
            return None
        ids = faiss.vector_to_array(index.id_map)
        matrix = np.empty((index.ntotal, index.d), dtype=np.float32)
        matrix[ids] = inner.reconstruct_n(0, index.ntotal)
        return matrix

    def _passage_similarities(self, qvec: np.ndarray) -> np.ndarray:
        """Cosine of the query to every passage; NaN for passages an approximate index skipped."""
        matrix = self._exact_matrix
        if matrix is not None:
            return matrix @ qvec[0]
        sims = np.full(self.bundle.vectors.ntotal, np.nan, dtype=np.float32)
        found, ids = vectors.search(self.bundle.vectors, qvec, min(self.bundle.vectors.ntotal, 2000))
        keep = ids[0] >= 0
        sims[ids[0][keep]] = found[0][keep]
        return sims

    def other_language(self, lang: str) -> np.ndarray:
        if lang == "zh":
            return self.talk_lang == "en"
        if lang == "en":
            return self.talk_lang == "zh"
        return np.zeros(len(self.talks), dtype=bool)

    def rank(self, parsed: ParsedQuery, scores: Scores, method: str = "hybrid") -> np.ndarray:
        if method == "dense":
            fused = fusion.relative_dense(scores.dense, self.weights.dense_floor_quantile)
        elif method == "lexical":
            fused = fusion.relative_lexical(scores.lexical)
        elif method == "rrf":
            fused = fusion.rrf([scores.dense, scores.lexical])
            fused = fused / fused.max()
        else:
            w = self.weights
            lexical = fusion.lexical_signal(scores.lexical, scores.coverage, w)
            translated = fusion.translated_signal(
                scores.translated, scores.translated_coverage, scores.translated_share, w
            )
            fused = fusion.fuse(scores.dense, lexical, translated, self.other_language(parsed.lang), self.weights)
            for pid in parsed.people:
                for row in self.person_rows.get(pid, []):
                    fused[row] += self.weights.person_boost
        return fused

    # --- public API ----------------------------------------------------------------------------
    def search(
        self,
        query: str,
        k: int = 10,
        filters: Filters | None = None,
        offset: int = 0,
        sort: str = "relevance",
        method: str = "hybrid",
    ) -> SearchResponse:
        check_k(k)
        if offset < 0:
            raise QueryError(f"offset must be 0 or more, got {offset}")
        if sort not in ("relevance", "date"):
            raise QueryError(f"sort must be 'relevance' or 'date', got {sort!r}")
        filters = filters or Filters()
        filters.validate({t.event for t in self.talks}, self.known_sessions)
        parsed = parse(query, self.names)
        if method != "hybrid":  # single-method baselines see the raw query: no names, no translation
            parsed.people, parsed.rest = [], parsed.folded
        scores = self.scores(parsed, translated=method == "hybrid")
        fused = self.rank(parsed, scores, method)
        mask = self._mask(filters)
        candidates = np.flatnonzero(mask & (fused > 0.15 * fused.max(initial=0.0)))
        order = candidates[np.lexsort((np.array([self.talks[i].id for i in candidates]), -fused[candidates]))]
        if sort == "date":
            order = np.array(sorted(order, key=lambda i: (self.talks[i].date, self.talks[i].id), reverse=True))
        words = snippets.terms(parsed.rest or parsed.folded, self.bundle.tokenizer, parsed.translations)
        top = int(order[0]) if len(order) else -1
        confidence = self._confidence(scores, top, parsed)
        hits = [self.hit(int(i), fused, scores, words, parsed) for i in order[offset : offset + k]]
        return SearchResponse(
            query=parsed.text,
            lang=parsed.lang,
            total=len(order),
            offset=offset,
            k=k,
            strong_match=confidence >= 1.0,
            confidence=round(confidence, 3),
            hits=hits,
            people=[{"id": p, "name": self.people[p].name} for p in parsed.people if p in self.people],
            translations=parsed.translations,
            facets=self._facets(order),
        )

    def _confidence(self, scores: Scores, top: int, parsed: ParsedQuery) -> float:
        """>= 1 when the best hit is a strong match (calibrated thresholds), else below 1."""
        if top < 0:
            return 0.0
        if parsed.people and top in {r for p in parsed.people for r in self.person_rows.get(p, [])}:
            return 1.0 + float(scores.dense[top])
        return max(float(scores.dense[top]) / STRONG_DENSE, float(scores.coverage[top]) / STRONG_COVERAGE)

    def _mask(self, f: Filters) -> np.ndarray:
        mask = np.ones(len(self.talks), dtype=bool)
        if not any((f.events, f.years, f.kinds, f.langs, f.sessions, f.speakers)):
            return mask
        for i, t in enumerate(self.talks):
            mask[i] = not (
                (f.events and t.event not in f.events)
                or (f.years and t.date[:4] not in f.years)
                or (f.kinds and t.kind not in f.kinds)
                or (f.langs and (t.abstract_lang or t.title_lang) not in f.langs)
                or (f.sessions and t.session not in f.sessions)
                or (f.speakers and not self._speaker_matches(t, f.speakers))
            )
        return mask

    def _speaker_matches(self, talk: Talk, wanted: list[str]) -> bool:
        ids = set()
        for name in wanted:
            found, _ = self.names.find(re.sub(r"\s+", " ", name.casefold()))
            ids |= set(found)
        return bool(ids & set(talk.person_ids)) or any(w in talk.speaker for w in wanted)

    def _facets(self, order: np.ndarray) -> dict[str, dict[str, int]]:
        facets: dict[str, dict[str, int]] = {"event": {}, "kind": {}, "lang": {}, "session": {}}
        for i in order:
            t = self.talks[int(i)]
            for name, value in (
                ("event", t.event),
                ("kind", t.kind),
                ("lang", t.abstract_lang or t.title_lang),
                ("session", f"{t.event}:{t.session}" if t.session else ""),
            ):
                if value:
                    facets[name][value] = facets[name].get(value, 0) + 1
        return facets

    def hit(self, i: int, fused: np.ndarray, scores: Scores, words: list[str], parsed: ParsedQuery) -> Hit:
        t = self.talks[i]
        text = t.abstract if t.has_abstract else t.title
        snip, marks = snippets.snippet(text, words)
        best = int(scores.best_passage[i])
        return Hit(
            id=t.id,
            title=t.title,
            speaker=t.speaker,
            affiliation=t.affiliation,
            event=t.event,
            event_name=t.event_name,
            kind=t.kind,
            session=t.session,
            session_title=t.session_title,
            date=t.date,
            time=t.time,
            room=t.room,
            lang=t.abstract_lang or t.title_lang,
            score=round(float(fused[i]), 4),
            dense=round(float(scores.dense[i]), 4),
            lexical=round(float(scores.lexical[i]), 4),
            snippet=snip,
            highlights=marks,
            best_sentence=self.bundle.passage_text[best] if best >= 0 else "",
            person_match=any(pid in t.person_ids for pid in parsed.people),
            duplicate_of=t.duplicate_of,
        )
