"""Nothing printed in a source is lost or changed on the way into a record."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from corpus.text import strip_markup

ROOT = Path(__file__).resolve().parent.parent
DIGITS = re.compile(r"\d+")
# Where an abstract starts and what ends it, read straight off the source lines (not the parser's rules).
ABSTRACT_START = re.compile(r"^\s*(?:(?:报告)?摘要|Abstract)\s*[:：]", re.I)
ABSTRACT_END = re.compile(
    r"^\s*(?:(?:报告人)?简介\s*[:：]|(?:Bio|Slides|Replay|Homepage|Reference|Time)\s*:"
    r"|[一二三四五六七八九十]+、|分会报告|学生分会|[A-F]\d{1,2}-\d{1,2}\s)"
)
GLUED_RECORD = re.compile(r"\*\*\s*(?:分会报告|[A-F]\d{1,2}-\d{1,2}\b)")
PAGE_FOOTER = re.compile(r"^[-–— ]*\d{1,3}[-–— ]*$")


def _source_abstracts(corpus) -> dict[str, str]:
    """Per talk, the text of its abstract as the source prints it, from its record's line to the next."""
    by_file: dict[str, list[tuple[int, str]]] = {}
    for t in corpus.talks:
        path, line = t.source.rsplit(":", 1)
        by_file.setdefault(path, []).append((int(line), t.id))
    out: dict[str, str] = {}
    for path, heads in by_file.items():
        lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
        heads.sort()
        for (start, tid), (end, _) in zip(heads, [*heads[1:], (len(lines) + 1, "")], strict=True):
            text, inside = [], False
            for raw in lines[start - 1 : end - 1]:
                glued = GLUED_RECORD.search(raw)
                line = strip_markup(raw[: glued.start()] if glued else raw).strip()
                if inside and ABSTRACT_END.match(line):
                    break
                inside = inside or bool(ABSTRACT_START.match(line))
                if inside and not PAGE_FOOTER.match(line):
                    text.append(line)
                if inside and glued:
                    break
            out[tid] = "\n".join(text)
    return out


def test_every_digit_of_every_abstract_is_kept(corpus):
    sources = _source_abstracts(corpus)
    lost = {}
    for t in corpus.talks:
        printed = Counter(DIGITS.findall(ABSTRACT_START.sub("", sources[t.id], count=1)))
        missing = printed - Counter(DIGITS.findall(t.abstract))
        if missing and t.has_abstract:
            lost[t.id] = dict(missing)
    assert lost == {}
    assert sum(bool(DIGITS.search(s)) for s in sources.values()) > 100  # the check sees real abstracts


@pytest.mark.parametrize(
    ("talk_id", "printed"),
    [
        ("csml2022-A1-3", "计算机 4 视觉"),
        ("csml2025-A3-1", "（例如 2 步）"),
        ("csml2025-B7-3", "包含 5 级台阶"),
        ("csml2025-D3-3", "(例如 2 步)"),
    ],
)
def test_lone_numbers_inside_a_line_are_text_not_page_numbers(talk, talk_id, printed):
    assert printed in talk(talk_id).abstract


def test_page_footer_on_a_line_of_its_own_is_dropped(talk):
    # the last record of the 2022 book is followed by the page footer ' 37 ' on a line of its own
    assert not talk("csml2022-D5-4").abstract.rstrip().endswith("37")


_EXPORT = (
    "import json; from corpus.build import load; c = load(); "
    "print(json.dumps([r.to_dict() for r in c.talks + c.people + c.topics], ensure_ascii=False))"
)


def _export(seed: str) -> list[dict]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", _EXPORT], env=env, cwd=ROOT, capture_output=True, check=True)
    return json.loads(out.stdout)


def test_corpus_is_the_same_in_processes_with_different_hash_seeds():
    first, second = _export("1"), _export("2")
    assert len(first) > 400
    assert first == second


# Book vs. schedule grid (issue #14): the grid prints each session talk as 'NAME：title' too.
@pytest.mark.parametrize(
    ("talk_id", "title"),
    [
        ("csml2025-B8-1", "Memory-Efficient Block Coordinate Descent and Backpropagation for LLM Training"),
        ("csml2025-B8-2", "Fine-Tuning Large Language Models with Forward-only Optimizers"),
        ("csml2022-C1-5", "Generative Modelling with AI Lossless Compression"),
    ],
)
def test_title_the_grid_prints_wins_where_it_matches_the_abstract_better(talk, talk_id, title):
    assert talk(talk_id).title == title


def test_book_title_is_kept_where_it_matches_the_abstract_better(talk):
    # the grid prints another title for this talk; the book's is the one the abstract is about
    assert talk("csml2025-B8-4").title.startswith("A Memory Efficient Randomized Subspace")
    # a colon inside a title is not a new grid entry ('Friedrichs 学习: ...')
    assert talk("csml2024-A5-2").title == "Friedrichs 学习: 通过深度学习求解偏微分方程弱解"


def _problem(corpus, talk_id: str) -> str:
    found = [p for p in corpus.problems if f": {talk_id}: " in p]
    assert len(found) == 1, found
    return found[0]


def test_disagreements_are_logged_with_what_was_kept(corpus):
    assert "kept the grid's" in _problem(corpus, "csml2025-B8-1")
    assert "kept the grid's" in _problem(corpus, "csml2022-C1-5")
    assert "kept the book's" in _problem(corpus, "csml2025-B8-4")
    assert corpus.warnings == []  # disagreements are problems of the sources, not parser failures


def test_speaker_name_disagreement_is_reported_and_unsupported_readings_keep_the_book(corpus, talk):
    p = _problem(corpus, "csml2024-C4-1")
    assert "'邱恰轩' in the book" in p and "'邱怡轩' in the grid" in p and "neither reading" in p
    assert talk("csml2024-C4-1").speaker == "邱恰轩"  # neither name occurs anywhere else in the corpus


def test_speaker_name_reading_supported_elsewhere_in_the_corpus_wins(corpus):
    from corpus.build import _resolve_names
    from corpus.crosscheck import NameDisagreement
    from corpus.lines import Warnings
    from corpus.models import Mention

    t = copy.deepcopy(corpus.talk("csml2024-C4-1"))
    own = Mention(t.speaker, t.event, "speaker", t.affiliation, t.id, source=t.source)
    chair = Mention("邱怡轩", "csml2025", "chair", "", source="x:1")
    problems = Warnings()
    _resolve_names([NameDisagreement(t.id, "邱恰轩", "邱怡轩", t.source, 216)], [t], [own, chair], problems)
    assert t.speaker == own.name == "邱怡轩"
    assert "kept '邱怡轩' (occurs elsewhere" in problems.items[0]


def test_corpus_stats_problems_lists_every_disagreement(tmp_path, corpus):
    from click.testing import CliRunner

    from search.cli import main

    args = ["--data-dir", str(tmp_path / "var"), "corpus", "stats", "--problems"]
    out = CliRunner().invoke(main, args, catch_exceptions=False)
    assert out.exit_code == 0
    assert f"{len(corpus.problems)} problem(s)" in out.stdout
    for tid in ("csml2025-B8-1", "csml2025-B8-2", "csml2022-C1-5", "csml2024-C4-1"):
        assert tid in out.stdout
    as_json = json.loads(CliRunner().invoke(main, [*args, "--json"]).stdout)
    assert as_json["problems"] == corpus.problems
