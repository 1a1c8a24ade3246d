"""CSV formula injection: no cell the project writes may start a spreadsheet formula (OWASP rule)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from search.batch import BatchRow, format_rows
from search.cli import main
from search.csv_safe import csv_text, safe_cell

PAYLOADS = ["=cmd|' /C calc'!A0", "+Evil", "-2+3", "@SUM(1+1)", "\tTAB", "\rCR"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_cells_are_prefixed(payload):
    assert safe_cell(payload) == "'" + payload
    (row,) = list(csv.reader(io.StringIO(csv_text(["h"], [[payload]]).split("\r\n", 1)[1])))
    assert row == ["'" + payload]


def test_harmless_cells_and_numbers_are_untouched():
    assert [safe_cell(v) for v in ["PINN", "2+3", "a=b", 5, -1.5, None]] == ["PINN", "2+3", "a=b", 5, -1.5, None]


def test_corpus_export_csv_neutralises_a_user_talk(tmp_path):
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path / "var")]
    path = tmp_path / "evil.jsonl"
    record = {"event": "csml2026", "code": "A1-1", "title": "@SUM(1+1)", "speaker": "=cmd|' /C calc'!A0",
              "affiliation": "+Evil"}  # fmt: skip
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert runner.invoke(main, [*data, "corpus", "add", str(path)]).exit_code == 0
    out = runner.invoke(main, [*data, "corpus", "export", "--format", "csv"]).stdout
    (row,) = [r for r in csv.DictReader(io.StringIO(out)) if r["id"] == "csml2026-A1-1"]
    assert (row["title"], row["speaker"], row["affiliation"]) == ("'@SUM(1+1)", "'=cmd|' /C calc'!A0", "'+Evil")


def test_batch_csv_neutralises_names():
    rows = [BatchRow("q1", 1, "-2+3", 0.5, {"name": '=HYPERLINK("x")'})]
    (row,) = list(csv.DictReader(io.StringIO(format_rows(rows, "csv"))))
    assert row["doc"] == "'-2+3" and row["name"] == '\'=HYPERLINK("x")'
