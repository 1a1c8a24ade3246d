"""Parsers never crash on arbitrary text: they warn or return nothing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.csml_book import parse_invited, parse_sessions, split_sections
from corpus.csml_grid import parse_grid
from corpus.lines import Warnings, clean_lines
from corpus.seminar import parse_seminar, split_reporter
from corpus.studyplan import parse_topics
from corpus.text import join_lines, language

# Text built from the sources' own vocabulary, so the parsers' branches are reached.
TOKENS = st.sampled_from(
    ["A1-1 ", "分会报告 B2 专题：", "摘要：", "**", "<p>", "梁    栋，清华大学", "（线", "上）", "\t", "\n", "8 月 18 日",
     "13:30-15:30", "邀请报告", "Time:2021-5-9,9:30-11:30", "Reporter:", "(TBD)", "1. ", "选题范围", "会场 3", "Abstract: x"]
)  # fmt: skip
TEXT = st.one_of(st.text(max_size=400), st.lists(st.one_of(TOKENS, st.text(max_size=8)), max_size=60).map("".join))


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_parsers_never_crash(text):
    w = Warnings()
    lines = clean_lines(text)
    inv, _ = split_sections(lines)
    parse_invited(inv, "f", w)
    parse_sessions(lines, "f", w, "E")
    parse_grid(text.splitlines(), 2024, set(), "")
    for rec in parse_seminar(lines, "f", w):
        split_reporter(rec.reporter, rec.affiliation)
    parse_topics(lines, "f", w)
    assert language(join_lines(text.splitlines())) in ("zh", "en", "mixed")
