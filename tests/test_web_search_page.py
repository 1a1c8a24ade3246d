"""The search page's controls: chips, combinable facets, year and sort, words for values, pages, details."""

from __future__ import annotations

import re

import pytest

from web.app import create_app


@pytest.fixture(scope="module")
def client(engine):
    return create_app(engine).test_client()


def _html(client, url: str) -> str:
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    return r.get_data(as_text=True)


def _facet_links(html: str, facet: str) -> dict[str, str]:
    block = html.split(f'data-facet="{facet}">')[1].split("</ul>")[0]
    return {label: href.replace("&amp;", "&") for href, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', block)}


def test_choosing_a_facet_value_keeps_the_other_filters(client):
    html = _html(client, "/?q=neural+networks&kind=session&year=2024")
    events = _facet_links(html, "event")
    assert "CSML 2024" in events  # in words, not csml2024
    href = events["CSML 2024"]
    assert "kind=session" in href and "year=2024" in href and "event=csml2024" in href and "offset" not in href
    langs = _facet_links(html, "lang")
    assert set(langs) <= {"Chinese", "English", "Chinese + English"} and langs


def test_session_facet_in_words_and_sets_the_event(client):
    html = _html(client, "/?q=PINN&event=csml2022")
    sessions = _facet_links(html, "session")
    label = next(k for k in sessions if k.startswith("A2 "))
    assert label == "A2 复杂度和泛化理论"
    assert "event=csml2022" in sessions[label] and "session=A2" in sessions[label]
    zh = _html(client, "/?q=PINN&ui=zh")
    assert "特邀报告" in zh or "分会报告" in zh  # kinds in Chinese words


def test_active_filters_are_removable_chips(client):
    html = _html(client, "/?q=neural+networks&event=csml2024&kind=student&ui=zh")
    chips = re.findall(r'<a class="chip" href="([^"]+)" data-name="(\w+)" data-value="([^"]+)"', html)
    assert {(n, v) for _, n, v in chips} == {("event", "csml2024"), ("kind", "student")}
    remove_event = next(h for h, n, _ in chips if n == "event").replace("&amp;", "&")
    assert "event=" not in remove_event and "kind=student" in remove_event and "ui=zh" in remove_event
    assert "学生分会" in html.split('id="chips"')[1].split("</p>")[0]
    assert "CSML 2024 ×" not in html and 'id="chips"' not in _html(client, "/?q=neural+networks")


def test_year_and_sort_controls_and_hidden_filters(client):
    html = _html(client, "/?q=PINN&event=csml2024&year=2024&sort=date")
    assert '<option value="2024" selected>' in html and '<option value="date" selected>' in html
    assert '<input type="hidden" name="event" value="csml2024">' in html  # a new query keeps the filters


def test_a_filter_that_leaves_nothing_says_why(client):
    html = _html(client, "/?q=deep+learning&year=2023")
    assert "No talks in 2023: the events are 2020-2021, 2022, 2024, 2025." in html
    zh = _html(client, "/?q=deep+learning&year=2023&ui=zh")
    assert "2023 年没有报告" in zh
    html = _html(client, "/?q=spiking+neural+networks&event=seminar&kind=student")
    assert 'id="empty-filter"' in html


def test_page_numbers_range_and_offset_past_the_end(client):
    html = _html(client, "/?q=deep+learning&k=10&offset=10")
    total = int(re.search(r"(\d+) talks match", html).group(1))
    assert total > 30 and f"11-20 of {total}" in html
    pages = html.split('id="pages"')[1].split("</nav>")[0]
    assert 'aria-current="page">2<' in pages and ">1</a>" in pages
    last = (total - 1) // 10 * 10
    r = client.get("/?q=deep+learning&k=10&offset=5000")
    assert r.status_code == 302 and r.headers["Location"].endswith(f"offset={last}")


def test_why_this_result_and_title_highlights(client):
    html = _html(client, "/?q=Non-line-of-sight+imaging")
    hit = html.split('class="hit"')[1]
    assert '<details class="why">' in hit and "meaning (dense)" in hit.split('<details class="why">')[1]
    assert "<mark>" in hit.split('class="title"')[1].split("</a>")[0]
    titles = [t.split("</a>")[0] for t in _html(client, "/?q=扩散模型").split('class="title"')[1:]]
    assert any("<mark>扩散模型</mark>" in t for t in titles)


def test_why_this_result_names_the_words_found_in_both_ui_languages(client):
    """The words the hit's title and excerpt matched, as they are spelt there (a translation too:
    '非视距成像' finds English talks on non-line-of-sight imaging), once each, none inside another."""

    def found(query: str, ui: str) -> list[str]:
        html = _html(client, f"/?q={query}&ui={ui}")
        return [p.split("</p>")[0] for p in html.split('<p class="found">')[1:]]

    en = found("非视距成像", "en")
    assert en and "non-line-of-sight imaging" in en[0].lower() and en[0].startswith("query words in the title")
    zh = found("大模型+reasoning", "zh")
    assert zh[0].startswith("标题或摘录中的检索词：") and "大模型、推理" in zh[0] and "、模型" not in zh[0]
    assert any("found by meaning" in p for p in found("how+do+birds+learn+songs", "en"))


def test_title_highlights_in_json(client):
    hits = client.get("/api/search?q=扩散模型&k=20").get_json()["hits"]
    hit = next(h for h in hits if "扩散模型" in h["title"])
    a, b = hit["title_highlights"][0]
    assert hit["title"][a:b] == "扩散模型"
