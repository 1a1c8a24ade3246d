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
    for n, e in enumerate(response.experts, start=1):
        roles = sorted({r["role"] for r in e.roles})
        click.echo(f"{n:>2}. {e.name}  score {e.score:.3f}  [{', '.join(roles)}]  {'; '.join(e.affiliations[:2])}")
        for ev in e.evidence:
            click.echo(f"      {ev.score:.3f}  {ev.talk_id}  {ev.title}")


def register(main: click.Group) -> None:
    main.add_command(experts)
