"""Parse the study plan's annex of research directions into Topic records."""

from __future__ import annotations

import re

from corpus.lines import Line, Warnings
from corpus.models import Topic
from corpus.text import join_lines

ANNEX = re.compile(r"选题范围|附件")
ITEM = re.compile(r"^(\d{1,2})\s*[.．、]\s*(.+)$")


def parse_topics(lines: list[Line], path: str, warnings: Warnings) -> list[Topic]:
    """One Topic per numbered direction in the annex, in printed order.

    The annex numbers two directions '1.'; ids follow the printed order (topic-1 .. topic-13),
    not the printed numbers.
    """
    # The annex heading is the last line naming 选题范围 (the plan's body refers to it earlier).
    start = max((i for i, ln in enumerate(lines) if "选题范围" in ln.text), default=None)
    if start is None:
        warnings.add(path, 1, "no research-direction annex (选题范围) found")
        return []
    items: list[tuple[Line, str, list[str]]] = []
    for line in lines[start + 1 :]:
        if m := ITEM.match(line.text):
            items.append((line, m.group(2), []))
        elif items:
            items[-1][2].append(line.text)
        elif not ANNEX.search(line.text) and not line.text.startswith("以总体科学目标"):
            warnings.add(path, line.no, f"annex text before the first direction: {line.text[:30]!r}")
    topics = []
    for n, (line, title, desc) in enumerate(items, start=1):
        title = re.sub(r"//.*$", "", title).strip().rstrip("。.")
        topics.append(Topic(f"topic-{n}", title, join_lines(desc), f"{path}:{line.no}"))
    return topics
