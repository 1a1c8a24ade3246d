"""Organizers over HTTP (Flask's test client): exclusions through /api/experts, the assignment API and page."""

from __future__ import annotations

import io

import pytest

from web.app import create_app

TOPIC = "deep learning theory"


@pytest.fixture(scope="module")
def client(engine):
    return create_app(engine).test_client()


def _experts(client, **params):
    response = client.get("/api/experts", query_string={"q": TOPIC, "k": 100, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


@pytest.mark.parametrize(
    ("typed", "institution"),
    [
        ("Tsinghua", "清华大学"), ("THU", "清华大学"), ("清华", "清华大学"), ("Tsinghua University", "清华大学"),
        ("Fudan", "复旦大学"), ("复旦", "复旦大学"), ("CAS", "中国科学院"), ("Chinese Academy of Sciences", "中国科学院"),
        ("中科院", "中国科学院"), ("中国科学院", "中国科学院"), ("Peking", "北京大学"), ("PKU", "北京大学"),
        ("北大", "北京大学"), ("Renmin University", "中国人民大学"), ("RUC", "中国人民大学"), ("SJTU", "上海交通大学"),
        ("交大", "上海交通大学"),
    ],
)  # fmt: skip
def test_api_affiliation_aliases_remove_and_report(client, typed, institution):
    everyone = {e["id"] for e in _experts(client)["experts"]}
    r = _experts(client, exclude_affiliation=typed)
    gone = {x["person_id"] for x in r["excluded"]}
    assert gone & everyone and not gone & {e["id"] for e in r["experts"]}
    assert all(x["rule"] == "affiliation" and x["value"] == typed for x in r["excluded"])
    assert all(f"{typed!r} names {institution}" in x["reason"] for x in r["excluded"])
    assert not any("matches" in w for w in r["warnings"])


def test_api_school_only_affiliation_is_resolved_from_the_persons_other_one_or_flagged(client):
    sjtu = _experts(client, exclude_affiliation="SJTU")
    hang = next(x for x in sjtu["excluded"] if x["name"] == "杭良慨")
    assert "'数学科学学院' (a school only; resolved from the same person's '上海交通大学')" in hang["reason"]
    assert any("could not be checked for" in w and "毛晓军 (数学科学学院)" in w for w in sjtu["warnings"]), (
        "a school-only speaker in the ranking is named as unchecked"
    )
    assert "mao-xiaojun" in {e["id"] for e in sjtu["experts"]}


def test_api_exclusion_matching_nobody_warns_with_a_suggestion(client):
    r = _experts(client, exclude_affiliation="Tsinghau", exclude_name="Zhiqin Xv")
    assert not r["excluded"]
    assert any("no institution matches 'Tsinghau'" in w and "did you mean Tsinghua" in w for w in r["warnings"])
    assert any("nobody in the corpus is named 'Zhiqin Xv'" in w for w in r["warnings"])


# --- reviewer assignment: POST /api/assign and the upload page ------------------------------------------
SUBS = [
    {"id": "p1", "title": "Frequency principle of deep neural networks",
     "abstract": "Deep neural networks fit low frequencies first; implicit regularization and condensation.",
     "authors": ["Zhi-Qin John Xu"], "affiliations": ["上海交通大学自然科学研究院"]},
    {"id": "p2", "title": "扩散模型求解成像反问题", "abstract": "扩散模型作为先验求解成像中的反问题。",
     "authors": "张三", "affiliations": "北大"},
    {"id": "p3", "title": "Deep potential molecular dynamics", "abstract": "Machine learning force fields.",
     "affiliations": ["Nowhere Lab"]},
]  # fmt: skip


def test_api_assign_returns_the_issue_format_with_conflicts_and_summary(client):
    r = client.post("/api/assign", json={"submissions": SUBS, "per_submission": 2, "max_load": 1})
    assert r.status_code == 200, r.get_data(as_text=True)
    body = r.get_json()
    assert [s["id"] for s in body["submissions"]] == ["p1", "p2", "p3"]
    for s in body["submissions"]:
        assert set(s) == {"id", "reviewers", "excluded"} and len(s["reviewers"]) == 2
        assert all(set(x) == {"person_id", "name", "affinity", "rank", "evidence"} for x in s["reviewers"])
    p1 = body["submissions"][0]
    assert {"person_id": "xu-zhiqin", "name": "许志钦", "reason": "许志钦 is an author ('Zhi-Qin John Xu')"} in p1[
        "excluded"
    ]
    assert "xu-zhiqin" not in {x["person_id"] for x in p1["reviewers"]}
    pku = {x["person_id"] for x in body["submissions"][1]["excluded"]}
    assert {"e-weinan", "wu-lei"} <= pku and not pku & {x["person_id"] for x in body["submissions"][1]["reviewers"]}
    assigned = [x["person_id"] for s in body["submissions"] for x in s["reviewers"]]
    assert len(assigned) == len(set(assigned)) == 6  # max_load 1
    summary = body["summary"]
    assert summary["load_histogram"]["1"] == 6 and summary["max_load"] == 1
    assert 0 < summary["mean_affinity"] <= summary["unconstrained_mean_affinity"]
    assert body["warnings"] == [  # p3 names no author: said, not read as "no conflict"
        "p3: no authors: nobody was excluded as an author",
        "p3: affiliation 'Nowhere Lab' names no institution in the table; its conflicts were not checked",
    ]


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ({"submissions": SUBS * 2}, "'p1' appears twice"),
        ({"submissions": [{"id": "x y", "title": ""}]}, "submissions:1: field id: 'x y' is not letters"),
        ({"submissions": SUBS, "per_submission": 0}, "per_submission must be a whole number between 1 and 20"),
        ({"submissions": SUBS, "per_submission": 3, "max_load": 1, "reviewers": ["许志钦", "吴磊", "鄂维南"]},
         "3 submissions × 3 reviewers need 9 slots; the pool of 3 reviewers × 1 gives 3"),
        ({"submissions": SUBS, "reviewers": ["Nobody Atall"]}, "reviewer 'Nobody Atall' is nobody in the corpus"),
        ({"submissions": SUBS, "venue": "x"}, "unknown field(s) venue"),
        ([1, 2], "must be a JSON object"),
    ],
)  # fmt: skip
def test_api_assign_errors_are_clear_json(client, body, text):
    r = client.post("/api/assign", json=body)
    assert r.status_code == 400 and r.is_json
    payload = r.get_json()
    assert text in payload["error"] + "\n".join(payload.get("problems", [])), payload


