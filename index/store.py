"""The data directory: the one module that reads and writes index files, always atomically."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from corpus.errors import TalksearchError
from corpus.models import Person, Talk, Topic
from corpus.userdata import UserDataError, read_user_file, write_jsonl
from index.passages import PassageTexts

if TYPE_CHECKING:
    from index.bundle import IndexBundle

DEFAULT_DIR = "var"
USER_TALKS = "user_talks.jsonl"
LEXICAL_DIR = "lexical"  # the BM25 index's files
INDEX_DIR = "index"  # a symlink to the current version, index-<pid>-<time>/, replaced in one os.replace
CHECKSUM_KEY = "manifest_checksum"
STALE_SECONDS = 24 * 3600  # temporary build files of a live process older than this are removed too


class StoreError(TalksearchError):
    """A missing, stale, mismatched or corrupt index: the message says what to run."""


class NoIndexError(StoreError):
    """No index in the data directory at all (the command line also says how to point elsewhere)."""


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir, else $TALKSEARCH_HOME, else ./var."""
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("TALKSEARCH_HOME") or DEFAULT_DIR)


def manifest_checksum(manifest: dict[str, Any]) -> str:
    """SHA-256 of the manifest's own content (every key but the checksum), as canonical JSON."""
    body = {k: v for k, v in manifest.items() if k != CHECKSUM_KEY}
    return "sha256:" + hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def signed(manifest: dict[str, Any]) -> dict[str, Any]:
    return {**{k: v for k, v in manifest.items() if k != CHECKSUM_KEY}, CHECKSUM_KEY: manifest_checksum(manifest)}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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

    @property
    def user_talks_path(self) -> Path:
        return self.root / USER_TALKS

    # --- user talks (corpus add / remove) ---------------------------------------------------
    def user_talks(self) -> list[Talk]:
        path = self.user_talks_path
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

    # --- index directory: build into a temporary sibling, then switch the symlink in one step --
    @contextmanager
    def building(self) -> Iterator[Path]:
        """Yield an empty directory to build into; on success it becomes the index in one atomic step.

        The build is written to ``.build-<pid>-*``, renamed to ``index-<pid>-<time>``, and the symlink
        ``index`` is replaced by one pointing there (``os.replace``): a kill at any moment leaves either
        the previous index or the new one, never none. Leftovers of killed builds are removed at the
        start of the next build. An exception (or Ctrl-C) leaves the previous index untouched.
        """
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            self.clean_stale()
            tmp = Path(tempfile.mkdtemp(dir=self.root, prefix=f".build-{os.getpid()}-"))
        except OSError as exc:
            raise self._unwritable(exc) from None
        try:
            yield tmp
            self._switch_to(tmp)
        except OSError as exc:
            raise self._unwritable(exc) from None
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _switch_to(self, built: Path) -> None:
        version = self.root / f"index-{os.getpid()}-{time.time_ns()}"
        os.replace(built, version)
        previous = self.index_dir.resolve() if self.index_dir.exists() else None
        if self.index_dir.is_dir() and not self.index_dir.is_symlink():  # an index of the older layout
            os.replace(self.index_dir, self.root / f".old-{os.getpid()}-{time.time_ns()}")
        link = self.root / f".link-{os.getpid()}"
        link.unlink(missing_ok=True)
        link.symlink_to(version.name)  # relative: the data directory can be moved or copied
        os.replace(link, self.index_dir)  # the one step that changes which index is served
        if previous is not None and previous != version:
            shutil.rmtree(previous, ignore_errors=True)
        self.clean_stale()

    def clean_stale(self) -> list[Path]:
        """Remove what killed builds left: temporary and replaced directories that are not the current
        index, unless a live process of this machine owns them and they are younger than a day."""
        current = self.index_dir.resolve() if self.index_dir.is_symlink() else None
        removed = []
        for path in self.root.glob("*"):
            name = path.name
            # resolved: with a relative data directory (the default ./var) ``path`` is relative
            if not name.startswith((".build-", ".old-", ".link-", "index-")) or path.resolve() == current:
                continue
            try:
                pid = int(name.split("-")[1])
                age = time.time() - path.lstat().st_mtime
            except (ValueError, IndexError, OSError):
                continue
            if pid != os.getpid() and _alive(pid) and age < STALE_SECONDS:
                continue  # another build in progress
            if pid == os.getpid() and name.startswith(".build-"):
                continue  # this build's own directory
            if path.is_symlink() or path.is_file():
                path.unlink(missing_ok=True)
            else:
                shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
        return removed

    def _unwritable(self, exc: OSError) -> StoreError:
        where = exc.filename or self.root
        return StoreError(f"cannot write the index in {self.root} ({where}: {exc.strerror}); choose a writable "
                          "data directory (--data-dir or $TALKSEARCH_HOME)")  # fmt: skip

    def read_json(self, name: str) -> dict[str, Any]:
        path = self.index_dir / name
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise NoIndexError(f"no index in {self.root.resolve()} (missing {name}); run `talksearch build`") from None
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise StoreError(f"{path} is corrupt; run `talksearch build`") from None

    # --- the index itself ---------------------------------------------------------------------
    def check_writable(self) -> None:
        """Fail before a build's work, not after it: an OSError naming the data directory."""
        self.root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=self.root):
            pass

    def write_index(self, bundle: IndexBundle, into: Path) -> None:
        """Write every part into ``into`` (a directory of ``building()``) and checksum them all. The
        BM25 index and the passage texts may be there already: the build writes them as soon as
        they are made, to free their memory for the vector stage."""
        from index import vectors

        _write_jsonl(into / "talks.jsonl", (t.to_dict() for t in bundle.talks))
        _write_jsonl(into / "people.jsonl", (p.to_dict() for p in bundle.people))
        _write_jsonl(into / "topics.jsonl", (t.to_dict() for t in bundle.topics))
        (into / "tokenizer.json").write_text(
            json.dumps({"user_words": bundle.tokenizer.user_words}, ensure_ascii=False), encoding="utf-8"
        )
        names = json.dumps(bundle.names, ensure_ascii=False)
        (into / "names.json").write_text(names, encoding="utf-8")
        terms = json.dumps(bundle.terms.to_dict(), ensure_ascii=False)
        (into / "translations.json").write_text(terms, encoding="utf-8")
        if not (into / LEXICAL_DIR).is_dir():
            bundle.lexical.save(into / LEXICAL_DIR)
        if not (into / PassageTexts.BUFFER).exists():
            bundle.passage_text.save(into)
        vectors.save(bundle.vectors, into / "vectors.faiss")
        np.savez(into / "passages.npz", talk=bundle.passage_talk, kind=bundle.passage_kind)
        if bundle.layout is not None:
            np.save(into / "layout.npy", bundle.layout)
        manifest = dict(bundle.manifest)
        manifest["files"] = {str(p.relative_to(into)): _checksum(p) for p in sorted(into.rglob("*")) if p.is_file()}
        manifest = signed(manifest)
        (into / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        bundle.manifest = manifest

    def manifest(self) -> dict[str, Any]:
        """The index's manifest, checked against its own checksum (an edited or damaged manifest is refused)."""
        manifest = self.read_json("manifest.json")
        stored = manifest.get(CHECKSUM_KEY)
        if stored is None:
            raise StoreError(f"the index manifest in {self.index_dir} has no checksum (an older or damaged index); "
                             "run `talksearch build`")  # fmt: skip
        if stored != manifest_checksum(manifest):
            raise StoreError(f"the index manifest {self.index_dir / 'manifest.json'} was changed or is corrupt "
                             "(its checksum does not match its content); run `talksearch build`")  # fmt: skip
        return manifest

    def fingerprint(self) -> str | None:
        """Which index is on disk now, cheaply: the version directory the symlink points to."""
        try:
            return os.readlink(self.index_dir) if self.index_dir.is_symlink() else None
        except OSError:
            return None

    def verify(self, manifest: dict[str, Any] | None = None) -> None:
        """Every file the manifest lists is present with its checksum, else a StoreError."""
        for name, digest in (manifest or self.manifest()).get("files", {}).items():
            path = self.index_dir / name
            if not path.is_file():
                raise StoreError(f"index file {path} is missing; run `talksearch build`")
            if _checksum(path) != digest:
                raise StoreError(f"index file {path} is corrupt (checksum mismatch); run `talksearch build`")

    def read_index(self, expect_encoder: str | None = None, expect_fingerprint: str | None = None) -> IndexBundle:
        """Load and verify the index: a mismatch is a StoreError saying to run `talksearch build`."""
        from index import vectors
        from index.bundle import SCHEMA_VERSION, IndexBundle
        from index.lexical import LexicalIndex
        from index.tokenize import Tokenizer
        from index.translation import TermTable

        manifest = self.manifest()
        fix = "run `talksearch build`"
        if manifest.get("schema_version") != SCHEMA_VERSION:
            raise StoreError(
                f"index in {self.root} has schema {manifest.get('schema_version')}, "
                f"this talksearch reads {SCHEMA_VERSION}; {fix}"
            )
        encoder = manifest.get("encoder", {})
        if expect_encoder and encoder.get("name") != expect_encoder:
            raise StoreError(
                f"index in {self.root} was built with encoder {encoder.get('name')!r}, not {expect_encoder!r}; "
                f"{fix} --encoder {expect_encoder}"
            )
        if expect_fingerprint and manifest.get("corpus_fingerprint") != expect_fingerprint:
            raise StoreError(
                f"index in {self.root} is stale: the corpus (sources, added talks or parser) "
                f"changed since it was built; {fix}"
            )
        self.verify(manifest)
        try:
            index = vectors.load(self.index_dir / "vectors.faiss")
            with np.load(self.index_dir / "passages.npz") as p:
                talk, kind = p["talk"], p["kind"]
            text = PassageTexts.load(self.index_dir)
            user_words = self.read_json("tokenizer.json")["user_words"]
            terms = TermTable.from_dict(self.read_json("translations.json"))
            names = self.read_json("names.json")
            lexical = LexicalIndex.load(self.index_dir / LEXICAL_DIR, mmap=True)  # queries read a few postings
            layout = np.load(self.index_dir / "layout.npy") if "layout.npy" in manifest.get("files", {}) else None
        except (OSError, RuntimeError, ValueError, KeyError) as exc:
            raise StoreError(f"index in {self.root} cannot be read ({exc}); {fix}") from None
        if index.d != encoder.get("dimension"):
            raise StoreError(f"vector index has dimension {index.d}, manifest says {encoder.get('dimension')}; {fix}")
        if not index.ntotal == len(talk) == len(text):
            raise StoreError(
                f"vector index holds {index.ntotal} vectors for {len(talk)} passages and {len(text)} texts; {fix}"
            )
        return IndexBundle(
            talks=[Talk.from_dict(d) for d in _read_jsonl(self.index_dir / "talks.jsonl")],
            people=[Person(**d) for d in _read_jsonl(self.index_dir / "people.jsonl")],
            topics=[Topic(**d) for d in _read_jsonl(self.index_dir / "topics.jsonl")],
            tokenizer=Tokenizer(user_words),
            lexical=lexical,
            vectors=index,
            passage_talk=talk,
            passage_kind=kind,
            passage_text=text,
            terms=terms,
            names=names,
            manifest=manifest,
            layout=layout,
        )


def _checksum(path: Path) -> str:
    """CRC-32 and size: catches truncated and corrupted files, fast enough to check at every load."""
    crc = 0
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            crc = zlib.crc32(block, crc)
    return f"crc32:{crc:08x}:{path.stat().st_size}"


def _write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """One record at a time: the records become objects as they are read, never all held as dicts."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)
