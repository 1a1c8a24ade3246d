"""What lets the index grow: passage texts in one mapped buffer, the matrix-backed embedding cache,
compressed vectors above a size, and dense retrieval from candidates only."""

from __future__ import annotations

import numpy as np
import pytest

from bench.stand_in import HashNgramStandIn
from index import vectors
from index.cache import EmbeddingCache
from index.passages import PassageTexts
from search.retrievers import DenseRetriever

TEXTS = ["物理信息神经网络（PINN）", "", "Non-line-of-sight imaging", "逼近理论 approximation", "é" * 300]


def test_passage_texts_round_trip_through_a_mapped_file(tmp_path):
    texts = PassageTexts.from_list(TEXTS)
    assert list(texts) == TEXTS and texts[-1] == TEXTS[-1] and texts[1:3] == TEXTS[1:3]
    texts.save(tmp_path)
    loaded = PassageTexts.load(tmp_path)
    assert isinstance(loaded.buffer.base, np.memmap)  # a plain view of the mapping
    assert list(loaded) == TEXTS
    with pytest.raises(IndexError):
        loaded[len(TEXTS)]


def test_truncated_passage_buffer_is_refused(tmp_path):
    PassageTexts.from_list(TEXTS).save(tmp_path)
    path = tmp_path / PassageTexts.BUFFER
    path.write_bytes(path.read_bytes()[:-3])
    with pytest.raises(ValueError, match="bytes"):
        PassageTexts.load(tmp_path)


def test_embedding_cache_keeps_vectors_across_saves(tmp_path):
    enc = HashNgramStandIn()
    cache = EmbeddingCache(tmp_path, enc.name, enc.dimension)
    assert cache.missing(TEXTS + TEXTS[:2]) == TEXTS
    cache.put(TEXTS[:2], enc.encode_documents(TEXTS[:2]))
    cache.put(TEXTS[1:], enc.encode_documents(TEXTS[1:]))  # one repeated text: stored once
    cache.save(keep=TEXTS[1:])
    again = EmbeddingCache(tmp_path, enc.name, enc.dimension)
    assert again.missing(TEXTS) == [TEXTS[0]]
    np.testing.assert_array_equal(again.get(TEXTS[1:]), enc.encode_documents(TEXTS[1:]))


def test_stand_in_encoder_gives_each_text_the_same_vector_alone_or_in_a_batch():
    enc = HashNgramStandIn()
    batch = enc.encode_documents(TEXTS)
    for i, t in enumerate(TEXTS):
        np.testing.assert_array_equal(enc.encode_documents([t])[0], batch[i])
    near, far = enc.encode_queries(["physics-informed neural networks", "crystal structure prediction"])
    assert float(near @ enc.encode_documents(["physics informed neural network"])[0]) > float(far @ near) + 0.2


def test_auto_compresses_above_the_exact_size_and_keeps_recall(monkeypatch):
    rng = np.random.default_rng(0)
    centers = rng.normal(size=(64, 96))
    data = centers[rng.integers(0, 64, 12_000)] + 0.5 * rng.normal(size=(12_000, 96))
    data = (data / np.linalg.norm(data, axis=1, keepdims=True)).astype(np.float32)
    monkeypatch.setattr(vectors, "AUTO_APPROXIMATE_ABOVE", 10_000)
    assert vectors.describe(vectors.build(data[:9000], np.arange(9000), "auto")) == "IDMap2,Flat"
    index = vectors.build(data, np.arange(12_000), "auto")
    assert ",SQ8" in vectors.describe(index)
    queries = data[:100] + 0.05 * rng.normal(size=(100, 96)).astype(np.float32)
    _, got = vectors.search(index, queries, 10)
    want = np.argsort(-(queries @ data.T), axis=1)[:, :10]
    assert np.mean([len(set(a) & set(b)) / 10 for a, b in zip(want, got, strict=True)]) >= 0.9


def test_candidate_dense_signals_equal_the_exact_ones_when_every_passage_is_a_candidate(engine):
    bundle = engine.searcher.bundle
    retriever = DenseRetriever(bundle, engine.settings.search)
    vector = engine.searcher.encode("PINN 物理信息神经网络")
    exact = retriever.signals(None, vector)
    cand = vectors.candidate_signals(bundle, vector, bundle.vectors.ntotal, len(bundle.talks))
    np.testing.assert_allclose(cand["dense"], exact["dense"], atol=1e-5)
    agree = cand["best_passage"] == exact["best_passage"]
    assert agree.mean() > 0.99  # ties between equal sentences may pick either
    few = vectors.candidate_signals(bundle, vector, 50, len(bundle.talks))
    top = np.argsort(-exact["dense"])[:5]
    np.testing.assert_allclose(few["dense"][top], exact["dense"][top], atol=1e-5)


def _experts_by_loop(searcher, fused, gone, k, evidence=3):
    """The per-person Python loop PersonTalks replaces (kept here as the reference)."""
    from search.experts import MIN_SCORE, aggregate

    found = []
    for pid in searcher.people:
        if pid in gone:
            continue
        talks = sorted(((float(fused[r]), r) for r in searcher.person_rows.get(pid, [])), reverse=True)
        talks = [(s, r) for s, r in talks if s > 0]
        score = aggregate([s for s, _ in talks])
        if score > MIN_SCORE:
            found.append((pid, score, talks[:evidence]))
    found.sort(key=lambda e: (-round(e[1], 4), e[0]))
    return found[:k]


