"""Serving the app with a production WSGI server: gunicorn processes (one engine per process, loaded
before forking, so the index is shared copy-on-write), or waitress threads in a single process.

Both servers answer some requests themselves, before the app sees them (a request line or header
over the limit, a malformed request). Those answers are the app's JSON ``{status, error}`` with the
app's headers too, not the server's own HTML or text page."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask

from web import params
from web.app import CSP, header_too_large, url_too_long
from web.assign_views import MAX_UPLOAD


def error_response(status: int, reason: str, detail: str) -> tuple[list[tuple[str, str]], bytes]:
    """Headers (without Content-Length) and body of an error the server itself sends."""
    message = {414: url_too_long(), 431: header_too_large(), 413: body_too_large()}.get(status) or (
        f"{reason.lower()}: {detail}".rstrip(": ") if status < 500 else "internal error; the server log has the details"
    )
    body = json.dumps({"status": status, "error": message}, ensure_ascii=False).encode()
    headers = [("Content-Type", "application/json"), ("Cache-Control", "no-store"),
               ("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff"),
               ("Referrer-Policy", "no-referrer")]  # fmt: skip
    return headers, body


def body_too_large() -> str:
    return (f"the request body is over the limit ({params.MAX_BODY_BYTES:,} bytes; "
            f"{MAX_UPLOAD:,} for submissions to /api/assign)")  # fmt: skip


# --- waitress -----------------------------------------------------------------------------------
def serve_waitress(app: Flask, host: str, port: int, threads: int) -> None:
    waitress_server(app, host, port, threads).run()


def waitress_server(app: Flask, host: str, port: int, threads: int, **kw: Any):
    from waitress.channel import HTTPChannel
    from waitress.server import create_server
    from waitress.task import ErrorTask

    class JsonErrorTask(ErrorTask):
        def execute(self) -> None:
            e = self.request.error
            headers, body = error_response(e.code, e.reason, str(e.body))
            self.status = f"{e.code} {e.reason}"
            self.response_headers.extend(headers)
            self.set_close_on_finish()
            self.content_length = len(body)
            self.write(body)

    class JsonErrorChannel(HTTPChannel):
        error_task_class = JsonErrorTask

    server = create_server(app, host=host, port=port, threads=threads, ident="talksearch",
                           max_request_header_size=params.MAX_URL_BYTES + 4 * params.MAX_HEADER_BYTES,
                           max_request_body_size=max(params.MAX_BODY_BYTES, MAX_UPLOAD), **kw)  # fmt: skip
    for listener in [server, *getattr(server, "map", {}).values()]:
        if hasattr(listener, "channel_class"):
            listener.channel_class = JsonErrorChannel
    return server


# --- gunicorn -----------------------------------------------------------------------------------
def _gunicorn_write_error(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    """Replaces gunicorn.util.write_error (its HTML page) for the errors gunicorn answers itself."""
    from gunicorn import util

    headers, body = error_response(status_int, reason, mesg)
    head = [f"HTTP/1.1 {status_int} {reason}", "Connection: close", "Server: talksearch",
            *(f"{k}: {v}" for k, v in headers), f"Content-Length: {len(body)}"]  # fmt: skip
    util.write_nonblock(sock, ("\r\n".join(head) + "\r\n\r\n").encode("latin1") + body)


def gunicorn_settings(host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "preload_app": True,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "timeout": 60,
        "limit_request_line": params.MAX_URL_BYTES,
        "limit_request_field_size": params.MAX_HEADER_BYTES,
    }


def serve_gunicorn(app: Flask, host: str, port: int, workers: int, threads: int) -> None:
    import gunicorn.http.wsgi
    import gunicorn.util
    from gunicorn.app.base import BaseApplication

    gunicorn.http.wsgi.SERVER = "talksearch"  # no "Server: gunicorn" banner
    gunicorn.util.write_error = _gunicorn_write_error  # JSON, not gunicorn's HTML, for its own errors

    class Application(BaseApplication):
        def load_config(self) -> None:
            for key, value in gunicorn_settings(host, port, workers, threads).items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return app

    Application().run()
