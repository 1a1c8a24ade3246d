"""Nothing printed in a source is lost or changed on the way into a record."""

from __future__ import annotations

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
