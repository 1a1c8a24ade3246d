"""Query translation: the glossary mined from the corpus and the CC-CEDICT term table."""

from __future__ import annotations

from index.tokenize import Tokenizer, gloss_pairs
from index.translation import english_glosses, mine_glossary, translate


def test_chinese_terms_with_english_glosses_from_real_lines():
    # Lines as printed in the 2022 and 2024 books.
    assert ("整流线性单元", "ReLU") in gloss_pairs("摘要：整流线性单元(ReLU)是深度网络中最常用的的激活函数.")
    assert ("神经正切核", "NTK") in gloss_pairs("我将从神经正切核（NTK）的角度")
    assert ("卷积神经网络", "CNN") in gloss_pairs("我们提出了一种卷积神经网络（CNN）反应模型")
    assert ("物理信息神经网络", "PINN") in gloss_pairs("物理信息神经网络（PINN）在求解偏微分方程中得到")


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


def test_translate_uses_glossary_and_dictionary(engine):
    table, tok = engine.bundle.terms, engine.bundle.tokenizer
    assert "物理信息神经网络" in translate("PINN implicit regularization", table, tok)
    assert "tensor" in translate("张量网络", table, tok)  # CC-CEDICT: 张量 -> tensor
    assert "manifold" in translate("流形上的优化算法", table, tok)
    zh = translate("weather forecasting and earth system", table, tok)
    assert "天气预报" in zh  # an English phrase -> a Chinese word the corpus uses
    assert translate("扩散模型", table, tok)[:1] == ["diffuse"]  # the sense the corpus uses, not 'spread'


def test_generic_words_are_not_translated_alone(engine):
    table, tok = engine.bundle.terms, engine.bundle.tokenizer
    assert "模型" in table.generic
    assert translate("模型", table, tok) == []


def test_translations_only_reach_the_other_language(engine):
    # An English query's translated terms must not push Chinese talks above English talks that
    # match all its words.
    response = engine.search("tensor network machine learning", k=5)
    assert "张量" in response.translations
    assert response.hits[0].id == "csml2022-B5-1"
    assert all(h.lang == "en" for h in response.hits)


def test_tokenizer_is_saved_with_its_words():
    tok = Tokenizer(["物理信息神经网络"])
    assert "物理信息神经网络" in tok.tokens("物理信息神经网络求解方程")
