from __future__ import annotations

import pytest

from corpus.build import Corpus, load


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load()


@pytest.fixture(scope="session")
def talk(corpus: Corpus):
    def get(talk_id: str):
        t = corpus.talk(talk_id)
        assert t is not None, f"{talk_id} missing"
        return t

    return get
