"""Query translation: the glossary mined from the corpus and the CC-CEDICT term table."""

from __future__ import annotations

import pytest

from index.tokenize import Tokenizer, gloss_pairs
from index.translation import (
    TerminologyError,
    english_glosses,
    load_terminology,
    mine_glossary,
    translate,
    translate_query,
)


def test_chinese_terms_with_english_glosses_from_real_lines():
    # Lines as printed in the 2022 and 2024 books.
    assert ("整流线性单元", "ReLU") in gloss_pairs("摘要：整流线性单元(ReLU)是深度网络中最常用的的激活函数.")
    assert ("神经正切核", "NTK") in gloss_pairs("我将从神经正切核（NTK）的角度")
    assert ("卷积神经网络", "CNN") in gloss_pairs("我们提出了一种卷积神经网络（CNN）反应模型")
    assert ("物理信息神经网络", "PINN") in gloss_pairs("物理信息神经网络（PINN）在求解偏微分方程中得到")
    # 对 ends a term before it ('从对…'), but not inside the word 对抗: words, not characters, break.
    assert gloss_pairs("**摘要:**生成对抗网络(GAN)是高效生成模型,但") == [("生成对抗网络", "GAN")]


def test_english_phrases_with_acronyms():
    text = "The Physics-Informed Neural Network (PINN) approach is a new and promising way"
    assert ("physics-informed neural network", "PINN") in english_glosses(text)
    assert ("uncertainty quantification", "UQ") in english_glosses("works on uncertainty quantification (UQ) in NNs")


def test_glossary_chains_chinese_terms_to_english_phrases_through_acronyms():
    glossary = mine_glossary(
        [
            "伴随机器学习新浪潮，物理信息神经网络（PINN）迅速流行。",
            "The Physics-Informed Neural Network (PINN) approach is a new way to solve PDEs.",
        ]
    )
    assert ("物理信息神经网络", "physics-informed neural network") in glossary
    assert ("物理信息神经网络", "pinn") in glossary
    assert ("pinn", "physics-informed neural network") in glossary


def test_translate_uses_glossary_terminology_and_dictionary(engine):
    table, tok = engine.searcher.bundle.terms, engine.searcher.bundle.tokenizer
    assert "物理信息神经网络" in translate("PINN implicit regularization", table, tok)  # mined glossary
    assert "inverse problem" in translate("反问题的深度学习方法", table, tok)  # terminology: CC-CEDICT lacks it
    assert "manifold" in translate("流形上的优化算法", table, tok)
    assert "landscape" in translate("景观", table, tok)  # CC-CEDICT alone
    zh = translate("weather forecasting and earth system", table, tok)
    assert "天气预报" in zh  # an English phrase -> a Chinese word the corpus uses
    assert translate("扩散", table, tok) == ["diffuse"]  # the sense the corpus uses, not 'spread'


def test_longest_term_claims_its_words(engine):
    table, tok = engine.searcher.bundle.terms, engine.searcher.bundle.tokenizer
    assert translate("张量网络", table, tok) == ["tensor network"]  # not also 'tensor' for 张量
    # Overlapping terms are both kept: 强化学习 and 学习理论 share 学习.
    terms = translate("强化学习理论", table, tok)
    assert "reinforcement learning" in terms and "learning theory" in terms


def test_translation_reports_what_it_left_untranslated(engine):
    table, tok = engine.searcher.bundle.terms, engine.searcher.bundle.tokenizer
    found = translate_query("LLM 训练 优化器", table, tok)
    assert ("llm", "large language model") in found.pairs
    assert "训练" in found.untranslated
    whole = translate_query("tensor network machine learning", table, tok)
    assert whole.untranslated == []


def test_terminology_file_is_valid_and_errors_name_the_line(tmp_path):
    pairs = load_terminology()
    assert ("反问题", "inverse problem") in pairs and ("推理", "reasoning") in pairs
    bad = tmp_path / "terms.tsv"
    bad.write_text("# comment\n泛化\tgeneralization\ninverse problem 反问题\n", encoding="utf-8")
    with pytest.raises(TerminologyError, match=r"terms.tsv:3: expected 'Chinese term<TAB>English term"):
        load_terminology(bad)


def test_a_chinese_query_finds_english_talks_through_terminology(engine):
    hits = engine.search("反问题的深度学习方法", k=10).hits
    english = [h.id for h in hits if h.lang == "en"]
    assert {"seminar-2021-08-28-1", "csml2022-B2-3"} <= set(english)


def test_generic_words_are_not_translated_alone(engine):
    table, tok = engine.searcher.bundle.terms, engine.searcher.bundle.tokenizer
    assert "模型" in table.generic
    assert translate("模型", table, tok) == []


def test_translated_partial_matches_stay_below_full_matches(engine):
    # An English query's translated terms must not push Chinese talks above the English talk that
    # matches all its words, nor Chinese talks that share one common word above it.
    response = engine.search("tensor network machine learning", k=5)
    assert "张量网络" in response.translations
    assert response.hits[0].id == "csml2022-B5-1"
    assert response.hits[0].score > 1.4 * response.hits[1].score


def test_tokenizer_is_saved_with_its_words():
    tok = Tokenizer(["物理信息神经网络"])
    assert "物理信息神经网络" in tok.tokens("物理信息神经网络求解方程")


def test_fold_skips_conversion_only_where_conversion_would_change_nothing():
    """fold() calls the t2s converter only for texts holding a trigger character; every line of the
    bundled sources and traditional phrases (沈默 has no traditional character) fold as a full conversion."""
    import unicodedata
    from pathlib import Path

    from index.tokenize import _t2s, fold

    sources = Path(__file__).resolve().parent.parent / "corpus" / "sources"
    lines = [ln for f in sorted(sources.glob("*.txt")) for ln in f.read_text(encoding="utf-8").splitlines()]
    lines += ["他沈默了很久", "機器學習與偏微分方程", "一目瞭然，深度學習", "資料科學 Deep Learning"]
    assert len(lines) > 1000
    for line in lines:
        assert fold(line) == _t2s().convert(unicodedata.normalize("NFKC", line).casefold()), line
    assert fold("他沈默了很久") == "他沉默了很久"
