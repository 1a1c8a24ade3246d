"""Both UI languages for every label, and the readable API page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from web.app import create_app
from web.i18n import LABELS

TEMPLATES = Path(__file__).parent.parent / "web" / "templates"


def test_every_label_exists_in_both_languages_and_every_template_label_is_defined():
    assert set(LABELS["en"]) == set(LABELS["zh"])
    used = {m for f in TEMPLATES.glob("*.html") for m in re.findall(r"\bt\.(\w+)", f.read_text(encoding="utf-8"))}
    assert used and used <= set(LABELS["en"]), used - set(LABELS["en"])
    assert "2023" not in LABELS["en"]["tagline"] + LABELS["zh"]["tagline"]


@pytest.fixture(scope="module")
def client(engine):
    return create_app(engine).test_client()


@pytest.mark.parametrize("url", ["/programme", "/programme/csml2022", "/session/csml2022/A2", "/talk/csml2022-A2-4",
                                 "/topics", "/person/xu-zhiqin", "/?q=PINN"])  # fmt: skip
def test_pages_in_chinese_have_no_english_labels(client, url):
    zh = client.get(url + ("&" if "?" in url else "?") + "ui=zh").get_data(as_text=True)
    en = client.get(url).get_data(as_text=True)
    for english in ("Programme", "Chairs", "Talks", "Session", "Search", "Related talks", "Filters", "invited talk"):
        assert f">{english}" not in zh, (url, english)
    assert 'lang="zh-CN"' in zh and 'lang="en"' in en


def test_person_page_roles_and_events_in_words(client):
    html = client.get("/person/xu-zhiqin?ui=zh").get_data(as_text=True)
    assert "主持人 · CSML 2025" in html and "chair ·" not in html
    assert "chair · CSML 2025" in client.get("/person/xu-zhiqin").get_data(as_text=True)


def test_errors_in_both_languages(client):
    assert "没有会议「csml2023」" in client.get("/programme/csml2023?ui=zh").get_data(as_text=True)
    assert "没有编号为「nope」的报告" in client.get("/talk/nope?ui=zh").get_data(as_text=True)
    unknown = client.get("/no-such-page?ui=zh")  # werkzeug's own 404 text was English in both UIs
    assert unknown.status_code == 404 and "此地址没有页面" in unknown.get_data(as_text=True)
    assert "no page at this address" in client.get("/no-such-page").get_data(as_text=True)


def test_the_organizers_assignment_page_is_in_the_navigation(client):
    html = client.get("/?ui=zh").get_data(as_text=True)
    assert 'id="nav-assign"' in html and "分配审稿人" in html.split("</nav>")[0]


def test_footer_api_link_opens_a_readable_reference(client):
    html = client.get("/").get_data(as_text=True)
    href = re.search(r'<a href="([^"]+)" id="api-link">', html).group(1)
    r = client.get(href)
    doc = r.get_data(as_text=True)
    assert r.status_code == 200 and r.mimetype == "text/html"
    spec = client.get("/api/openapi.json").get_json()
    for path, item in spec["paths"].items():
        for method in item:
            assert f'id="{method.upper()}-{path}"' in doc, (method, path)
    search = doc.split('id="GET-/api/search"')[1].split("</section>")[0]
    assert "<code>q</code>" in search and "1-20000 characters" in search and "one of relevance | date" in search
    assert "API 文档" in client.get(href.replace("ui=en", "ui=zh")).get_data(as_text=True)
