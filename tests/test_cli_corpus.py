"""The corpus commands, run through the real click entry point."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from search.cli import main

FIELDS = {
    "id", "event", "event_name", "kind", "session", "session_title", "date", "time", "room", "chairs",
    "online", "speaker", "affiliation", "title", "abstract", "bio", "title_lang", "abstract_lang",
    "has_abstract", "duplicate_of", "source",
}  # fmt: skip


@pytest.fixture
def run(tmp_path):
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(main, ["--data-dir", str(tmp_path / "var"), *args], catch_exceptions=False)

    return invoke


def test_export_jsonl_prints_every_record_with_all_fields(run, corpus):
    result = run("corpus", "export", "--format", "jsonl")
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == len(corpus.talks) == 450
    for r in records:
        assert set(r) >= FIELDS


def test_export_csv(run):
    result = run("corpus", "export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 450 and set(rows[0]) >= FIELDS


def test_stats(run):
    result = run("corpus", "stats", "--json")
    stats = {e["event"]: e for e in json.loads(result.stdout)["events"]}
    assert stats["csml2025"]["records"] == 167 and stats["csml2025"]["with_abstract"] == 158
    assert stats["csml2022"]["sessions"] == 23


def test_show_and_unknown_id(run):
    result = run("corpus", "show", "csml2022-A2-4")
    assert "PINN 的失效与其隐式正则化" in result.stdout and "周岐轩" in result.stdout
    bad = run("corpus", "show", "csml2022-A2-9")
    assert bad.exit_code != 0 and "did you mean" in bad.output and "Traceback" not in bad.output


def test_add_and_remove_user_talks(run, tmp_path):
    path = tmp_path / "new.jsonl"
    path.write_text(json.dumps({"event": "csml2026", "code": "A1-1", "title": "T", "speaker": "S"}) + "\n")
    assert run("corpus", "add", str(path)).exit_code == 0
    assert "csml2026-A1-1" in run("corpus", "export").stdout
    again = run("corpus", "add", str(path))
    assert again.exit_code != 0 and "already exists" in again.output
    assert run("corpus", "remove", "csml2026-A1-1").exit_code == 0
    assert "csml2026-A1-1" not in run("corpus", "export").stdout
    bundled = run("corpus", "remove", "csml2022-A1-1")
    assert bundled.exit_code != 0 and "bundled" in bundled.output


def test_bad_rows_add_nothing(run, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("event,code,title,speaker\ncsml2026,A1-1,T,S\ncsml2026,A1-2,,S\n")
    result = run("corpus", "add", str(path))
    assert result.exit_code != 0 and "bad.csv:3: field title" in result.output
    assert "csml2026" not in run("corpus", "export").stdout
