"""The web app: every route and error through Flask's test client."""

from __future__ import annotations

import csv
import io

import pytest

from web.app import create_app, mark


@pytest.fixture(scope="session")
def web_engine(engine):
    return engine


@pytest.fixture(scope="session")
def client(web_engine):
    return create_app(web_engine).test_client()


def test_search_page_and_query_in_url(client):
    empty = client.get("/")
    assert empty.status_code == 200 and b'name="q"' in empty.data
    page = client.get("/?q=扩散模型+逆问题")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'value="扩散模型 逆问题"' in html
    assert "<mark>" in html and 'class="hit"' in html and "csml2025-B2-1" in html


def test_search_address_other_sites_use_leads_to_the_search_page(client):
    moved = client.get("/search?q=扩散模型+逆问题&event=csml2025&lang=en")
    assert moved.status_code == 301
    followed = client.get(moved.headers["Location"])
    assert followed.status_code == 200 and 'value="扩散模型 逆问题"' in followed.get_data(as_text=True)
    assert "event=csml2025" in moved.headers["Location"] and "lang=en" in moved.headers["Location"]


def test_search_page_facets_filters_and_pagination(client):
    html = client.get("/?q=deep+learning&event=csml2024&k=5").get_data(as_text=True)
    assert html.count('class="hit"') == 5 and "CSML 2025" not in html.split('class="hits"')[1]
    assert 'id="next"' in html and "offset=5" in html
    second = client.get("/?q=deep+learning&event=csml2024&k=5&offset=5").get_data(as_text=True)
    assert 'id="prev"' in second


def test_no_strong_match_message(client):
    assert 'id="no-strong"' in client.get("/?q=联邦学习").get_data(as_text=True)  # the closest few, under a banner
    assert 'id="no-strong"' not in client.get("/?q=spiking+neural+networks").get_data(as_text=True)


def test_ui_labels_switch(client):
    zh = client.get("/?q=PINN&ui=zh").get_data(as_text=True)
    en = client.get("/?q=PINN").get_data(as_text=True)
    assert "搜索" in zh and 'lang="zh-CN"' in zh and "Search" in en
    assert "ui=en" in zh and "q=PINN" in zh.split('id="ui-switch"')[1][:200]


def test_talk_page(client):
    html = client.get("/talk/csml2022-A2-4").get_data(as_text=True)
    assert "PINN 的失效与其隐式正则化" in html and "周岐轩" in html and "罗涛" in html  # chair
    assert "2022-08-18" in html and "13:30-15:30" in html and 'id="related"' in html
    assert "csml2022-A2-4</a>" not in html.split('id="related"')[1]


def test_talk_page_marks_other_years_and_duplicates(client):
    html = client.get("/talk/csml2022-A1-4").get_data(as_text=True)
    assert 'class="badge other"' in html
    dup = client.get("/talk/csml2025-D3-3").get_data(as_text=True)
    assert "csml2025-A3-1" in dup


def test_person_page(client):
    html = client.get("/person/xu-zhiqin").get_data(as_text=True)
    assert "Zhi-Qin John Xu" in html and "round table" in html and "seminar-2021-07-17-1" in html


def test_experts_page_and_csv(client):
    html = client.get("/experts").get_data(as_text=True)
    assert html.count("topic-") >= 13
    page = client.get("/experts?q=topic-5&exclude_affiliation=北京大学").get_data(as_text=True)
    experts, excluded = page.split('id="experts"')[1], page.split('id="excluded"')[1].split("</details>")[0]
    assert "田永鸿" not in experts and "田永鸿" in excluded  # 北京大学 excluded, and the page says so
    response = client.get("/experts.csv?q=reinforcement+learning")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:5] == ["rank", "person_id", "name", "latin", "score"] and len(rows) > 5
    assert any(r[3] and r[3].isascii() and not r[2].isascii() for r in rows[1:])  # homonyms told apart by Latin name


def test_api_search_mirrors_the_cli(client):
    data = client.get("/api/search?q=PINN+implicit+regularization&k=3&lang=en").get_json()
    assert len(data["hits"]) == 3 and all(h["lang"] == "en" for h in data["hits"])
    assert {"strong_match", "translations", "facets", "total"} <= set(data)


