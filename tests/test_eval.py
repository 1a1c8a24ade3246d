"""The dev-set evaluation: the files, the ranx metrics, the reference run and the regression check."""

from __future__ import annotations

import json
import math

import pytest

from search.evaluate import (
    EVAL_DIR,
    REFERENCE,
    EvalError,
    check,
    cross_language_recall,
    load_jsonl,
    measure,
    overlap,
    read_trec,
    regressions,
    run,
    table,
    write_trec,
)


@pytest.fixture(scope="module")
def result(engine):
    return run(engine)


@pytest.fixture(scope="module")
def queries():
    return load_jsonl(EVAL_DIR / "dev_queries.jsonl")


# --- the metrics -----------------------------------------------------------------------------------


def test_metrics_follow_their_definitions():
    # d1 (grade 2) at rank 2, d2 (grade 1) at rank 1; d3 (grade 1) never retrieved.
    got = measure({"q": {"d1": 2, "d2": 1, "d3": 1}}, {"q": ["d2", "d1", "x"]})["q"]
    dcg = 1 / math.log2(2) + 2 / math.log2(3)
    ideal = 2 / math.log2(2) + 1 / math.log2(3) + 1 / math.log2(4)
    assert got["ndcg@10"] == pytest.approx(dcg / ideal)
    assert got["recall@10"] == pytest.approx(2 / 3)
    assert got["mrr@10"] == pytest.approx(1.0)
    # Only the first 10 count: a relevant talk at rank 11 earns nothing.
    late = measure({"q": {"d": 1}}, {"q": [f"x{i}" for i in range(10)] + ["d"]})["q"]
    assert late == {"ndcg@10": 0.0, "recall@10": 0.0, "mrr@10": 0.0}
    # A query the run does not answer scores 0 instead of disappearing from the mean.
    assert measure({"q": {"d": 1}, "r": {"d": 1}}, {"q": ["d"]})["r"]["ndcg@10"] == 0.0


def test_cross_language_recall_and_overlap():
    talk_lang = {"zh1": "zh", "zh2": "zh", "en1": "en"}
    rows = [
        {"id": "a", "query": "spiking neurons", "relevant": {"zh1": 2, "zh2": 2, "en1": 2}},
        {"id": "b", "query": "大模型 reasoning", "relevant": {"en1": 2}},  # mixed: no other language
    ]
    got = cross_language_recall(rows, {"a": ["zh2", "en1"], "b": ["en1"]}, talk_lang)
    assert got == {"share": 0.5, "found": 1, "talks": 2}
    assert overlap({"a": ["x", "y"]}, {"a": ["y", "z"]}, ["a"]) == 0.5


def test_trec_round_trip_and_a_malformed_line(tmp_path):
    path = tmp_path / "run.trec"
    write_trec({"q1": ["b", "a"], "q2": ["c"]}, path, "t")
    assert read_trec(path) == {"q1": ["b", "a"], "q2": ["c"]}
    path.write_text("q1 Q0 a 1 1.0 t\nq1 a 2\n", encoding="utf-8")
    with pytest.raises(EvalError, match=r"run.trec:2: expected 'qid Q0 doc rank score tag'"):
        read_trec(path)


@pytest.mark.parametrize(
    "row, message",
    [
        ({"id": "x", "query": "q", "split": "tune", "relevant": {"t": 3}}, "grades must be 1"),
        ({"id": "x", "query": "q", "split": "test", "relevant": {}}, "split must be one of tune, heldout"),
        ({"id": "x", "query": "q", "relevant": {}}, "missing field 'split'"),
    ],
)
def test_a_malformed_dev_row_is_named(row, message, tmp_path):
    with pytest.raises(EvalError, match=message):
        check([row], tmp_path / "dev.jsonl", "query")


def test_duplicate_ids_are_rejected(tmp_path):
    row = {"id": "x", "query": "q", "split": "tune", "relevant": {}}
    with pytest.raises(EvalError, match=r"row 2 \(x\): duplicate id"):
        check([row, row], tmp_path / "dev.jsonl", "query")


def test_regressions_are_checked_in_either_half():
    got = {
        "search": {"tune": {"hybrid": {"all": {"ndcg@10": 0.80}}}, "heldout": {"hybrid": {"all": {"ndcg@10": 0.60}}}}
    }
    got["experts"] = {}
    expected = {
        "search": {"tune": {"hybrid": {"all": {"ndcg@10": 0.805}}}, "heldout": {"hybrid": {"all": {"ndcg@10": 0.62}}}}
    }
    assert regressions(got, expected) == ["search/heldout/hybrid/all/ndcg@10: 0.6 < expected 0.62"]


# --- the dev set -----------------------------------------------------------------------------------


def test_dev_files_are_valid_and_judge_real_talks_and_people(queries, corpus, engine):
    check(queries, EVAL_DIR / "dev_queries.jsonl", "query")
    for q in queries:
        unknown = [d for d in q["relevant"] if corpus.talk(d) is None]
        assert not unknown, f"{q['id']} judges unknown talks {unknown}"
    topics = load_jsonl(EVAL_DIR / "dev_experts.jsonl")
    check(topics, EVAL_DIR / "dev_experts.jsonl", "topic")
    from search.evaluate import resolve_person

    for t in topics:
        for key in t["relevant"]:
            resolve_person(engine, key)


def test_the_held_back_half_has_the_promised_queries(queries):
    held = [q for q in queries if q["split"] == "heldout" and q["relevant"]]
    kinds = {c: sum(q["category"] == c for q in held) for c in {q["category"] for q in held}}
    assert len(held) >= 36, kinds
    assert kinds.get("cross", 0) >= 12, kinds
    assert kinds.get("q-en", 0) + kinds.get("q-zh", 0) >= 10, kinds
    topics = [t for t in load_jsonl(EVAL_DIR / "dev_experts.jsonl") if t["split"] == "heldout"]
    assert len(topics) >= 8


def test_the_reference_run_ranks_every_dev_query(queries):
    reference = read_trec(EVAL_DIR / REFERENCE)
    missing = [q["id"] for q in queries if q["id"] not in reference]
    assert not missing, f"eval/runs/reference.trec lacks {missing}: run `make reference`"


# --- the whole evaluation on the real index --------------------------------------------------------


def test_dev_set_numbers_do_not_regress(result):
    expected = json.loads((EVAL_DIR / "expected.json").read_text(encoding="utf-8"))
    assert regressions(result, expected) == []
    tune = result["search"]["tune"]
    hybrid, lexical, dense = (tune[m]["all"]["ndcg@10"] for m in ("hybrid", "lexical", "dense"))
    assert hybrid >= max(lexical, dense) + 0.05
    assert tune["hybrid"]["cross"]["ndcg@10"] >= 0.5
    assert tune["hybrid"]["person"]["ndcg@10"] >= 0.8


def test_the_table_shows_both_halves_every_column_and_the_reference(result):
    text = table(result)
    for half in ("tune", "heldout"):
        assert f"== {half} half" in text
    assert "old hybrid" in text and "hybrid against the reference run" in text
    assert text.count("grade-2 talks in the other language") == 2
