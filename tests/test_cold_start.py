"""Cold-start levers must not change what is computed: the USE tokenizer snapshot, jieba's
dictionary read in one piece, bm25s without numba and scipy; and the CLI search path imports
none of the heavy optional libraries."""

from __future__ import annotations

import marshal
import subprocess
import sys
from pathlib import Path

import jieba
import numpy as np

import index.jieba_load  # noqa: F401
from index import use_tokenizer
from index.encoders import UseEncoder, package_version
from search.evaluate import EVAL_DIR, load_jsonl

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [*(q["query"] for q in load_jsonl(EVAL_DIR / "dev_queries.jsonl")[:40]), "ﬁ Ｆｕｌｌ\u3000width ①", ""]


def _snapshot(cache: Path) -> Path:
    return use_tokenizer.snapshot_path(cache, package_version(UseEncoder.package))


def test_tokenizer_snapshot_encodes_exactly_as_the_parsed_model(tmp_path):
    fresh = UseEncoder(threads=1)
    first = UseEncoder(threads=1, cache_dir=tmp_path)  # parses the model and writes the snapshot
    assert _snapshot(tmp_path).stat().st_size > 1_000_000
    second = UseEncoder(threads=1, cache_dir=tmp_path)  # reads the snapshot
    assert second._model._sp._pieces == fresh._model._tokenizer._pieces
    for enc in (first, second):
        for text in TEXTS:
            assert enc._model._tokenizer.encode(text) == fresh._model._tokenizer.encode(text), text
    texts = [t for t in TEXTS if t]
    assert np.array_equal(second.encode_queries(texts), fresh.encode_queries(texts))


def test_a_damaged_snapshot_is_rebuilt(tmp_path):
    path = _snapshot(tmp_path)
    path.write_bytes(b"not a snapshot")
    enc = UseEncoder(threads=1, cache_dir=tmp_path)
    assert enc._model._tokenizer.encode("扩散模型 inverse problems") == UseEncoder(threads=1)._model._tokenizer.encode(
        "扩散模型 inverse problems"
    )
    assert marshal.loads(path.read_bytes())["format"] == use_tokenizer.FORMAT


def test_an_unwritable_cache_only_costs_time(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory would be")
    enc = UseEncoder(threads=1, cache_dir=blocker / "cache")
    assert enc.encode_queries(["PINN"]).shape == (1, 512)
    assert list(tmp_path.iterdir()) == [blocker]


def test_jieba_dictionary_read_in_one_piece_is_the_same(tmp_path):
    plain = jieba.Tokenizer()
    plain.tmp_dir = str(tmp_path)
    plain.initialize()  # no cache yet: parses dict.txt and writes the cache
    cache = next(tmp_path.glob("jieba*.cache"))
    with open(cache, "rb") as f:
        assert marshal.load(f) == (plain.FREQ, plain.total)  # what unpatched jieba would read
    again = jieba.Tokenizer()
    again.tmp_dir = str(tmp_path)
    again.initialize()  # through index.jieba_load
    assert (again.FREQ, again.total) == (plain.FREQ, plain.total)
    assert again.lcut("物理信息神经网络的隐式正则化") == plain.lcut("物理信息神经网络的隐式正则化")


def test_cli_search_imports_no_heavy_optional_library(built_dir):
    code = (
        "import sys\n"
        "from search.cli import main\n"
        f"main(['--data-dir', {str(built_dir)!r}, 'search', 'PINN', '-k', '2'], standalone_mode=False)\n"
        "print(sorted(m for m in ('numba', 'scipy', 'pandas', 'flask', 'torch', 'ranx') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "PINN" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "[]"
