"""Resolve name mentions into people: one Person per real person, homonyms kept apart.

Rules, in order:
- Chinese-name mentions are grouped by name, then split by institution: mentions whose
  institutions never overlap are different people (张林峰 of 深势科技 vs. of 上海交通大学).
- A mention without an affiliation joins the group of its name seen in the same event, else the
  group with the most mentions.
- A Latin-script name joins the Chinese-named person whose pinyin it spells (either order,
  hyphens, spaces and an English given name like 'John' ignored); the source's own pairing
  ('许志钦 (Zhi-Qin John Xu)') wins over romanisation.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict

from corpus.models import Mention, Person
from corpus.text import CJK_CHAR

CN = CJK_CHAR
ORG_END = re.compile(r"(大学|学院|研究院|研究所|研究中心|实验室|公司|集团|科技|中心|University|Institute|Lab|Center)")
ORG_ALIASES = {
    "北京大学": ("pku", "peking university", "北大"),
    "清华大学": ("tsinghua university", "清华"),
    "上海交通大学": ("sjtu", "shanghai jiao tong university", "上海交大", "交大"),
    "复旦大学": ("fudan university",),
    "新加坡国立大学": ("national university of singapore", "nus"),
    "中国科学技术大学": ("ustc", "university of science and technology of china", "中科大"),
    "深势科技": ("dp technology", "北京深势科技有限公司"),
}


def institutions(affiliation: str) -> set[str]:
    """Institution keys of an affiliation string: '数学科学学院/上海交通大学' -> {'上海交通大学', ...}."""
    keys: set[str] = set()
    for part in re.split(r"[；;、/，,]|\s{2,}", affiliation):
        part = re.sub(r"[（(].*?[)）]", "", part).strip().casefold()
        if not part:
            continue
        for canon, aliases in ORG_ALIASES.items():
            if canon in part or any(a == part or a in part for a in aliases):
                keys.add(canon)
        m = ORG_END.search(part)
        key = part[: m.end()] if m else part
        keys.add(key)
    return keys


GENERIC = re.compile(r"^(?:[^大]{0,12}(?:学院|系|研究院)|数学科学学院|电院)$")


def _specific(keys: set[str]) -> set[str]:
    """Drop sub-units printed without their university ('数学系', '自然科学研究院')."""
    return {k for k in keys if not GENERIC.match(k) or "北京" in k or "上海" in k}


def _overlap(a: set[str], b: set[str]) -> bool:
    return any(x in y or y in x for x in a for y in b if len(x) >= 2 and len(y) >= 2)


def pinyin_keys(name: str) -> set[str]:
    """Spellings of a Chinese name in Latin letters: given+surname and surname+given, all readings."""
    from pypinyin import Style, pinyin  # imported here: pypinyin takes a while to load

    if len(name) < 2:
        return set()
    syllables = pinyin(name, style=Style.NORMAL, heteronym=True)
    keys = set()
    for combo in itertools.islice(itertools.product(*syllables), 16):
        surname, given = combo[0], "".join(combo[1:])
        keys |= {given + surname, surname + given}
    return keys | {k.replace("v", "u") for k in keys}  # ü is printed as u (吕 Lü -> Lu)


def latin_keys(name: str) -> set[str]:
    """'Zhi-Qin John Xu' -> {'zhiqinjohnxu', 'zhiqinxu', 'johnzhiqinxu', ...}: with each word dropped once."""
    words = [w for w in re.split(r"[\s\-.]+", name.casefold()) if w]
    keys = {"".join(words)}
    if len(words) > 2:
        keys |= {"".join(words[:i] + words[i + 1 :]) for i in range(len(words))}
    return keys


def _slug(name: str) -> str:
    from pypinyin import Style, pinyin

    if CN.search(name):
        syl = [s[0].replace("v", "u") for s in pinyin(name, style=Style.NORMAL)]
        return "-".join([syl[0], "".join(syl[1:])])
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


def resolve(
    mentions: list[Mention], homonyms: dict[str, list[str]] | None = None
) -> tuple[list[Person], dict[int, str]]:
    """People, and for each mention (by index) the id of its person.

    ``homonyms`` maps a name to institutions that belong to different people of that name.
    """
    homonyms = homonyms or {}
    groups: dict[str, list[list[int]]] = defaultdict(list)
    latin: list[int] = []
    for i, m in enumerate(mentions):
        if CN.search(m.name):
            groups[m.name].append([i])
        else:
            latin.append(i)
    clusters: list[tuple[str, list[int]]] = []
    for name, singles in groups.items():
        found = _cluster_by_institution(mentions, [s[0] for s in singles], homonyms.get(name, []))
        clusters.extend((name, c) for c in found)
    owner: dict[int, int] = {}
    for ci, (_, idxs) in enumerate(clusters):
        for i in idxs:
            owner[i] = ci
    # Latin-script mentions: the source's own pairing first, then romanisation.
    by_key: dict[str, list[int]] = defaultdict(list)
    for ci, (name, _) in enumerate(clusters):
        for key in pinyin_keys(name):
            by_key[key].append(ci)
    paired = {mentions[i].latin.casefold(): owner[i] for i in owner if mentions[i].latin}
    latin_clusters: dict[str, int] = {}
    for i in latin:
        m = mentions[i]
        ci = paired.get(m.name.casefold())
        if ci is None:
            cands = sorted({c for k in latin_keys(m.name) for c in by_key.get(k, [])})
            if cands:
                ci = max(cands, key=lambda c: (_shares_event(mentions, clusters[c][1], m), len(clusters[c][1])))
        if ci is None:
            key = "".join(sorted(latin_keys(m.name)))
            if key not in latin_clusters:
                latin_clusters[key] = len(clusters)
                clusters.append((m.name, []))
            ci = latin_clusters[key]
        clusters[ci][1].append(i)
        owner[i] = ci
    return _people(mentions, clusters, owner)


def _shares_event(mentions: list[Mention], idxs: list[int], m: Mention) -> bool:
    return any(mentions[i].event == m.event for i in idxs)


def _cluster_by_institution(mentions: list[Mention], idxs: list[int], apart: list[str]) -> list[list[int]]:
    insts = {i: _specific(institutions(mentions[i].affiliation)) for i in idxs}
    with_aff = [i for i in idxs if insts[i]]
    without = [i for i in idxs if i not in with_aff]
    clusters: list[tuple[set[str], list[int]]] = []
    for i in with_aff:
        inst = insts[i]
        hit = [c for c in clusters if _overlap(c[0], inst)]
        if not hit:
            clusters.append((set(inst), [i]))
            continue
        first = hit[0]
        first[0].update(inst)
        first[1].append(i)
        for other in hit[1:]:
            first[0].update(other[0])
            first[1].extend(other[1])
            clusters.remove(other)
    clusters = _merge_movers(mentions, clusters, apart)
    if not clusters:
        return [without] if without else []
    for i in without:
        same_event = [c for c in clusters if any(mentions[j].event == mentions[i].event for j in c[1])]
        target = same_event[0] if len(same_event) == 1 else max(clusters, key=lambda c: len(c[1]))
        target[1].append(i)
    return [sorted(c[1]) for c in clusters]


def _merge_movers(
    mentions: list[Mention], clusters: list[tuple[set[str], list[int]]], apart: list[str]
) -> list[tuple[set[str], list[int]]]:
    """Merge institution groups of one name into one person who moved, unless the data shows two
    people: both groups in one event, or institutions listed apart in people.toml."""

    def side(c: tuple[set[str], list[int]]) -> set[int]:
        return {n for n, inst in enumerate(apart) if _overlap(c[0], {inst})}

    merged: list[tuple[set[str], list[int]]] = []
    for c in clusters:
        events = {mentions[i].event for i in c[1]}
        for m in merged:
            m_events = {mentions[i].event for i in m[1]}
            sa, sb = side(c), side(m)
            if not (events & m_events) and not (sa and sb and sa != sb):
                m[0].update(c[0])
                m[1].extend(c[1])
                break
        else:
            merged.append(c)
    return merged


def _people(
    mentions: list[Mention], clusters: list[tuple[str, list[int]]], owner: dict[int, int]
) -> tuple[list[Person], dict[int, str]]:
    people: list[Person] = []
    ids: dict[int, str] = {}
    used: dict[str, int] = defaultdict(int)
    order = sorted(range(len(clusters)), key=lambda c: min(clusters[c][1]) if clusters[c][1] else 10**9)
    for ci in order:
        name, idxs = clusters[ci]
        if not idxs:
            continue
        slug = _slug(name) or "person"
        used[slug] += 1
        pid = slug if used[slug] == 1 else f"{slug}-{used[slug]}"
        aliases: list[str] = []
        affs: list[str] = []
        roles: list[dict[str, str]] = []
        talks: list[str] = []
        for i in sorted(idxs):
            m = mentions[i]
            for alias in (m.name, m.latin):
                if alias and alias != name and alias not in aliases:
                    aliases.append(alias)
            if m.affiliation and m.affiliation not in affs:
                affs.append(m.affiliation)
            role = {"role": m.role, "event": m.event}
            if m.talk_id:
                role["talk"] = m.talk_id
            if role not in roles:
                roles.append(role)
            if m.talk_id and m.role == "speaker" and m.talk_id not in talks:
                talks.append(m.talk_id)
            ids[i] = pid
        if CN.search(name):
            romanised = " ".join(w.capitalize() for w in _slug(name).split("-")[::-1])
            if romanised not in aliases:
                aliases.append(romanised)
        people.append(Person(pid, name, aliases, affs, roles, talks))
    return people, ids
