"""The build's tokenizer shortcuts give exactly jieba's and the plain passes' output."""

from __future__ import annotations

import re

import pytest

from corpus.build import load
from corpus.text import CJK
from index import parallel
from index.builder import first_pass
from index.tokenize import Tokenizer, derive_user_words


@pytest.fixture(scope="module")
def talks():
    return load().talks


@pytest.fixture(scope="module")
def tok(talks):
    return Tokenizer(derive_user_words(f"{t.title}\n{t.abstract}" for t in talks))


def test_search_cut_equals_jiebas_cut_for_search_on_every_run_of_the_corpus(talks, tok):
    runs = {r for t in talks for r in re.findall(f"[{CJK}]+", f"{t.title}\n{t.abstract}")}
    assert len(runs) > 2000
    for run in runs:
        assert list(tok._cut_for_search(run)) == list(tok.segmenter.cut_for_search(run)), run


def test_remembering_changes_no_token_and_forgets_after_the_block(talks, tok):
    texts = [f"{t.title}\n{t.abstract}" for t in talks[:60]]
    plain = [(tok.tokens(x), tok.words(x)) for x in texts]
    with tok.remembering():
        remembered = [(tok.tokens(x), tok.words(x)) for x in texts]
        assert tok._cuts
    assert remembered == plain and tok._cuts is None


def test_first_pass_on_forked_workers_equals_one_process(talks, tok, monkeypatch):
    people = {p.id: p for p in load().people}
    alone = first_pass(talks, people, tok)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 0)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    parts = parallel.map_chunks(lambda chunk: first_pass(chunk, people, tok), talks)
    assert len(parts) > 1
    assert [f for p in parts for f in p.fields] == alone.fields
    for key in ("zh_df", "en_df", "zh_terms"):
        together = parallel.merged(getattr(p, key) for p in parts)
        assert together == getattr(alone, key) and list(together) == list(getattr(alone, key))
    assert alone.zh_df["神经网络"] > 10 and alone.en_df["network"] > 10
