"""Everything an index holds, in memory: what the store writes and reads back."""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import faiss
import numpy as np

from corpus.models import Person, Talk, Topic
from index.lexical import LexicalIndex
from index.passages import PassageTexts
from index.tokenize import Tokenizer
from index.translation import TERMINOLOGY, TermTable

if TYPE_CHECKING:
    from index.store import Store

SCHEMA_VERSION = 5  # 3: passage texts as one memory-mapped UTF-8 buffer; 4: talks' translated terms; 5: settings


@dataclass
class IndexBundle:
    talks: list[Talk]
    people: list[Person]
    topics: list[Topic]
    tokenizer: Tokenizer
    lexical: LexicalIndex
    vectors: faiss.Index
    passage_talk: np.ndarray  # int32: row of the talk each passage belongs to
    passage_kind: np.ndarray  # int8: passages.TITLE | DOCUMENT | SENTENCE
    passage_text: PassageTexts
    terms: TermTable = field(default_factory=TermTable)
    names: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)
    layout: np.ndarray | None = None  # float32 (talks, 2): topic-map coordinates in [0, 1]

    def talk_row(self) -> dict[str, int]:
        return {t.id: i for i, t in enumerate(self.talks)}


def library_versions() -> dict[str, str]:
    out = {"python": sys.version.split()[0], "faiss": faiss.__version__, "numpy": np.__version__}
    for pkg in ("bm25s", "jieba", "talksearch"):
        try:
            out[pkg] = version(pkg)
        except Exception:
            out[pkg] = "unknown"
    return out


def current_fingerprint(store: Store) -> str:
    """The fingerprint the corpus has now: what an index must have been built from to be current."""
    from corpus.build import SOURCES_DIR

    return corpus_fingerprint(SOURCES_DIR, store.user_talks_path)


def corpus_fingerprint(sources_dir: Path, user_talks: Path | None) -> str:
    """Hash of what the index is made from: source files, user talks, the parser code and the
    field's terminology.

    Cheap to compute at load time, so a stale index is caught without parsing anything.
    """
    h = hashlib.sha256()
    parser_dir = Path(__file__).resolve().parent.parent / "corpus"
    files = sorted(p for p in sources_dir.iterdir() if p.is_file() and p.suffix in (".txt", ".toml"))
    files += sorted(parser_dir.glob("*.py"))
    files.append(TERMINOLOGY)  # query translation is built from it with the index
    if user_talks is not None and user_talks.exists():
        files.append(user_talks)
    for p in files:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:20]
