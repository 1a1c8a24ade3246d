"""A running server notices a rebuilt index and serves it, without a restart or a failed request.

Every few seconds (checked on the next request, per worker process) the index symlink is read; when
it points to another version, the new index is opened and warmed in a background thread while the
old one keeps answering, then swapped in with one assignment. A request keeps the engine it started
with (see web.context.engine), so none sees half of each."""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask

from corpus.errors import TalksearchError
from index.store import Store
from search.engine import Engine
from web import topics
from web.context import ENGINE_KEY

log = logging.getLogger(__name__)


class Reloader:
    def __init__(self, app: Flask, store: Store, interval: float) -> None:
        self.app, self.store, self.interval = app, store, interval
        self.serving = store.fingerprint()
        self.next_check = time.monotonic() + interval
        self.loading = False
        self.lock = threading.Lock()

    def check(self) -> None:
        """Called before each request: cheap unless the interval has passed and the index changed."""
        now = time.monotonic()
        if now < self.next_check or self.loading:
            return
        with self.lock:
            if now < self.next_check or self.loading:
                return
            self.next_check = now + self.interval
            on_disk = self.store.fingerprint()
            if on_disk is None or on_disk == self.serving:
                return
            self.loading = True
        threading.Thread(target=self._load, args=(on_disk,), name="index-reload", daemon=True).start()

    def _load(self, version: str) -> None:
        try:
            old: Engine = self.app.extensions[ENGINE_KEY]
            same = self.store.manifest().get("encoder", {}).get("name") == old.encoder_name
            engine = Engine.open(self.store, encoder=old.encoder if same else None)
            engine.search("warm up", k=1)
            self.app.extensions[ENGINE_KEY] = engine  # one assignment: the next request gets the new index
            log.warning("serving the rebuilt index %s", version)
            topics.warm(self.app)
        except TalksearchError as exc:  # a half-written or stale index: keep serving the old one
            log.warning("index %s not loaded, still serving the previous one: %s", version, exc)
        finally:
            self.serving = version
            self.loading = False


def watch(app: Flask, store: Store, interval: float) -> Reloader:
    reloader = Reloader(app, store, interval)
    app.before_request(reloader.check)
    return reloader
