"""The index: real encoders, real FAISS, persistence that is verified and atomic, incremental builds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index import vectors
from index.builder import build
from index.encoders import E5Encoder, EncoderError, SentenceTransformerEncoder, UseEncoder, get_encoder
from index.store import Store, StoreError, signed
from index.tokenize import BIGRAM, Tokenizer


@pytest.fixture(scope="session")
def built(built_dir) -> Path:
    return built_dir


@pytest.fixture
def copy(built, tmp_path) -> Store:
    shutil.copytree(built, tmp_path / "var")
    return Store(tmp_path / "var")


@pytest.fixture(scope="session")
def bundle(built):
    return Store(built).read_index()


# --- encoders: the real loading paths -----------------------------------------------------------


def test_use_multilingual_is_cross_lingual():
    enc = UseEncoder()
    v = enc.encode_documents(["扩散模型求解逆问题", "diffusion models for inverse problems", "燃烧反应动力学"])
    assert v.shape == (3, 512) and np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2]


def test_e5_small_loads_from_its_package():
    enc = E5Encoder()
    q = enc.encode_queries(["physics-informed neural networks"])
    p = enc.encode_documents(["PINN solves PDEs with neural networks", "reinforcement learning for games"])
    assert q.shape == (1, 384) and p.shape == (2, 384)
    assert (p @ q[0])[0] > (p @ q[0])[1]


def test_sentence_transformers_encoder_loads_a_saved_model(tmp_path):
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    from transformers import BertConfig, BertModel, BertTokenizerFast

    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *"abcdefghijklmnopqrstuvwxyz", *"扩散模型逆问题"]
    (tmp_path / "vocab.txt").write_text("\n".join(vocab), encoding="utf-8")
    config = BertConfig(
        vocab_size=len(vocab), hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64
    )
    BertModel(config).save_pretrained(tmp_path / "hf")
    BertTokenizerFast(vocab_file=str(tmp_path / "vocab.txt")).save_pretrained(tmp_path / "hf")
    word = Transformer(str(tmp_path / "hf"))
    SentenceTransformer(modules=[word, Pooling(word.get_embedding_dimension())]).save(str(tmp_path / "st"))

    enc = get_encoder(f"st:{tmp_path / 'st'}")
    assert isinstance(enc, SentenceTransformerEncoder) and enc.dimension == 32
    v = enc.encode_queries(["扩散模型", "abc"])
    assert v.shape == (2, 32) and np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-4)


def test_unknown_encoders_are_clear_errors(tmp_path):
    with pytest.raises(EncoderError, match="unknown encoder"):
        get_encoder("word2vec")
    with pytest.raises(EncoderError, match="cannot load"):
        get_encoder(f"st:{tmp_path / 'missing-model'}")


# --- the built index -------------------------------------------------------------------------


def test_build_makes_a_verified_index(built, bundle):
    manifest = json.loads((built / "index" / "manifest.json").read_text())
    assert manifest["encoder"]["name"] == "use-multilingual" and manifest["encoder"]["dimension"] == 512
    assert manifest["counts"]["talks"] == 450 == len(bundle.talks)
    assert bundle.vectors.ntotal == len(bundle.passage_talk) == manifest["counts"]["passages"]
    assert set(manifest["files"]) >= {"vectors.faiss", "talks.jsonl", "passages.npz", "tokenizer.json"}
    assert {"faiss", "numpy", "bm25s", "jieba"} <= set(manifest["libraries"])


def test_vectors_find_a_talk_by_its_own_title(bundle):
    enc = UseEncoder()
    row = next(i for i, t in enumerate(bundle.talks) if t.id == "csml2022-A1-4")
    _, ids = vectors.search(bundle.vectors, enc.encode_queries(["Non-line-of-sight Imaging"]), 5)
    assert row in {int(bundle.passage_talk[i]) for i in ids[0]}


@pytest.mark.parametrize("kind", ["ivf", "hnsw"])
def test_approximate_indexes_agree_with_exact(kind):
    rng = np.random.default_rng(0)
    centers = rng.normal(size=(20, 64))
    data = centers[rng.integers(0, 20, 4000)] + 0.3 * rng.normal(size=(4000, 64))
    data = (data / np.linalg.norm(data, axis=1, keepdims=True)).astype(np.float32)
    exact = vectors.build(data, np.arange(4000), "flat")
    approx = vectors.build(data, np.arange(4000), kind)
    _, want = vectors.search(exact, data[:50], 10)
    _, got = vectors.search(approx, data[:50], 10)
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(want, got, strict=True)])
    assert recall >= 0.9
    assert kind.upper() in vectors.describe(approx).upper()


# --- manifest checks -------------------------------------------------------------------------


def test_other_encoder_is_a_clear_error(copy):
    with pytest.raises(StoreError, match=r"built with encoder 'use-multilingual', not 'e5-small'.*talksearch build"):
        copy.read_index(expect_encoder="e5-small")


def test_changed_corpus_is_a_clear_error(copy):
    with pytest.raises(StoreError, match=r"stale.*talksearch build"):
        copy.read_index(expect_fingerprint="something-else")


def test_corrupted_file_is_a_clear_error(copy):
    path = copy.index_dir / "vectors.faiss"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match=r"corrupt.*talksearch build"):
        copy.read_index()


def test_dimension_mismatch_is_a_clear_error(copy):
    manifest = json.loads((copy.index_dir / "manifest.json").read_text())
    manifest["encoder"]["dimension"] = 384
    (copy.index_dir / "manifest.json").write_text(json.dumps(signed(manifest)))  # past the manifest's own check
    with pytest.raises(StoreError, match=r"dimension 512.*384"):
        copy.read_index()


@pytest.mark.parametrize("edit", ["encoder", "files", "drop-checksum"])
def test_edited_manifest_is_refused(copy, edit):
    path = copy.index_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    if edit == "encoder":
        manifest["encoder"]["name"] = "e5-small"  # the audit's edit (was: ValueError matmul at the first query)
    elif edit == "files":
        manifest["files"]["vectors.faiss"] = "crc32:00000000:1"
    else:
        del manifest["manifest_checksum"]
    path.write_text(json.dumps(manifest))
    with pytest.raises(StoreError, match=r"manifest.*(changed or is corrupt|no checksum).*talksearch build"):
        copy.read_index()


def test_missing_index_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match=r"no index.*talksearch build"):
        Store(tmp_path / "empty").read_index()


# --- atomic and incremental builds ------------------------------------------------------------


@pytest.mark.parametrize("step", ["build", "save"])  # build: BM25 and the passage texts are written by then
def test_interrupted_build_leaves_the_previous_index_intact(copy, monkeypatch, step):
    before = (copy.index_dir / "manifest.json").read_text()

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(vectors, step, boom)
    with pytest.raises(KeyboardInterrupt):
        build(copy, "use-multilingual")
    assert (copy.index_dir / "manifest.json").read_text() == before
    assert not [p for p in copy.root.iterdir() if p.name.startswith((".build-", ".old-"))]
    assert len(copy.read_index().talks) == 450


def _mapped(array: np.ndarray) -> bool:
    """Backed by a file mapping (an np.memmap, or a plain view of one)."""
    while array is not None and not isinstance(array, np.memmap):
        array = getattr(array, "base", None)
    return array is not None


def test_bm25_and_passage_texts_leave_memory_before_the_vector_stage(copy, monkeypatch):
    """They are written to the build directory and mapped back (at a million talks the vector
    stage needs their 5 GB), and serving maps BM25 too: a query reads only its tokens' postings."""
    written: set[str] = set()
    real = vectors.build

    def spy(*args, **kwargs):
        (building,) = [p for p in copy.root.iterdir() if p.name.startswith(".build-")]
        written.update(p.name for p in building.iterdir())
        return real(*args, **kwargs)

    monkeypatch.setattr(vectors, "build", spy)
    bundle = build(copy, "use-multilingual")
    assert {"lexical", "passage_text.bin", "passage_offsets.npy"} <= written
    assert _mapped(bundle.lexical.model.scores["data"]) and _mapped(bundle.passage_text.buffer)
    served = copy.read_index()
    assert _mapped(served.lexical.model.scores["data"]) and _mapped(served.passage_text.buffer)
    query = served.tokenizer.tokens("扩散模型 inverse problems")
    assert np.array_equal(served.lexical.scores(query), bundle.lexical.scores(query))
    assert served.passage_text[:50] == bundle.passage_text[:50]


