"""The members' pages in a real browser: Debian's chromium (headless, Selenium, Debian's
chromedriver) against a real `plp web`, as a member on a phone meets them.

The whole flow — the hub's join form → the confirmation e-mail's link (read from the outbox
.eml) → confirm → preferences → leave — is walked at 375 px, once with JavaScript off (the
service must work without it) and once with it on. On every page the walk reaches, and on the
pages only a token reaches (the one-click GET page, erase, a bad or expired link), axe-core must
find nothing and, at 320 px, the page must not scroll sideways.
"""

from __future__ import annotations

import json
import re
import time
from unittest import mock

import itsdangerous.timed
import pytest

from pipeline import urls
from pipeline.tokens import ConfirmTokens, UnsubscribeTokens

from .. import tools
from .conftest import SECRET, Service

PLP = "bois-fleuri"  # a sample PLP with two languages: the preferences page offers a choice
HUB_LANG = "fr"
PHONE = 375
NARROWEST = 320
JS_OFF = {"profile.managed_default_content_settings.javascript": 2}

pytestmark = pytest.mark.browser


def _chromium(*, javascript: bool):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service as DriverService

    options = webdriver.ChromeOptions()
    options.binary_location = str(tools.CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option("prefs", JS_OFF)
    # The path is explicit, so Selenium Manager never tries to download a driver.
    driver = webdriver.Chrome(service=DriverService(str(tools.CHROMEDRIVER)), options=options)
    driver.set_script_timeout(30)
    driver.set_page_load_timeout(30)
    driver.set_window_size(PHONE, 800)
    return driver


@pytest.fixture(scope="module")
def browsers():
    """{javascript on?: driver}, both made lazily and quit at the end of the module."""
    tools.need("chromium", "axe")
    made: dict[bool, object] = {}

    def get(javascript: bool):
        if javascript not in made:
            made[javascript] = _chromium(javascript=javascript)
        return made[javascript]

    yield get
    for driver in made.values():
        driver.quit()


# --- what every page is checked for ----------------------------------------------------------


def axe_violations(driver) -> list[str]:
    """axe-core's violations on the current page, one line each (JavaScript must be on: axe
    schedules its work on timers, which a browser with JavaScript off never fires)."""
    driver.execute_script(tools.axe_js().read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(JSON.stringify(r.violations)),"
        " e => done(JSON.stringify([{id: 'axe-error', help: String(e), nodes: []}])));"
    )
    return [
        f"{v['id']} ({v.get('impact')}): {v['help']} — "
        + "; ".join(n["html"][:80] for n in v["nodes"][:3])
        for v in json.loads(result)
    ]


def axe_on_copy(checker, origin: str, html: str) -> list[str]:
    """axe in the JavaScript-on browser on a copy of a page another browser shows.

    A page reached by a POST cannot be fetched again, so its DOM is written into a page of the
    same origin: its stylesheet and relative links resolve as they did. The service's pages run
    no script, so the copy is the page the JavaScript-off browser laid out."""
    checker.get(f"{origin}/")
    checker.execute_script(
        "document.open(); document.write(arguments[0]); document.close();",
        "<!DOCTYPE html>" + html,
    )
    return axe_violations(checker)


def sideways_scroll(driver) -> str | None:
    """At 320 px, what overflows the viewport (None when nothing does); back to 375 px after."""
    driver.set_window_size(NARROWEST, 800)
    try:
        inner = driver.execute_script("return window.innerWidth")
        scroll = driver.execute_script("return document.documentElement.scrollWidth")
        assert inner <= NARROWEST, f"the window did not shrink to {NARROWEST} px ({inner} px)"
        if scroll <= inner:
            return None
        wide = driver.execute_script(
            "return [...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > window.innerWidth)"
            ".slice(0, 3).map(e => e.outerHTML.slice(0, 80))"
        )
        return f"{scroll} px wide in a {inner} px viewport: {wide}"
    finally:
        driver.set_window_size(PHONE, 800)


class Walk:
    """One browser's way through the service, checking each page it lands on."""

    def __init__(self, driver, service: Service, checker=None):
        self.driver, self.service = driver, service
        self.checker = checker  # the JavaScript-on browser axe runs in, when driver is not
        self.problems: dict[str, list[str]] = {}
        self.seen: list[str] = []

    def check(self, name: str) -> None:
        """axe and the 320 px rule on the page now shown, filed under `name`."""
        if self.checker is None or self.checker is self.driver:
            found = axe_violations(self.driver)
        else:
            html = self.driver.execute_script("return document.documentElement.outerHTML")
            found = axe_on_copy(self.checker, self.service.url, html)
        overflow = sideways_scroll(self.driver)
        if overflow:
            found.append(f"horizontal scroll at {NARROWEST} px: {overflow}")
        self.seen.append(name)
        if found:
            self.problems[name] = found

    def open(self, url: str, name: str) -> None:
        self.driver.get(url)
        self.check(name)

    def submit(self, form: str, name: str) -> None:
        """Press the button of the form whose action ends with `form`, wait for the next page."""
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.support.ui import WebDriverWait

        # An empty suffix matches no attribute in CSS: the page's only form, then.
        where = f'form[action$="{form}"]' if form else "form.member"
        button = self.driver.find_element("css selector", f'{where} button[type="submit"]')
        button.click()

        def left(_driver) -> bool:
            # Chromium answers a node of the page it left with StaleElementReference or, at
            # times, "Node … does not belong to the document": both mean the next page is here.
            try:
                button.is_enabled()
            except WebDriverException:
                return True
            return False

        WebDriverWait(self.driver, 15).until(left)
        self.check(name)

    @property
    def heading(self) -> str:
        return self.driver.find_element("tag name", "h1").text

    def assert_clean(self) -> None:
        report = [f"{page}: {line}" for page, lines in self.problems.items() for line in lines]
        assert not report, "\n".join(report)


def confirmation_link(service: Service, address: str) -> str:
    """The link of the confirmation e-mail sent to this address, from its .eml in the outbox."""
    mails = [
        m
        for m in service.outbox().values()
        if m["List-Unsubscribe"] is None and m["To"] and address in str(m["To"])
    ]
    assert len(mails) == 1, f"{len(mails)} confirmation e-mails to {address}"
    text = mails[0].get_body(("plain",)).get_content()
    return re.search(r"https?://\S+/confirm/[\w.-]+", text)[0]


# --- the tests ---------------------------------------------------------------------------------


def test_javascript_really_is_off_in_the_javascript_off_browser(browsers):
    """Guard against a vacuous 'works without JavaScript': a page's own script does not run."""
    driver = browsers(False)
    driver.get("data:text/html,<title>before</title><script>document.title='ran'</script>")
    assert driver.title == "before"
    on = browsers(True)
    on.get("data:text/html,<title>before</title><script>document.title='ran'</script>")
    assert on.title == "ran"


def test_axe_really_runs_on_a_copy_of_a_page(browsers, service):
    """Guard against a vacuous pass: a known fault in a page copied from the JavaScript-off
    browser is reported, and the copy keeps the service's stylesheet."""
    driver = browsers(False)
    driver.get(f"{service.url}{urls.WEB_SUBSCRIBE.format(plp=PLP)}")
    driver.execute_script("document.querySelector('label').remove()")  # an input loses its name
    html = driver.execute_script("return document.documentElement.outerHTML")
    found = axe_on_copy(browsers(True), service.url, html)
    assert any(line.startswith("label") for line in found), found
    sheets = browsers(True).execute_script("return document.styleSheets[0].cssRules.length")
    assert sheets > 10


@pytest.mark.parametrize("javascript", [False, True], ids=["javascript off", "javascript on"])
def test_join_confirm_preferences_leave_at_375_px(browsers, service, javascript):
    from pipeline.state.members import MemberStatus

    driver = browsers(javascript)
    address = f"telephone.{'js' if javascript else 'nojs'}@example.org"
    walk = Walk(driver, service, checker=browsers(True))

    # The hub's static form (no CSRF token: its Origin vouches), as a member finds it.
    walk.open(f"{service.url}/{urls.hub(HUB_LANG, PLP)}", "hub")
    assert driver.execute_script("return window.innerWidth") <= PHONE
    driver.find_element("id", "join-email").send_keys(address)
    driver.find_element("id", "join-name").send_keys("Camille")
    walk.submit(urls.subscribe_url(service.url, PLP), "subscribe answer")
    assert "48" in driver.page_source and address not in driver.page_source

    walk.open(confirmation_link(service, address), "confirm")
    walk.submit("", "welcome (confirmed)")
    assert service.member(address, PLP).status is MemberStatus.ACTIVE

    driver.find_element("css selector", "a[href*='/preferences/']").click()
    walk.check("preferences")
    assert address in driver.page_source  # the member's own page, the one that shows it
    other = "nl" if service.member(address, PLP).language != "nl" else "fr"
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("id", "language")).select_by_value(other)
    walk.submit("/language", "preferences, saved")
    assert driver.find_element("tag name", "html").get_attribute("lang") == other
    assert service.member(address, PLP).language == other

    walk.submit("/leave", "preferences, left")
    assert service.member(address, PLP).status is MemberStatus.UNSUBSCRIBED
    assert driver.find_elements("css selector", "a[href*='/subscribe/']")  # may come back

    assert not driver.get_cookies()  # the service sets no cookie, JavaScript or not
    walk.assert_clean()


