"""`talksearch batch`: many queries from a file, machine-readable runs out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

import click

from search.cli.common import Context


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--task", type=click.Choice(["search", "experts"]), default="search", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["trec", "jsonl", "csv"]), default="trec", show_default=True)
@click.option("-k", default=10, show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None)
@click.option(
    "--ray", "ray_address", is_flag=False, flag_value="local", default=None, metavar="[ADDRESS]",
    help="Spread the queries over Ray actors (a local Ray instance without ADDRESS); needs talksearch[distributed].",
)  # fmt: skip
@click.pass_obj
def batch(obj: Context, file: Path, task: str, fmt: str, k: int, output: Path | None, ray_address: str | None) -> None:
    """Run many queries from a TSV (id<TAB>query) or JSONL file; write TREC, JSONL or CSV."""
    from search import batch as batch_mod

    text = batch_mod.decode(file.read_bytes(), file.name)
    queries, errors = batch_mod.read_queries(text, file.name)
    if not queries and not errors:
        raise batch_mod.BatchFileError(f"no queries in {file}: expected lines 'id<TAB>query' or JSONL")
    batch_mod.one_thread()
    engine = obj.engine()  # also on --ray: the index is verified once here before the actors open it
    engine.check_k(k)
    answer = batch_mod.answerer(engine, task, k)
    computed = None
    if ray_address is not None:
        from search.ray_batch import answers

        computed = answers(obj.store.root, task, k, queries, ray_address)

        def answer(q: str) -> list[tuple[str, float, dict[str, object]]]:
            ok, value = next(computed)
            if not ok:
                raise batch_mod.QueryRejected(str(value))
            return value

    out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        _stream(queries, answer, errors, file.name, fmt, batch_mod.EXTRA_KEYS[task], out)
    finally:
        if output:
            out.close()
        if computed is not None:
            computed.close()  # stops the Ray actors
    for e in errors:
        click.echo(f"error: {e}", err=True)
    if errors:
        raise SystemExit(1)


def _stream(queries, answer, errors: list[str], name: str, fmt: str, keys: list[str], out: TextIO) -> None:
    """Write each query's rows as soon as they are ranked, in input order, with progress on stderr."""
    from search import batch as batch_mod

    bar = None
    if sys.stderr.isatty() and len(queries) > 20:
        from tqdm import tqdm

        bar = tqdm(total=len(queries), desc="batch", unit="query", file=sys.stderr)
    for n, q in enumerate(queries, start=1):
        rows = list(batch_mod.run([q], answer, errors, name))
        out.write(batch_mod.format_rows(rows, fmt, keys, header=n == 1))
        if n % 100 == 0:
            out.flush()
            if bar is None:
                click.echo(f"batch: {n}/{len(queries)} queries", err=True)
        if bar is not None:
            bar.update()
    out.flush()
    if bar is not None:
        bar.close()


def register(main: click.Group) -> None:
    main.add_command(batch)
