"""People: one per real person across sources, Latin forms joined by pinyin, homonyms apart."""

from __future__ import annotations

from corpus.models import Mention
from corpus.people import latin_keys, pinyin_keys, resolve


def _people_named(corpus, name):
    return [p for p in corpus.people if p.name == name]


def test_xu_zhiqin_is_one_person_under_all_forms(corpus):
    (xu,) = _people_named(corpus, "许志钦")
    assert {"Zhi-Qin John Xu", "Zhiqin John Xu"} <= set(xu.aliases)
    roles = {r["role"] for r in xu.roles}
    assert {"speaker", "committee", "round table"} <= roles
    assert {"csml2022-INV-1", "csml2024-B1-3", "seminar-2021-07-17-1"} <= set(xu.talk_ids)
    assert not [p for p in corpus.people if p.name in ("Zhi-Qin John Xu", "Zhiqin John Xu")]


def test_latin_names_join_their_chinese_names(corpus):
    for cn, latin in [
        ("张林峰", "Linfeng Zhang"),
        ("鄂维南", "Weinan E"),
        ("吴磊", "Lei Wu"),
        ("刘知远", "Zhiyuan Liu"),
    ]:
        owners = [p for p in corpus.people if latin in p.aliases and p.name == cn]
        assert owners, f"{latin} not joined to {cn}"
        assert not [p for p in corpus.people if p.name == latin]


def test_homonyms_stay_apart(corpus):
    zhang = _people_named(corpus, "张林峰")
    assert len(zhang) == 2
    by_talk = {tid: p.id for p in zhang for tid in p.talk_ids}
    assert by_talk["csml2022-INV-3"] == by_talk["seminar-2021-07-03-2"] != by_talk["csml2025-A4-2"]
    lin = _people_named(corpus, "林伟")
    assert len(lin) == 2
    assert {tuple(p.talk_ids) for p in lin} == {("csml2024-C2-2",), ("csml2024-D3-1",)}


def test_people_who_moved_stay_one_person(corpus):
    (mao,) = _people_named(corpus, "毛志平")
    assert {"厦门大学", "宁波东方理工大学"} <= set(mao.affiliations)


def test_pinyin_keys_cover_both_orders_and_u_umlaut():
    assert {"zhiqinxu", "xuzhiqin"} <= pinyin_keys("许志钦")
    assert "lele" not in pinyin_keys("吕乐") and "lelu" in pinyin_keys("吕乐")
    assert "zhiqinxu" in latin_keys("Zhi-Qin John Xu")


def test_resolve_joins_latin_names_by_pinyin_and_keeps_unmatched_ones():
    mentions = [
        Mention("王涵", "a", "speaker", "北京应用物理与计算数学研究所", "a-1"),
        Mention("Han Wang", "b", "speaker", "", "b-1"),
        Mention("Arnulf Jentzen", "b", "speaker", "", "b-2"),
    ]
    people, owner = resolve(mentions)
    assert owner[0] == owner[1] != owner[2]
    assert [p.name for p in people] == ["王涵", "Arnulf Jentzen"]
