"""Parse the joint-seminar web page: one 'Time:' block per talk, course lectures without abstracts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.lines import Line, Warnings
from corpus.text import CJK, has_cjk, join_lines

FIELD = re.compile(
    r"^(Time|Title|Topic|Reporter|Report|Affiliations|Abstract|Bio|Slides|Replay|Homepage|Reference"
    r"|Tecent Meeting[^:]*|Meeting ID|Password|Living Room|Alternate meeting ID[^:]*)\s*[:：]\s*(.*)$"
)
TIME = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\s*,?\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})")
LECTURE = re.compile(r"^The \w+ course of (\d{4}) \"(.+)\"$")
COMMITTEE = re.compile(r"^Organizing Committee\s*[:：]\s*(.+?)\.?$")
KEEP = {"time", "title", "topic", "reporter", "report", "affiliations", "abstract", "bio"}


@dataclass
class RawSeminar:
    kind: str
    date: str
    time: str
    title: str
    reporter: str
    affiliation: str
    abstract: str
    bio: str
    line: int
    fields: dict[str, list[str]] = field(default_factory=dict)


def committee(lines: list[Line]) -> tuple[list[str], int]:
    for line in lines:
        if m := COMMITTEE.match(line.text):
            return [n.strip() for n in m.group(1).split(",") if n.strip()], line.no
    return [], 0


def parse_seminar(lines: list[Line], path: str, warnings: Warnings) -> list[RawSeminar]:
    records: list[RawSeminar] = []
    cur: RawSeminar | None = None
    key = ""
    for line in lines:
        text = line.text
        if m := LECTURE.match(text):
            cur = RawSeminar("lecture", "", "", text, "", "", "", "", line.no)
            records.append(cur)
            key = ""
            continue
        m = FIELD.match(text)
        if m:
            name, value = m.group(1).lower(), m.group(2).strip()
            if name == "time":
                if cur is None or cur.kind != "lecture" or cur.date:
                    cur = RawSeminar("seminar", "", "", "", "", "", "", "", line.no)
                    records.append(cur)
                if t := TIME.search(value):
                    y, mo, d, a, b = t.groups()
                    cur.date, cur.time = f"{y}-{int(mo):02d}-{int(d):02d}", f"{a}-{b}"
                else:
                    warnings.add(path, line.no, f"unreadable seminar time {value!r}")
            if (
                name in ("reporter", "report")
                and cur is not None
                and cur.kind == "seminar"
                and (cur.fields.get("reporter") or cur.fields.get("report"))
            ):
                # A second talk of the same date printed without its own Time line.
                prev = cur
                cur = RawSeminar("seminar", prev.date, prev.time, "", "", "", "", "", line.no)
                records.append(cur)
            key = name if name in KEEP else ""
            if cur is not None and key and key != "time":
                cur.fields.setdefault(key, []).append(value)
            continue
        if cur is not None and key in ("abstract", "bio", "affiliations", "title", "topic"):
            cur.fields.setdefault(key, []).append(text)
        elif cur is not None and key == "":
            continue  # continuation of a link/meeting field: not talk content
    for rec in records:
        f = rec.fields
        rec.title = rec.title if rec.kind == "lecture" else join_lines(f.get("title", []) or f.get("topic", []))
        rec.reporter = join_lines(f.get("reporter", []) or f.get("report", []))
        rec.affiliation = "; ".join(x for x in f.get("affiliations", []) if x)
        rec.abstract = join_lines(f.get("abstract", []))
        rec.bio = join_lines(f.get("bio", []))
        if not rec.title or not rec.reporter or not rec.date:
            warnings.add(path, rec.line, "seminar record missing title, reporter or date")
    return records


def split_reporter(reporter: str, affiliation: str) -> list[tuple[str, str, str]]:
    """'许志钦 (Zhi-Qin John Xu), 上海交通大学' -> [(name, latin alias, affiliation)].

    Several speakers are separated by commas when no affiliation follows ("Zhong Li, Qianxiao Li").
    """
    text = reporter.strip()
    latin = ""
    aff = affiliation
    if m := re.match(r"^(?P<name>[^(（,，]+?)\s*[(（](?P<paren>[^)）]+)[)）]\s*(?:[,，]\s*(?P<aff>.+))?$", text):
        name, paren = m.group("name").strip(), m.group("paren").strip()
        if (
            has_cjk(name)
            and not has_cjk(paren)
            and len(paren.split()) <= 4
            and not re.search(r"Center|University|Institute|Research", paren)
        ):
            latin = paren
        elif not has_cjk(name) and re.fullmatch(f"[{CJK}]{{2,4}}", paren):
            latin, name = name, paren
        else:
            aff = aff or paren
        aff = m.group("aff") or aff
        return [(name, latin, aff)]
    if has_cjk(text) and ("," in text or "，" in text):
        name, rest = re.split(r"[,，]", text, maxsplit=1)
        return [(name.strip(), "", aff or rest.strip())]
    names = [n.strip() for n in re.split(r"[,，]", text) if n.strip()]
    return [(n, "", aff) for n in names]
