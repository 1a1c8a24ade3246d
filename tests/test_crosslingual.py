"""Cross-lingual levers, each on real corpus text: document-side translation, the induced lexicon,
question words, Chinese names of people printed only in Latin letters."""

from __future__ import annotations

from index.builder import talk_text
from index.tokenize import without_question_words
from index.translation import document_terms

HYDRATE_TALK = "csml2025-E6-3"  # 'A physics-informed deep learning method for solving hydrate dissociation ...'
HYDRATE_QUESTION = "如何用深度学习求解沉积物中水合物分解的问题？"


def test_an_english_talk_carries_chinese_terms_no_chinese_talk_has(engine):
    """Document-side translation produces words a query may contain, not only words of the corpus:
    no Chinese talk mentions 水合物, yet the English hydrate talk is indexed under it."""
    bundle = engine.searcher.bundle
    talk = bundle.talks[engine.searcher.row[HYDRATE_TALK]]
    assert "hydrate" in talk.abstract.lower()
    assert not any("水合物" in t.abstract for t in bundle.talks if t.abstract_lang == "zh")
    assert "水合物" in bundle.lexical.model.vocab_dict
    ids = bundle.lexical.scores(bundle.tokenizer.tokens("水合物")).nonzero()[0]
    assert HYDRATE_TALK in {bundle.talks[i].id for i in ids}


def test_a_chinese_question_finds_the_english_talk_through_its_translated_field(engine):
    """The lexical baseline translates nothing at query time: the match comes from the talk's field."""
    lexical = [h.id for h in engine.search(HYDRATE_QUESTION, k=5, method="lexical").hits]
    assert HYDRATE_TALK in lexical
    assert engine.search(HYDRATE_QUESTION, k=1).hits[0].id == HYDRATE_TALK


def test_document_translation_leaves_everyday_words_alone(engine):
    """似乎 ('seemingly'), 之后 ('after'): everyday words give no English terms to a Chinese talk."""
    bundle = engine.searcher.bundle
    from index.translation import document_table

    zh = [talk_text(t) for t in bundle.talks if t.abstract_lang == "zh"]
    en = [talk_text(t) for t in bundle.talks if t.abstract_lang == "en"]
    table = document_table(zh, en, bundle.tokenizer, bundle.terms)
    terms = document_terms("这似乎说明，之后神经网络的梯度下降会收敛", table, bundle.tokenizer)
    assert "gradient" in " ".join(terms)
    assert not {"seemingly", "after", "afterwards"} & set(" ".join(terms).split())


def test_question_words_leave_the_lexical_query():
    assert without_question_words("How can AI be used for lossless data compression?").split() == [
        "AI", "used", "for", "lossless", "data", "compression?"
    ]  # fmt: skip
    assert "如何" not in without_question_words("如何用深度学习求解偏微分方程？")
    assert without_question_words("有没有用深度学习做混沌传播的方法？").strip() == "用深度学习做混沌传播的方法？"
    assert "however" in without_question_words("however the knowhow")  # whole words only
    assert without_question_words("what is") == "what is"  # nothing else: left as typed


def test_question_words_are_not_searched(engine):
    analysis = engine.searcher.analyze(engine.searcher.parse("为什么神经网络能否泛化？"))
    assert not {"为什么", "能否"} & set(analysis.tokens)
    assert "泛化" in analysis.tokens


def test_a_latin_printed_speaker_is_found_by_the_chinese_form_of_the_name(engine):
    """Lexing Ying is printed only in Latin letters; 应乐兴 spells his name in pinyin."""
    response = engine.search("应乐兴", k=3)
    assert response.people == [{"id": "lexing-ying", "name": "Lexing Ying"}]
    assert response.hits[0].id == "seminar-2021-08-28-1"
    assert engine.search("扩散模型", k=3).people == []  # an ordinary word is no name


def test_compound_terms_are_translated_in_the_sense_the_corpus_uses(engine):
    """状态 is first 'condition' in CC-CEDICT, 测量 first 'survey': the corpus's English talks print
    'state space' and 'sparse measurements', so those senses are chosen and the others rejected."""
    from index.translation import _cedict

    assert _cedict()["状态"][0] == "condition" and _cedict()["测量"][0] == "survey"
    glossary = set(engine.searcher.bundle.terms.glossary)
    assert ("状态空间", "state space") in glossary
    assert ("稀疏测量", "sparse measurements") in glossary
    assert not {("状态空间", "condition space"), ("稀疏测量", "sparse survey")} & glossary
    provenance = engine.searcher.bundle.terms.provenance
    assert provenance["induced from CC-CEDICT word by word"] > 0


def test_a_latin_printed_name_is_found_family_name_first(engine):
    """Chinese readers write the family name first: 'Ying Lexing' is Lexing Ying."""
    assert engine.search("Ying Lexing", k=1).people == [{"id": "lexing-ying", "name": "Lexing Ying"}]
    assert engine.search("Yang Haizhao", k=1).people == [{"id": "haizhao-yang", "name": "Haizhao Yang"}]
