"""The console's member list (upload, list, unsubscribe, erase, download), its audit log, and a
send interrupted, then resumed from the console after `plp web` restarted."""

from __future__ import annotations

import csv
import hashlib
import io
import re

from pipeline.coordinator import Desk, bulletin_id
from pipeline.coordinator import send as cli_send
from pipeline.state import open_store
from pipeline.tokens import FormTokens

from .conftest import SECRET
from .console_fixtures import PLP_A, PLP_B, console_fixture, csrf, send_finished  # noqa: F401

A = f"/coordinator/{PLP_A}"
RESUMED = "bergveld-handelskern"
HEADER = "Nom;Adresse e-mail;Langue;Date du consentement\r\n"


def upload(client, base: str, sheet: str, name: str = "leden.csv"):
    page = client.get(f"{base}/members")
    action = f"{base}/members/import"
    return client.post(
        action,
        data={"csrf": csrf(page.text, action)},
        files={"sheet": (name, sheet.encode("utf-8"), "text/csv")},
    )


def store_has(console, address: str) -> bool:
    with open_store(console.config) as store:
        return bool(store.members.find(address))


def count(console, slug: str) -> int:
    with open_store(console.config) as store:
        return len(store.members.list(slug))


def test_a_bad_sheet_imports_nothing_and_names_the_line(console):
    client = console.sign_in(PLP_A)
    before = count(console, PLP_A)
    sheet = (
        HEADER + "Anne;anne.nieuw@example.org;nl;2026-01-05\r\nBart;geen-adres;nl;2026-01-05\r\n"
    )
    answer = upload(client, A, sheet)
    assert answer.status_code == 400 and 'role="alert"' in answer.text
    assert "Nothing was imported" in answer.text and "line 3:" in answer.text
    assert count(console, PLP_A) == before


def test_the_list_shows_hostile_names_escaped_and_downloads_for_excel(console):
    client = console.sign_in(PLP_A)
    sheet = (
        HEADER + "<script>alert(1)</script>;kwaad@example.org;nl;2026-01-05\r\n"
        '=HYPERLINK("http://x");formule@example.org;nl;2026-01-05\r\n'
    )
    answer = upload(client, A, sheet)
    assert answer.status_code == 200 and "2 member(s) imported" in answer.text
    listed = client.get(f"{A}/members")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listed.text
    assert "<script>alert" not in listed.text
    assert re.search(r"<th scope=\"row\">active</th><td>\d+</td>", listed.text)
    assert re.search(r"<th scope=\"row\">nl</th><td>\d+</td>", listed.text)
    found = client.get(f"{A}/members", params={"q": "kwaad@"})
    assert "kwaad@example.org" in found.text and "formule@example.org" not in found.text

    download = client.get(f"{A}/members.csv")
    assert download.headers["content-type"].startswith("text/csv")
    assert download.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["email", "name", "language", "status", "since"]
    names = {row[0]: row[1] for row in rows[1:]}
    assert names["formule@example.org"].startswith("'=")  # never a formula in Excel
    assert len(rows) - 1 == count(console, PLP_A)


def test_one_member_unsubscribed_then_erased_and_every_action_in_the_audit_log(console):
    client = console.sign_in(PLP_A)
    upload(client, A, HEADER + "Weg;weg@example.org;nl;2026-01-05\r\n")
    with open_store(console.config) as store:
        [member] = store.members.find("weg@example.org", PLP_A)
    listed = client.get(f"{A}/members")
    with open_store(console.config) as store:
        [theirs] = store.members.list(PLP_B)[:1]
    elsewhere = f"{A}/members/{theirs.id}/erase"  # another PLP's member under our URL
    session = hashlib.sha256(client.cookies["plp_console"].encode()).hexdigest()[:16]
    token = FormTokens(SECRET).make_token(f"{elsewhere}|{session}")  # a valid form, even
    assert client.get(elsewhere).status_code == 404  # no page to confirm it either
    answer = client.post(elsewhere, data={"csrf": token}, follow_redirects=False)
    assert answer.status_code == 303  # the form was valid: nothing to do, back to the list
    with open_store(console.config) as store:
        assert store.members.get(theirs.id) is not None  # untouched
    base = f"{A}/members/{member.id}"
    left = client.post(
        f"{base}/unsubscribe",
        data={"csrf": csrf(listed.text, f"{base}/unsubscribe")},
        follow_redirects=False,
    )
    assert left.status_code == 303
    with open_store(console.config) as store:
        assert store.members.get(member.id).status == "unsubscribed"
    listed = client.get(f"{A}/members")
    assert f'action="{base}/erase"' not in listed.text  # no one-click erasure from the list
    assert f'href="{base}/erase"' in listed.text
    confirm = client.get(f"{base}/erase")
    assert confirm.status_code == 200 and "weg@example.org" in confirm.text
    assert "cannot be undone" in confirm.text and "Erase for good" in confirm.text
    assert store_has(console, "weg@example.org")  # showing the page changed nothing
    client.post(f"{base}/erase", data={"csrf": csrf(confirm.text, f"{base}/erase")})
    assert "weg@example.org" not in client.get(f"{A}/members").text
    with open_store(console.config) as store:
        assert store.members.find("weg@example.org") == []

    log = client.get(f"{A}/audit").text
    for action in ("sign-in", "import", "unsubscribe", "erase"):
        assert f"<td>{action}</td>" in log, action
    assert f"member {member.id}" in log
    assert "example.org" not in log  # who did it is the role address; never a member


def test_a_send_interrupted_resumes_from_the_console_after_a_restart_with_no_duplicate(console):
    base = f"/coordinator/{RESUMED}"
    client = console.sign_in(RESUMED)
    people = "".join(f"Lid {i};lid{i}@example.net;nl;2026-01-05\r\n" for i in range(8))
    assert upload(client, base, HEADER + people).status_code == 200
    page = client.get(f"{base}/")
    drafted = client.post(
        f"{base}/draft", data={"note": "", "csrf": csrf(page.text, f"{base}/draft")}
    )
    hash_ = re.search(r'name="hash" value="([^"]+)"', drafted.text)[1]
    client.post(
        f"{base}/approve",
        data={"csrf": csrf(drafted.text, f"{base}/approve"), "number": "1", "hash": hash_},
    )

    console.stop()  # the web goes down while a send is under way: here it stops after 3
    sent = []

    def stop_after_three(status):
        sent.append(status)
        if len(sent) == 3:
            raise KeyboardInterrupt

    try:
        with Desk(console.config) as desk:
            cli_send(desk, RESUMED, 1, progress=stop_after_three, build_first=False)
    except KeyboardInterrupt:
        pass
    with open_store(console.config) as store:
        counts = store.ledger.counts(bulletin_id(RESUMED, 1))
    assert 3 <= counts["sent"] < 8

    console.start()
    client = console.sign_in(RESUMED)
    page = client.get(f"{base}/")
    assert "Sending started" in page.text
    client.post(f"{base}/send", data={"csrf": csrf(page.text, f"{base}/send"), "number": "1"})
    report = send_finished(client, f"{base}/send")
    assert "sent</th><td>8</td>" in report
    with open_store(console.config) as store:
        entries = list(store.ledger.entries(bulletin_id(RESUMED, 1)))
    assert len(entries) == 8 and {e.status for e in entries} == {"sent"}
    assert {e.attempts for e in entries} == {1}  # nobody was mailed twice
    log = client.get(f"{base}/audit").text
    assert "<td>send-started</td>" in log and "<td>send-finished</td>" in log
