"""Reviewer assignment: every submission gets k reviewers, nobody more than a load, total affinity maximal.

- Affinity of a reviewer for a submission is their expert score for it as a pasted abstract: the
  hybrid talk scores (search.engine's fusion) aggregated over the reviewer's talks as in
  search.experts. Vectorised: one encoder batch for all submissions, one matrix product against
  all passages; BM25 per submission over all talks.
- Conflicts: an author never reviews their own submission; a reviewer at any author's
  institution (the root institution in index/data/institutions.toml: a CAS institute conflicts
  with all of CAS) does not either. Each excluded pair is reported.
- The assignment is a bipartite b-matching, solved exactly as an integer program with HiGHS
  (scipy.optimize.milp); its constraint matrix is totally unimodular, so the LP bound is met.
  Ties are broken by id (a tiny preference for earlier reviewer ids), so runs are deterministic.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from corpus.text import language
from index.institutions import AMBIGUOUS
from search.affiliations import suggest_name
from search.analysis import QueryAnalysis
from search.csv_safe import csv_text
from search.experts import TOP_WEIGHTS, focus, label, latin_name, people
from search.notes import Note
from search.query import ParsedQuery, QueryError
from search.retrievers import DenseRetriever, Scores
from search.searcher import Searcher
from search.submissions import Submission

EVIDENCE = 3
CANDIDATES = 40  # reviewers per submission in the first LP; the duals say whether more are needed
TIE = 1e-6  # preference per reviewer position, far below any affinity difference that matters (4 decimals)


class AssignmentError(QueryError):
    """An assignment that cannot be made: the message gives the arithmetic."""


@dataclass
class Reviewer:
    person_id: str
    name: str
    affinity: float
    rank: int  # 1 = this submission's best-matching reviewer without a conflict
    evidence: list[str]
    label: str = ""  # the name, with the institution for people who share a name: 林伟 (北京大学)
    latin: str = ""  # the Latin-script name, where the corpus has one


@dataclass
class Conflict:
    person_id: str
    name: str
    reason: str


@dataclass
class Assigned:
    id: str
    title: str
    reviewers: list[Reviewer]
    excluded: list[Conflict]
    warnings: list[str] = field(default_factory=list)


@dataclass
class Assignment:
    submissions: list[Assigned]
    summary: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- affinity --------------------------------------------------------------------------------------
def talk_scores(engine: Searcher, subs: list[Submission]) -> np.ndarray:
    """Hybrid score of every talk for every submission (S x T), each row relative to its best talk."""
    texts = [s.text for s in subs]
    qvecs = engine.encoder.encode_queries([t[: engine.settings.search.max_dense_chars] for t in texts])
    sims = passage_similarities(engine, qvecs)  # S x passages
    talk_of = engine.bundle.passage_talk
    n = len(engine.talks)
    dense = np.full((len(subs), n), -1.0, dtype=np.float32)
    for row in range(len(subs)):
        np.maximum.at(dense[row], talk_of, sims[row])
    tok, lex = engine.bundle.tokenizer, engine.bundle.lexical
    out = np.zeros((len(subs), n), dtype=np.float32)
    none = np.full(n, -1, dtype=np.int64)
    zeros = np.zeros(n, dtype=np.float32)
    for row, text in enumerate(texts):
        parsed = ParsedQuery(text=text, folded=text, lang=language(text), people=(), rest=text)
        analysis = focus(engine, QueryAnalysis(parsed=parsed, text=text, tokens=tuple(tok.tokens(text))))
        tokens = list(analysis.tokens)  # a long abstract: its specific terms, as find_experts reads it
        scores = Scores(dense[row], lex.scores(tokens), none, lex.coverage(tokens), zeros, zeros)
        fused = engine.rank(analysis, scores)
        top = float(fused.max(initial=0.0))
        out[row] = fused / top if top > 0 else fused
    return out


def passage_similarities(engine: Searcher, qvecs: np.ndarray) -> np.ndarray:
    """Cosine of every query vector to every passage: one matrix product for exact indexes."""
    dense = next(r for r in engine.retrievers if isinstance(r, DenseRetriever))
    matrix = dense.exact_matrix  # the passage matrix of an exact index
    if matrix is not None:
        return qvecs @ matrix.T
    sims = np.stack([dense.passage_similarities(q[None]) for q in qvecs])
    return np.nan_to_num(sims, nan=-1.0)


def person_affinity(fused: np.ndarray, rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Weighted top-3 of each reviewer's talk scores for each submission (S x R), and the talk rows
    of each reviewer's best talks (S x R x 3, -1 for none)."""
    width = max((len(r) for r in rows), default=1) or 1
    idx = np.full((len(rows), width), -1, dtype=np.int64)
    for i, r in enumerate(rows):
        idx[i, : len(r)] = r
    gathered = np.where(idx[None] >= 0, fused[:, np.maximum(idx, 0)], -np.inf)  # S x R x width
    order = np.argsort(-gathered, axis=2, kind="stable")[:, :, : len(TOP_WEIGHTS)]
    best = np.take_along_axis(gathered, order, axis=2)
    weights = np.array(TOP_WEIGHTS[: best.shape[2]], dtype=np.float32)
    affinity = np.where(np.isfinite(best), np.maximum(best, 0) * weights, 0).sum(axis=2)
    talks = np.where(np.isfinite(best) & (best > 0), np.take_along_axis(idx[None].repeat(len(fused), 0), order, 2), -1)
    return affinity.astype(np.float64), talks


