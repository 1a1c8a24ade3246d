"""`build --ray` and `batch --ray` on a local Ray cluster started here: outputs identical to one process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ray = pytest.importorskip("ray", reason="ray is not installed: pip install 'talksearch[distributed]'")

from click.testing import CliRunner  # noqa: E402

from bench.stand_in import NAME, HashNgramStandIn  # noqa: E402
from index.builder import build  # noqa: E402
from index.ray_embed import ROOT  # noqa: E402
from index.settings import SearchSettings  # noqa: E402
from index.store import Store  # noqa: E402
from search.cli import main  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    ray.init(num_cpus=2, include_dashboard=False, runtime_env={"env_vars": {"PYTHONPATH": str(ROOT)}})
    yield ray.get_runtime_context().gcs_address
    ray.shutdown()


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes() for p in sorted((root / "index").rglob("*")) if p.is_file() and p.name != "manifest.json"
    }


def test_build_on_ray_writes_the_same_index(tmp_path, cluster):
    here, there = Store(tmp_path / "one"), Store(tmp_path / "ray")
    one = build(here, NAME, "flat", encoder=HashNgramStandIn())
    spread = build(there, NAME, "flat", encoder=HashNgramStandIn(), ray_address=cluster)
    assert spread.manifest["counts"] == one.manifest["counts"]
    assert one.manifest["counts"]["embedded_now"] > 3000  # every passage went through the actors
    assert _files(there.root) == _files(here.root)  # vectors.faiss, passages, texts, lexical: byte for byte
    assert (there.root / "cache").exists()


def test_batch_on_ray_is_byte_identical(tmp_path, built_dir, cluster):
    lines = (Path(__file__).parent.parent / "eval" / "dev_queries.jsonl").read_text(encoding="utf-8").splitlines()
    queries = [json.loads(x) for x in lines if x.strip()]
    rows = [f"{q['id']}\t{q['query']}" for q in queries if "\t" not in q["query"] and "\n" not in q["query"]]
    rows.insert(5, "bad\t   ")  # rejected when read
    too_long = "词" * (SearchSettings().max_query_chars + 1)
    rows.insert(6, "long\t" + too_long)  # rejected by the engine (in an actor, under --ray)
    (tmp_path / "q.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    outputs = []
    for extra in ([], ["--ray", cluster]):
        for task, fmt in (("search", "trec"), ("experts", "jsonl")):
            out = tmp_path / f"{task}-{len(extra)}.{fmt}"
            result = CliRunner().invoke(
                main,
                ["--data-dir", str(built_dir), "batch", str(tmp_path / "q.tsv"), "--task", task,
                 "--format", fmt, "-o", str(out), *extra],
            )  # fmt: skip
            assert result.exit_code == 1, result.output
            assert "q.tsv:6: query 'bad' is empty" in result.output
            assert "q.tsv:7: query 'long':" in result.output
            outputs.append(out.read_bytes())
    assert len(outputs[0].splitlines()) > 900
    assert outputs[2] == outputs[0] and outputs[3] == outputs[1]


def test_a_failing_actor_is_one_clear_error(tmp_path, cluster):
    from index.ray_embed import RayError
    from search.batch import BatchQuery
    from search.ray_batch import answers

    with pytest.raises(RayError, match=r"Ray batch actor failed: .*no index"):
        list(answers(tmp_path / "nothing-here", "search", 10, [BatchQuery("q1", "PINN", 1)], cluster))
