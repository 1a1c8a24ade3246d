"""The web app and the command line reach the ranking engine only through its facade."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The engine's stages: parse, retrieve, fuse, rank, build results. Only search.engine re-exports them.
INTERNALS = {
    "search.analysis", "search.experts", "search.filters", "search.fusion", "search.person_scores",
    "search.query", "search.ranking", "search.related", "search.relevance", "search.results",
    "search.retrievers", "search.searcher", "search.snippets", "search.suggest",
}  # fmt: skip


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found


def test_web_and_cli_import_no_engine_internals():
    files = sorted((ROOT / "web").rglob("*.py")) + sorted((ROOT / "search" / "cli").rglob("*.py"))
    assert len(files) > 10
    offenders = {str(f.relative_to(ROOT)): sorted(imported_modules(f) & INTERNALS) for f in files}
    assert {f: m for f, m in offenders.items() if m} == {}
    assert all((ROOT / (m.replace(".", "/") + ".py")).exists() for m in INTERNALS)  # no stale names


def engine_internals_reached(path: Path) -> list[str]:
    """``x.searcher`` / ``x.bundle`` attribute reads: the engine's insides, past its facade."""
    return [
        f"{path.name}:{node.lineno}: .{node.attr}"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr in ("searcher", "bundle")
    ]


def test_web_and_cli_use_no_engine_attributes_past_the_facade():
    files = sorted((ROOT / "web").rglob("*.py")) + sorted((ROOT / "search" / "cli").rglob("*.py"))
    assert [hit for f in files for hit in engine_internals_reached(f)] == []
    assert engine_internals_reached(ROOT / "search" / "engine.py")  # the check sees such reads where they are
