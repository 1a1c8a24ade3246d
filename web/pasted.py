"""Long pasted queries behind a short id, so their result pages have ordinary links.

A pasted abstract is too long for a URL (a Chinese one passes the 8,190-byte request line at ~900
characters), so the search form POSTs it. Its result page still needs links that carry it: pages,
filters, chips, the language switch, "back to results" on a talk. The text is kept under the first
32 hex digits of its SHA-256 and the browser is sent to ``/?qid=…``; every link copies ``qid`` like
any other parameter.

Texts are files in the data directory's ``queries`` folder, shared by a server's worker processes
and kept across restarts; the oldest go beyond ``KEEP``. Without a writable directory (tests, a
read-only deployment) they are kept in the process's memory, and an id another host or process
issued is "no longer stored" (the page says to paste the text again).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections import OrderedDict
from pathlib import Path

KEEP = 2000  # texts kept (each at most the 20,000-character query limit: ~120 MB at worst)
_ID = re.compile(r"[0-9a-f]{32}")


def query_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class PastedQueries:
    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._memory: OrderedDict[str, str] = OrderedDict()

    def put(self, text: str) -> str:
        """Keep ``text``; its id."""
        qid = query_id(text)
        if not self._write(qid, text):
            self._memory[qid] = text
            self._memory.move_to_end(qid)
            while len(self._memory) > KEEP:
                self._memory.popitem(last=False)
        return qid

    def get(self, qid: str) -> str | None:
        """The text kept under ``qid``, or None (unknown, pruned, or not an id at all)."""
        if not _ID.fullmatch(qid):
            return None
        if qid in self._memory:
            return self._memory[qid]
        if self.folder is None:
            return None
        try:
            return (self.folder / f"{qid}.txt").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def _write(self, qid: str, text: str) -> bool:
        if self.folder is None:
            return False
        path = self.folder / f"{qid}.txt"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if path.exists():
                os.utime(path)  # recently used: pruned last
                return True
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(text)
                os.replace(tmp, path)
            finally:
                Path(tmp).unlink(missing_ok=True)
        except OSError:
            return False
        self._prune(self.folder)
        return True

    @staticmethod
    def _prune(folder: Path) -> None:
        """Drop the least recently used texts beyond KEEP (another worker may be pruning too)."""
        dated = []
        for path in folder.glob("*.txt"):
            try:
                dated.append((path.stat().st_mtime, path))
            except OSError:
                continue
        for _, old in sorted(dated)[: max(0, len(dated) - KEEP)]:
            old.unlink(missing_ok=True)
