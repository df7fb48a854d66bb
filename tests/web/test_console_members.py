"""The console's member list (upload, list, unsubscribe, erase, download), its audit log, and a
send interrupted, then resumed from the console after `plp web` restarted."""

from __future__ import annotations

import csv
import hashlib
import html
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


def upload(client, base: str, sheet: str, name: str = "leden.csv", **fields: str):
    page = client.get(f"{base}/members")
    action = f"{base}/members/import"
    return client.post(
        action,
        data={"csrf": csrf(page.text, action), **fields},
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


def problems(page: str) -> list[str]:
    """The refused lines the page lists, as the coordinator reads them."""
    block = re.search(r'<div class="problems" role="alert">(.*?)</div>', page, re.S)[1]
    return [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", block, re.S)]


def test_rows_without_a_consent_date_are_refused_in_the_coordinators_language(console):
    client = console.sign_in(PLP_A)
    client.headers["Accept-Language"] = "fr"
    before = count(console, PLP_A)
    sheet = HEADER + "Anne;anne.date@example.org;nl;2026-01-05\r\nBart;bart@example.org;nl;\r\n"
    answer = upload(client, A, sheet)
    assert answer.status_code == 400
    assert problems(answer.text) == [
        "ligne 3: pas de date de consentement — ajoutez la date à laquelle cette personne a "
        "donné son accord (JJ/MM/AAAA) dans la colonne du consentement, ou indiquez dans le "
        "formulaire une date et son texte pour toute la feuille"
    ]
    assert count(console, PLP_A) == before  # all or nothing
    no_column = upload(client, A, "Nom;Adresse e-mail\r\nBart;bart@example.org\r\n")
    [line] = problems(no_column.text)
    assert line.startswith("ligne 1: pas de colonne de date du consentement")
    accents = upload(client, A, HEADER + "José;josé@example.org;nl;2026-01-05\r\n")
    [line] = problems(accents.text)
    assert line.startswith("ligne 2: la partie avant le @ contient des accents")
    assert "(SMTPUTF8)" in line
    assert count(console, PLP_A) == before


def test_a_consent_stated_in_the_form_is_recorded_as_stated_by_the_coordinator(console):
    client = console.sign_in(PLP_A)
    form = client.get(f"{A}/members").text
    assert 'type="date" id="consent_date" name="consent_date"' in form
    assert '<textarea id="consent_text" name="consent_text"' in form
    sheet = HEADER + "Carla;carla@example.org;nl;\r\nDirk;dirk@example.org;nl;15/02/2026\r\n"
    wording = "Ik ontvang graag de nieuwsbrief van het BIN."
    answer = upload(client, A, sheet, consent_date="2026-01-10", consent_text=wording)
    assert answer.status_code == 200 and "2 member(s) imported" in answer.text
    [carla] = console.consents("carla@example.org")
    assert carla["given_on"] == "2026-01-10" and carla["text"] == wording
    assert carla["method"].startswith("stated by the coordinator at import, not collected")
    assert carla["recorded_by"] == console.role(PLP_A)  # who stated it
    [dirk] = console.consents("dirk@example.org")
    assert dirk["given_on"] == "2026-02-15" and "stated" not in dirk["method"]
    log = client.get(f"{A}/audit").text
    assert "2 imported, 0 already known; consent stated for 1" in log


def test_a_bad_stated_consent_names_the_field_in_four_languages(console):
    client = console.sign_in(PLP_A)
    before = count(console, PLP_A)
    sheet = HEADER + "Erik;erik@example.org;nl;\r\n"
    said = {
        "en": "Consent date: 10/01/2026 is not a date; write it as YYYY-MM-DD.",
        "fr": "Date du consentement : 10/01/2026 n'est pas une date ; écrivez-la sous la forme "
        "AAAA-MM-JJ.",
        "nl": "Datum toestemming: 10/01/2026 is geen datum; schrijf ze als JJJJ-MM-DD.",
        "de": "Datum der Einwilligung: 10/01/2026 ist kein Datum; schreiben Sie es als JJJJ-MM-TT.",
    }
    for lang, text in said.items():
        client.headers["Accept-Language"] = lang
        answer = upload(client, A, sheet, consent_date="10/01/2026", consent_text="Oui")
        assert answer.status_code == 400
        assert text in html.unescape(answer.text), lang
        assert 'value="10/01/2026"' in answer.text  # what was typed stays in the form
    client.headers["Accept-Language"] = "en"
    answer = upload(client, A, sheet, consent_date="2026-01-10")
    assert "Consent wording: give the wording the members agreed to." in answer.text
    answer = upload(client, A, sheet, consent_date="2099-01-10", consent_text="Oui")
    assert "Consent date: 2099-01-10 is in the future" in answer.text
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
