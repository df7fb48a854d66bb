"""Every page type in a real browser (axe-core in Debian's chromium) and in the Nu Html Checker.

Chromium is driven with Selenium and Debian's chromedriver: execute_async_script runs axe.run
in the page and returns its JSON, with no hand-written DevTools protocol client; the driver
path is given explicitly, so Selenium Manager never tries to download anything.
"""

from __future__ import annotations

import json
import subprocess
from contextlib import contextmanager

import pytest

from pipeline import urls
from pipeline.site.serve import start_server

from .. import tools

AXE = tools.axe_js()

PAGE_TYPES = {
    "root": urls.ROOT,
    "language home": urls.home("fr"),
    "directory": urls.directory("nl"),
    "hub": urls.hub("nl", "bergveld-centrum"),
    "hub, two languages": urls.hub("fr", "bois-fleuri"),
    "message": urls.message("fr", "dark-days-2026"),
    "expired message": urls.message("nl", "holiday-watch-summer-2026"),
    "category": urls.category("de", "prevention"),
    "static page": urls.page("de", "report"),
    "language without messages": urls.home("en"),
    "404": urls.NOT_FOUND,
}


@pytest.fixture(scope="module")
def browser():
    tools.need("chromium", "axe")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(tools.CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(tools.CHROMEDRIVER)), options=options)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def served(sample_site):
    out, _ = sample_site
    server = start_server(out, "127.0.0.1", 0)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_axe_finds_no_violation(browser, served, kind):
    path = PAGE_TYPES[kind]
    browser.get(f"{served}/{path}")
    violations = _axe(browser)
    report = [
        f"{v['id']} ({v.get('impact')}): {v['help']} — "
        + "; ".join(n["html"][:80] for n in v["nodes"][:3])
        for v in violations
    ]
    assert not report, f"{path}:\n" + "\n".join(report)


def _axe(browser) -> list[dict]:
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(JSON.stringify(r.violations)),"
        " e => done(JSON.stringify([{id: 'axe-error', help: String(e), nodes: []}])));"
    )
    return json.loads(result)


@pytest.mark.browser
def test_axe_really_runs(browser):
    """Guard against a vacuous pass: a page with a known fault is reported."""
    browser.get("data:text/html,<!DOCTYPE html><html><body><img src='x.png'></body></html>")
    assert "image-alt" in {v["id"] for v in _axe(browser)}


@pytest.mark.browser
@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_no_horizontal_scroll_at_320_px(browser, served, kind):
    browser.set_window_size(320, 800)
    try:
        browser.get(f"{served}/{PAGE_TYPES[kind]}")
        width = browser.execute_script("return document.documentElement.clientWidth")
        scroll = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 320, f"the window did not shrink to 320 px ({width} px)"
        assert scroll <= width, f"{kind}: content {scroll} px wide in a {width} px viewport"
    finally:
        browser.set_window_size(1280, 900)


@pytest.mark.browser
def test_directory_search_filters_by_postcode_and_commune(browser, served):
    browser.get(f"{served}/{urls.directory('nl')}?q=2498")
    visible = [
        li.text
        for li in browser.find_elements("css selector", "#directory li")
        if li.is_displayed()
    ]
    assert len(visible) == 1 and "Heidebeek-Zuid" in visible[0]
    status = browser.find_element("id", "found").text
    assert status.startswith("1 ")


PHONE = {"width": 375, "height": 667, "deviceScaleFactor": 2, "mobile": True}
"""A small phone's screen (iPhone SE): 375 × 667 CSS pixels."""


