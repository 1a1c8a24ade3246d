"""`talksearch build`, `index info`, `serve`: the index on disk and the server over it."""

from __future__ import annotations

import json
import logging
import sys

import click

from index import vectors
from index.encoders import DEFAULT_ENCODER
from index.store import StoreError
from search.cli.common import Context


@click.command()
@click.option("--encoder", default=DEFAULT_ENCODER, show_default=True, help="use-multilingual, e5-small or st:<path>.")
@click.option("--index-type", type=click.Choice(vectors.KINDS), default="auto", show_default=True)
@click.option("--if-stale", is_flag=True, help="Only build when the index is missing, stale or of another encoder.")
@click.option(
    "--ray", "ray_address", is_flag=False, flag_value="local", default=None, metavar="[ADDRESS]",
    help="Embed as a Ray Data job with encoder actors (a local Ray instance without ADDRESS); "
    "needs talksearch[distributed].",
)  # fmt: skip
@click.pass_obj
def build(obj: Context, encoder: str, index_type: str, if_stale: bool, ray_address: str | None) -> None:
    """Parse the corpus and build a verified index in the data directory."""
    from index.builder import build as build_index
    from index.bundle import current_fingerprint

    if if_stale:
        try:
            obj.store.read_index(expect_encoder=encoder, expect_fingerprint=current_fingerprint(obj.store))
            click.echo(f"index in {obj.store.index_dir} is current")
            return
        except StoreError as exc:
            reason = str(exc).removesuffix("; run `talksearch build`")  # which is what happens now
            click.echo(f"building: {reason}", err=True)

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

    stages = logging.StreamHandler(sys.stderr)  # a line per stage, in logs too (the bar is for terminals)
    stages.setFormatter(logging.Formatter("%(message)s"))
    logging.getLogger("talksearch.build").addHandler(stages)
    logging.getLogger("talksearch.build").setLevel(logging.INFO)
    try:
        bundle = build_index(obj.store, encoder, index_type, progress, ray_address=ray_address)
    finally:
        if bar is not None:
            bar.close()
    m = bundle.manifest
    c = m["counts"]
    click.echo(
        f"built {obj.store.index_dir}: {c['talks']} talks, {c['people']} people, {c['passages']} passages "
        f"({c['embedded_now']} embedded now), {m['encoder']['name']}, {m['index_type']}, {m['build_seconds']} s"
    )
    from index.institutions import audit, unresolved_warning

    if warning := unresolved_warning(audit(bundle.people, bundle.talks)):
        click.echo(f"warning: {warning}", err=True)


@click.group("index")
def index_group() -> None:
    """Inspect the built index."""


@index_group.command("info")
@click.option("--json", "as_json", is_flag=True)
@click.option("--no-verify", is_flag=True, help="Skip checking every index file's checksum.")
@click.pass_obj
def index_info(obj: Context, as_json: bool, no_verify: bool) -> None:
    """The manifest of the index, and whether it is current; a missing or corrupt file fails."""
    from index.bundle import current_fingerprint

    manifest = obj.store.manifest()
    if not no_verify:
        obj.store.verify(manifest)
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
    settings = manifest.get("settings", {})
    for section, values in settings.items():
        click.echo(f"settings:  {section}: " + ", ".join(f"{k}={json.dumps(v)}" for k, v in values.items()))


@click.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback unless told otherwise)."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers", default=2, show_default=True, type=click.IntRange(1, 32),
    help="Processes (gunicorn, index shared copy-on-write); 1 serves with waitress threads in one process.",
)  # fmt: skip
@click.option(
    "--threads", default=2, show_default=True, type=click.IntRange(1, 64),
    help="Threads per process (2: on 2 cores, 8 clients p99 62-76 ms; 4 threads: 98-181 ms, same throughput).",
)  # fmt: skip
@click.option("--debug", is_flag=True, help="Flask's development server with the debugger (never in production).")
@click.option(
    "--reload-seconds", default=5.0, show_default=True, type=click.FloatRange(0),
    help="How often each worker checks for a rebuilt index and swaps it in (0: never).",
)  # fmt: skip
@click.pass_obj
def serve(obj: Context, host: str, port: int, workers: int, threads: int, debug: bool, reload_seconds: float) -> None:
    """Serve the web app and JSON API with a production WSGI server (Flask's own only with --debug)."""
    from threadpoolctl import threadpool_limits

    from web import topics
    from web.app import create_app
    from web.server import serve_gunicorn, serve_waitress

    check_port_free(host, port)
    # Requests run side by side: each should use one core, not spawn BLAS/OpenMP threads of its own.
    threadpool_limits(1)
    engine = obj.engine()
    engine.search("warm up", k=1)  # load the encoder and tokenizer before the first visitor
    app = create_app(engine, obj.store, reload_seconds)
    topics.warm(app)
    click.echo(f"talksearch serving {obj.store.index_dir} at http://{host}:{port}/", err=True)
    if debug:
        app.run(host=host, port=port, debug=True, use_reloader=False)
    elif workers == 1:
        serve_waitress(app, host, port, threads)
    else:
        serve_gunicorn(app, host, port, workers, threads)


def register(main: click.Group) -> None:
    for command in (build, index_group, serve):
        main.add_command(command)


def check_port_free(host: str, port: int) -> None:
    """A taken port is one clear line before anything loads or says 'serving' (the servers would
    retry, log five errors and only then give up)."""
    import socket

    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers bind
            sock.bind((host, port))
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {exc.strerror}; choose another with --port"
        ) from None
