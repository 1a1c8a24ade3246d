"""The `talksearch` command line."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import Counter
from pathlib import Path

import click

from corpus.build import Corpus, load
from corpus.lines import SourceError
from corpus.models import Talk
from corpus.userdata import UserDataError, read_user_file
from index import vectors
from index.encoders import DEFAULT_ENCODER, EncoderError
from index.store import Store, StoreError, data_dir
from search.query import unknown_id

LIST_SEP = "; "


class Context:
    def __init__(self, data: str | None) -> None:
        self.store = Store(data_dir(data))
        self._corpus: Corpus | None = None

    def corpus(self, strict: bool = False) -> Corpus:
        if self._corpus is None:
            self._corpus = load(extra=self.store.user_talks())
            for w in self._corpus.warnings:
                click.echo(f"warning: {w}", err=True)
            if strict and self._corpus.warnings:
                raise click.ClickException(f"{len(self._corpus.warnings)} parser warning(s) and --strict is set")
        return self._corpus


def _fail(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))


@click.group()
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


@main.group()
def corpus() -> None:
    """Inspect and extend the talk corpus."""


@corpus.command()
@click.option("--strict", is_flag=True, help="Treat parser warnings as errors.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def stats(obj: Context, strict: bool, as_json: bool) -> None:
    """Per event: records, with abstract, languages, sessions, people."""
    c = _load(obj, strict)
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
    summary = {"events": rows, "talks": len(c.talks), "people": len(c.people), "topics": len(c.topics)}
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    cols = list(rows[0].keys()) if rows else []
    widths = {k: max(len(k), *(len(str(r[k])) for r in rows)) for k in cols}
    click.echo("  ".join(k.ljust(widths[k]) for k in cols))
    for r in rows:
        click.echo("  ".join(str(r[k]).ljust(widths[k]) for k in cols))
    click.echo(f"\n{len(c.talks)} talks, {len(c.people)} people, {len(c.topics)} topics")


@corpus.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None)
@click.option("--what", type=click.Choice(["talks", "people", "topics"]), default="talks", show_default=True)
@click.pass_obj
def export(obj: Context, fmt: str, output: str | None, what: str) -> None:
    """Every record with all its fields, one per line (JSONL) or row (CSV)."""
    c = _load(obj, False)
    records = [r.to_dict() for r in {"talks": c.talks, "people": c.people, "topics": c.topics}[what]]
    text = _jsonl(records) if fmt == "jsonl" else _csv(records)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def _jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def _csv(records: list[dict]) -> str:
    buf = io.StringIO()
    if records:
        writer = csv.DictWriter(buf, fieldnames=list(records[0].keys()))
        writer.writeheader()
        for r in records:
            writer.writerow({k: _cell(v) for k, v in r.items()})
    return buf.getvalue()


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
    c = _load(obj, False)
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
    c = _load(obj, False)
    try:
        talks = read_user_file(file, existing_ids=[t.id for t in c.talks])
    except UserDataError as exc:
        raise click.ClickException(f"nothing added; fix these rows:\n{exc}") from None
    try:
        obj.store.save_user_talks(obj.store.user_talks() + talks)
    except StoreError as exc:
        raise _fail(exc) from None
    click.echo(f"added {len(talks)} talk(s) to {obj.store.root}: {', '.join(t.id for t in talks)}")


@corpus.command()
@click.argument("talk_id")
@click.pass_obj
def remove(obj: Context, talk_id: str) -> None:
    """Remove a talk added with `corpus add` (bundled talks stay)."""
    try:
        user = obj.store.user_talks()
    except StoreError as exc:
        raise _fail(exc) from None
    if not any(t.id == talk_id for t in user):
        c = _load(obj, False)
        if c.talk(talk_id):
            raise click.ClickException(
                f"{talk_id} is a bundled talk; only talks added with `corpus add` can be removed"
            )
        raise click.ClickException(str(unknown_id(talk_id, [t.id for t in user])))
    obj.store.save_user_talks([t for t in user if t.id != talk_id])
    click.echo(f"removed {talk_id}")


@main.command()
@click.option("--encoder", default=DEFAULT_ENCODER, show_default=True, help="use-multilingual, e5-small or st:<path>.")
@click.option("--index-type", type=click.Choice(vectors.KINDS), default="auto", show_default=True)
@click.option("--if-stale", is_flag=True, help="Only build when the index is missing, stale or of another encoder.")
@click.pass_obj
def build(obj: Context, encoder: str, index_type: str, if_stale: bool) -> None:
    """Parse the corpus and build a verified index in the data directory."""
    from index.builder import build as build_index
    from index.bundle import current_fingerprint

    if if_stale:
        try:
            obj.store.read_index(expect_encoder=encoder, expect_fingerprint=current_fingerprint(obj.store))
            click.echo(f"index in {obj.store.index_dir} is current")
            return
        except StoreError as exc:
            click.echo(f"building: {exc}", err=True)

    bar = None

    def progress(stage: str, done: int, total: int) -> None:
        nonlocal bar
        if not sys.stderr.isatty():
            return
        if bar is None:
            from tqdm import tqdm

            bar = tqdm(total=total, desc=stage, unit="text", file=sys.stderr)
        bar.n = done
        bar.refresh()

    try:
        bundle = build_index(obj.store, encoder, index_type, progress)
    except (SourceError, StoreError, EncoderError) as exc:
        raise _fail(exc) from None
    finally:
        if bar is not None:
            bar.close()
    m = bundle.manifest
    c = m["counts"]
    click.echo(
        f"built {obj.store.index_dir}: {c['talks']} talks, {c['people']} people, {c['passages']} passages "
        f"({c['embedded_now']} embedded now), {m['encoder']['name']}, {m['index_type']}, {m['build_seconds']} s"
    )


@main.group("index")
def index_group() -> None:
    """Inspect the built index."""


@index_group.command("info")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def index_info(obj: Context, as_json: bool) -> None:
    """The manifest of the index, and whether it is current."""
    from index.bundle import current_fingerprint

    try:
        manifest = obj.store.manifest()
    except StoreError as exc:
        raise _fail(exc) from None
    current = current_fingerprint(obj.store) == manifest.get("corpus_fingerprint")
    if as_json:
        click.echo(json.dumps({**manifest, "current": current}, ensure_ascii=False, indent=2))
        return
    enc = manifest["encoder"]
    click.echo(f"index:     {obj.store.index_dir}")
    click.echo(f"built:     {manifest['built_at']} in {manifest['build_seconds']} s")
    click.echo(f"encoder:   {enc['name']} ({enc['package']} {enc['package_version']}, {enc['dimension']}-d)")
    click.echo(f"vectors:   {manifest['index_type']}")
    click.echo("counts:    " + ", ".join(f"{v} {k}" for k, v in manifest["counts"].items()))
    click.echo(
        f"corpus:    {manifest['corpus_fingerprint']} ({'current' if current else 'STALE: run talksearch build'})"
    )
    click.echo("libraries: " + ", ".join(f"{k} {v}" for k, v in manifest["libraries"].items()))


def _engine(obj: Context):
    from search.engine import Engine

    try:
        return Engine.open(obj.store)
    except (StoreError, EncoderError) as exc:
        raise _fail(exc) from None


def _query_errors():
    from search.query import QueryError

    return QueryError


RESET, BOLD, DIM, YELLOW = "\x1b[0m", "\x1b[1m", "\x1b[2m", "\x1b[33m"


def _marked(text: str, spans: list[tuple[int, int]], colour: bool) -> str:
    if not spans:
        return text
    out, last = [], 0
    for a, b in spans:
        out += [text[last:a], f"{BOLD}{YELLOW}{text[a:b]}{RESET}" if colour else f"[{text[a:b]}]"]
        last = b
    return "".join([*out, text[last:]])


@main.command()
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
    from search.query import Filters

    engine = _engine(obj)
    f = Filters(
        events=list(filters["event"]),
        years=list(filters["year"]),
        kinds=list(filters["kind"]),
        langs=list(filters["lang"]),
        sessions=list(filters["session"]),
        speakers=list(filters["speaker"]),
    )
    try:
        response = engine.search(query, k=k, filters=f, offset=offset, sort=sort)
    except _query_errors() as exc:
        raise _fail(exc) from None
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


@main.command()
@click.argument("talk_id")
@click.option("-k", default=5, show_default=True)
@click.option("--other-events", is_flag=True, help="Only talks from other events/years.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def related(obj: Context, talk_id: str, k: int, other_events: bool, as_json: bool) -> None:
    """Talks similar to a talk (never itself or its duplicate; two per speaker at most)."""
    from dataclasses import asdict

    from search.related import related as find_related

    engine = _engine(obj)
    try:
        hits = find_related(engine, talk_id, k=k, other_events=other_events)
    except _query_errors() as exc:
        raise _fail(exc) from None
    if as_json:
        click.echo(json.dumps([asdict(h) for h in hits], ensure_ascii=False, indent=2))
        return
    for n, h in enumerate(hits, start=1):
        click.echo(f"{n:>2}. {h.title}\n    {h.speaker} — {h.event_name} {h.date}  {h.id}  score {h.score:.3f}")


@main.command()
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
    from search.experts import find_experts

    engine = _engine(obj)
    try:
        response = find_experts(engine, topic, k, list(exclude_name), list(exclude_affiliation))
    except _query_errors() as exc:
        raise _fail(exc) from None
    if as_json:
        click.echo(json.dumps(response.to_dict(), ensure_ascii=False, indent=2))
        return
    for n, e in enumerate(response.experts, start=1):
        roles = sorted({r["role"] for r in e.roles})
        click.echo(f"{n:>2}. {e.name}  score {e.score:.3f}  [{', '.join(roles)}]  {'; '.join(e.affiliations[:2])}")
        for ev in e.evidence:
            click.echo(f"      {ev.score:.3f}  {ev.talk_id}  {ev.title}")


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--task", type=click.Choice(["search", "experts"]), default="search", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["trec", "jsonl", "csv"]), default="trec", show_default=True)
@click.option("-k", default=10, show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None)
@click.pass_obj
def batch(obj: Context, file: Path, task: str, fmt: str, k: int, output: Path | None) -> None:
    """Run many queries from a TSV (id<TAB>query) or JSONL file; write TREC, JSONL or CSV."""
    from search import batch as batch_mod
    from search.engine import check_k
    from search.experts import find_experts

    try:
        check_k(k)
    except _query_errors() as exc:
        raise _fail(exc) from None
    text = file.read_text(encoding="utf-8-sig")
    queries, errors = batch_mod.read_queries(text, file.name)
    engine = _engine(obj)

    def answer_search(q: str) -> list[tuple[str, float, dict[str, object]]]:
        r = engine.search(q, k=k)
        return [(h.id, h.score, {"title": h.title, "speaker": h.speaker}) for h in r.hits]

    def answer_experts(q: str) -> list[tuple[str, float, dict[str, object]]]:
        r = find_experts(engine, q, k=k)
        return [
            (e.name, e.score, {"person_id": e.id, "evidence": [ev.talk_id for ev in e.evidence]}) for e in r.experts
        ]

    answer = answer_search if task == "search" else answer_experts
    if sys.stderr.isatty() and len(queries) > 20:
        from tqdm import tqdm

        queries = tqdm(queries, desc=task, unit="query", file=sys.stderr)
    rows = list(batch_mod.run(queries, answer, errors, file.name))
    text_out = batch_mod.format_rows(rows, fmt)
    if output:
        output.write_text(text_out, encoding="utf-8")
    else:
        sys.stdout.write(text_out)
    for e in errors:
        click.echo(f"error: {e}", err=True)
    if errors:
        raise SystemExit(1)


@main.command("eval")
@click.option("--write-expected", is_flag=True, help="Store these numbers as the new expected ones.")
@click.pass_obj
def eval_command(obj: Context, write_expected: bool) -> None:
    """nDCG@10, Recall@10, MRR@10 on the dev set, per category and method; compared with eval/expected.json."""
    from search.evaluate import EVAL_DIR, regressions, run, table

    result = run(_engine(obj))
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


@main.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback unless told otherwise)."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers", default=2, show_default=True, type=click.IntRange(1, 32),
    help="Processes (gunicorn, index shared copy-on-write); 1 serves with waitress threads in one process.",
)  # fmt: skip
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64), help="Threads per process.")
@click.option("--debug", is_flag=True, help="Flask's development server with the debugger (never in production).")
@click.pass_obj
def serve(obj: Context, host: str, port: int, workers: int, threads: int, debug: bool) -> None:
    """Serve the web app and JSON API with a production WSGI server (Flask's own only with --debug)."""
    from threadpoolctl import threadpool_limits

    from web.app import create_app
    from web.server import serve_gunicorn, serve_waitress

    # Requests run side by side: each should use one core, not spawn BLAS/OpenMP threads of its own.
    threadpool_limits(1)
    engine = _engine(obj)
    engine.search("warm up", k=1)  # load the encoder and tokenizer before the first visitor
    app = create_app(engine)
    click.echo(f"talksearch serving {obj.store.index_dir} at http://{host}:{port}/", err=True)
    if debug:
        app.run(host=host, port=port, debug=True, use_reloader=False)
    elif workers == 1:
        serve_waitress(app, host, port, threads)
    else:
        serve_gunicorn(app, host, port, workers, threads)


def _load(obj: Context, strict: bool) -> Corpus:
    try:
        return obj.corpus(strict)
    except (SourceError, StoreError) as exc:
        raise _fail(exc) from None


if __name__ == "__main__":  # pragma: no cover
    main()
