"""A running server (real gunicorn, two worker processes) serves a rebuilt index without a restart,
and no request fails while the index is rebuilt and swapped in."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

from index.builder import build
from index.store import Store

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_server_reloads_a_rebuilt_index_without_a_failed_request(built_dir, tmp_path):
    data = tmp_path / "var"
    shutil.copytree(built_dir, data, symlinks=True)
    store = Store(data)
    before = store.manifest()["manifest_checksum"]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "search.cli", "--data-dir", str(data), "serve", "--port", str(port),
         "--workers", "2", "--threads", "2", "--reload-seconds", "1"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(base + "/api/health", timeout=2).json()["index_fingerprint"] == before:
                    break
            except requests.ConnectionError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.5)

        statuses: list[int] = []
        stop = threading.Event()

        def hammer() -> None:
            with requests.Session() as session:
                while not stop.is_set():
                    try:
                        statuses.append(session.get(base + "/api/search", params={"q": "扩散模型 PINN"}, timeout=30)
                                        .status_code)  # fmt: skip
                    except requests.RequestException:
                        statuses.append(-1)

        clients = [threading.Thread(target=hammer) for _ in range(2)]
        for c in clients:
            c.start()
        build(store, "use-multilingual")  # the embedding cache makes this a rebuild of the same corpus
        after = store.manifest()["manifest_checksum"]
        assert after != before
        deadline = time.monotonic() + 120
        seen: list[str] = []
        while seen[-6:] != [after] * 6:  # both workers, several times each
            assert time.monotonic() < deadline, f"still serving {seen[-6:]}"
            seen.append(requests.get(base + "/api/health", timeout=10).json()["index_fingerprint"])
            time.sleep(0.3)
        stop.set()
        for c in clients:
            c.join()
        assert len(statuses) > 20 and set(statuses) == {200}, {s: statuses.count(s) for s in set(statuses)}
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_reloaded_index_reaches_the_programme_and_topic_pages(built_dir, tmp_path):
    """Talks added and built while the app serves show in every page after the swap, not only in
    search: the programme's catalogue belongs to the engine it was built from."""
    from corpus.userdata import validate_row
    from search.engine import Engine
    from web.app import create_app

    data = tmp_path / "var"
    shutil.copytree(built_dir, data, symlinks=True)
    store = Store(data)
    app = create_app(Engine.open(store), store, reload_seconds=0.05)
    client = app.test_client()
    assert client.get("/programme/csml2026").status_code == 404
    assert "csml2026" not in client.get("/programme").get_data(as_text=True)
    client.get("/topics")
    talk, errors = validate_row({"event": "csml2026", "code": "A1-1", "title": "扩散模型求解逆问题",
                                 "speaker": "张三", "abstract": "我们研究扩散模型求解成像中的逆问题。"})  # fmt: skip
    assert not errors
    store.save_user_talks([talk])
    build(store, "use-multilingual")
    deadline = time.monotonic() + 60
    while client.get("/api/search", query_string={"q": "扩散模型求解逆问题"}).get_json()["hits"][0]["id"] != talk.id:
        assert time.monotonic() < deadline, "the rebuilt index was not swapped in"
        time.sleep(0.1)
    assert client.get("/programme/csml2026").status_code == 200
    assert "csml2026" in client.get("/programme").get_data(as_text=True)
    assert client.get(f"/talk/{talk.id}").status_code == 200
