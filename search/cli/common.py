"""What the commands share: the data directory, the corpus, the engine."""

from __future__ import annotations

import click

from corpus.build import Corpus, load
from index.store import Store, data_dir


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

    def engine(self, settings: list[str] = ()):
        """The engine over the verified index (``settings``: overrides such as fusion.dense=0.4)."""
        from search.engine import Engine

        engine = Engine.open(self.store)
        return engine.with_settings(list(settings)) if settings else engine
