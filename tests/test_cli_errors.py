"""The command line never shows a traceback: the audit's reproductions, run as a user runs them (a
real process), each ending in one clear line; a bug is one line with "please report" and a log file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def talksearch(*args: str, data: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "search.cli", *(["--data-dir", str(data)] if data else []), *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})  # fmt: skip


def one_clear_line(result: subprocess.CompletedProcess, *words: str) -> str:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def test_manifest_naming_another_encoder_is_a_clear_error(built_dir, tmp_path):
    data = tmp_path / "var"
    shutil.copytree(built_dir, data)
    manifest = data / "index" / "manifest.json"
    m = json.loads(manifest.read_text())
    m["encoder"]["name"], m["encoder"]["dimension"] = "e5-small", 512  # was: ValueError: matmul ...
    manifest.write_text(json.dumps(m))
    line = one_clear_line(talksearch("search", "PINN", data=data), "talksearch build")
    assert "please report" not in line


@pytest.fixture
def read_only_dir(tmp_path):
    """A read-only file system (as root, permission bits do not stop writes; a read-only mount does)."""
    mount = tmp_path / "ro"
    mount.mkdir()
    if os.geteuid() != 0:
        mount.chmod(0o555)
        yield mount
        mount.chmod(0o755)
        return
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a read-only file system here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_build_into_a_read_only_data_dir(read_only_dir):
    line = one_clear_line(talksearch("build", data=read_only_dir / "var"), str(read_only_dir / "var"))
    assert ("Read-only" in line or "Permission denied" in line) and "please report" not in line


def test_corpus_add_into_a_read_only_data_dir(read_only_dir, tmp_path):
    talk = tmp_path / "new.jsonl"
    talk.write_text(json.dumps({"event": "csml2026", "code": "A1-1", "title": "T", "speaker": "S"}) + "\n")
    line = one_clear_line(talksearch("corpus", "add", str(talk), data=read_only_dir / "var"), str(read_only_dir))
    assert "please report" not in line


def run_in_process(*args: str, data: Path):
    """The real click entry point in this process (for reproductions that need a patched module)."""
    from click.testing import CliRunner

    from search.cli import main

    return CliRunner().invoke(main, ["--data-dir", str(data), *args])


def test_malformed_terminology_names_the_file_and_line(tmp_path, monkeypatch):
    from index import translation

    bad = tmp_path / "terminology.tsv"
    monkeypatch.setattr(translation, "TERMINOLOGY", bad)
    bad.write_bytes("# terms\n张量网络\ttensor network\n".encode() + b"\xc4\xe3\xba\xc3\tGBK line\n")
    result = run_in_process("build", data=tmp_path / "var")
    assert result.exit_code == 1 and f"{bad}:3" in result.stderr and "UTF-8" in result.stderr, result.stderr
    bad.write_text("张量网络 tensor network\n", encoding="utf-8")  # a space, not a tab
    result = run_in_process("build", data=tmp_path / "var")
    assert result.exit_code == 1 and f"{bad}:1" in result.stderr and "TAB" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_bug_is_one_line_with_please_report_and_a_log(tmp_path):
    """Any exception that is not a TalksearchError (here a TypeError in a command) is a bug."""
    import click

    from search.cli import main

    @click.command("crash-for-test")
    def crash() -> None:
        raise TypeError("unsupported operand type(s) for +: 'int' and 'str'")

    main.add_command(crash)
    try:
        result = run_in_process("crash-for-test", data=tmp_path / "var")
    finally:
        main.commands.pop("crash-for-test")
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.exit_code == 1 and len(lines) == 1 and "Traceback" not in result.stderr
    assert "please report" in lines[0] and "TypeError" in lines[0]
    logs = list((tmp_path / "var" / "logs").glob("talksearch-crash-*.log"))
    assert len(logs) == 1 and str(logs[0]) in lines[0]
    assert "Traceback" in logs[0].read_text() and "unsupported operand" in logs[0].read_text()


def test_no_index_says_where_it_looked_and_how_to_point_elsewhere(tmp_path):
    """Run outside the repo with no index: the absolute directory, and --data-dir / $TALKSEARCH_HOME."""
    data = tmp_path / "elsewhere"
    line = one_clear_line(talksearch("search", "PINN", data=data), str(data.resolve()), "--data-dir", "TALKSEARCH_HOME")
    assert "run `talksearch build`" in line


def test_build_if_stale_does_not_tell_the_user_to_build_while_building(tmp_path):
    result = talksearch("build", "--if-stale", data=tmp_path / "var")
    assert result.returncode == 0, result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith("building: no index in") and "run `talksearch build`" not in first


def test_a_taken_port_is_one_clear_line_before_anything_says_serving(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = talksearch("serve", "--port", str(port), data=tmp_path / "var")
    line = one_clear_line(result, f"127.0.0.1:{port}", "--port")
    assert "serving" not in result.stderr + result.stdout and "no index" not in line


def test_build_logs_a_line_per_stage_with_counts_and_seconds(built_dir, tmp_path):
    """Not a terminal (CI, a log file): no bar, but one line per stage."""
    data = tmp_path / "var"
    shutil.copytree(built_dir, data, symlinks=True)
    result = talksearch("build", data=data)
    assert result.returncode == 0, result.stderr
    stages = [line.split(":")[0] for line in result.stderr.splitlines() if line.endswith(" s)")]
    assert stages == [
        "corpus",
        "user words",
        "tokens",
        "term tables",
        "translated",
        "lexical",
        "embedding",
        "vectors",
        "write",
    ], result.stderr
    assert "450 talks" in result.stderr
