"""Long pasted queries behind short ids (web.pasted), and the search page's use of them."""

from __future__ import annotations

import os

import pytest

from web import pasted
from web.pasted import PastedQueries, query_id

ABSTRACT = "本报告介绍如何利用深度学习构建原子间相互作用势函数。" * 60  # 1,560 characters: no URL takes it


def test_two_workers_share_texts_through_the_folder(tmp_path):
    a, b = PastedQueries(tmp_path / "queries"), PastedQueries(tmp_path / "queries")
    qid = a.put(ABSTRACT)
    assert qid == query_id(ABSTRACT) and len(qid) == 32
    assert b.get(qid) == ABSTRACT  # the other process reads what this one kept
    assert b.get("0" * 32) is None
    assert b.get("../../etc/passwd") is None and b.get(qid[:-1] + "/") is None  # never a path


def test_the_least_recently_used_go_beyond_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(pasted, "KEEP", 3)
    store = PastedQueries(tmp_path)
    ids = []
    for i in range(4):
        ids.append(store.put(f"text {i}"))
        os.utime(tmp_path / f"{ids[-1]}.txt", (1000 + i, 1000 + i))
    store.put("text 5")
    assert [store.get(q) for q in ids] == [None, None, "text 2", "text 3"]
    assert not list(tmp_path.glob("*.tmp"))


def test_without_a_writable_folder_texts_stay_in_memory(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    store = PastedQueries(blocked / "queries")  # mkdir fails: memory instead, no error
    assert store.get(store.put(ABSTRACT)) == ABSTRACT
    assert PastedQueries(None).get(query_id(ABSTRACT)) is None


@pytest.fixture(scope="module")
def client(engine, built_dir):
    from index.store import Store
    from web.app import create_app

    return create_app(engine, Store(built_dir)).test_client()


def test_a_posted_abstract_redirects_to_a_short_address_and_pages(client):
    posted = client.post("/", data={"q": ABSTRACT, "year": "2024", "ui": "zh"})
    assert posted.status_code == 303
    where = posted.headers["Location"]
    assert "qid=" in where and "q=" not in where.replace("qid=", "") and "year=2024" in where and len(where) < 200
    page = client.get(where)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="total"' in html
    assert html.count(where.split("qid=")[1].split("&")[0]) > 3  # links carry the id, not the text
    assert ABSTRACT[:40] in html  # the search box shows the text


def test_a_short_post_still_redirects_to_its_own_address(client):
    posted = client.post("/", data={"q": "扩散模型 逆问题"})
    assert posted.status_code == 303 and "qid=" not in posted.headers["Location"]


def test_an_unknown_id_says_to_paste_again(client):
    page = client.get("/?qid=" + "f" * 32 + "&ui=zh")
    assert page.status_code == 404 and "重新粘贴" in page.get_data(as_text=True)
