"""The `talksearch` command line: one module per command group, errors caught in one place."""

from __future__ import annotations

import click

from corpus.errors import TalksearchError
from search.cli.common import Context


class Group(click.Group):
    """A talksearch error anywhere below is one line on stderr and exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except TalksearchError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=Group)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Data directory (default $TALKSEARCH_HOME or ./var).",
)
@click.pass_context
def main(ctx: click.Context, data_dir: str | None) -> None:
    """Bilingual semantic search over scientific talk abstracts."""
    ctx.obj = Context(data_dir)


def _register() -> None:
    from search.cli import (
        assign_cmd,
        batch_cmd,
        corpus_cmds,
        eval_cmd,
        index_cmds,
        institutions_cmd,
        organizer_cmds,
        search_cmds,
    )

    for module in (
        corpus_cmds,
        institutions_cmd,
        index_cmds,
        search_cmds,
        organizer_cmds,
        assign_cmd,
        batch_cmd,
        eval_cmd,
    ):
        module.register(main)


_register()