# --- pool and conflicts ------------------------------------------------------------------------------
def resolve_pool(engine: Searcher, pool: list[str] | None) -> list[str]:
    """Person ids of the pool (ids, names or any written form); default everyone with a talk."""
    if not pool:
        return sorted(pid for pid, rows in engine.person_rows.items() if rows and pid in engine.people)
    ids: list[str] = []
    problems = []
    for entry in pool:
        entry = entry.strip()
        if not entry:
            continue
        if entry in engine.people:
            found = [entry]
        else:
            found, _ = engine.names.find(" ".join(entry.casefold().split()))
        if not found:
            hint = suggest_name(entry, [n for p in engine.people.values() for n in (p.name, *p.aliases)])
            problems.append(f"reviewer {entry!r} is nobody in the corpus" + (f"; did you mean {hint}?" if hint else ""))
        elif len(found) > 1:
            names = ", ".join(f"{p} ({'; '.join(engine.people[p].affiliations[:1])})" for p in found)
            problems.append(f"reviewer {entry!r} names {len(found)} people: {names}; give the person id")
        ids += [p for p in found if p not in ids]
    if problems:
        raise AssignmentError("\n".join(problems))
    without = [p for p in ids if not engine.person_rows.get(p)]
    if without:
        raise AssignmentError(f"reviewer(s) {', '.join(without)} have no talk, so no affinity can be computed")
    return sorted(ids)


def conflicts(engine: Searcher, sub: Submission, pool: list[str]) -> tuple[dict[str, str], list[str]]:
    """{person id: reason} of pool members in conflict with the submission, and warnings about it
    (what could not be checked: a missing field is said, never silently read as 'no conflict')."""
    coi = people(engine)
    table = coi.table
    out: dict[str, str] = {}
    warnings: list[str] = []
    if not sub.abstract:
        warnings.append(Note("no_abstract"))
    if not sub.authors:
        warnings.append(Note("no_authors"))
    if not sub.affiliations:
        warnings.append(Note("no_affiliations"))
    for author in sub.authors:
        found = [author] if author in engine.people else engine.names.find(" ".join(author.casefold().split()))[0]
        for pid in found:
            out.setdefault(pid, Note("author", name=engine.people[pid].name, author=author))
    roots: dict[str, str] = {}
    for aff in sub.affiliations:
        r = table.resolve(aff)
        if not r.institutions:
            warnings.append(Note("affiliation_school" if r.status == AMBIGUOUS else "affiliation_unknown", aff=aff))
        for key in r.institutions:
            roots.setdefault(table.root(key), aff)
    if roots:
        for pid in pool:
            if pid in out:
                continue
            shared = sorted(coi.roots(pid) & roots.keys())
            if shared:
                out[pid] = Note("same_institution", name=engine.people[pid].name, institution=shared[0],
                                aff=roots[shared[0]])  # fmt: skip
    return out, warnings


