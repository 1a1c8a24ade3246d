"""The organizers' pages in a real headless Chromium against `talksearch serve`: the upload page, the experts controls."""

from __future__ import annotations

import json

import pytest
import test_browser as tb

ARTIFACTS, _wait = tb.ARTIFACTS, tb._wait
server, browser = tb.server, tb.browser  # the same fixtures: a served index and a headless Chromium

pytestmark = pytest.mark.skipif(
    not (tb.CHROMIUM and tb.CHROMEDRIVER),
    reason="browser tests need Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
)

SUBS = [
    {"id": "p1", "title": "Frequency principle of deep neural networks", "authors": ["Zhi-Qin John Xu"],
     "abstract": "Deep neural networks fit low frequencies first; implicit regularization.",
     "affiliations": ["上海交通大学"]},
    {"id": "p2", "title": "扩散模型求解成像反问题", "abstract": "扩散模型作为先验求解成像中的反问题。",
     "authors": ["张三"], "affiliations": ["北大"]},
    {"id": "p3", "title": "Spiking neural networks on neuromorphic chips", "affiliations": ["Tsinghua"]},
]  # fmt: skip


def _upload(browser, server, path, per: str = "2", load: str = "2", pool: str = "") -> None:
    from selenium.webdriver.common.by import By

    browser.get(server + "/assign")
    browser.find_element(By.ID, "submissions").send_keys(str(path))
    browser.find_element(By.ID, "pool").send_keys(pool)
    for field, value in (("per", per), ("load", load)):
        box = browser.find_element(By.ID, field)
        box.clear()
        box.send_keys(value)
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    form_page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.ID, "assign").click()

    def gone(_) -> bool:
        """The form's page has been replaced. Chromium sometimes reports the replaced node as "does not
        belong to the document" (an unknown error), not as stale, so any error on it means gone."""
        try:
            return bool(expected_conditions.staleness_of(form_page)(browser))
        except WebDriverException:
            return True

    # the answer is a new page: read nothing until the form's page has gone (a race seen in CI)
    WebDriverWait(browser, 120).until(gone)


def test_upload_assigns_reviewers_and_shows_the_summary(browser, server, tmp_path):
    from selenium.webdriver.common.by import By

    path = tmp_path / "subs.jsonl"
    path.write_text("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in SUBS), encoding="utf-8")
    _upload(browser, server, path)
    table = _wait(browser, "assignment")
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert [r.get_attribute("data-id") for r in rows] == ["p1", "p2", "p3"]
    reviewers = [
        [li.get_attribute("data-person") for li in r.find_elements(By.CSS_SELECTOR, "li.reviewer")] for r in rows
    ]
    assert all(len(r) == 2 for r in reviewers) and "xu-zhiqin" not in reviewers[0]
    loads = [p for r in reviewers for p in r]
    assert max(loads.count(p) for p in loads) <= 2
    assert "mean affinity" in browser.find_element(By.ID, "summary").text
    ARTIFACTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / "assign.png"))


def test_a_bad_file_lists_every_problem_and_assigns_nothing(browser, server, tmp_path):
    from selenium.webdriver.common.by import By

    path = tmp_path / "bad.csv"
    path.write_text("id,title,authors\np1,A title,张三\np1,Again,李四\np2,,王五\n", encoding="utf-8")
    _upload(browser, server, path)
    problems = _wait(browser, "problems").text
    assert "bad.csv:3: field id: 'p1' appears twice" in problems and "bad.csv:4: field title: missing" in problems
    assert not browser.find_elements(By.ID, "assignment")


def test_an_infeasible_request_says_why(browser, server, tmp_path):
    from selenium.webdriver.common.by import By

    path = tmp_path / "subs.jsonl"
    path.write_text("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in SUBS), encoding="utf-8")
    _upload(browser, server, path, per="3", load="1", pool="许志钦\nwu-lei\nE Weinan")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "3 submissions × 3 reviewers need 9 slots; the pool of 3 reviewers × 1 gives 3" in body


def test_experts_page_excludes_by_name_and_shows_how_many(browser, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(server + "/experts")
    browser.find_element(By.ID, "topic").send_keys("implicit regularization")
    browser.find_element(By.ID, "exclude-name").send_keys("许志钦; Lei Wu")
    Select(browser.find_element(By.ID, "k")).select_by_value("10")
    browser.find_element(By.ID, "find").click()
    _wait(browser, "experts")
    ids = [li.get_attribute("data-id") for li in browser.find_elements(By.CSS_SELECTOR, "#experts > li")]
    assert len(ids) == 10 and "xu-zhiqin" not in ids and "wu-lei" not in ids
    excluded = browser.find_element(By.ID, "excluded")
    assert {li.get_attribute("data-id") for li in excluded.find_elements(By.TAG_NAME, "li")} == {"xu-zhiqin", "wu-lei"}
