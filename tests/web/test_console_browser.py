"""The coordinators' console in a real browser, as a coordinator on a phone meets it: Debian's
chromium with JavaScript off (the console must work without it) at 375×667, against a real
`plp web` mailing through a real SMTP sink.

The walk: ask for a link → the link from the e-mail the sink received → sign in → the PLP's
page → a note with a licence plate (refused inline) → a good note (the bulletin drafted) →
test copy → approve → send → the progress page, refreshing itself until the report (one
member refused by the relay: the report names the address) → members → a bad spreadsheet
(imported nothing, the line named) → erase one member (its confirmation page) → audit log →
the refusals (a used link, an unknown PLP, an expired form) → sign out. On every page axe-core
finds nothing and the page does not scroll sideways at 375 or 320 px.

Each page is checked on a copy in a second, JavaScript-on browser (axe needs JavaScript): the
same DOM with the same stylesheet, without its refresh, so a page that reloads itself every
two seconds is checked as it was shown. The e-mail previews inside their sandboxed frames are
the bulletin's HTML, checked with the bulletins; axe checks the frames' titles here.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
import time

import pytest

from pipeline.state import open_store

from .. import tools
from ..mailing.smtp_server import FaultyServer
from .console_fixtures import PLP_A, PUBLIC, relaying_console
from .test_browser import NARROWEST, _chromium, sideways_scroll

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 375, 667
MEMBERS = 10
BASE = f"/coordinator/{PLP_A}"
REFRESH = re.compile(r'<meta http-equiv="refresh"[^>]*>')


@pytest.fixture(scope="module")
def sink():
    server = FaultyServer().start()
    server.faults.delay = 0.5  # slow enough that the progress page shows a send under way
    yield server
    server.stop()


@pytest.fixture(scope="module")
def console(tmp_path_factory, sink):
    svc = relaying_console(tmp_path_factory.mktemp("console-browser"), sink, 1, MEMBERS)
    svc.start()
    yield svc
    svc.stop()


@pytest.fixture(scope="module")
def browsers():
    """(the coordinator's JavaScript-off browser, the JavaScript-on one axe runs in)."""
    tools.need("chromium", "axe")
    driver, checker = _chromium(javascript=False), _chromium(javascript=True)
    for each in (driver, checker):
        each.set_window_size(WIDTH, HEIGHT)
    yield driver, checker
    driver.quit()
    checker.quit()


class ConsoleWalk:
    """The coordinator's way through the console, each page checked on its copy."""

    def __init__(self, driver, checker, url: str):
        self.driver, self.checker, self.url = driver, checker, url
        self.problems: dict[str, list[str]] = {}
        self.seen: list[str] = []

    def check(self, name: str) -> None:
        html = self.driver.execute_script("return document.documentElement.outerHTML")
        self.checker.get(f"{self.url}/static/site.css")  # a page of the origin to write into
        self.checker.execute_script(
            "document.open(); document.write(arguments[0]); document.close();",
            "<!DOCTYPE html>" + REFRESH.sub("", html),
        )
        self.checker.execute_script(tools.axe_js().read_text(encoding="utf-8"))
        result = self.checker.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {iframes: false}).then(r => done(JSON.stringify(r.violations)),"
            " e => done(JSON.stringify([{id: 'axe-error', help: String(e), nodes: []}])));"
        )
        found = [
            f"{v['id']} ({v.get('impact')}): {v['help']} — "
            + "; ".join(n["html"][:80] for n in v["nodes"][:3])
            for v in json.loads(result)
        ]
        wide = self.checker.execute_script(
            "return document.documentElement.scrollWidth > window.innerWidth"
        )
        if wide:
            found.append(f"horizontal scroll at {WIDTH} px")
        narrow = sideways_scroll(self.checker)
        if narrow:
            found.append(f"horizontal scroll at {NARROWEST} px: {narrow}")
        self.checker.set_window_size(WIDTH, HEIGHT)
        self.seen.append(name)
        if found:
            self.problems[name] = found

    def open(self, path: str, name: str) -> None:
        self.driver.get(f"{self.url}{path}")
        self.check(name)

    def submit(self, action: str, name: str) -> None:
        """Press the button of the form posting to a path ending with `action`."""
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.support.ui import WebDriverWait

        button = self.driver.find_element(
            "css selector", f'form[action$="{action}"] button[type="submit"]'
        )
        button.click()

        def left(_driver) -> bool:
            try:
                button.is_enabled()
            except WebDriverException:
                return True
            return False

        WebDriverWait(self.driver, 30).until(left)
        self.check(name)

    @property
    def text(self) -> str:
        return self.driver.find_element("tag name", "main").text

    def assert_clean(self) -> None:
        report = [f"{page}: {line}" for page, lines in self.problems.items() for line in lines]
        assert not report, "\n".join(report)


