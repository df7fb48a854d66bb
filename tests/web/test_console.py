"""The coordinators' console walked as a coordinator: sign in by link, note, test copy, approve,
send, report — and as the wrong coordinator, with stale links and forms without a token."""

from __future__ import annotations

from pipeline.state import open_store

from .console_fixtures import (  # noqa: F401 — console_fixture is the fixture
    PLP_A,
    PLP_B,
    console_fixture,
    csrf,
    send_finished,
    to,
)

A = f"/coordinator/{PLP_A}"


def members_mails(console, slug: str) -> int:
    """Copies of bulletins in the outbox for the PLP's members (not the coordinator)."""
    with open_store(console.config) as store:
        addresses = {m.email for m in store.members.list(slug)}
    return sum(
        to(m) in addresses and bool(m["List-Unsubscribe"]) for m in console.outbox().values()
    )


def test_the_whole_flow_from_link_to_report_and_a_second_send_does_nothing(console):
    client = console.sign_in(PLP_A, by_mail=True)
    role = console.role(PLP_A)
    home = client.get("/coordinator/")
    assert f'href="{A}/"' in home.text and f"/coordinator/{PLP_B}/" not in home.text

    page = client.get(f"{A}/")
    assert page.status_code == 200 and "Draft again" in page.text
    refused = client.post(
        f"{A}/draft",
        data={"note": "Wie kent de wagen 1-ABC-234?", "csrf": csrf(page.text, f"{A}/draft")},
    )
    assert refused.status_code == 400
    assert 'role="alert"' in refused.text and "licence plate" in refused.text
    assert "1-ABC-234" in refused.text  # the note is kept in the textarea, to correct it
    assert "Bulletin 1 of" not in refused.text  # nothing was drafted

    drafted = client.post(
        f"{A}/draft",
        data={"note": "Beste buren, <b>fijne feesten</b>!", "csrf": csrf(page.text, f"{A}/draft")},
    )
    assert drafted.status_code == 200 and "Bulletin 1 drafted." in drafted.text
    assert "&lt;b&gt;fijne feesten&lt;/b&gt;" in drafted.text  # escaped where shown
    assert '<iframe class="preview" sandbox="" ' in drafted.text
    assert "EEN WOORD VAN UW COÖRDINATOR" in drafted.text  # the text part
    preview = client.get(f"{A}/preview/nl")
    assert preview.status_code == 200 and "<html" in preview.text.lower()
    assert preview.headers["content-security-policy"].startswith("sandbox;")
    assert "frame-ancestors 'self'" in preview.headers["content-security-policy"]
    assert "frame-src 'self'" in drafted.headers["content-security-policy"]

    before_role, before_members = console.mails_to(role), members_mails(console, PLP_A)
    tested = client.post(f"{A}/test", data={"csrf": csrf(drafted.text, f"{A}/test")})
    assert tested.status_code == 200 and f"Test copy sent to {role}" in tested.text
    assert console.mails_to(role) == before_role + 1  # one edition (nl)
    copies = [m for m in console.outbox().values() if to(m) == role and m["List-Unsubscribe"]]
    assert copies and str(copies[-1]["Subject"]).startswith("[Testexemplaar] ")  # a test, in nl
    assert members_mails(console, PLP_A) == before_members == 0

    approved = client.post(
        f"{A}/approve",
        data={
            "csrf": csrf(tested.text, f"{A}/approve"),
            "number": "1",
            "hash": _hidden(tested.text, "hash"),
        },
    )
    assert approved.status_code == 200 and f"Approved by {role} on" in approved.text
    started = client.post(
        f"{A}/send",
        data={"csrf": csrf(approved.text, f"{A}/send"), "number": "1"},
        follow_redirects=False,
    )
    assert started.status_code == 303 and started.headers["location"] == f"{A}/send"
    report = send_finished(client, f"{A}/send")
    assert "sent</th><td>6</td>" in report
    assert members_mails(console, PLP_A) == 6

    again = client.post(f"{A}/send", data={"csrf": csrf(approved.text, f"{A}/send"), "number": "1"})
    assert again.status_code == 409 and "Nothing to send" in again.text
    send_finished(client, f"{A}/send")
    assert members_mails(console, PLP_A) == 6  # nobody got it twice

    log = client.get(f"{A}/audit").text
    for action in ("sign-in", "draft", "test-copy", "approve", "send-started", "send-finished"):
        assert f"<td>{action}</td>" in log, action
    assert f"<td>{role}</td>" in log and "example.org" not in log


def test_an_approval_is_of_the_content_shown_and_drafting_again_cancels_it(console):
    client = console.sign_in(PLP_B)
    b = f"/coordinator/{PLP_B}"
    page = client.get(f"{b}/")
    drafted = client.post(f"{b}/draft", data={"note": "", "csrf": csrf(page.text, f"{b}/draft")})
    stale = client.post(
        f"{b}/approve",
        data={"csrf": csrf(drafted.text, f"{b}/approve"), "number": "1", "hash": "0" * 64},
    )
    assert stale.status_code == 409 and "changed since this page was shown" in stale.text
    approved = client.post(
        f"{b}/approve",
        data={
            "csrf": csrf(drafted.text, f"{b}/approve"),
            "number": "1",
            "hash": _hidden(drafted.text, "hash"),
        },
    )
    assert "Approved by" in approved.text and f'action="{b}/send"' in approved.text
    redrafted = client.post(
        f"{b}/draft", data={"note": "Tot ziens", "csrf": csrf(page.text, f"{b}/draft")}
    )
    assert "it changed since: approve it again" in redrafted.text
    assert f'action="{b}/send"' not in redrafted.text


def _hidden(page: str, name: str) -> str:
    import re

    return re.search(rf'name="{name}" value="([^"]+)"', page)[1]
