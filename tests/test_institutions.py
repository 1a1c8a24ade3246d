"""The institution table: real corpus affiliations resolved across scripts, abbreviations and sub-units."""

from __future__ import annotations

import json

import pytest

from index.institutions import AMBIGUOUS, IGNORED, RESOLVED, UNRESOLVED, InstitutionTable, InstitutionTableError, table


def roots(text: str) -> set[str]:
    t = table()
    return {t.root(k) for k in t.resolve(text).institutions}


@pytest.mark.parametrize(
    ("printed", "institution"),
    [
        # printed in the corpus, and the short forms organizers type
        ("北京大学数学科学学院", "北京大学"),
        ("北京大学博雅特聘教授，北京大学北京国际数学研究中心，北京大学国际机器学习研究中心", "北京大学"),
        ("Peking University", "北京大学"),
        ("PKU", "北京大学"),
        ("北大", "北京大学"),
        ("Tsinghua", "清华大学"),
        ("THU", "清华大学"),
        ("清华", "清华大学"),
        ("清华大学 心理与认知科学系", "清华大学"),
        ("数学科学学院/上海交通大学", "上海交通大学"),
        ("上海交通大学，约翰•霍普克罗夫特计算机科学中心", "上海交通大学"),
        ("SJTU", "上海交通大学"),
        ("交大", "上海交通大学"),
        ("Fudan", "复旦大学"),
        ("复旦大学数学科学学院/智能复杂体系实验室", "复旦大学"),
        ("Renmin University", "中国人民大学"),
        ("RUC", "中国人民大学"),
        ("高瓴人工智能学院/中国人民大学", "中国人民大学"),
        ("CAS", "中国科学院"),
        ("Chinese Academy of Sciences", "中国科学院"),
        ("中科院理论物理研究所", "中国科学院"),
        ("合肥微尺度物质科学国家研究中心/中国科学技术大学", "中国科学技术大学"),
        ("USTC", "中国科学技术大学"),
        ("北京深势科技有限公司", "深势科技"),
        ("DP Technology", "深势科技"),
        ("阿里巴巴（美国）达摩院决策智能实验室", "阿里巴巴"),
        ("华为诺亚方舟实验室", "华为"),
        ("香港中文大学 (深圳)", "香港中文大学"),
    ],
)
def test_resolves_across_scripts_and_short_forms(printed, institution):
    assert roots(printed) == {institution}


def test_longest_name_wins_and_sub_units_keep_their_parent():
    t = table()
    amss = t.resolve("中国科学院数学与系统科学研究院").institutions
    assert amss == ["中国科学院数学与系统科学研究院"] and t.root(amss[0]) == "中国科学院"
    assert t.within(amss[0], "中国科学院") and not t.within("中国科学院物理研究所", amss[0])
    # 'University of Hong Kong' is inside 'The Chinese University of Hong Kong, Shenzhen': not HKU
    muenster = "University of Muenster, Germany;; School of Data Science, The Chinese University of Hong Kong, Shenzhen"
    assert set(t.resolve(muenster).institutions) == {"明斯特大学", "香港中文大学（深圳）"}
    assert t.resolve("香港科技大学(广州)").institutions == ["香港科技大学（广州）"]


def test_short_forms_do_not_match_inside_other_names():
    t = table()
    assert t.resolve("东北大学").status == UNRESOLVED  # contains 北大, is not Peking University
    assert t.resolve("北京理工大学").institutions == ["北京理工大学"]
    assert t.resolve("Numerical Analysis Group").status == UNRESOLVED  # 'NU' of NUS is no whole word


def test_school_only_is_ambiguous_and_borrows_the_persons_other_affiliation():
    t = table()
    alone = t.resolve("数学科学学院")
    assert alone.status == AMBIGUOUS and not alone.institutions
    school, university = t.resolve_person(["数学科学学院", "上海交通大学"])
    assert school.institutions == ["上海交通大学"] and school.inferred_from == "上海交通大学"
    assert university.status == RESOLVED
    # never guessed: a person with the school only stays ambiguous
    assert t.resolve_person(["数学科学学院"])[0].institutions == []


