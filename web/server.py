"""Serving the app with a production WSGI server: gunicorn processes (one engine per process, loaded
before forking, so the index is shared copy-on-write), or waitress threads in a single process."""

from __future__ import annotations

from typing import Any

from flask import Flask


def serve_waitress(app: Flask, host: str, port: int, threads: int) -> None:
    from waitress import serve

    serve(app, host=host, port=port, threads=threads, ident="talksearch")


def serve_gunicorn(app: Flask, host: str, port: int, workers: int, threads: int) -> None:
    import gunicorn.http.wsgi
    from gunicorn.app.base import BaseApplication

    gunicorn.http.wsgi.SERVER = "talksearch"  # no "Server: gunicorn" banner

    class Application(BaseApplication):
        def load_config(self) -> None:
            settings: dict[str, Any] = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread",
                "preload_app": True,
                "accesslog": None,
                "errorlog": "-",
                "loglevel": "warning",
                "timeout": 60,
            }
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return app

    Application().run()