@contextmanager
def phone(browser):
    """The browser as that phone: its viewport, its pixel ratio, the meta viewport honoured."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    try:
        yield
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.browser
@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_header_and_rule_banner_take_at_most_a_quarter_of_a_phone_screen(browser, served, kind):
    with phone(browser):
        browser.get(f"{served}/{PAGE_TYPES[kind]}")
        screen = browser.execute_script("return [window.innerWidth, window.innerHeight]")
        assert screen == [375, 667], f"not a phone's viewport: {screen}"
        header, rule = browser.execute_script(
            "return ['header.site', 'aside.rule'].map("
            "s => document.querySelector(s).getBoundingClientRect().toJSON())"
        )
    assert header["top"] == 0 and rule["top"] >= header["bottom"] - 1
    taken = header["height"] + rule["height"]
    assert taken <= 667 / 4, f"{kind}: header {header['height']:.0f} px + rule banner " + (
        f"{rule['height']:.0f} px = {taken:.0f} px of 667"
    )


@pytest.mark.browser
def test_a_phone_reaches_the_menu_from_the_header(browser, served):
    with phone(browser):
        browser.get(f"{served}/{urls.home('fr')}")
        link = browser.find_element("css selector", "header.site .menu-link a")
        assert link.is_displayed()
        link.click()
        menu = browser.find_element("id", "site-menu")
        assert menu.is_displayed()
        labels = [a.text for a in menu.find_elements("tag name", "a")]
        assert "Trouver votre PLP" in labels and "Comment signaler" in labels
        languages = browser.find_elements("css selector", "header.site .langs a")
        # Codes on screen, the names for assistive technology (clipped to one pixel).
        codes = [a.find_element("class name", "code") for a in languages]
        assert [c.text for c in codes if c.is_displayed()] == ["NL", "DE", "EN"]
        names = [a.find_element("class name", "name").rect for a in languages]
        assert all(n["width"] <= 1 and n["height"] <= 1 for n in names)
        assert [a.accessible_name for a in languages] == ["Nederlands", "Deutsch", "English"]


@pytest.mark.browser
def test_a_directory_search_that_finds_nothing_says_what_to_try(browser, served):
    query = "Zzyzx $& <b>"
    browser.get(f"{served}/{urls.directory('fr')}")
    browser.find_element("id", "q").send_keys(query)
    shown = [li for li in browser.find_elements("css selector", "#directory li")
             if li.is_displayed()]  # fmt: skip
    assert not shown
    assert browser.find_element("id", "found").text == f"Aucun PLP trouvé pour « {query} »."
    advice = browser.find_element("id", "none")
    assert advice.is_displayed()
    assert "code postal" in advice.text and "zone de police" in advice.text
    advice.find_element("link text", "Afficher tous les PLP").click()
    every = browser.find_elements("css selector", "#directory li")
    assert every and all(li.is_displayed() for li in every)
    assert not browser.find_element("id", "none").is_displayed()


@pytest.mark.browser
def test_without_javascript_the_directory_lists_every_plp_as_a_link(browser, served):
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        browser.get(f"{served}/{urls.directory('nl')}?q=zzzz")  # from the root page's form
        entries = browser.find_elements("css selector", "#directory li")
        assert entries and all(li.is_displayed() for li in entries)
        assert all(li.find_element("tag name", "a").get_attribute("href") for li in entries)
        assert not browser.find_element("id", "none").is_displayed()
        assert not browser.find_element("id", "find").is_displayed()
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def test_nu_html_checker_reports_no_error(sample_site):
    tools.need("java", "vnu")
    java, jar = tools.java(), tools.vnu_jar()
    out, _ = sample_site
    files = [str(out / path) for path in PAGE_TYPES.values()]
    done = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    report = [f"{m.get('url', '')[-60:]}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert not report, "\n".join(report)


BULLETIN = urls.bulletin("fr", "florval-centre", 3)
"""The web version of a sent bulletin (not in the sample site, which has sent none)."""


@pytest.fixture(scope="module")
def served_bulletins(site_with_bulletins):
    server = start_server(site_with_bulletins, "127.0.0.1", 0)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.browser
def test_axe_finds_no_violation_on_a_bulletin_page(browser, served_bulletins):
    browser.get(f"{served_bulletins}/{BULLETIN}")
    violations = _axe(browser)
    assert not violations, [f"{v['id']}: {v['help']}" for v in violations]
    browser.set_window_size(320, 800)
    try:
        browser.get(f"{served_bulletins}/{BULLETIN}")
        width = browser.execute_script("return document.documentElement.clientWidth")
        scroll = browser.execute_script("return document.documentElement.scrollWidth")
        assert scroll <= width <= 320
    finally:
        browser.set_window_size(1280, 900)


def test_nu_html_checker_reports_no_error_on_a_bulletin_page(site_with_bulletins):
    tools.need("java", "vnu")
    java, jar = tools.java(), tools.vnu_jar()
    done = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json",
         str(site_with_bulletins / BULLETIN)],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    assert not messages, [f"{m.get('lastLine')}: {m['message']}" for m in messages]