def test_every_other_page_of_the_service_at_375_px(browsers, service):
    """The pages the walk does not pass: the join form, the one-click GET page and its done
    page, erase and erased, and the refusals (bad link, expired link, expired form)."""
    from pipeline.state.members import MemberStatus

    driver = browsers(False)
    walk = Walk(driver, service, checker=browsers(True))
    address, member = _demo_member(service)
    token = UnsubscribeTokens(SECRET).make_token(member)

    walk.open(f"{service.url}{urls.WEB_SUBSCRIBE.format(plp=PLP)}?lang=nl", "subscribe form")
    walk.open(urls.unsubscribe_url(service.url, token), "unsubscribe (GET)")
    assert driver.page_source.count("<button") == 1
    assert service.member(address, member.plp).status is MemberStatus.ACTIVE  # a GET: no change
    walk.submit(urls.WEB_UNSUBSCRIBE.format(token=token), "unsubscribed")
    assert service.member(address, member.plp).status is MemberStatus.UNSUBSCRIBED
    walk.open(urls.unsubscribe_url(service.url, token), "unsubscribe (GET), already left")

    driver.find_element("css selector", "a[href*='/subscribe/']").click()
    walk.check("join again")
    driver.find_element("id", "email").send_keys("not an address")
    # The browser's own check would stop an invalid address; the server's page is checked.
    driver.execute_script("document.querySelector('form.member').noValidate = true")
    walk.submit(urls.WEB_SUBSCRIBE.format(plp=member.plp), "subscribe, invalid address")

    from pipeline.tokens import PreferencesTokens

    prefs = urls.preferences_url(service.url, PreferencesTokens(SECRET).make_token(member))
    walk.open(prefs, "preferences, not receiving")
    driver.find_element("css selector", "a[href$='/erase']").click()
    walk.check("erase")
    walk.submit("/erase", "erased")
    with pytest.raises(ValueError):
        service.member(address, member.plp)

    walk.open(urls.unsubscribe_url(service.url, token[:-3] + "xyz"), "invalid link")
    walk.open(prefs, "link of an erased member")
    with mock.patch.object(itsdangerous.timed.time, "time", return_value=time.time() - 49 * 3600):
        expired = ConfirmTokens(SECRET).make_token(1, PLP)
    walk.open(urls.web(service.url, urls.WEB_CONFIRM, token=expired), "expired link")
    walk.open(f"{service.url}/subscribe/no-such-plp", "page not found")
    walk.open(f"{service.url}{urls.WEB_SUBSCRIBE.format(plp=PLP)}", "subscribe form again")
    driver.execute_script("document.querySelector('input[name=csrf]').value = 'stale'")
    driver.find_element("id", "email").send_keys("late@example.org")
    walk.submit(urls.WEB_SUBSCRIBE.format(plp=PLP), "form expired")
    walk.assert_clean()
    assert len(walk.seen) == 15


def _demo_member(service: Service):
    """A demo member of the sample data that was delivered a bulletin, and still active."""
    from pipeline.state.members import MemberStatus

    for message in service.outbox().values():
        if message["List-Unsubscribe"] and message["To"] is not None:
            address = message["To"].addresses[0].addr_spec
            token = re.search(r"/unsubscribe/([\w.-]+)>", message["List-Unsubscribe"])[1]
            plp = UnsubscribeTokens(SECRET).read_token(token)[1]
            member = service.member(address, plp)
            if member.status is MemberStatus.ACTIVE:
                return address, member
    raise AssertionError("no active demo member")
