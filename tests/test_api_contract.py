"""The API contract: POST with a JSON body for long texts, the documented limits, and every error a
client can see on /api/* as the app's JSON {status, error} — in-process and behind both real servers."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from web.app import create_app
from web.params import MAX_BODY_BYTES, MAX_QUERY_CHARS, MAX_URL_BYTES

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def client(engine):
    return create_app(engine).test_client()


@pytest.fixture(scope="module")
def long_zh(corpus) -> tuple[str, str]:
    """The longest Chinese abstract of the corpus (the audit's reproduction: ~450 characters already broke GET)."""
    talk = max((t for t in corpus.talks if t.abstract_lang == "zh"), key=lambda t: len(t.abstract))
    assert len(talk.abstract) > 450
    return talk.id, talk.abstract


def test_post_search_takes_a_long_chinese_abstract(client, long_zh):
    talk_id, text = long_zh
    text = "\n".join([text] * 3)  # a long paste: URL-encoded it could never be a GET
    assert len(text.encode()) * 3 > MAX_URL_BYTES
    response = client.post("/api/search", json={"q": text, "k": 3, "lang": ["zh"]})
    assert response.status_code == 200, response.get_json()
    hits = response.get_json()["hits"]
    assert hits[0]["id"] == talk_id and all(h["lang"] == "zh" for h in hits)


def test_post_and_get_answer_alike(client):
    get = client.get("/api/search?q=optimal+transport&k=4&event=csml2024&sort=date").get_json()
    post = client.post("/api/search", json={"q": "optimal transport", "k": 4, "event": ["csml2024"], "sort": "date"})
    assert post.get_json() == get
    e_get = client.get("/api/experts?q=PINN&k=3&exclude_name=许志钦").get_json()
    e_post = client.post("/api/experts", json={"q": "PINN", "k": 3, "exclude_name": ["许志钦"]}).get_json()
    assert e_post == e_get and e_get["experts"]


@pytest.mark.parametrize(
    ("body", "status", "text"),
    [
        ({"q": "x" * (MAX_QUERY_CHARS + 1)}, 400, f"limit is {MAX_QUERY_CHARS}"),
        ({"q": ""}, 400, "required"),
        ({"q": "   "}, 400, "required"),
        ({}, 400, "required"),
        ({"q": "PINN", "k": "5"}, 400, "wrong type"),
        ({"q": "PINN", "k": 0}, 400, "between 1 and 100"),
        ({"q": "PINN", "event": "csml2022"}, 400, "wrong type"),
        ({"q": "PINN", "event": ["nope"]}, 400, "unknown event 'nope'"),
        ({"q": "PINN", "speaker": ["x" * 201]}, 400, "limit is 200"),
        ([1, 2], 400, "JSON object"),
    ],
)
def test_post_errors_are_clear_400s(client, body, status, text):
    response = client.post("/api/search", json=body)
    assert response.status_code == status and response.is_json
    assert text in response.get_json()["error"], response.get_json()


def test_post_text_of_the_limit_is_accepted(client):
    response = client.post("/api/experts", json={"q": "优化 " * (MAX_QUERY_CHARS // 3), "k": 2})
    assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize(
    ("data", "headers", "status", "text"),
    [
        ("q=PINN", {"Content-Type": "application/x-www-form-urlencoded"}, 415, "application/json"),
        ("{not json", {"Content-Type": "application/json"}, 400, "not valid JSON"),
        (b"\xff\xfe", {"Content-Type": "application/json"}, 400, "not valid JSON"),
        ("x" * (MAX_BODY_BYTES + 1), {"Content-Type": "application/json"}, 413, "limit"),
    ],
)
def test_bad_bodies_are_json_errors(client, data, headers, status, text):
    response = client.post("/api/search", data=data, headers=headers)
    assert response.status_code == status and response.is_json
    body = response.get_json()
    assert body["status"] == status and text in body["error"]
    assert response.headers["Cache-Control"] == "no-store"


def test_search_form_posts_short_text_to_its_get_address_and_long_text_to_a_short_id(client, long_zh):
    short = client.post("/?ui=zh", data={"q": "PINN", "ui": "zh"})
    assert short.status_code == 303 and "q=PINN" in short.headers["Location"] and "ui=zh" in short.headers["Location"]
    talk_id, text = long_zh
    long = client.post("/", data={"q": "\n".join([text] * 3)})
    assert long.status_code == 303 and "qid=" in long.headers["Location"]
    assert f'data-id="{talk_id}"' in client.get(long.headers["Location"]).get_data(as_text=True)
    assert 'method="post"' in client.get("/").get_data(as_text=True)


# --- behind the real servers ---------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module", params=["gunicorn", "waitress"])
def server(request, built_dir):
    port = _free_port()
    workers = "2" if request.param == "gunicorn" else "1"  # --workers 1 serves with waitress
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "search.cli", "--data-dir", str(built_dir), "serve", "--port", str(port),
         "--workers", workers, "--threads", "2"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/api/health", timeout=2).ok:
                break
        except requests.ConnectionError:
            time.sleep(0.5)
        assert proc.poll() is None, proc.stderr.read().decode()
    else:
        pytest.fail(f"{request.param} did not start")
    yield request.param, base
    proc.terminate()
    proc.wait(timeout=30)


def _raw(base: str, request_bytes: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are (requests would refuse some of these) and read the whole answer."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(request_bytes)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    lines = head.decode("latin1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def _assert_app_error(status: int, headers: dict[str, str], body: bytes, expected: int, text: str) -> None:
    assert status == expected, body
    assert headers["content-type"].startswith("application/json")
    assert headers["cache-control"] == "no-store" and headers["x-content-type-options"] == "nosniff"
    assert "gunicorn" not in headers.get("server", "") and "content-security-policy" in headers
    data = json.loads(body)
    assert data["status"] == expected and text in data["error"]


def test_long_url_is_a_json_414_on_both_servers(server):
    _, base = server
    line = f"GET /api/search?q={'x' * (MAX_URL_BYTES + 10)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    _assert_app_error(*_raw(base, line.encode()), 414, "POST")


def test_big_header_is_a_json_431_on_both_servers(server):
    _, base = server
    line = f"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: {'y' * 70_000}\r\nConnection: close\r\n\r\n"
    _assert_app_error(*_raw(base, line.encode()), 431, "header")


def test_big_body_is_a_json_413_on_both_servers(server):
    _, base = server
    response = requests.post(base + "/api/search", data=b"x" * (MAX_BODY_BYTES + 1),
                             headers={"Content-Type": "application/json"}, timeout=30)  # fmt: skip
    _assert_app_error(response.status_code, {k.lower(): v for k, v in response.headers.items()},
                      response.content, 413, "limit")  # fmt: skip


def test_malformed_request_is_a_json_400_on_both_servers(server):
    _, base = server
    _assert_app_error(*_raw(base, b"GET /api/health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"), 400, "")


def test_chinese_query_past_the_old_limit_works_on_both_servers(server, long_zh):
    _, base = server
    talk_id, text = long_zh
    get = requests.get(base + "/api/search", params={"q": text[:600], "k": 1}, timeout=60)  # ~5,400 bytes URL-encoded
    assert get.status_code == 200 and get.headers["Server"] == "talksearch"
    post = requests.post(base + "/api/search", json={"q": "\n".join([text] * 3), "k": 1}, timeout=60)
    assert post.status_code == 200 and post.json()["hits"][0]["id"] == talk_id


@pytest.mark.parametrize(
    "url",
    ["/api/search?q=x&session=Z9", "/api/search?q=x&event=x", "/api/search?q=x&kind=x", "/api/search?q=x&lang=x",
     "/api/search?q=x&year=1", "/api/search?q=x&sort=x", "/api/search?q=x&k=x", "/api/experts?q=",
     "/api/talks/csml2022-A1-4/related?k=999", "/api/talks/csml2022-A1-4/related?other_events=maybe"],
)  # fmt: skip
def test_web_errors_name_no_command_line_flag(client, url):
    error = client.get(url).get_json()["error"]
    assert "--" not in error, error


def test_experts_warning_names_no_command_line_flag(client):
    data = client.get("/api/experts?q=PINN&exclude_name=abc").get_json()
    assert data["warnings"] and all("--" not in w for w in data["warnings"])


def test_spec_rejects_what_the_server_rejects(client):
    """Empty q and empty or unknown filter values are invalid in the spec as on the server."""
    spec = client.get("/api/openapi.json").get_json()
    get = {p["name"]: p["schema"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert get["q"]["minLength"] == 1 and get["q"]["pattern"] == r"\S" and get["q"]["maxLength"] == MAX_QUERY_CHARS
    assert set(get["event"]["items"]["enum"]) == {"csml2022", "csml2024", "csml2025", "seminar"}
    assert get["session"]["items"]["enum"] and get["kind"]["items"]["enum"] and get["lang"]["items"]["enum"]
    assert get["speaker"]["items"]["minLength"] == 1 and get["speaker"]["maxItems"] == 20
    post = spec["paths"]["/api/search"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert {**post["properties"]["q"], "description": None} == {**get["q"], "description": None}
    assert post["required"] == ["q"]
