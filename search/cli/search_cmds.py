"""`talksearch search` and `related`: ranked talks in the terminal or as JSON."""

from __future__ import annotations

import json
import sys

import click

from search.cli.common import Context

RESET, BOLD, YELLOW = "\x1b[0m", "\x1b[1m", "\x1b[33m"


def _marked(text: str, spans: list[tuple[int, int]], colour: bool) -> str:
    if not spans:
        return text
    out, last = [], 0
    for a, b in spans:
        out += [text[last:a], f"{BOLD}{YELLOW}{text[a:b]}{RESET}" if colour else f"[{text[a:b]}]"]
        last = b
    return "".join([*out, text[last:]])


@click.command()
@click.argument("query")
@click.option("-k", default=10, show_default=True, help="Number of results (1-100).")
@click.option("--offset", default=0, help="Skip this many results (pagination).")
@click.option("--event", multiple=True, help="csml2022, csml2024, csml2025, seminar (repeatable).")
@click.option("--year", multiple=True, help="Four-digit year (repeatable).")
@click.option("--kind", multiple=True, help="invited, session, student, seminar, lecture.")
@click.option("--lang", multiple=True, help="zh, en or mixed: the language of the abstract.")
@click.option("--session", multiple=True, help="Session code such as A1.")
@click.option("--speaker", multiple=True, help="A speaker's name in any written form.")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="The response as JSON (schema in README).")
@click.pass_obj
def search(obj: Context, query: str, k: int, offset: int, as_json: bool, sort: str, **filters: tuple[str, ...]) -> None:
    """Ranked talks for a query in Chinese, English or both."""
    from search.engine import Filters

    f = Filters(
        events=list(filters["event"]),
        years=list(filters["year"]),
        kinds=list(filters["kind"]),
        langs=list(filters["lang"]),
        sessions=list(filters["session"]),
        speakers=list(filters["speaker"]),
    )
    response = obj.engine().search(query, k=k, filters=f, offset=offset, sort=sort)
    if as_json:
        click.echo(json.dumps(response.to_dict(), ensure_ascii=False, indent=2))
        return
    colour = sys.stdout.isatty()
    if not response.strong_match:
        click.echo("No strong match: these are the closest talks, but none is clearly about your query.\n")
    if response.people:
        click.echo("People: " + ", ".join(p["name"] for p in response.people))
    if response.translations:
        click.echo("Also searched: " + ", ".join(response.translations))
    click.echo(f"{response.total} talks match; showing {offset + 1}-{offset + len(response.hits)}\n")
    for n, h in enumerate(response.hits, start=offset + 1):
        head = f"{n:>3}. {h.title}"
        click.echo(f"{BOLD}{head}{RESET}" if colour else head)
        where = " · ".join(x for x in (h.event_name, h.session and f"{h.session} {h.session_title}", h.date) if x)
        click.echo(f"     {h.speaker}" + (f" ({h.affiliation})" if h.affiliation else "") + f" — {where}")
        click.echo(f"     {h.id}  score {h.score:.3f} (dense {h.dense:.2f}, lexical {h.lexical:.1f}) [{h.lang}]")
        if h.snippet:
            click.echo("     " + _marked(h.snippet, h.highlights, colour))
        click.echo()


@click.command()
@click.argument("talk_id")
@click.option("-k", default=5, show_default=True)
@click.option("--other-events", is_flag=True, help="Only talks from other events/years.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def related(obj: Context, talk_id: str, k: int, other_events: bool, as_json: bool) -> None:
    """Talks similar to a talk (never itself or its duplicate; two per speaker at most)."""
    hits = obj.engine().related(talk_id, k=k, other_events=other_events)
    if as_json:
        click.echo(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2))
        return
    for n, h in enumerate(hits, start=1):
        click.echo(f"{n:>2}. {h.title}\n    {h.speaker} — {h.event_name} {h.date}  {h.id}  score {h.score:.3f}")


def register(main: click.Group) -> None:
    main.add_command(search)
    main.add_command(related)