def _signin_link(sink, address: str) -> str:
    for received in reversed(sink.messages):
        if received.recipient == address:
            message = email.message_from_bytes(received.data, policy=email.policy.default)
            found = re.search(
                rf"{re.escape(PUBLIC)}/coordinator/signin/[\w.\-]+", message.get_content()
            )
            if found:
                return found[0].removeprefix(PUBLIC)
    raise AssertionError(f"no sign-in link to {address}")


def test_every_console_page_at_375_px_without_javascript(browsers, console, sink, tmp_path):
    driver, checker = browsers
    walk = ConsoleWalk(driver, checker, console.url)
    role = console.role(PLP_A)
    with open_store(console.config) as store:
        members = store.members.list(PLP_A)
    refused = members[0].email
    sink.faults.reject_rcpt = {refused}

    walk.open("/coordinator/", "sign-in")
    driver.find_element("id", "email").send_keys(role)
    walk.submit("/coordinator/", "link sent")
    assert "valid 15 minutes" in walk.text
    link = _signin_link(sink, role)
    walk.open(link, "sign-in button")
    walk.submit(link, "your PLPs")
    driver.find_element("css selector", f'a[href="{BASE}/"]').click()
    walk.check("PLP page, no bulletin yet")

    driver.find_element("id", "note").send_keys("Wie kent de wagen 1-ABC-234?")
    walk.submit("/draft", "note with problems")
    assert "licence plate" in walk.text and "Bulletin 1 of" not in walk.text
    note = driver.find_element("id", "note")
    note.clear()
    note.send_keys("Beste buren, fijne feesten!")
    walk.submit("/draft", "PLP page with the bulletin")
    assert "Bulletin 1 drafted." in walk.text
    assert driver.find_elements("css selector", "iframe.preview[sandbox]")
    walk.submit("/test", "test copy sent")
    assert f"Test copy sent to {role}" in walk.text
    walk.submit("/approve", "approved")
    assert f"Approved by {role}" in walk.text

    walk.submit("/send", "sending (progress)")
    assert "Sending…" in walk.text and REFRESH.search(driver.page_source)
    deadline = time.monotonic() + 120
    while REFRESH.search(driver.page_source):  # the page refreshes itself: no JavaScript
        assert time.monotonic() < deadline, "the send did not finish"
        time.sleep(0.5)
    walk.check("report")
    assert f"failed (1)\n{refused}" in walk.text.replace("Address Detail\n", "")

    walk.open(f"{BASE}/members", "members")
    bad = tmp_path / "leden.csv"
    bad.write_text(
        "Nom;Adresse e-mail;Langue;Date du consentement\r\n"
        "Anne;anne.nieuw@example.org;nl;2026-01-05\r\nBart;geen-adres;nl;2026-01-05\r\n",
        encoding="utf-8",
    )
    driver.find_element("id", "sheet").send_keys(str(bad))
    walk.submit("/members/import", "import with errors")
    assert "Nothing was imported" in walk.text and "line 3:" in walk.text
    driver.find_element("css selector", 'a[href$="/erase"]').click()
    walk.check("erase a member")
    walk.submit("/erase", "members after an erasure")
    walk.open(f"{BASE}/audit", "audit log")
    assert "erase" in walk.text

    walk.open(link, "used link")
    walk.submit(link, "link not valid")
    assert "expired or was used already" in walk.text
    walk.open("/coordinator/no-such-plp/", "page not found")
    walk.open(f"{BASE}/", "PLP page, sent")
    driver.execute_script(
        "document.querySelector('form[action$=\"/draft\"] input[name=csrf]').value = 'stale'"
    )
    walk.submit("/draft", "form expired")
    assert "This form has expired" in walk.text
    walk.submit("/coordinator/signout", "signed out")
    assert driver.find_elements("id", "email")
    walk.assert_clean()
    assert len(walk.seen) == 22


def test_the_check_really_runs_on_the_copy(browsers, console):
    """Guard against a vacuous pass: a page that lost a label is reported, the copy keeps the
    service's stylesheet, and a page too wide for the phone is reported too."""
    driver, checker = browsers
    walk = ConsoleWalk(driver, checker, console.url)
    driver.get(f"{console.url}/coordinator/")
    driver.execute_script("document.querySelector('label').remove()")
    walk.check("sign-in without its label")
    assert any(line.startswith("label") for line in walk.problems["sign-in without its label"])
    assert checker.execute_script("return document.styleSheets[0].cssRules.length") > 10
    driver.execute_script("document.querySelector('main').style.minWidth = '600px'")
    walk.check("too wide")
    assert any("horizontal scroll at 375 px" in line for line in walk.problems["too wide"])
