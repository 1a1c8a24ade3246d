"""`talksearch batch`: many queries from a file, machine-readable runs out."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from search.cli.common import Context


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--task", type=click.Choice(["search", "experts"]), default="search", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["trec", "jsonl", "csv"]), default="trec", show_default=True)
@click.option("-k", default=10, show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None)
@click.pass_obj
def batch(obj: Context, file: Path, task: str, fmt: str, k: int, output: Path | None) -> None:
    """Run many queries from a TSV (id<TAB>query) or JSONL file; write TREC, JSONL or CSV."""
    from search import batch as batch_mod

    text = file.read_text(encoding="utf-8-sig")
    queries, errors = batch_mod.read_queries(text, file.name)
    engine = obj.engine()
    engine.check_k(k)

    def answer_search(q: str) -> list[tuple[str, float, dict[str, object]]]:
        r = engine.search(q, k=k)
        return [(h.id, h.score, {"title": h.title, "speaker": h.speaker}) for h in r.hits]

    def answer_experts(q: str) -> list[tuple[str, float, dict[str, object]]]:
        r = engine.experts(q, k=k)
        return [
            (e.name, e.score, {"person_id": e.id, "evidence": [ev.talk_id for ev in e.evidence]}) for e in r.experts
        ]

    answer = answer_search if task == "search" else answer_experts
    if sys.stderr.isatty() and len(queries) > 20:
        from tqdm import tqdm

        queries = tqdm(queries, desc=task, unit="query", file=sys.stderr)
    rows = list(batch_mod.run(queries, answer, errors, file.name))
    text_out = batch_mod.format_rows(rows, fmt)
    if output:
        output.write_text(text_out, encoding="utf-8")
    else:
        sys.stdout.write(text_out)
    for e in errors:
        click.echo(f"error: {e}", err=True)
    if errors:
        raise SystemExit(1)


def register(main: click.Group) -> None:
    main.add_command(batch)
