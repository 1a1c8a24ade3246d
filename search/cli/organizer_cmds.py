"""`talksearch experts`: who could review or speak on a topic."""

from __future__ import annotations

import json

import click

from search.cli.common import Context


@click.command()
@click.argument("topic")
@click.option("-k", default=10, show_default=True)
@click.option("--exclude-affiliation", multiple=True, help="Leave out people of this institution (any script).")
@click.option("--exclude-name", multiple=True, help="Leave out this person (any written form).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def experts(
    obj: Context, topic: str, k: int, exclude_affiliation: tuple[str, ...], exclude_name: tuple[str, ...], as_json: bool
) -> None:
    """People ranked by their talks on a topic: text, a topic id (topic-1..13) or a talk id."""
    response = obj.engine().experts(topic, k, list(exclude_name), list(exclude_affiliation))
    if as_json:
        click.echo(json.dumps(response.to_dict(), ensure_ascii=False, indent=2))
        return
    if response.topic:
        click.echo(f"experts on {response.topic['id']}: {response.topic['title']}")
    elif response.talk:
        t = response.talk
        click.echo(f"reviewers for {t['id']}: {t['title']} (its speakers {', '.join(t['speakers'])} are excluded)")
    for n, e in enumerate(response.experts, start=1):
        roles = sorted({r["role"] for r in e.roles})
        latin = f" / {e.latin}" if e.latin and e.latin != e.name else ""
        where = "; ".join(e.affiliations[:2])
        click.echo(f"{n:>2}. {e.label}{latin}  score {e.score:.3f}  [{', '.join(roles)}]  {where}")
        for ev in e.evidence:
            click.echo(f"      {ev.score:.3f}  {ev.talk_id}  {ev.title}")
    for x in response.excluded:
        click.echo(f"excluded: {x.name} ({x.rule}): {x.reason}", err=True)
    for w in response.warnings:
        click.echo(f"warning: {w}", err=True)


def register(main: click.Group) -> None:
    main.add_command(experts)