# --- solving -------------------------------------------------------------------------------------
def solve(
    affinity: np.ndarray, allowed: np.ndarray, per: int, load: int, labels: list[str] | None = None
) -> np.ndarray:
    """0/1 matrix (S x R): each row sums to ``per``, each column to at most ``load``, allowed pairs
    only, total affinity maximal. AssignmentError when no such matrix exists.

    Column generation keeps it fast: the LP is solved over each submission's best candidates, then
    the duals certify that no left-out pair could improve it (else those pairs join and it is
    solved again). The constraint matrix is a bipartite incidence matrix, so the LP optimum HiGHS's
    simplex returns is a 0/1 vertex; a fractional one would be rounded by milp on the same pairs.
    """
    s_count, r_count = affinity.shape
    labels = labels or [str(i) for i in range(s_count)]
    short = [labels[i] for i in range(s_count) if allowed[i].sum() < per]
    if short:
        raise AssignmentError(
            f"submission(s) {', '.join(short[:5])}{' ...' if len(short) > 5 else ''} have fewer than {per} "
            "reviewers without a conflict; widen the pool or lower --per-submission"
        )
    value = np.where(allowed, affinity + TIE * (r_count - np.arange(r_count)) / r_count, -np.inf)
    active = _candidates(value, min(r_count, max(CANDIDATES, 4 * per)))
    while True:
        rows, cols = np.nonzero(active)
        result = _lp(-value[rows, cols], rows, cols, s_count, r_count, per, load)
        if result.status == 2 and not (active == allowed).all():  # infeasible on the candidates only
            active = _candidates(value, min(r_count, 2 * int(active.sum(axis=1).max()))) | active
            continue
        if result.status != 0:
            raise AssignmentError(
                f"no assignment gives every submission {per} reviewers within a load of {load} once conflicts "
                "are excluded; raise --max-load, widen the pool or lower --per-submission"
            )
        u, v = result.eqlin.marginals, result.ineqlin.marginals
        better = allowed & ~active & (value + u[:, None] + v[None, :] > 1e-9)
        if not better.any():
            break
        active |= better
    x = np.zeros((s_count, r_count), dtype=bool)
    chosen = result.x
    if np.abs(chosen - np.round(chosen)).max() > 1e-6:
        chosen = milp(
            -value[rows, cols],
            constraints=[LinearConstraint(_incidence(rows, s_count), per, per),
                         LinearConstraint(_incidence(cols, r_count), 0, load)],
            integrality=np.ones(len(rows)),
            bounds=Bounds(0, 1),
        ).x  # fmt: skip
    x[rows, cols] = chosen > 0.5
    return x


def _candidates(value: np.ndarray, k: int) -> np.ndarray:
    """Each submission's ``k`` best allowed reviewers."""
    top = np.argpartition(-value, k - 1, axis=1)[:, :k]
    mask = np.zeros(value.shape, dtype=bool)
    np.put_along_axis(mask, top, True, axis=1)
    return mask & np.isfinite(value)


def _incidence(index: np.ndarray, size: int) -> sparse.csr_array:
    return sparse.csr_array((np.ones(len(index)), (index, np.arange(len(index)))), shape=(size, len(index)))


def _lp(cost: np.ndarray, rows: np.ndarray, cols: np.ndarray, s_count: int, r_count: int, per: int, load: int):
    return linprog(
        cost,
        A_ub=_incidence(cols, r_count),
        b_ub=np.full(r_count, load),
        A_eq=_incidence(rows, s_count),
        b_eq=np.full(s_count, per),
        bounds=(0, 1),
        method="highs-ds",
    )


def assign(
    engine: Searcher,
    subs: list[Submission],
    per_submission: int = 3,
    max_load: int = 4,
    pool: list[str] | None = None,
) -> Assignment:
    started = time.perf_counter()
    if per_submission < 1 or max_load < 1:
        raise AssignmentError(f"--per-submission and --max-load must be 1 or more, got {per_submission}, {max_load}")
    if not subs:
        raise AssignmentError("no submissions to assign")
    ids = resolve_pool(engine, pool)
    need, have = len(subs) * per_submission, len(ids) * max_load
    if need > have:
        raise AssignmentError(
            f"{len(subs)} submissions × {per_submission} reviewers need {need} slots; "
            f"the pool of {len(ids)} reviewers × {max_load} gives {have}"
        )
    if per_submission > len(ids):
        raise AssignmentError(f"{per_submission} reviewers per submission, but the pool has {len(ids)}")
    fused = talk_scores(engine, subs)
    affinity, best_talks = person_affinity(fused, [engine.person_rows[p] for p in ids])
    affinity = np.round(affinity, 4)
    allowed = np.ones(affinity.shape, dtype=bool)
    col = {p: j for j, p in enumerate(ids)}
    found = [conflicts(engine, s, ids) for s in subs]
    for i, (conf, _) in enumerate(found):
        for pid in conf:
            if pid in col:
                allowed[i, col[pid]] = False
    x = solve(affinity, allowed, per_submission, max_load, [s.id for s in subs])
    solve_seconds = time.perf_counter() - started
    masked = np.where(allowed, affinity, -np.inf)
    order = np.lexsort((np.broadcast_to(np.arange(len(ids)), masked.shape), -masked), axis=1)
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(1, len(ids) + 1)[None].repeat(len(subs), 0), axis=1)
    out = []
    for i, sub in enumerate(subs):
        chosen = sorted(np.flatnonzero(x[i]), key=lambda j: (rank[i, j], j))
        reviewers = [
            Reviewer(
                ids[j],
                engine.people[ids[j]].name,
                float(affinity[i, j]),
                int(rank[i, j]),
                [engine.talks[t].id for t in best_talks[i, j] if t >= 0][:EVIDENCE],
                label(engine, engine.people[ids[j]]),
                latin_name(engine.people[ids[j]]),
            )
            for j in chosen
        ]
        conf, warnings = found[i]
        excluded = [Conflict(pid, engine.people[pid].name, why) for pid, why in sorted(conf.items()) if pid in col]
        out.append(Assigned(sub.id, sub.title, reviewers, excluded, warnings))
    return Assignment(out, summary(affinity, allowed, x, rank, per_submission, max_load, solve_seconds))