def test_every_printed_affiliation_of_the_corpus_resolves(corpus):
    t = table()
    printed = {a for p in corpus.people for a in p.affiliations} | {x.affiliation for x in corpus.talks}
    statuses = {a: t.resolve(a).status for a in printed if a}
    unresolved = sorted(a for a, s in statuses.items() if s == UNRESOLVED)
    assert not unresolved, f"add these to index/data/institutions.toml: {unresolved}"
    assert statuses["PhD, FIEEE, MICCAI Board Member, AE for TPAMI"] == IGNORED
    assert sum(s == AMBIGUOUS for s in statuses.values()) >= 4  # 数学科学学院, 数学系, 智能学院, ...


def test_a_malformed_table_is_a_clear_error(tmp_path):
    path = tmp_path / "institutions.toml"
    path.write_text('[[institution]]\nzh = "甲大学"\nen = "A University"\nshort = ["AU"]\n'
                    '[[institution]]\nzh = "乙大学"\nen = "B University"\nshort = ["AU"]\n', encoding="utf-8")  # fmt: skip
    with pytest.raises(InstitutionTableError, match="'AU' is a name of both 甲大学 and 乙大学"):
        InstitutionTable.load(path)
    path.write_text('[[institution]]\nzh = "甲研究所"\nen = "A Institute"\nparent = "不存在"\n', encoding="utf-8")
    with pytest.raises(InstitutionTableError, match="parent '不存在' of 甲研究所 is not in the table"):
        InstitutionTable.load(path)


# --- `talksearch corpus institutions` and the build's warning ---------------------------------------
def _cli(data_dir, *args):
    from click.testing import CliRunner

    from search.cli import main

    return CliRunner().invoke(main, ["--data-dir", str(data_dir), *args], catch_exceptions=False)


def test_corpus_institutions_lists_every_printed_affiliation(tmp_path, corpus):
    result = _cli(tmp_path, "corpus", "institutions")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    printed = {a for p in corpus.people for a in p.affiliations} | {
        t.affiliation for t in corpus.talks if t.affiliation
    }
    assert len(lines) == len(printed) + 2  # a line each, a blank line, the summary
    rows = [json.loads(x) for x in _cli(tmp_path, "corpus", "institutions", "--json").stdout.splitlines()]
    assert {r["text"] for r in rows} == printed and {r["status"] for r in rows} == {RESOLVED, AMBIGUOUS, IGNORED}
    assert "resolved    中国科学院数学与系统科学研究院  → 中国科学院数学与系统科学研究院 (part of 中国科学院)" in lines
    assert any(line.startswith("resolved    阿里云  → 阿里巴巴 via '阿里云'") for line in lines)
    school = next(line for line in lines if line.startswith("ambiguous   数学科学学院 "))
    assert "杭良慨 → 上海交通大学 (from '上海交通大学')" in school and "毛晓军 → ?" in school
    assert lines[-1].endswith(", 0 unresolved")
    problems = _cli(tmp_path, "corpus", "institutions", "--problems").stdout
    assert "数学科学学院" in problems and "阿里云" not in problems


def test_an_unknown_affiliation_is_listed_and_the_build_warns(tmp_path, built_dir):
    import shutil

    data = tmp_path / "var"
    shutil.copytree(built_dir / "cache", data / "cache")  # embeddings of the bundled talks: only the new one is encoded
    talk = {"event": "csml2026", "code": "A1-1", "title": "Tensor networks", "speaker": "王小明",
            "affiliation": "Nowhere Institute of Advanced Foo"}  # fmt: skip
    (tmp_path / "t.jsonl").write_text(json.dumps(talk, ensure_ascii=False) + "\n", encoding="utf-8")
    assert _cli(data, "corpus", "add", str(tmp_path / "t.jsonl")).exit_code == 0
    listing = _cli(data, "corpus", "institutions", "--problems").stdout
    assert "UNRESOLVED  Nowhere Institute of Advanced Foo  — add it to index/data/institutions.toml (王小明)" in listing
    assert listing.splitlines()[-1].endswith(", 1 unresolved")
    build = _cli(data, "build")
    assert build.exit_code == 0
    assert "warning: 1 printed affiliation(s) name no institution" in build.stderr
    assert "'Nowhere Institute of Advanced Foo'" in build.stderr
