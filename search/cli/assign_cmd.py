"""`talksearch assign`: reviewers for a whole set of submissions (optimal under load limits, conflicts out)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from search.cli.common import Context


def read_pool(path: Path) -> list[str]:
    """Reviewers, one per line: a person id, a name or any written form; '#' starts a comment."""
    from search.batch import decode

    lines = (line.split("#", 1)[0].strip() for line in decode(path.read_bytes(), path.name).splitlines())
    pool = [line for line in lines if line]
    if not pool:
        raise click.ClickException(f"{path}: no reviewers in the file (one name or person id per line)")
    return pool


@click.command()
@click.argument("submissions", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--per-submission", default=3, show_default=True, help="Reviewers each submission gets.")
@click.option("--max-load", default=4, show_default=True, help="Submissions one reviewer gets at most.")
@click.option(
    "--reviewers",
    "pool_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="File of who may review, one name, alias or person id per line (default: everyone with a talk).",
)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None)
@click.pass_obj
def assign(
    obj: Context,
    submissions: Path,
    per_submission: int,
    max_load: int,
    pool_file: Path | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Assign reviewers to SUBMISSIONS (JSONL or CSV: id, title, abstract, authors, affiliations).

    Every submission gets exactly --per-submission reviewers, nobody more than --max-load, no author
    or colleague of an author (same institution) reviews it, and total affinity is maximal.
    The summary and warnings go to stderr.
    """
    from search.assign import summary_lines, to_csv, to_jsonl
    from search.batch import decode
    from search.submissions import SubmissionError, parse_submissions

    try:
        subs = parse_submissions(decode(submissions.read_bytes(), submissions.name), submissions.name)
    except SubmissionError as exc:
        raise click.ClickException(f"nothing assigned; fix these rows:\n{exc}") from None
    pool = read_pool(pool_file) if pool_file else None
    engine = obj.engine()
    result = engine.assign(subs, per_submission, max_load, pool)
    text = to_jsonl(result) if fmt == "jsonl" else to_csv(result)
    if output:
        output.write_text(text, encoding="utf-8", newline="")
    else:
        sys.stdout.write(text)
    for a in result.submissions:
        for w in a.warnings:
            click.echo(f"warning: {a.id}: {w}", err=True)
    for line in summary_lines(result.summary):
        click.echo(line, err=True)


def register(main: click.Group) -> None:
    main.add_command(assign)