def summary(
    affinity: np.ndarray, allowed: np.ndarray, x: np.ndarray, rank: np.ndarray, per: int, load: int, seconds: float
) -> dict[str, Any]:
    """Mean affinity against the unconstrained optimum (each submission its best ``per`` reviewers
    without a conflict, no load limit), share of submissions given their best reviewer, loads."""
    masked = np.where(allowed, affinity, -np.inf)
    best = -np.sort(-masked, axis=1)[:, :per]
    loads = x.sum(axis=0)
    mean = float(affinity[x].mean())
    optimum = float(best.mean())
    return {
        "submissions": int(x.shape[0]),
        "reviewers": int(x.shape[1]),
        "per_submission": per,
        "max_load_allowed": load,
        "max_load": int(loads.max(initial=0)),
        "mean_affinity": round(mean, 4),
        "unconstrained_mean_affinity": round(optimum, 4),
        "ratio": round(mean / optimum, 4) if optimum > 0 else 1.0,
        "got_best_reviewer": round(float(((rank == 1) & x).any(axis=1).mean()), 4),
        "load_histogram": {str(k): v for k, v in sorted(Counter(int(v) for v in loads).items())},
        "conflicts_excluded": int((~allowed).sum()),
        "seconds": round(seconds, 2),
    }


# --- output ---------------------------------------------------------------------------------------
CSV_COLUMNS = ["id", "person_id", "name", "latin", "affinity", "rank", "evidence"]


def record(a: Assigned) -> dict[str, Any]:
    """One submission as the JSONL line: ``{"id", "reviewers": [...], "excluded": [...]}``."""
    return {
        "id": a.id,
        "reviewers": [
            {"person_id": r.person_id, "name": r.name, "affinity": r.affinity, "rank": r.rank, "evidence": r.evidence}
            for r in a.reviewers
        ],
        "excluded": [asdict(c) for c in a.excluded],
    }


def to_jsonl(assignment: Assignment) -> str:
    return "".join(json.dumps(record(a), ensure_ascii=False) + "\n" for a in assignment.submissions)


def to_csv(assignment: Assignment) -> str:
    """One row per assigned pair (with the Latin name); evidence as a ';'-separated list of talk ids."""
    rows = (
        [a.id, r.person_id, r.name, r.latin, f"{r.affinity:.4f}", r.rank, ";".join(r.evidence)]
        for a in assignment.submissions
        for r in a.reviewers
    )
    return csv_text(CSV_COLUMNS, rows)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def summary_lines(s: dict[str, Any]) -> list[str]:
    """The summary for people: mean affinity against the optimum, best-reviewer share, loads."""
    loads = Note("loads")
    for i, (k, n) in enumerate(s["load_histogram"].items()):
        load = Note("load", reviewers=_count(n, "reviewer"), n=n, k=k)
        loads += Note("list_comma") + load if i else load
    per = s["per_submission"]
    return [
        Note("summary_size", submissions=_count(s["submissions"], "submission"), per=_count(per, "reviewer"),
             n=s["submissions"], k=per, pool=s["reviewers"], max_load=s["max_load_allowed"], seconds=s["seconds"]),
        Note("summary_affinity", mean=s["mean_affinity"], k=per, optimum=s["unconstrained_mean_affinity"],
             ratio=s["ratio"]),
        Note("summary_best", share=s["got_best_reviewer"]),
        loads,
        Note("summary_conflicts", n=s["conflicts_excluded"]),
    ]  # fmt: skip