@pytest.mark.parametrize("query", ["optimal transport", "物理信息神经网络", "spiking neural networks", "许志钦"])
def test_vectorised_expert_scores_equal_the_per_person_loop(engine, query):
    from search.experts import MIN_SCORE, TOP_WEIGHTS
    from search.person_scores import PersonTalks

    s = engine.searcher
    analysis = s.analyze(s.parse(query).without_people())
    fused = s.rank(analysis, s.scores(analysis))
    fused = fused / float(fused.max())
    gone = set(list(s.people)[:40])
    for k in (1, 10, 100):
        want = _experts_by_loop(s, fused, gone, k)
        assert PersonTalks.of(s).top(fused, TOP_WEIGHTS, MIN_SCORE, gone, k, 3) == want
        assert len(want) == k  # the query has enough experts: the comparison is not vacuous


def test_related_rows_come_best_first_with_ties_by_row():
    from search.related import ranked_rows

    rng = np.random.default_rng(1)
    fused = rng.integers(0, 50, 2000).astype(np.float32) / 7  # many ties, across the head boundary
    want = np.lexsort((np.arange(len(fused)), -fused)).tolist()
    assert list(ranked_rows(fused, head=100)) == want
    assert list(ranked_rows(fused[:50], head=100)) == np.lexsort((np.arange(50), -fused[:50])).tolist()


def test_hashed_duplicate_candidates_equal_the_string_shingle_reference():
    import random

    from corpus.dedupe import _candidates, _shingles

    rng = random.Random(3)
    words = [f"w{i}" for i in range(400)] + list("非视距成像物理信息神经网络的方法研究")
    texts = [" ".join(rng.choices(words, k=rng.randint(0, 60))) for _ in range(300)]
    texts += [t + " extra" for t in texts[:20]] + ["短", "", "abcd"]  # near copies, tiny texts
    postings: dict[str, list[int]] = {}
    for i, t in enumerate(texts):
        for g in _shingles(t):
            postings.setdefault(g, []).append(i)
    pairs: dict[tuple[int, int], int] = {}
    for docs in postings.values():
        if 1 < len(docs) <= 4:
            for x in range(len(docs)):
                for y in range(x + 1, len(docs)):
                    pairs[(docs[x], docs[y])] = pairs.get((docs[x], docs[y]), 0) + 1
    want = {p for p, shared in pairs.items() if shared >= 10}
    assert len(want) >= 15
    assert _candidates(texts) == want


def test_name_lookup_by_substrings_equals_the_pass_over_every_name(corpus):
    import random
    import re

    from index.names import name_table
    from search.query import NameIndex

    index = NameIndex(name_table(corpus.people))

    def reference(rest: str) -> tuple[list[str], str]:
        found: list[str] = []
        for name in sorted(index.cjk, key=len, reverse=True):
            if name in rest.replace(" ", ""):
                found += [p for p in index.cjk[name] if p not in found]
                rest = re.sub(r"\s*".join(map(re.escape, name)), " ", rest)
        return found, rest

    rng = random.Random(5)
    names = sorted(index.cjk)
    fillers = ["的", "报告", " ", "神经网络", "xu", "王", "李"]
    queries = ["许志钦 吴磊", "许 志 钦", "张张伟伟"]
    queries += ["".join(rng.choice(names + fillers) for _ in range(rng.randint(1, 6))) for _ in range(300)]
    matched = 0
    for q in queries:
        want_found, want_rest = reference(q)
        found, rest = index.find(q)
        assert found[: len(want_found)] == want_found, q
        if not re.search("[a-z]", q) and found == want_found:  # no Latin names, no names by reading
            assert rest == re.sub(r"\s+", " ", want_rest).strip()
        matched += bool(want_found)
    assert matched > 200


def test_cache_rows_address_the_matrix_and_a_full_save_keeps_every_vector(tmp_path):
    enc = HashNgramStandIn()
    cache = EmbeddingCache(tmp_path, enc.name, enc.dimension)
    cache.put(TEXTS[::-1], enc.encode_documents(TEXTS[::-1]))
    np.testing.assert_array_equal(cache.matrix()[cache.rows(TEXTS)], enc.encode_documents(TEXTS))
    cache.save(keep=TEXTS)
    again = EmbeddingCache(tmp_path, enc.name, enc.dimension)
    assert again.missing(TEXTS) == []
    np.testing.assert_array_equal(again.get(TEXTS), enc.encode_documents(TEXTS))


@pytest.mark.parametrize("kind", ["flat", "ivf-sq8"])
def test_an_index_built_through_rows_equals_one_built_from_the_copied_vectors(kind):
    rng = np.random.default_rng(1)
    base = rng.normal(size=(3000, 32)).astype(np.float32)
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    rows = rng.permutation(3000)[:2500]
    ids = np.arange(len(rows))
    direct = vectors.build(base[rows], ids, kind)
    through = vectors.build(base, ids, kind, rows=rows)
    queries = base[:20]
    for a, b in zip(vectors.search(direct, queries, 10), vectors.search(through, queries, 10), strict=True):
        np.testing.assert_array_equal(a, b)
