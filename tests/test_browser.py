"""End to end in a real headless Chromium against `talksearch serve` (waitress) on loopback."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
ARTIFACTS = Path(__file__).parent / "artifacts"

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="browser tests need Debian's chromium and chromium-driver (apt-get install chromium chromium-driver); "
    ".ci/run installs them",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(built_dir):
    port = _free_port()
    env = {**os.environ, "TALKSEARCH_HOME": str(built_dir)}
    cmd = [sys.executable, "-m", "search.cli", "serve", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/api/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(proc.stdout.read().decode()) from None
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError("server did not start in 90 s")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1280,1600",
    ):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _wait(browser, element_id):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, 30).until(expected_conditions.presence_of_element_located((By.ID, element_id)))


def _search(browser, server, query):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    box = browser.find_element(By.ID, "q")
    box.clear()
    box.send_keys(query)
    browser.find_element(By.ID, "go").click()
    _wait(browser, "total")
    return [h.get_attribute("data-id") for h in browser.find_elements(By.CSS_SELECTOR, "li.hit")]


def test_english_chinese_and_mixed_searches(browser, server):
    assert _search(browser, server, "Non-line-of-sight imaging")[0] == "csml2022-A1-4"
    assert "csml2024-A4-1" in _search(browser, server, "脉冲神经网络")
    hits = _search(browser, server, "大模型 reasoning")
    assert "csml2024-B1-3" in hits
    assert "q=" in browser.current_url  # the query stays in the URL, so results can be shared
    ARTIFACTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / "search.png"))


def test_open_a_talk_and_follow_a_related_talk(browser, server):
    from selenium.webdriver.common.by import By

    _search(browser, server, "Non-line-of-sight imaging")
    browser.find_element(By.CSS_SELECTOR, "li.hit a.title").click()
    assert _wait(browser, "talk-title").text == "Non-line-of-sight Imaging"
    first = browser.find_element(By.CSS_SELECTOR, "#related li a")
    target = first.text
    first.click()
    _wait(browser, "related")
    assert browser.find_element(By.ID, "talk-title").text == target != "Non-line-of-sight Imaging"


def test_expert_search_with_conflict_filter(browser, server):
    from selenium.webdriver.common.by import By

    browser.get(server + "/experts")
    browser.find_element(By.ID, "topic").send_keys("spiking neural networks")
    browser.find_element(By.ID, "exclude").send_keys("Tsinghua University")
    browser.find_element(By.ID, "find").click()
    _wait(browser, "experts")
    names = [e.get_attribute("data-id") for e in browser.find_elements(By.CSS_SELECTOR, "#experts > li")]
    assert names and "deng-lei" not in names  # 邓磊 is at 清华大学
    assert browser.find_element(By.ID, "csv").get_attribute("href").startswith(server + "/experts.csv")


def test_a_pasted_chinese_abstract_pages_filters_and_comes_back(browser, server, corpus):
    """A pasted Chinese abstract is too long for a URL (~900 characters already are): its results
    are at a short /?qid=… address, so next page, a filter and a talk's "back to results" work."""
    from selenium.webdriver.common.by import By

    text = "".join(t.abstract for t in corpus.talks if t.abstract_lang == "zh")[:3000]
    browser.get(server + "/?ui=zh")
    box = browser.find_element(By.ID, "q")
    browser.execute_script("arguments[0].value = arguments[1]", box, text)  # typing 3,000 characters is slow
    browser.find_element(By.ID, "go").click()
    _wait(browser, "total")
    assert "qid=" in browser.current_url and len(browser.current_url) < 200
    assert browser.find_element(By.ID, "q").get_attribute("value") == text
    browser.find_element(By.ID, "next").click()
    assert _wait(browser, "range").text.startswith("第 11")
    browser.find_element(By.CSS_SELECTOR, "ul.facet[data-facet=event] a").click()
    _wait(browser, "chips")
    first = browser.find_element(By.CSS_SELECTOR, "li.hit").get_attribute("data-id")
    browser.find_element(By.CSS_SELECTOR, "li.hit a.title").click()
    _wait(browser, "talk-title")
    browser.find_element(By.ID, "back").click()
    _wait(browser, "chips")
    assert browser.find_element(By.CSS_SELECTOR, "li.hit").get_attribute("data-id") == first
