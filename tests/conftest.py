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


@pytest.fixture(scope="session")
def built_dir(tmp_path_factory):
    """One real index (USE encoder, exact FAISS) built from the bundled corpus for the whole run."""
    from index.builder import build
    from index.store import Store

    root = tmp_path_factory.mktemp("var")
    build(Store(root), "use-multilingual", "flat")
    return root


@pytest.fixture(scope="session")
def engine(built_dir):
    from index.store import Store
    from search.engine import Engine

    return Engine.open(Store(built_dir))
