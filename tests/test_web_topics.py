"""Topics page, topic map and trends: server-rendered SVG under the strict CSP, and /api/trends."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from web.app import create_app


@pytest.fixture(scope="module")
def client(engine):
    return create_app(engine).test_client()


def test_topics_page_lists_the_13_directions_with_charts_speakers_and_links(client):
    r = client.get("/topics")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and html.count('<li class="topic"') == 13
    assert "Representation and generalization theory of deep learning" in html  # English title in the English UI
    first = html.split('id="topic-1"')[1].split('<li class="topic"')[0]
    assert first.count("<rect ") == 4 and "CSML 2024" in first  # one bar per event
    assert 'href="/experts?q=topic-1&amp;ui=en"' in first and "/person/" in first and "/talk/" in first
    assert "script" not in html.lower()
    zh = client.get("/topics?ui=zh").get_data(as_text=True)
    assert "深度学习的表示理论和泛化理论" in zh and "Representation and generalization" not in zh
    assert 'id="themes"' in html and 'href="/session/csml2024/A1?ui=en"' in html


def test_topic_map_has_a_linked_dot_per_talk(client, engine):
    r = client.get("/topics/map")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "default-src 'none'" in r.headers["Content-Security-Policy"]
    svg = html[html.index('<svg class="map"') : html.index("</svg>", html.index('<svg class="map"')) + 6]
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    links = root.findall(f"{ns}a")
    assert len(links) == len(engine.talks())
    first = links[0]
    talk = engine.talk(first.get("data-id"))
    assert first.get("href") == f"/talk/{talk.id}?ui=en"
    assert first.find(f"{ns}circle/{ns}title").text.startswith(talk.title)
    colours = {a.find(f"{ns}circle").get("fill") for a in links}
    assert len(colours) == len({t.event for t in engine.talks()})  # one colour per event
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")


def test_trends_api_counts_matches_per_year(client, engine):
    data = client.get("/api/trends?q=diffusion+model").get_json()
    assert list(data["years"]) == ["2020", "2021", "2022", "2024", "2025"]
    assert sum(data["years"].values()) == data["total"] == engine.search("diffusion model", k=1).total
    assert data["years"]["2025"] > data["years"]["2022"]  # a growing topic
    assert client.get("/api/trends?q=xqzv+blorf").get_json()["total"] == 0
    r = client.get("/api/trends")
    assert r.status_code == 400 and "q" in r.get_json()["error"]


def test_search_page_has_a_results_per_year_chart(client):
    html = client.get("/?q=diffusion+model").get_data(as_text=True)
    chart = html.split('id="trend"')[1].split("</svg>")[0]
    assert chart.count("<rect ") == 5
    assert re.search(r'<a href="/\?q=diffusion\+model&amp;year=2025">', chart)