def test_incremental_add_and_remove_reuse_embeddings(copy):
    from corpus.userdata import validate_row

    talk, errors = validate_row(
        {
            "event": "csml2026",
            "code": "A1-1",
            "title": "扩散模型求解逆问题",
            "speaker": "张三",
            "abstract": "我们研究扩散模型。",
        }
    )
    assert not errors
    copy.save_user_talks([talk])
    added = build(copy, "use-multilingual")
    assert added.manifest["counts"]["talks"] == 451
    assert 1 <= added.manifest["counts"]["embedded_now"] <= 3  # title, title+abstract, one sentence
    copy.save_user_talks([])
    removed = build(copy, "use-multilingual")
    assert removed.manifest["counts"]["talks"] == 450 and removed.manifest["counts"]["embedded_now"] == 0


def test_loaded_talks_derive_their_folded_text_and_share_repeated_strings(copy):
    """A served index holds every talk in memory: the folded title and abstract are derived, not a
    second stored copy, and an event's name or a session's title is one string for all its talks."""
    from corpus.text import normalize
    from corpus.userdata import validate_row

    talk, errors = validate_row({"event": "csml2026", "code": "A1-1", "title": "Ｄｉｆｆｕｓｉｏｎ  Models",
                                 "speaker": "张三", "abstract": "扩散模型 ＡＢＣ"})  # fmt: skip
    assert not errors
    copy.save_user_talks([talk])
    build(copy, "use-multilingual")
    talks = copy.read_index().talks
    mine = next(t for t in talks if t.event == "csml2026")
    assert mine.title_norm == normalize(mine.title) == "diffusion models"
    assert mine.to_dict()["abstract_norm"] == "扩散模型 abc"
    csml24 = [t for t in talks if t.event == "csml2024"]
    assert len({id(t.event_name) for t in csml24}) == 1 and len({id(t.event) for t in csml24}) == 1


