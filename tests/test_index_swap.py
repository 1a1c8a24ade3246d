"""The index swap is one atomic step: a build killed at any point (a real process death, no cleanup
code run) leaves the previous index served, and the next build removes what it left behind."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from index.builder import build
from index.store import Store

ROOT = Path(__file__).resolve().parents[1]

# Build in a child process that dies (os._exit: no finally, no cleanup) at the named moment.
KILLED_BUILD = """
import os, sys
from pathlib import Path
import index.store as store
from index import vectors
from index.builder import build

moment = sys.argv[2]
if moment == "writing":
    vectors.save = lambda *a, **k: os._exit(9)
else:
    real = os.replace
    def replace(src, dst):
        if Path(dst).name == "index" and moment == "before-switch":
            os._exit(9)
        real(src, dst)
        if Path(dst).name == "index" and moment == "after-switch":
            os._exit(9)
    store.os.replace = replace
build(store.Store(Path(sys.argv[1])), "use-multilingual")
"""


@pytest.fixture
def data(built_dir, tmp_path) -> Path:
    shutil.copytree(built_dir, tmp_path / "var", symlinks=True)
    return tmp_path / "var"


def killed_build(data: Path, moment: str) -> None:
    done = subprocess.run([sys.executable, "-c", KILLED_BUILD, str(data), moment], cwd=ROOT, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 9, done.stderr


def leftovers(data: Path) -> list[str]:
    current = (data / "index").resolve().name
    return sorted(p.name for p in data.iterdir() if p.name.startswith((".build-", ".old-", ".link-", "index-"))
                  and p.name != current)  # fmt: skip


@pytest.mark.parametrize("moment", ["writing", "before-switch", "after-switch"])
def test_killed_build_leaves_a_whole_index_and_the_next_build_cleans_up(data, moment):
    store = Store(data)
    before = store.manifest()
    killed_build(data, moment)
    after = store.manifest()  # checksummed: a whole manifest of one index, never a missing index
    assert store.read_index() and len(store.read_index().talks) == 450
    if moment == "after-switch":
        assert after["manifest_checksum"] != before["manifest_checksum"]  # the new index is whole and served
    else:
        assert after == before
    assert leftovers(data)  # the killed build left something behind
    build(store, "use-multilingual")
    assert leftovers(data) == [] and (data / "index").is_symlink()


def test_temporary_directories_of_a_live_build_are_kept(data):
    store = Store(data)
    live = data / f".build-{os.getppid()}-x"  # a process that is alive: pytest's parent
    dead = data / ".build-999999999-x"
    live.mkdir()
    dead.mkdir()
    removed = store.clean_stale()
    assert dead in removed and not dead.exists() and live.exists()
    os.utime(live, (0, 0))  # a day old: its owner is no longer building it
    assert live in store.clean_stale()


def test_an_index_of_the_older_layout_is_replaced(data):
    """A data directory whose index/ is a real directory (copied, or built before the symlink)."""
    store = Store(data)
    target = (data / "index").resolve()
    (data / "index").unlink()
    shutil.move(target, data / "index")
    assert not (data / "index").is_symlink()
    build(store, "use-multilingual")
    assert (data / "index").is_symlink() and leftovers(data) == [] and len(store.read_index().talks) == 450
    assert json.loads((data / "index" / "manifest.json").read_text())["manifest_checksum"]


def test_a_relative_data_directory_keeps_its_current_index(built_dir, tmp_path, monkeypatch):
    """The default data directory, ./var, is relative: cleaning up must not take the served index
    for a leftover (it did: `make run` built an index and removed it in the same step)."""
    shutil.copytree(built_dir, tmp_path / "var", symlinks=True)
    monkeypatch.chdir(tmp_path)
    store = Store(Path("var"))
    assert store.clean_stale() == []
    assert store.read_index().talks
