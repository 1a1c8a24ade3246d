"""Highlights mark whole query terms; snippets start and end at word or sentence boundaries."""

from __future__ import annotations

from index.tokenize import Tokenizer
from search.snippets import snippet, spans, terms

TOK = Tokenizer(["背包问题"])


def marked(text: str, query: str) -> list[str]:
    return [text[a:b] for a, b in spans(text, terms(query, TOK), TOK)]


def test_chinese_terms_only_on_word_boundaries():
    assert marked("大幅提升了大模型的性能", "大模型") == ["大模型"]
    assert marked("背包问题是经典问题，反问题也是", "反问题") == ["问题", "反问题"]


def test_english_words_match_by_stem_never_as_prefix():
    assert marked("However, how neural networks and a network generalize", "how network") == [
        "how",
        "networks",
        "network",
    ]


def test_translated_phrases_match_whole_words():
    text = "tensor networks and tensor networking"
    assert [text[a:b] for a, b in spans(text, ["tensor network"], TOK)] == ["tensor networks"]


def test_snippet_starts_at_a_sentence_and_ends_at_a_boundary():
    text = (
        "Deep learning has achieved great success in many fields of science and engineering. "
        * 2
        + "However, how neural networks generalize remains unclear; we study the implicit regularization of "
        "training dynamics in wide networks. "
        + "Further results follow in many directions and settings of practical interest. "
        * 4
    )
    snip, marks = snippet(text, terms("implicit regularization", TOK), tokenizer=TOK)
    assert snip.startswith("…However, how") and snip.endswith(".…")
    assert [snip[a:b] for a, b in marks] == ["implicit", "regularization"]
    body = snip.strip("…")
    assert body in text and len(body) <= 180


def test_chinese_snippet_ends_at_a_sentence_end():
    text = (
        "为什么神经网络的模型看起来如此复杂却通常能泛化好？" * 3
        + "其次是参数的凝聚效应，其使大网络有效神经元数目远少于实际神经元数目。" * 4
    )
    snip, marks = snippet(text, terms("凝聚效应", TOK), width=80, tokenizer=TOK)
    assert snip.rstrip("…")[-1] in "。？" and snip.lstrip("…")[0] in "为其"
    assert all(snip[a:b] == "凝聚效应" for a, b in marks) and marks


def test_chinese_highlights_segment_only_the_matched_runs_and_agree_with_the_whole_text():
    """Word edges are looked up in the run around a match; the result equals the edges of the
    whole text's segmentation, on every Chinese abstract of the corpus."""
    import re

    import jieba

    from corpus.build import load
    from corpus.text import CJK
    from search import snippets

    def whole_text_edges(folded: str) -> set[int]:
        edges: set[int] = set()
        for run in re.finditer(f"[{CJK}]+", folded):
            for _, a, b in jieba.dt.tokenize(run.group()):
                edges.update((run.start() + a, run.start() + b))
        return edges

    checked = 0
    for talk in load().talks:
        if talk.abstract_lang != "zh":
            continue
        folded = snippets._folded(talk.abstract)
        edges = whole_text_edges(folded)
        for offset in range(len(folded) + 1):
            assert snippets._is_edge(folded, offset, jieba.dt) == (offset in edges), (talk.id, offset)
        checked += 1
    assert checked > 100
