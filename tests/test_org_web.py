"""Organizers over HTTP (Flask's test client): exclusions through /api/experts, the assignment API and page."""

from __future__ import annotations

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
