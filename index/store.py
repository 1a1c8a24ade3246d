"""The data directory: the one module that reads and writes index files, always atomically."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from corpus.models import Talk
from corpus.userdata import UserDataError, read_user_file, write_jsonl

DEFAULT_DIR = "var"
USER_TALKS = "user_talks.jsonl"
INDEX_DIR = "index"


class StoreError(Exception):
    """A missing, stale, mismatched or corrupt index: the message says what to run."""


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir, else $TALKSEARCH_HOME, else ./var."""
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("TALKSEARCH_HOME") or DEFAULT_DIR)


def atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Store:
    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def index_dir(self) -> Path:
        return self.root / INDEX_DIR

    # --- user talks (corpus add / remove) ---------------------------------------------------
    def user_talks(self) -> list[Talk]:
        path = self.root / USER_TALKS
        if not path.exists():
            return []
        try:
            return read_user_file(path)
        except UserDataError as exc:
            raise StoreError(f"{path} is damaged:\n{exc}\nfix or delete the file") from None

    def save_user_talks(self, talks: Iterable[Talk]) -> None:
        talks = list(talks)
        if talks:
            atomic_write_text(self.root / USER_TALKS, write_jsonl(talks))
        else:
            (self.root / USER_TALKS).unlink(missing_ok=True)

    # --- index directory: build into a temporary sibling, then swap in one rename ----------
    @contextmanager
    def building(self) -> Iterator[Path]:
        """Yield an empty directory to build into; on success it replaces the index atomically.

        An exception (or Ctrl-C) leaves the previous index untouched and removes the partial build.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=self.root, prefix=".build-"))
        try:
            yield tmp
            old = self.root / f".old-{os.getpid()}"
            if self.index_dir.exists():
                os.replace(self.index_dir, old)
            os.replace(tmp, self.index_dir)
            shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def read_json(self, name: str) -> dict:
        path = self.index_dir / name
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise StoreError(f"no index in {self.root} (missing {name}); run `talksearch build`") from None
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise StoreError(f"{path} is corrupt; run `talksearch build`") from None