def test_api_assign_caps_the_body_before_reading_it(client):
    from web.assign_views import MAX_UPLOAD

    big = {"submissions": [{"id": "p1", "title": "x", "abstract": "y" * MAX_UPLOAD}]}
    r = client.post("/api/assign", json=big)
    assert r.status_code == 413 and "the limit is 5,242,880" in r.get_json()["error"]


def _upload(client, text: str, name: str, **form):
    data = {"submissions": (io.BytesIO(text.encode("utf-8")), name), "per_submission": "2", "max_load": "2", **form}
    return client.post("/assign", data=data, content_type="multipart/form-data")


def test_assign_page_uploads_csv_and_shows_reviewers_summary_and_warnings(client):
    assert 'enctype="multipart/form-data"' in client.get("/assign").get_data(as_text=True)
    csv_text = (
        "id,title,abstract,authors,affiliations\n"
        f'p1,{SUBS[0]["title"]},"{SUBS[0]["abstract"]}",Zhi-Qin John Xu,上海交通大学自然科学研究院\n'
        f"p2,{SUBS[1]['title']},{SUBS[1]['abstract']},张三,北大\n"
        f"p3,{SUBS[2]['title']},{SUBS[2]['abstract']},,Nowhere Lab\n"
    )
    html = _upload(client, csv_text, "subs.csv").get_data(as_text=True)
    assert html.count('class="reviewer"') == 6 and 'id="summary"' in html and "mean affinity" in html
    assert "许志钦 is an author" in html and "Nowhere Lab" in html.split('id="warnings"')[1]
    download = _upload(client, csv_text, "subs.csv", format="csv")
    assert download.mimetype == "text/csv" and "attachment" in download.headers["Content-Disposition"]
    lines = download.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "id,person_id,name,latin,affinity,rank,evidence" and len(lines) == 7


def test_assign_page_reports_bad_rows_and_assigns_nothing(client):
    bad = '{"id": "p1", "title": "ok"}\n{"id": "p1", "title": "dup"}\nnot json\n'
    r = _upload(client, bad, "subs.jsonl")
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and 'id="problems"' in html and 'class="reviewer"' not in html
    assert "subs.jsonl:2: field id: &#39;p1&#39; appears twice" in html and "subs.jsonl:3: not valid JSON" in html
    assert "unknown format" in _upload(client, "x", "subs.txt").get_data(as_text=True)


# --- the experts page ----------------------------------------------------------------------------------
def test_experts_page_topic_title_in_the_ui_language_and_controls(client):
    en = client.get("/experts?q=topic-3").get_data(as_text=True)
    assert "Experts on study-plan topic topic-3: Differential equations and machine learning" in en
    zh = client.get("/experts?q=topic-3&ui=zh").get_data(as_text=True)
    assert "研究方向 topic-3 的专家：微分方程与机器学习" in zh
    five = client.get("/experts?q=topic-3&k=5").get_data(as_text=True)
    assert five.count('<li data-id="') == 5 and '<option value="5" selected>' in five
    fifty = client.get("/experts?q=topic-3&k=50").get_data(as_text=True)
    assert fifty.count('<li data-id="') == 50 and '<option value="50" selected>' in fifty


