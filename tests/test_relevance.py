"""Search that tells the truth: the relevance cutoff, placeholders, date order, did-you-mean."""

from __future__ import annotations

import numpy as np
import pytest

from corpus.models import Talk
from search.relevance import placeholders
from search.suggest import Speller
from web.app import create_app


def test_nonsense_and_uncovered_queries_match_nothing_or_a_few(engine):
    for q in ("xqzv blorf", "medieval poetry", "how to cook pasta"):
        r = engine.search(q, k=10)
        assert r.total == 0 and r.hits == [] and not r.strong_match, q
    r = engine.search("联邦学习", k=10)  # federated learning: no talk is about it
    assert not r.strong_match and 0 < r.total <= 10 and len(r.hits) == r.total


def test_a_strong_query_counts_only_talks_near_the_best(engine):
    r = engine.search("spiking neural networks", k=100)
    assert r.strong_match and 10 <= r.total < 100
    assert r.hits[-1].score >= 0.25 * r.hits[0].score
    assert sum(r.facets["event"].values()) == r.total


def test_placeholder_talks_only_when_their_title_matches(engine):
    assert engine.talk("csml2022-B1-4").title == "TBA"
    assert [h.id for h in engine.search("TBA", k=5).hits] == ["csml2022-B1-4"]
    for q in ("deep learning", "neural networks", "optimization"):
        assert "csml2022-B1-4" not in {h.id for h in engine.search(q, k=100).hits}, q


def test_placeholder_titles():
    def t(title: str, abstract: str = "") -> Talk:
        return Talk(id="x", event="e", event_name="E", kind="session", title=title, speaker="A",
                    abstract=abstract, has_abstract=bool(abstract))  # fmt: skip

    found = placeholders(
        [t("TBA"), t("待定"), t(""), t("To be announced."), t("TBA", "real abstract"), t("大模型表达能力理论")]
    )
    assert found.tolist() == [True, True, True, True, False, False]


def test_sort_by_date_reorders_the_matches_only(engine):
    by_rel = engine.search("reinforcement learning", k=100)
    by_date = engine.search("reinforcement learning", k=100, sort="date")
    assert {h.id for h in by_date.hits} == {h.id for h in by_rel.hits} and by_date.total == by_rel.total
    assert by_date.strong_match == by_rel.strong_match and by_date.confidence == by_rel.confidence
    keys = [(h.date, h.time) for h in by_date.hits]
    days = [d for d, _ in keys]
    assert days == sorted(days, reverse=True)
    for day in set(days):
        starts = [int(t.split("-")[0].replace(":", "")) for d, t in keys if d == day and t]
        assert starts == sorted(starts), day


@pytest.fixture(scope="module")
def speller(corpus):
    return Speller(corpus.talks, corpus.people)


def test_did_you_mean_corrects_typos_from_the_corpus_vocabulary(speller):
    assert speller.suggestion("transfomer") == "transformer"  # printed once in the programme: still a typo
    assert speller.suggestion("difusion modle") == "diffusion model"
    assert speller.suggestion("spiking nueral netwroks") == "spiking neural networks"
    for q in ("diffusion model", "PINN", "扩散模型", "Zhiqin Xu", "transformers", "how to cook pasta", "xqzv blorf"):
        assert speller.suggestion(q) is None, q


def test_did_you_mean_leaves_real_words_the_corpus_lacks_alone(speller):
    """One edit from a corpus word, but common English words: not typos (wordfreq)."""
    for q in ("wine tasting", "electron microscopy", "signal attenuation", "lawyer"):
        assert not speller.known(q.split()[-1]), q  # the corpus lacks the word: the rule is what keeps it
        assert speller.suggestion(q) is None, q
    assert speller.suggestion("regularisation") == "regularization"  # rare spellings are still fixed
    assert speller.suggestion("a" * 3000) is None  # longer than any vocabulary word: no lookup


def test_suggestion_in_json_and_on_the_page(engine):
    client = create_app(engine).test_client()
    assert client.get("/api/search?q=transfomer").get_json()["suggestion"] == "transformer"
    assert client.get("/api/search?q=transformer").get_json()["suggestion"] is None
    html = client.get("/?q=difusion+modle&ui=zh").get_data(as_text=True)
    assert 'id="suggestion"' in html and "diffusion model</a>" in html and "您是不是要找" in html
    assert 'id="no-match"' in client.get("/?q=xqzv+blorf").get_data(as_text=True)


def test_date_rank_orders_days_then_times():
    from search.filters import _start_minute

    assert _start_minute("13:30-15:30") == 810 and _start_minute("9:05-9:50") == 545 and _start_minute("") == 1440
    assert np.all(np.diff([_start_minute(x) for x in ("8:00-9:00", "10:10-12:10", "13:30-15:30")]) > 0)


def test_a_name_alone_matches_only_that_persons_talks(engine):
    """Talks that merely read like a name (by meaning, no word in common) are not matches of it."""
    for q in ("许志钦", "Zhiqin Xu"):
        r = engine.search(q, k=20)
        assert r.total == len(r.hits) == 4, (q, [(h.id, h.speaker) for h in r.hits])
        assert all("xu-zhiqin" in engine.talk(h.id).person_ids for h in r.hits), q
    with_topic = engine.search("许志钦 PINN", k=20)  # a name and a topic: other people's talks on it too
    assert with_topic.total > 4 and with_topic.hits[0].id in {h.id for h in engine.search("许志钦", k=20).hits}
