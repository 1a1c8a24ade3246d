"""Reviewer assignment: optimal solve (hand-checked), infeasible requests, conflicts, loads, determinism."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from search.assign import AssignmentError, assign, solve
from search.experts import find_experts
from search.submissions import Submission, SubmissionError, parse_submissions


@pytest.fixture(scope="module")
def engine(engine):
    """These tests read the pipeline behind the facade (people, rows, names)."""
    return engine.searcher


# Greedy (best pair first) gives s0-r0 0.9, s2-r1 0.7, s1-r2 0.1 = 1.7; the optimum is
# s0-r1 0.8, s1-r0 0.8, s2-r2 0.6 = 2.2 (checked by hand over all 6 permutations).
AFFINITY = np.array([[0.9, 0.8, 0.1], [0.8, 0.1, 0.1], [0.1, 0.7, 0.6]])


def test_small_case_with_a_known_optimum():
    x = solve(AFFINITY, np.ones((3, 3), dtype=bool), per=1, load=1)
    assert [int(np.flatnonzero(row)[0]) for row in x] == [1, 0, 2]
    assert AFFINITY[x].sum() == pytest.approx(2.2)
    best = max(sum(AFFINITY[i, p[i]] for i in range(3)) for p in itertools.permutations(range(3)))
    assert AFFINITY[x].sum() == pytest.approx(best)


def test_conflicts_are_never_assigned_and_the_optimum_moves():
    allowed = np.ones((3, 3), dtype=bool)
    allowed[1, 0] = False  # s1 may not be reviewed by r0: optimum s0-r0, s1-r2, s2-r1 = 1.7
    x = solve(AFFINITY, allowed, per=1, load=1)
    assert not x[1, 0] and AFFINITY[x].sum() == pytest.approx(1.7)


def test_loads_and_counts_on_a_larger_random_case_match_the_full_integer_program():
    from scipy import sparse
    from scipy.optimize import Bounds, LinearConstraint, milp

    rng = np.random.default_rng(7)
    aff = np.round(rng.random((60, 50)) ** 3, 4)
    allowed = rng.random((60, 50)) > 0.15
    x = solve(aff, allowed, per=3, load=4)
    assert (x.sum(axis=1) == 3).all() and x.sum(axis=0).max() <= 4 and not (x & ~allowed).any()
    rows, cols = np.nonzero(allowed)
    n = len(rows)
    full = milp(
        -aff[rows, cols],
        constraints=[
            LinearConstraint(sparse.csr_array((np.ones(n), (rows, np.arange(n))), shape=(60, n)), 3, 3),
            LinearConstraint(sparse.csr_array((np.ones(n), (cols, np.arange(n))), shape=(50, n)), 0, 4),
        ],
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
    )
    assert aff[x].sum() == pytest.approx(-full.fun, abs=1e-3)


def test_infeasible_by_conflicts_is_a_clear_error():
    allowed = np.array([[True, False], [True, False]])  # both need r0, who can take one
    with pytest.raises(AssignmentError, match="no assignment gives every submission 1 reviewers within a load of 1"):
        solve(np.ones((2, 2)), allowed, per=1, load=1)
    with pytest.raises(AssignmentError, match="s1 have fewer than 2 reviewers without a conflict"):
        solve(np.ones((2, 2)), allowed, per=2, load=2, labels=["s0", "s1"])


# --- on the real index ------------------------------------------------------------------------------
def _subs(engine, n: int) -> list[Submission]:
    talks = [t for t in engine.talks if t.has_abstract and not t.duplicate_of][:n]
    return [Submission(f"sub-{i:02d}", t.title, t.abstract, t.speakers, [t.affiliation]) for i, t in enumerate(talks)]


def test_slot_arithmetic_in_the_error(engine):
    pool = sorted(p for p, rows in engine.person_rows.items() if rows)[:15]
    with pytest.raises(
        AssignmentError, match=r"24 submissions × 3 reviewers need 72 slots; the pool of 15 reviewers × 4 gives 60"
    ):
        assign(engine, _subs(engine, 24), per_submission=3, max_load=4, pool=pool)


def test_authors_and_their_institutions_never_review_and_are_reported(engine):
    title = "Frequency principle of deep neural networks"
    abstract = "Deep neural networks fit low frequencies first (F-Principle); implicit regularization and condensation."
    free = assign(engine, [Submission("p1", title, abstract)], per_submission=3, max_load=1).submissions[0]
    xu = next(p for p in engine.people.values() if p.name == "许志钦").id
    assert free.reviewers[0].person_id == xu and not free.excluded  # without conflicts he is the best match
    sub = Submission("p1", title, abstract, ["Zhi-Qin John Xu"], ["上海交通大学自然科学研究院"])
    one = assign(engine, [sub], per_submission=3, max_load=1).submissions[0]
    chosen = {r.person_id for r in one.reviewers}
    excluded = {c.person_id: c.reason for c in one.excluded}
    assert "is an author" in excluded[xu] and xu not in chosen
    sjtu = [pid for pid, why in excluded.items() if "上海交通大学" in why]
    assert {r.person_id for r in free.reviewers} - {xu} <= set(sjtu)  # the next best were his colleagues
    assert len(sjtu) > 5 and not chosen & set(sjtu)
    assert len(one.reviewers) == 3 and [r.rank for r in one.reviewers] == sorted(r.rank for r in one.reviewers)


def test_loads_respected_every_submission_served_and_deterministic(engine):
    subs = _subs(engine, 30)
    first = assign(engine, subs, per_submission=3, max_load=2)
    loads: dict[str, int] = {}
    for s in first.submissions:
        assert len({r.person_id for r in s.reviewers}) == 3
        assert not {r.person_id for r in s.reviewers} & {c.person_id for c in s.excluded}
        for r in s.reviewers:
            loads[r.person_id] = loads.get(r.person_id, 0) + 1
    assert max(loads.values()) <= 2
    summary = first.summary
    assert 0 < summary["mean_affinity"] <= summary["unconstrained_mean_affinity"]
    assert sum(summary["load_histogram"].values()) == summary["reviewers"]
    again = assign(engine, subs, per_submission=3, max_load=2).to_dict()
    first_dict = first.to_dict()
    first_dict["summary"].pop("seconds"), again["summary"].pop("seconds")
    assert first_dict == again


def test_affinity_ranks_reviewers_as_expert_finding_does(engine):
    """The vectorised affinity agrees with find_experts on the same pasted abstract."""
    for t in [t for t in engine.talks if t.has_abstract and len(t.abstract) > 300][:3]:
        sub = Submission("x", t.title, t.abstract)
        best = assign(engine, [sub], per_submission=1, max_load=1).submissions[0].reviewers[0]
        expert = find_experts(engine, f"{t.title}\n{t.abstract}", k=1).experts[0]
        assert best.person_id == expert.id and best.rank == 1 and best.evidence


def test_submission_files_are_validated_row_by_row():
    good = parse_submissions("id,title,authors,affiliations\np1,A title,张三; Li Si,北京大学; PKU\n", "subs.csv")
    assert good[0].authors == ["张三", "Li Si"] and good[0].affiliations == ["北京大学", "PKU"]
    padded = json.dumps({"id": "p4", "title": "t", "abstract": "x" * 20_000 + "\t"})  # the API's maxLength: as sent
    with pytest.raises(SubmissionError, match="field abstract: longer than 20000 characters"):
        parse_submissions(padded + "\n", "s.jsonl")
    with pytest.raises(SubmissionError, match="field authors: name 2 of the list is empty; leave it out"):
        parse_submissions('{"id": "p2", "title": "t", "authors": ["张三", " "]}\n', "s.jsonl")
    with pytest.raises(SubmissionError, match="field authors: must be a list of names"):
        parse_submissions('{"id": "p3", "title": "t", "authors": ["张三", 7]}\n', "s.jsonl")
    text = '{"id": "p1", "title": "ok"}\n{"id": "p1", "title": "dup"}\nnot json\n{"title": "no id", "venue": 1}\n'
    with pytest.raises(SubmissionError) as err:
        parse_submissions(text, "subs.jsonl")
    problems = err.value.problems
    assert any(p.startswith("subs.jsonl:2: field id: 'p1' appears twice") for p in problems)
    assert any(p.startswith("subs.jsonl:3: not valid JSON") for p in problems)
    assert any(p.startswith("subs.jsonl:4: unknown field(s) venue") for p in problems)
    assert any(p.startswith("subs.jsonl:4: field id: missing") for p in problems)
    with pytest.raises(SubmissionError, match=r"unknown format '\.txt'"):
        parse_submissions("x", "subs.txt")


# --- `talksearch assign` ------------------------------------------------------------------------------
def _cli(built_dir, *args):
    from click.testing import CliRunner

    from search.cli import main

    return CliRunner().invoke(main, ["--data-dir", str(built_dir), "assign", *args], catch_exceptions=False)


def _write_subs(engine, path, n: int) -> None:
    import json

    rows = [
        {"id": s.id, "title": s.title, "abstract": s.abstract, "authors": s.authors, "affiliations": s.affiliations}
        for s in _subs(engine, n)
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def test_cli_writes_jsonl_and_csv_deterministically_with_the_summary_on_stderr(engine, built_dir, tmp_path):
    import csv
    import io
    import json

    subs = tmp_path / "subs.jsonl"
    _write_subs(engine, subs, 12)
    first = _cli(built_dir, str(subs), "--per-submission", "3", "--max-load", "4")
    assert first.exit_code == 0, first.output
    lines = [json.loads(x) for x in first.stdout.splitlines()]
    assert [x["id"] for x in lines] == [f"sub-{i:02d}" for i in range(12)]
    assert all(set(x) == {"id", "reviewers", "excluded"} and len(x["reviewers"]) == 3 for x in lines)
    for x in lines:  # the speakers of the talk a submission was made from are its authors
        authors = {c["person_id"] for c in x["excluded"] if "is an author" in c["reason"]}
        assert authors and not authors & {r["person_id"] for r in x["reviewers"]}
    assert "mean affinity" in first.stderr and "got their best-matching reviewer" in first.stderr
    assert _cli(built_dir, str(subs), "--per-submission", "3", "--max-load", "4").stdout == first.stdout
    out = tmp_path / "run.csv"
    assert _cli(built_dir, str(subs), "--format", "csv", "-o", str(out)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 36 and list(rows[0]) == ["id", "person_id", "name", "latin", "affinity", "rank", "evidence"]
    by_pair = {(x["id"], r["person_id"]): r for x in lines for r in x["reviewers"]}
    row = rows[0]
    assert row["evidence"] == ";".join(by_pair[(row["id"], row["person_id"])]["evidence"])


def test_cli_infeasible_and_bad_rows_are_one_clear_error(engine, built_dir, tmp_path):
    subs = tmp_path / "subs.jsonl"
    _write_subs(engine, subs, 5)
    pool = tmp_path / "pool.txt"
    pool.write_text("# three reviewers\n许志钦\nwu-lei\nE Weinan\n", encoding="utf-8")
    r = _cli(built_dir, str(subs), "--reviewers", str(pool), "--per-submission", "2", "--max-load", "3")
    assert (
        r.exit_code == 1
        and "5 submissions × 2 reviewers need 10 slots; the pool of 3 reviewers × 3 gives 9" in r.stderr
    )
    assert "Traceback" not in r.output
    bad = tmp_path / "bad.csv"
    bad.write_text("id,title,authors\np1,A title,张三\np1,Again,李四\np2,,王五\n", encoding="utf-8")
    r = _cli(built_dir, str(bad))
    assert r.exit_code == 1 and "nothing assigned; fix these rows" in r.stderr
    assert "bad.csv:3: field id: 'p1' appears twice" in r.stderr and "bad.csv:4: field title: missing" in r.stderr
