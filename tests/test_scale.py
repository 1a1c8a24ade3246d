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
    assert isinstance(loaded.buffer, np.memmap)
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
