"""`talksearch corpus ...`: inspect and extend the talk corpus."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import click

from corpus.models import Talk
from corpus.userdata import UserDataError, read_user_file
from search.cli.common import Context
from search.csv_safe import csv_text
from search.engine import unknown_id

LIST_SEP = "; "


@click.group()
def corpus() -> None:
    """Inspect and extend the talk corpus."""


@corpus.command()
@click.option("--strict", is_flag=True, help="Treat parser warnings as errors.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--problems", is_flag=True, help="Also list where the book and the schedule grid disagree, and what was kept."
)
@click.pass_obj
def stats(obj: Context, strict: bool, as_json: bool, problems: bool) -> None:
    """Per event: records, with abstract, languages, sessions, people."""
    c = obj.corpus(strict)
    rows = []
    for event in sorted({t.event for t in c.talks}):
        talks = [t for t in c.talks if t.event == event]
        langs = Counter(t.abstract_lang for t in talks if t.has_abstract)
        people = {p for t in talks for p in t.person_ids}
        rows.append(
            {
                "event": event,
                "records": len(talks),
                "with_abstract": sum(t.has_abstract for t in talks),
                "zh": langs["zh"],
                "en": langs["en"],
                "mixed": langs["mixed"],
                "sessions": len({t.session for t in talks if t.session}),
                "speakers": len(people),
                "duplicates": sum(1 for t in talks if t.duplicate_of),
            }
        )
    summary: dict = {"events": rows, "talks": len(c.talks), "people": len(c.people), "topics": len(c.topics)}
    if problems:
        summary["problems"] = c.problems
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    cols = list(rows[0].keys()) if rows else []
    widths = {k: max(len(k), *(len(str(r[k])) for r in rows)) for k in cols}
    click.echo("  ".join(k.ljust(widths[k]) for k in cols))
    for r in rows:
        click.echo("  ".join(str(r[k]).ljust(widths[k]) for k in cols))
    click.echo(f"\n{len(c.talks)} talks, {len(c.people)} people, {len(c.topics)} topics")
    if problems:
        click.echo(f"\n{len(c.problems)} problem(s): the book and the schedule grid disagree")
        for p in c.problems:
            click.echo(f"  {p}")


@corpus.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None)
@click.option("--what", type=click.Choice(["talks", "people", "topics"]), default="talks", show_default=True)
@click.pass_obj
def export(obj: Context, fmt: str, output: str | None, what: str) -> None:
    """Every record with all its fields, one per line (JSONL) or row (CSV)."""
    c = obj.corpus()
    records = [r.to_dict() for r in {"talks": c.talks, "people": c.people, "topics": c.topics}[what]]
    text = _jsonl(records) if fmt == "jsonl" else _csv(records)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def _jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def _csv(records: list[dict]) -> str:
    if not records:
        return ""
    header = list(records[0].keys())
    return csv_text(header, ([_cell(r.get(k)) for k in header] for r in records))


def _cell(value: object) -> object:
    if isinstance(value, list):
        return LIST_SEP.join(json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else str(v) for v in value)
    return "" if value is None else value


@corpus.command()
@click.argument("talk_id")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def show(obj: Context, talk_id: str, as_json: bool) -> None:
    """One talk with all its fields."""
    c = obj.corpus()
    talk = c.talk(talk_id)
    if talk is None:
        raise click.ClickException(str(unknown_id(talk_id, [t.id for t in c.talks])))
    if as_json:
        click.echo(json.dumps(talk.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(format_talk(talk))


def format_talk(t: Talk) -> str:
    lines = [
        f"{t.id}  [{t.kind}, {t.event_name}]",
        t.title,
        f"{t.speaker}" + (f", {t.affiliation}" if t.affiliation else ""),
    ]
    when = " ".join(x for x in (t.date, t.time, t.room) if x)
    if t.session:
        lines.append(f"session {t.session} {t.session_title}".rstrip())
    if when:
        lines.append(when + (" (online)" if t.online else ""))
    if t.chairs:
        lines.append("chairs: " + ", ".join(t.chairs))
    if t.duplicate_of:
        lines.append(f"abstract duplicates {t.duplicate_of}")
    lines.append("")
    lines.append(t.abstract or "(no abstract)")
    if t.bio:
        lines += ["", "Bio: " + t.bio]
    lines += ["", f"source: {t.source}"]
    return "\n".join(lines)


@corpus.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def add(obj: Context, file: Path) -> None:
    """Add talks from a JSONL or CSV file (schema in README.md); all rows or none."""
    c = obj.corpus()
    try:
        talks = read_user_file(file, existing_ids=[t.id for t in c.talks])
    except UserDataError as exc:
        raise click.ClickException(f"nothing added; fix these rows:\n{exc}") from None
    obj.store.save_user_talks(obj.store.user_talks() + talks)
    click.echo(f"added {len(talks)} talk(s) to {obj.store.root}: {', '.join(t.id for t in talks)}")


@corpus.command()
@click.argument("talk_id")
@click.pass_obj
def remove(obj: Context, talk_id: str) -> None:
    """Remove a talk added with `corpus add` (bundled talks stay)."""
    user = obj.store.user_talks()
    if not any(t.id == talk_id for t in user):
        c = obj.corpus()
        if c.talk(talk_id):
            raise click.ClickException(
                f"{talk_id} is a bundled talk; only talks added with `corpus add` can be removed"
            )
        raise click.ClickException(str(unknown_id(talk_id, [t.id for t in user])))
    obj.store.save_user_talks([t for t in user if t.id != talk_id])
    click.echo(f"removed {talk_id}")


def register(main: click.Group) -> None:
    main.add_command(corpus)