def test_experts_page_talk_id_exclusions_by_name_and_warnings(client):
    talk = client.get("/experts?q=csml2022-A2-4").get_data(as_text=True)
    assert "Reviewers for talk csml2022-A2-4: PINN 的失效与其隐式正则化; its speakers (周岐轩) are excluded" in talk
    page = client.get("/experts?q=implicit+regularization&exclude_name=许志钦;+Lei+Wu&exclude_affiliation=Tsinghau")
    html = page.get_data(as_text=True)
    experts = html.split('id="experts"')[1]
    assert 'data-id="xu-zhiqin"' not in experts and 'data-id="wu-lei"' not in experts
    excluded = html.split('id="excluded"')[1].split("</details>")[0]
    assert 'data-id="xu-zhiqin"' in excluded and 'data-id="wu-lei"' in excluded
    assert "did you mean Tsinghua" in html.split('id="warnings"')[1]
    nonsense = client.get("/experts?q=qzxv+wplk+mnbt").get_data(as_text=True)
    assert 'id="no-strong"' in nonsense and 'id="experts"' not in nonsense


def test_organizer_pages_say_warnings_reasons_and_summary_in_chinese(client):
    csv_text = (
        "id,title,abstract,authors,affiliations\n"
        f'p1,{SUBS[0]["title"]},"{SUBS[0]["abstract"]}",Zhi-Qin John Xu,上海交通大学自然科学研究院\n'
        f"p3,{SUBS[2]['title']},{SUBS[2]['abstract']},,Nowhere Lab\n"
    )
    upload = {"submissions": (io.BytesIO(csv_text.encode()), "subs.csv"), "per_submission": "2", "max_load": "2"}
    zh = client.post("/assign?ui=zh", data=upload, content_type="multipart/form-data").get_data(as_text=True)
    summary = zh.split('id="summary"')[1].split("</ul>")[0]
    assert "篇投稿" in summary and "平均匹配度" in summary and "mean affinity" not in summary
    warnings = zh.split('id="warnings"')[1].split("</div>")[0]
    assert "没有作者：未按作者排除任何人" in warnings and "单位「Nowhere Lab」不在机构表中" in warnings
    assert "许志钦 是作者（「Zhi-Qin John Xu」）" in zh and "is an author" not in zh
    page = client.get("/experts?q=implicit+regularization&exclude_name=许志钦&exclude_affiliation=Tsinghau&ui=zh")
    html = page.get_data(as_text=True)
    assert "「许志钦」是 许志钦 的姓名" in html.split('id="excluded"')[1]
    assert "没有机构与「Tsinghau」匹配；未排除任何人——您是否要找 Tsinghua" in html.split('id="warnings"')[1]
    english = client.get("/experts?q=implicit+regularization&exclude_affiliation=Tsinghau").get_data(as_text=True)
    assert "no institution matches &#39;Tsinghau&#39;; nobody was excluded — did you mean Tsinghua" in english


def test_assign_page_says_file_and_row_problems_in_chinese(client):
    def problems(data: bytes, name: str) -> str:
        upload = {"submissions": (io.BytesIO(data), name), "per_submission": "2", "max_load": "2"}
        r = client.post("/assign?ui=zh", data=upload, content_type="multipart/form-data")
        assert r.status_code == 400
        return r.get_data(as_text=True).split('id="problems"')[1].split("</div>")[0]

    rows = problems(b'{"id": "p1", "title": "ok"}\n{"id": "p1", "title": "dup"}\nnot json\n{"id": "p2"}\n', "s.jsonl")
    assert "s.jsonl 第 2 行：字段 id：「p1」出现了两次；id 必须唯一" in rows
    assert "s.jsonl 第 3 行：不是有效的 JSON（第 1 列：" in rows and "s.jsonl 第 4 行：字段 title：缺失（必填）" in rows
    assert "appears twice" not in rows and "missing (required)" not in rows
    assert "s.csv 第 2 行：单元格比表头的列多" in problems(b"id,title\np1,a,b\n", "s.csv")
    assert "s.txt：未知格式「.txt」；请使用 .jsonl 或 .csv" in problems(b"x", "s.txt")
    assert "s.csv：不是文本文件（含有 NUL 字节）" in problems(b"id,title\x00\n", "s.csv")
    empty = client.post("/assign?ui=zh", data={"per_submission": "2"}, content_type="multipart/form-data")
    assert "请选择投稿文件" in empty.get_data(as_text=True)
