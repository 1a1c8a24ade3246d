"""Expert finding on the real index: evidence, exclusions that are always reported, homonyms."""

from __future__ import annotations

import pytest

from search.experts import aggregate, find_experts
from search.query import QueryError


@pytest.fixture(scope="module")
def engine(engine):
    """These tests read the pipeline behind the facade (people, rows, names)."""
    return engine.searcher


TOPIC = "deep learning theory"


def test_aggregation_weights_the_best_talk_most():
    assert aggregate([0.9]) > aggregate([0.5, 0.5, 0.5])
    assert aggregate([0.9, 0.5]) > aggregate([0.9])


def test_experts_for_a_topic_with_evidence_scored_above_zero(engine):
    response = find_experts(engine, "spiking neural networks brain-inspired computing", k=10)
    names = [e.name for e in response.experts]
    assert {"李国齐", "唐华锦", "徐齐"} & set(names[:10])
    top = response.experts[0]
    assert top.evidence and top.evidence[0].score >= top.evidence[-1].score and top.roles
    broad = find_experts(engine, "machine learning", k=50)
    assert all(ev.score > 0 for e in broad.experts for ev in e.evidence)


def test_a_topic_id_reports_its_title_and_a_talk_id_its_talk_and_excluded_speakers(engine):
    topic = find_experts(engine, "topic-3", k=10)
    assert topic.source == "topic" and topic.topic["id"] == "topic-3" and topic.topic["title"]
    review = find_experts(engine, "csml2022-A2-4", k=10)
    assert review.source == "talk" and review.talk["id"] == "csml2022-A2-4" and review.talk["title"]
    assert "周岐轩" not in [e.name for e in review.experts]
    assert [(x.name, x.rule) for x in review.excluded] == [("周岐轩", "speaker")]
    with pytest.raises(QueryError, match="unknown topic"):
        find_experts(engine, "topic-99")


@pytest.mark.parametrize(
    ("typed", "institution"),
    [
        ("Tsinghua", "清华大学"), ("THU", "清华大学"), ("Fudan", "复旦大学"), ("CAS", "中国科学院"),
        ("Chinese Academy of Sciences", "中国科学院"), ("中科院", "中国科学院"), ("Peking", "北京大学"),
        ("Renmin University", "中国人民大学"), ("RUC", "中国人民大学"), ("北大", "北京大学"),
    ],
)  # fmt: skip
def test_every_affiliation_exclusion_removes_and_reports(engine, typed, institution):
    """The forms issue 13 measured removing nobody: each now removes that institution's people."""
    everyone = find_experts(engine, TOPIC, k=100)
    filtered = find_experts(engine, TOPIC, k=100, exclude_affiliations=[typed])
    assert filtered.excluded and all(x.rule == "affiliation" and x.value == typed for x in filtered.excluded)
    assert all(institution in x.reason and repr(typed) in x.reason for x in filtered.excluded)
    gone = {x.person_id for x in filtered.excluded}
    assert gone & {e.id for e in everyone.experts}, "the exclusion should remove someone in the ranking"
    assert not gone & {e.id for e in filtered.experts}
    assert not any("no institution matches" in w for w in filtered.warnings)


def test_cas_covers_its_institutes_and_an_institute_only_itself(engine):
    cas = {x.person_id for x in find_experts(engine, TOPIC, exclude_affiliations=["CAS"]).excluded}
    amss = find_experts(engine, TOPIC, exclude_affiliations=["中国科学院数学与系统科学研究院"]).excluded
    assert {x.person_id for x in amss} < cas
    assert all("数学与系统科学研究院" in x.reason for x in amss)


def test_an_exclusion_matching_nothing_is_a_warning_with_a_suggestion(engine):
    r = find_experts(engine, TOPIC, k=10, exclude_affiliations=["Tsinghau"], exclude_names=["Zhiqin Xv"])
    assert not r.excluded
    assert any("no institution matches 'Tsinghau'" in w and "did you mean Tsinghua" in w for w in r.warnings)
    assert any("nobody in the corpus is named 'Zhiqin Xv'" in w and "Zhiqin Xu" in w for w in r.warnings)
    surname_first = find_experts(engine, TOPIC, k=10, exclude_names=["Xu Zhiqni"]).warnings  # not 'Hui Xu'
    assert any("did you mean Zhiqin Xu (许志钦)?" in w for w in surname_first), surname_first
    one_character_off = find_experts(engine, TOPIC, k=10, exclude_names=["许志琴"]).warnings
    assert any("nobody in the corpus is named '许志琴'" in w and "did you mean 许志钦?" in w for w in one_character_off)


def test_name_exclusion_in_any_written_form(engine):
    for form in ("Zhi-Qin John Xu", "许志钦", "xuzhiqin"):
        r = find_experts(engine, "implicit regularization", k=20, exclude_names=[form])
        assert "许志钦" not in [e.name for e in r.experts]
        assert [x.name for x in r.excluded] == ["许志钦"] and r.excluded[0].rule == "name"


