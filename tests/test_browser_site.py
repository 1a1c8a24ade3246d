"""The conference site in a real headless Chromium: programme to calendar file, filters, the topic map,
and screenshots at desktop and phone widths in both UI languages (saved under tests/artifacts/)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import test_browser as shared
from icalendar import Calendar

ARTIFACTS, _wait = shared.ARTIFACTS, shared._wait
server, browser, pytestmark = shared.server, shared.browser, shared.pytestmark  # the same fixtures and skip


def _by(css: str):
    from selenium.webdriver.common.by import By

    return By.CSS_SELECTOR, css


def _click(browser, css: str, wait_for: str | None = None):
    browser.find_element(*_by(css)).click()
    if wait_for:
        _wait(browser, wait_for)


def test_programme_session_talk_and_calendar_download(browser, server, tmp_path: Path):
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    browser.get(server + "/")
    _click(browser, "#nav-programme", "events")
    _click(browser, '#events li[data-event="csml2022"] a.title', "programme-title")
    _click(browser, 'a.session[href^="/session/csml2022/A2?"]', "session-title")
    assert "复杂度和泛化理论" in browser.find_element(*_by("#session-title")).text
    assert "罗涛" in browser.find_element(*_by("#chairs")).text
    _click(browser, '#session-talks li[data-id="csml2022-A2-4"] > a', "talk-title")
    assert browser.current_url.endswith("/talk/csml2022-A2-4?ui=en")
    assert browser.find_element(*_by("#session a")).get_attribute("href").endswith("/session/csml2022/A2?ui=en")
    _click(browser, "#talk-ics")
    deadline = time.time() + 20
    while time.time() < deadline and not list(tmp_path.glob("*.ics")):
        time.sleep(0.2)
    (path,) = tmp_path.glob("*.ics")
    assert path.name == "csml2022-A2-4.ics"
    (event,) = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert event.decoded("dtstart").isoformat() == "2022-08-18T13:30:00+08:00"
    assert str(event["summary"]) == "PINN 的失效与其隐式正则化" and str(event["location"]) == "观湖C会议室"


def _chips(browser) -> set[tuple[str, str]]:
    return {
        (c.get_attribute("data-name"), c.get_attribute("data-value")) for c in browser.find_elements(*_by("a.chip"))
    }


def test_combine_two_filters_then_remove_one(browser, server):
    browser.get(server + "/?q=neural+networks")
    _wait(browser, "total")
    browser.find_element(*_by('ul[data-facet="event"] a[href*="event=csml2024"]')).click()
    _wait(browser, "chips")
    browser.find_element(*_by('ul[data-facet="kind"] a[href*="kind=student"]')).click()
    _wait(browser, "chips")
    assert _chips(browser) == {("event", "csml2024"), ("kind", "student")}
    hits = browser.find_elements(*_by("li.hit"))
    assert hits and all("CSML 2024" in h.text and "student session" in h.text for h in hits)
    browser.find_element(*_by('a.chip[data-name="event"]')).click()
    _wait(browser, "total")
    assert _chips(browser) == {("kind", "student")} and "event=" not in browser.current_url
    events = {e.text for e in browser.find_elements(*_by('ul[data-facet="event"] a'))}
    assert len(events) > 1  # other events are back, still only student sessions
    assert browser.find_element(*_by("#q")).get_attribute("value") == "neural networks"


def test_a_topic_map_dot_opens_its_talk(browser, server):
    from selenium.webdriver.common.action_chains import ActionChains

    browser.set_window_size(1280, 1000)
    browser.get(server + "/topics/map")
    _wait(browser, "topic-map")
    dots = browser.find_elements(*_by("svg.map a"))
    assert len(dots) == 450
    target = dots[len(dots) // 2]
    talk_id = target.get_attribute("data-id")
    circle = target.find_element(*_by("circle"))
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", circle)
    ActionChains(browser).move_to_element(circle).click().perform()
    _wait(browser, "talk-title")
    assert browser.current_url.split("?")[0].endswith(f"/talk/{talk_id}")


PAGES = {
    "search": "/?q=扩散模型+逆问题",
    "programme": "/programme/csml2024",
    "session": "/session/csml2024/A1",
    "talk": "/talk/csml2022-A2-4?q=PINN",
    "topics": "/topics",
    "map": "/topics/map",
    "experts": "/experts?q=deep+learning+theory&exclude_affiliation=Tsinghua",
    "assign": "/assign",
}


@pytest.mark.parametrize("ui", ["en", "zh"])
@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_both_languages_both_widths(browser, server, ui, width):
    ARTIFACTS.mkdir(exist_ok=True)
    for name, url in PAGES.items():
        browser.set_window_size(width, 1000)
        browser.get(server + url + ("&" if "?" in url else "?") + f"ui={ui}")
        _wait(browser, "ui-switch")
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(width, min(height, 3000))
        overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} scrolls sideways at {width} px ({ui})"
        for link in browser.find_elements(*_by("header a")):  # no label broken over two lines
            size, padding = browser.execute_script(
                "const s = getComputedStyle(arguments[0]);"
                "return [parseFloat(s.fontSize), parseFloat(s.paddingTop) + parseFloat(s.paddingBottom)]", link)  # fmt: skip
            assert link.size["height"] - padding < 2 * size, (name, link.text, width, ui)
        if width < 600:  # a finger's tap target, not a 20 px strip
            for link in browser.find_elements(*_by("header nav a")):
                assert link.size["height"] >= 36, (name, link.text, link.size, ui)
        if name == "experts" and width < 600:  # the topic box gets a line, not what the other fields leave
            form = browser.find_element(*_by("form.searchbox")).size["width"]
            assert browser.find_element(*_by("#topic")).size["width"] > 0.8 * form, (width, ui)
        assert browser.save_screenshot(str(ARTIFACTS / f"{name}-{ui}-{width}.png"))
    if width < 600:  # results before the filters on a phone
        browser.get(server + PAGES["search"] + f"&ui={ui}")
        first_hit = browser.find_element(*_by("li.hit")).location["y"]
        assert first_hit < browser.find_element(*_by("#facets")).location["y"]
