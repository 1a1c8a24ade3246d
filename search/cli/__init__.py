"""The `talksearch` command line: one module per command group, errors caught in one place."""

from __future__ import annotations

import errno
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

import click

from corpus.errors import TalksearchError
from index.store import NoIndexError
from search.cli.common import Context

# The machine refused, not talksearch failed: said in one line, with the path, and not as a bug.
ENVIRONMENT = {errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT, errno.EMFILE, errno.ENAMETOOLONG}


class Group(click.Group):
    """Every error below is one line on stderr and exit status 1, never a traceback: a TalksearchError
    (the one base of the project's errors) as its message; a file system refusal with its path; any
    other exception is a bug, said in one line with "please report", its traceback in a log file."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except NoIndexError as exc:
            hint = ", or choose the data directory with --data-dir or $TALKSEARCH_HOME"
            raise click.ClickException(f"{exc}{hint}") from None
        except TalksearchError as exc:
            raise click.ClickException(str(exc)) from None
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:  # `talksearch ... | head`: the reader left, nothing to say
            sys.stderr.close()
            raise SystemExit(1) from None
        except OSError as exc:
            if exc.errno not in ENVIRONMENT:
                raise click.ClickException(bug(exc, ctx)) from None
            where = f"{exc.filename}: " if exc.filename else ""
            hint = ""
            if isinstance(ctx.obj, Context) and str(exc.filename or "").startswith(str(ctx.obj.store.root)):
                hint = f" (the data directory {ctx.obj.store.root}; --data-dir or $TALKSEARCH_HOME chooses another)"
            raise click.ClickException(f"cannot use {where}{exc.strerror}{hint}") from None
        except Exception as exc:
            raise click.ClickException(bug(exc, ctx)) from None


def bug(exc: BaseException, ctx: click.Context) -> str:
    """Write the traceback to a log file; return the one line the user sees."""
    log = crash_log(ctx, "".join(traceback.format_exception(exc)))
    what = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
    where = f"; the details are in {log}" if log else ""
    return f"unexpected error ({what}). This is a bug in talksearch: please report it{where}"


def crash_log(ctx: click.Context, text: str) -> Path | None:
    """A new log file in DATA_DIR/logs, or the system's temporary directory if that cannot be written."""
    obj = ctx.obj if isinstance(ctx.obj, Context) else None
    stamp = time.strftime("%Y%m%d-%H%M%S")
    header = f"talksearch {' '.join(sys.argv[1:])}\n{time.strftime('%Y-%m-%d %H:%M:%S %z')}\n\n"
    for folder in ([obj.store.root / "logs"] if obj else []) + [Path(tempfile.gettempdir())]:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=folder, prefix=f"talksearch-crash-{stamp}-", suffix=".log")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(header + text)
            return Path(name)
        except OSError:
            continue
    return None


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
