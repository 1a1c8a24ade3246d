"""Parse the '会议组织' section of a CSML book: chairs of the conference, committees, round table."""

from __future__ import annotations

import re

from corpus.lines import Line
from corpus.models import Mention
from corpus.text import CJK, squash

CN = CJK
START = re.compile(r"^[一二三四五六七八九十]+、\s*会议组织\s*$")
END = re.compile(r"^(?:[一二三四五六七八九十]+、|主办单位)")
HEADING = re.compile(
    r"^(大会主席|会议学术委员会|学术委员会|圆桌论坛|邀请大会报告人|会议组织委员会|组织委员会主席|组织委员会成员)"
)
ROLE = {
    "大会主席": "committee",
    "会议学术委员会": "committee",
    "学术委员会": "committee",
    "圆桌论坛": "round table",
    "会议组织委员会": "committee",
    "组织委员会主席": "committee",
    "组织委员会成员": "committee",
}
ENTRY = re.compile(rf"([{CN}](?:\s*[{CN}]){{1,3}})\s*[（(](.*?)[)）](?=\s*(?:[，,、]|$))")
TITLES = re.compile(r"^(?:中国科学院院士|院士|教授|研究员|副教授|特聘教授|长聘教轨副教授|助理教授|欧洲[^、,，]*院士)$")


def parse_organisation(lines: list[Line], event: str, path: str) -> list[Mention]:
    mentions: list[Mention] = []
    inside, role = False, ""
    for line in lines:
        text = line.text
        if START.match(text):
            inside = True
            continue
        if not inside:
            continue
        if END.match(text):
            break
        if h := HEADING.match(text):
            role = ROLE.get(h.group(1), "")
            continue
        if not role:
            continue
        for m in ENTRY.finditer(text):
            name = re.sub(r"\s+", "", m.group(1))
            parts = [p.strip() for p in re.split(r"[,，、]", m.group(2)) if p.strip()]
            aff = "，".join(p for p in parts if not TITLES.match(p))
            mentions.append(Mention(name, event, role, squash(aff), source=f"{path}:{line.no}"))
    return mentions
