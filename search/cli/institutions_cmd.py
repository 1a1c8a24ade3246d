"""`talksearch corpus institutions`: what every printed affiliation resolves to (index/data/institutions.toml)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict

import click

from index.institutions import AMBIGUOUS, IGNORED, UNRESOLVED, Printed, audit, table
from search.cli.common import Context
from search.cli.corpus_cmds import corpus


@corpus.command()
@click.option("--problems", is_flag=True, help="Only affiliations that leave someone without an institution.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per printed affiliation.")
@click.pass_obj
def institutions(obj: Context, problems: bool, as_json: bool) -> None:
    """Every printed affiliation with the institution it resolves to; unresolved ones last."""
    c = obj.corpus()
    rows = audit(c.people, c.talks)
    shown = [r for r in rows if r.unresolved_people] if problems else rows
    shown.sort(key=lambda r: (r.status == UNRESOLVED, bool(r.unresolved_people), r.status, r.text))
    if as_json:
        for r in shown:
            click.echo(json.dumps(asdict(r), ensure_ascii=False))
        return
    for r in shown:
        click.echo(describe(r))
    click.echo(summary(rows))


def describe(r: Printed) -> str:
    t = table()
    if r.status == IGNORED:
        return f"ignored     {r.text}  ({r.note})"
    if r.status == UNRESOLVED:
        who = ", ".join(p.name for p in r.people)
        return f"UNRESOLVED  {r.text}  — add it to index/data/institutions.toml ({who})"
    if r.status == AMBIGUOUS:
        parts = []
        for p in r.people:
            if p.institutions:
                parts.append(f"{p.name} → {', '.join(p.institutions)} (from {p.inferred_from!r})")
            else:
                parts.append(f"{p.name} → ? (no other affiliation names an institution)")
        return f"ambiguous   {r.text}  a school only: " + "; ".join(parts)
    names = []
    for key, alias in zip(r.institutions, r.aliases, strict=False):
        root = t.root(key)
        names.append(key + (f" (part of {root})" if root != key else "") + (f" via {alias!r}" if alias != key else ""))
    return f"resolved    {r.text}  → " + "; ".join(names)


def summary(rows: list[Printed]) -> str:
    counts = Counter(r.status for r in rows)
    amb = [r for r in rows if r.status == AMBIGUOUS]
    fixed = sum(1 for r in amb for p in r.people if p.institutions)
    left = sum(1 for r in amb for p in r.people if not p.institutions)
    return (
        f"\n{len(rows)} printed affiliations: {counts['resolved']} resolved, {counts[AMBIGUOUS]} ambiguous "
        f"(school only: {fixed} person(s) resolved from their other affiliations, {left} left unresolved), "
        f"{counts[IGNORED]} ignored, {counts[UNRESOLVED]} unresolved"
    )


def register(main: click.Group) -> None:
    """The command lives in the `corpus` group; importing this module adds it."""
