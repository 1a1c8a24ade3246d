"""The facts of the data: counts per event, kinds, abstracts, sessions, languages."""

from __future__ import annotations

from collections import Counter

import pytest

from corpus.models import KINDS

EXPECTED = {
    # event: (records, kinds, with abstract, sessions)
    "csml2022": (103, {"session": 98, "invited": 5}, 102, 23),
    "csml2024": (147, {"session": 135, "student": 8, "invited": 4}, 147, 35),
    "csml2025": (167, {"session": 132, "student": 31, "invited": 4}, 158, 40),
    "seminar": (33, {"seminar": 30, "lecture": 3}, 30, 0),
}


@pytest.mark.parametrize("event", EXPECTED)
def test_counts_per_event(corpus, event):
    records, kinds, with_abstract, sessions = EXPECTED[event]
    talks = [t for t in corpus.talks if t.event == event]
    assert len(talks) == records
    assert Counter(t.kind for t in talks) == kinds
    assert sum(t.has_abstract for t in talks) == with_abstract
    assert len({t.session for t in talks if t.session}) == sessions


@pytest.mark.parametrize(
    ("event", "zh", "en", "mixed"),
    [("csml2022", 47, 55, 0), ("csml2024", 110, 36, 1), ("csml2025", 74, 84, 0)],
)
def test_abstract_languages(corpus, event, zh, en, mixed):
    langs = Counter(t.abstract_lang for t in corpus.talks if t.event == event and t.has_abstract)
    # "roughly" in the brief: allow two talks of slack per language.
    assert abs(langs["zh"] - zh) <= 2 and abs(langs["en"] - en) <= 2 and abs(langs["mixed"] - mixed) <= 2


def test_ids_are_unique_and_readable(corpus):
    ids = [t.id for t in corpus.talks]
    assert len(ids) == len(set(ids))
    for tid in ("csml2022-A1-2", "csml2025-INV-1", "seminar-2021-11-27-1", "seminar-2021-11-27-2", "csml2024-E2-4"):
        assert tid in ids


def test_every_record_has_the_fields(corpus):
    for t in corpus.talks:
        assert t.kind in KINDS
        assert t.title and t.speaker, t.id
        assert t.source.startswith("corpus/sources/") and ":" in t.source
        assert t.has_abstract == bool(t.abstract)
        assert (t.abstract_lang in ("zh", "en", "mixed")) == t.has_abstract
        assert t.title_lang in ("zh", "en", "mixed")
        if t.event.startswith("csml"):
            unprinted = any(f"session {t.session}: the schedule prints no room" in p for p in corpus.problems)
            assert t.date and t.time and (t.room or unprinted), f"{t.id} has no schedule slot"


def test_no_markup_left(corpus):
    for t in corpus.talks:
        for text in (t.title, t.abstract, t.speaker, t.affiliation, t.session_title):
            assert "**" not in text and "<p>" not in text and "</b>" not in text, t.id
            assert not text.startswith("#"), t.id


def test_thirteen_topics(corpus):
    assert [t.id for t in corpus.topics] == [f"topic-{n}" for n in range(1, 14)]
    assert corpus.topics[0].title == "深度学习的表示理论和泛化理论"
    assert corpus.topics[1].title == "深度学习的训练方法"  # the annex prints '1.' twice
    assert corpus.topics[-1].title == "高精度、可解释的谱学和影像数据分析方法"
    assert all(len(t.description) > 50 for t in corpus.topics)


def test_no_parser_warnings_on_bundled_sources(corpus):
    assert corpus.warnings == []