def test_api_talk_related_person_experts_health(client):
    assert client.get("/api/talks/csml2022-A1-4").get_json()["title"] == "Non-line-of-sight Imaging"
    related = client.get("/api/talks/csml2022-A1-4/related?k=3&other_events=1").get_json()["related"]
    assert len(related) == 3 and all(r["event"] != "csml2022" for r in related)
    assert client.get("/api/people/xu-zhiqin").get_json()["name"] == "许志钦"
    experts = client.get("/api/experts?q=optimal+transport&k=5").get_json()
    assert len(experts["experts"]) == 5 and experts["experts"][0]["evidence"]
    health = client.get("/api/health").get_json()
    assert health["index_loaded"] and health["counts"]["talks"] == 450 and health["encoder"]["dimension"] == 512


def test_openapi_lists_every_api_route(client, web_engine):
    spec = client.get("/api/openapi.json").get_json()
    app = create_app(web_engine)
    routes = {r.rule.replace("<talk_id>", "{id}").replace("<person_id>", "{id}") for r in app.url_map.iter_rules()}
    api = {r for r in routes if r.startswith("/api/") and r != "/api/openapi.json"}
    assert api == set(spec["paths"])


@pytest.mark.parametrize(
    ("url", "status", "text"),
    [
        ("/api/search", 400, "required"),
        ("/api/search?q=", 400, "required"),
        ("/api/search?q=x&k=0", 400, "between 1 and 100"),
        ("/api/search?q=x&k=abc", 400, "whole number"),
        ("/api/experts?q=x&k=", 400, "whole number"),  # schemathesis: an empty integer was taken as the default
        ("/api/search?q=x&k=%205", 400, "digits 0-9"),
        ("/api/search?q=x&k=%2B5", 400, "digits 0-9"),
        ("/api/search?q=x&k=%D9%A3", 400, "digits 0-9"),  # Arabic-Indic three
        ("/api/search?q=x&offset=%EF%BC%95", 400, "digits 0-9"),  # fullwidth five
        ("/api/search?q=PINN&speaker=" + "x" * 201, 400, "limit is 200"),
        ("/api/search?q=PINN" + "&event=csml2022" * 21, 400, "limit is 20"),
        ("/api/experts?q=PINN&exclude_affiliation=" + "x" * 201, 400, "limit is 200"),
        ("/api/search?q=x&event=nope", 400, "unknown event"),
        ("/api/search?q=x&event=", 400, "unknown event ''"),  # an empty value is rejected, not dropped
        ("/api/search?q=" + "x" * 8200, 414, "POST"),
        ("/api/talks/nope", 404, "unknown talk"),
        ("/api/talks/nope/related", 404, "unknown talk"),
        ("/api/people/nope", 404, "unknown person"),
        ("/api/nothing", 404, "not found"),
    ],
)
def test_api_errors_are_json(client, url, status, text):
    response = client.get(url)
    assert response.status_code == status and response.is_json
    body = response.get_json()
    assert body["status"] == status and text in body["error"] and "Traceback" not in body["error"]


@pytest.mark.parametrize(
    ("url", "status"), [("/talk/nope", 404), ("/person/nope", 404), ("/?q=x&k=0", 400), ("/x", 404)]
)
def test_page_errors_are_pages_without_tracebacks(client, url, status):
    response = client.get(url)
    assert response.status_code == status and b'id="error"' in response.data and b"Traceback" not in response.data


def test_security_headers_and_escaping(client):
    response = client.get("/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert b"<script>alert" not in response.data and b"&lt;script&gt;" in response.data


def test_mark_escapes_before_marking():
    html = str(mark("<b>PINN</b> & x", [(3, 7)]))
    assert html == "&lt;b&gt;<mark>PINN</mark>&lt;/b&gt; &amp; x"


@pytest.mark.parametrize(
    ("url", "expected"),
    [("/api/search?q=PINN", "no-store"), ("/api/health", "no-store"), ("/experts.csv?q=PINN", "no-store"),
     ("/api/talks/nope", "no-store"), ("/?q=PINN", "public, max-age=60"),
     ("/static/style.css", "public, max-age=3600")],
)  # fmt: skip
def test_cache_control_suits_each_response(client, url, expected):
    response = client.get(url)
    assert response.headers["Cache-Control"] == expected
    assert response.headers["X-Content-Type-Options"] == "nosniff" and "Content-Security-Policy" in response.headers


@pytest.mark.parametrize("method", ["TRACE", "DELETE", "PUT"])
def test_method_not_allowed_says_which_are(client, method):
    response = client.open("/api/search?q=PINN", method=method)
    assert response.status_code == 405 and response.is_json and response.get_json()["status"] == 405
    assert "GET" in response.headers["Allow"]
