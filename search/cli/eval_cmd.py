"""`talksearch eval`: the dev-set quality table, compared with eval/expected.json."""

from __future__ import annotations

import json

import click

from search.cli.common import Context


@click.command("eval")
@click.option("--write-expected", is_flag=True, help="Store these numbers as the new expected ones.")
@click.option(
    "--set", "overrides", multiple=True, metavar="SECTION.NAME=VALUE",
    help="Override a ranking setting for this run, e.g. --set fusion.dense=0.4 (see `talksearch index info`).",
)  # fmt: skip
@click.pass_obj
def eval_command(obj: Context, write_expected: bool, overrides: tuple[str, ...]) -> None:
    """nDCG@10, Recall@10, MRR@10 on the dev set, per category and method; compared with eval/expected.json."""
    from search.evaluate import EVAL_DIR, regressions, run, table

    result = run(obj.engine(list(overrides)))
    click.echo(table(result))
    expected_path = EVAL_DIR / "expected.json"
    if write_expected:
        keep = {"search": result["search"], "experts": result["experts"]}
        expected_path.write_text(json.dumps(keep, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        click.echo(f"\nwrote {expected_path}")
        return
    if expected_path.exists():
        worse = regressions(result, json.loads(expected_path.read_text(encoding="utf-8")))
        if worse:
            raise click.ClickException("worse than eval/expected.json:\n  " + "\n  ".join(worse))
        click.echo("\nno regression against eval/expected.json")


def register(main: click.Group) -> None:
    main.add_command(eval_command)