# --- lexical: Chinese tokenization never misses a talk that contains the query's words ---------


def test_chinese_user_dictionary_keeps_terms_whole(bundle):
    words = set(bundle.tokenizer.user_words)
    assert {"物理信息神经网络", "偏微分方程", "正则化"} <= words
    tokens = bundle.tokenizer.tokens("PINN的失效与其隐式正则化")
    assert "pinn" in tokens and "正则化" in tokens


def test_traditional_and_full_width_queries_fold():
    tok = Tokenizer()
    assert tok.tokens("擴散模型") == tok.tokens("扩散模型")
    assert tok.tokens("ＰＩＮＮ") == tok.tokens("pinn") == ["pinn"]
    assert tok.tokens("PDEs") == tok.tokens("PDE")


@pytest.fixture(scope="session")
def chinese_titles(bundle):
    return [(i, t.title) for i, t in enumerate(bundle.talks) if t.title_lang == "zh"]


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_chinese_query_never_scores_zero_against_a_talk_containing_it(bundle, chinese_titles, data):
    row, title = data.draw(st.sampled_from(chinese_titles))
    runs = [r for r in __import__("re").findall("[\u4e00-\u9fff]{2,}", title)]
    run = data.draw(st.sampled_from(runs))
    start = data.draw(st.integers(0, len(run) - 2))
    end = data.draw(st.integers(start + 2, len(run)))
    query = run[start:end]
    scores = bundle.lexical.scores(bundle.tokenizer.tokens(query))
    assert scores[row] > 0, query
    assert any(t.startswith(BIGRAM) for t in bundle.tokenizer.tokens(query))


def test_index_info_verifies_checksums(copy):
    from click.testing import CliRunner

    from search.cli import main

    runner = CliRunner()
    healthy = runner.invoke(main, ["--data-dir", str(copy.root), "index", "info"])
    assert healthy.exit_code == 0 and "encoder:" in healthy.output
    path = copy.index_dir / "talks.jsonl"
    path.write_bytes(path.read_bytes()[:-10])
    broken = runner.invoke(main, ["--data-dir", str(copy.root), "index", "info"])
    assert broken.exit_code != 0 and "talks.jsonl is corrupt" in broken.output and "Traceback" not in broken.output
    fast = runner.invoke(main, ["--data-dir", str(copy.root), "index", "info", "--no-verify"])
    assert fast.exit_code == 0