def test_a_school_only_affiliation_is_reported_not_silently_kept(engine):
    """Printed as '数学科学学院' only: an institution exclusion cannot check them, and says so."""
    r = find_experts(engine, TOPIC, k=100, exclude_affiliations=["PKU"])
    unchecked = [p for p in r.experts if all(a in ("数学科学学院", "数学系", "智能学院") for a in p.affiliations)]
    if unchecked:
        assert any(unchecked[0].name in w and "could not be checked" in w for w in r.warnings)
    # the printed school itself is a valid exclusion, reported as a text match
    school = find_experts(engine, TOPIC, k=100, exclude_affiliations=["数学科学学院"])
    assert school.excluded and all("contains it" in x.reason for x in school.excluded)


def test_homonyms_are_told_apart(engine):
    lins = [p for p in engine.people.values() if p.name == "林伟"]
    assert len(lins) == 2
    from search.experts import label

    labels = {label(engine, p) for p in lins}
    assert labels == {"林伟 (北京大学)", "林伟 (复旦大学)"}
    assert label(engine, engine.people["wu-lei"]) == "吴磊"


def test_nonsense_topic_is_not_a_strong_match(engine):
    assert not find_experts(engine, "qzxv wplk mnbt", k=10).strong_match
    assert find_experts(engine, "physics-informed neural networks", k=10).strong_match


def test_nonsense_topic_lists_nobody_and_says_why(engine):
    r = find_experts(engine, "qzxv wplk mnbt", k=10)
    assert not r.experts and "no talk is a strong match for 'qzxv wplk mnbt'" in r.warnings[0]


def test_homonyms_are_told_apart_in_batch_trec_and_csv(tmp_path, built_dir):
    import csv
    import io

    from click.testing import CliRunner

    from search.cli import main

    path = tmp_path / "q.tsv"
    path.write_text("c1\tregularization-based continual learning\nc2\tpredicting complex dynamics data-driven\n",
                    encoding="utf-8")  # fmt: skip
    run = CliRunner()
    trec = run.invoke(main, ["--data-dir", str(built_dir), "batch", str(path), "--task", "experts"]).stdout
    docs = {line.split()[0]: line.split()[2] for line in trec.splitlines() if line.split()[3] == "1"}
    assert docs == {"c1": "林伟_(北京大学)", "c2": "林伟_(复旦大学)"}
    args = ["--data-dir", str(built_dir), "batch", str(path), "--task", "experts", "--format", "csv", "-k", "1"]
    rows = list(csv.DictReader(io.StringIO(run.invoke(main, args).stdout)))
    assert [(r["doc"], r["person_id"], r["latin"]) for r in rows] == [
        ("林伟 (北京大学)", "lin-wei", "Wei Lin"), ("林伟 (复旦大学)", "lin-wei-2", "Wei Lin")]  # fmt: skip


def test_generic_words_are_told_by_document_frequency_not_a_word_list(engine):
    from search.experts import focus, idf_cutoff, specificity

    cutoff = idf_cutoff(len(engine.talks))
    for generic in ("机器学习方法", "人工智能", "model", "larg"):  # a rare compound of common words is generic too
        assert specificity(engine, generic) < cutoff, generic
    for specific in ("微分方程", "扩散模型", "languag", "非视距成像"):
        assert specificity(engine, specific) >= cutoff, specific
    topic = next(t for t in engine.bundle.topics if t.id == "topic-3")
    text = f"{topic.title}。{topic.description}"
    full = engine.analyze(engine.parse(text).without_people(), text=text)
    kept = focus(engine, full).tokens
    assert "机器学习方法" in full.tokens and "机器学习方法" not in kept and "微分方程" in kept
    assert len(kept) == len(set(kept)) < len(full.tokens)
    short = engine.analyze(engine.parse("机器学习方法").without_people())
    assert focus(engine, short) is short  # a short query is searched as typed


def test_evidence_scored_zero_is_never_listed(engine):
    assert all(ev.score >= 0.005 for e in find_experts(engine, "topic-5", k=50).experts for ev in e.evidence)


def test_a_chinese_topic_finds_its_english_experts_too(engine):
    """topic-3 (微分方程与机器学习, described in Chinese) on a corpus where many English talks are about
    solving PDEs: both languages are among the best experts' evidence, and an English talk that says
    'partial differential equations' is listed."""
    from search.filters import talk_lang

    response = find_experts(engine, "topic-3", k=10)
    best = [talk_lang(engine.talks[engine.row[e.evidence[0].talk_id]]) for e in response.experts]
    assert best.count("en") >= 3 and best.count("zh") >= 3, best
    english_pde = {
        t.id for t in engine.talks if talk_lang(t) == "en" and "partial differential equation" in t.abstract.lower()
    }
    assert len(english_pde) >= 5
    assert english_pde & {ev.talk_id for e in response.experts for ev in e.evidence}


def test_the_title_terms_raise_only_other_language_talks(engine):
    from search import experts

    topic = experts._talk_scores(engine, "topic-3")
    experts.BALANCE["title"] = False
    try:
        plain = experts._talk_scores(engine, "topic-3")
    finally:
        experts.BALANCE["title"] = True
    chinese = engine.talk_lang == "zh"
    assert (topic.fused[chinese] == plain.fused[chinese]).all()
    assert (topic.fused >= plain.fused).all() and (topic.fused[~chinese] > plain.fused[~chinese]).any()
