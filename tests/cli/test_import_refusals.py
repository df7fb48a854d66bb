"""`plp members import` refuses by line what the sender cannot honour — an address it cannot
deliver, a consent without a date — unless the coordinator states the consent for the sheet;
a send report shows the coordinator their own members by address."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from tests.mailing.smtp_server import FaultyServer

from .conftest import LEDEN, LEDEN_CSV, PLP, ok, refused, with_members

HEADER = "Naam;E-mailadres;Taal;Toestemming\n"
STATED = "Ik wil de nieuwsbrief van het BIN per e-mail ontvangen."
PSEUDONYMOUS = re.compile(r"member (\d+ )?\(\w+…\)")  # how a log names a member
WEB = {"PLP_SITE_URL": "https://plp.example.be", "PLP_WEB_URL": "https://service.plp.example.be"}


def listed(project, plp: str = PLP) -> list[str]:
    out = ok(project.plp("members", "list", "--plp", plp))
    return [line.split()[1] for line in out.splitlines()[:-1] if "@" in line]


def consent_of(project, address: str) -> dict:
    exported = json.loads(ok(project.plp("members", "export", address)))
    [member] = exported["members"]
    [consent] = member["consent"]
    return consent


# -- addresses the sender cannot deliver ---------------------------------------------------


def test_an_address_with_accents_before_the_at_is_refused_by_line_with_the_fix(project):
    project.write(
        "leden.csv",
        HEADER + "An;an@example.org;nl;1/9/2025\nJosé;josé@example.org;nl;1/9/2025\n"
        "Zoë;ZOË.peeters@example.net;nl;1/9/2025\n",
    )
    out = refused(project.plp("members", "import", "leden.csv", "--plp", PLP))
    lines = out.splitlines()
    for number, line in zip((3, 4), lines, strict=False):
        assert line.startswith(
            f"leden.csv:{number}: the part before the @ has accents or other non-ASCII letters"
        )
        assert "ask the member for an address without them" in line and "SMTPUTF8" in line
    assert lines[-1] == "2 problem(s) to fix; nothing was changed."
    assert listed(project) == []  # all or nothing


@pytest.mark.parametrize("smtputf8", [True, False], ids=["relay-smtputf8", "relay-ascii-only"])
def test_an_internationalised_domain_is_imported_and_delivered_in_its_ascii_form(project, smtputf8):
    relay = FaultyServer().start()
    relay.faults.smtputf8 = smtputf8
    try:
        env = {"PLP_SMTP_URL": relay.url, **WEB}
        project.write(
            "leden.csv",
            LEDEN_CSV + "Marie;marie@bücher.example;nl;12/03/2025\n"
            "Marie bis;MARIE@xn--bcher-kva.example;nl;12/03/2025\n",  # the same person
        )
        out = ok(project.plp("members", "import", "leden.csv", "--plp", PLP, **env))
        assert "6 member(s) imported" in out and "example is already on line 7" in out
        assert "marie@bücher.example" in listed(project)  # shown as the member wrote it
        ok(project.plp("bulletin", "draft", PLP, **env))
        ok(project.plp("bulletin", "approve", PLP, "1", **env))
        sent = ok(project.plp("bulletin", "send", PLP, "1", **env))
        assert "6 sent, 0 failed, 0 uncertain, 0 skipped" in sent
    finally:
        relay.stop()
    [marie] = [m for m in relay.messages if "bcher" in m.recipient]
    assert marie.recipient == "marie@xn--bcher-kva.example"  # RCPT TO in A-labels
    assert "SMTPUTF8" not in marie.mail_options  # nothing a plain relay would refuse
    assert marie.data.isascii()
    assert b"\r\nTo: " in marie.data and b"marie@xn--bcher-kva.example" in marie.data


def test_an_address_stored_before_that_needs_smtputf8_is_skipped_and_shown_by_address(project):
    """A list kept by an older plp may still hold one: the send skips that member, says who
    and why, and delivers to everyone else; the ledger keeps a pseudonym only."""
    with_members(project)
    with sqlite3.connect(project.var / "members.sqlite") as db:  # as an older import left it
        db.execute(
            "INSERT INTO members (plp, email, email_key, name, language, status, created, updated)"
            " VALUES (?, 'josé@example.org', 'josé@example.org', 'José', 'nl', 'active', "
            "'2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00')",
            (PLP,),
        )
    ok(project.plp("bulletin", "draft", PLP))
    ok(project.plp("bulletin", "approve", PLP, "1"))
    result = project.plp("bulletin", "send", PLP, "1")
    assert result.exit_code == 3, result.output  # something is left: exit code 3
    assert "5 sent, 0 failed, 0 uncertain, 1 skipped" in result.output
    assert "Skipped (not sent; fix the cause and send again):\n  josé@example.org: the part " in (
        result.output
    )
    assert "ask the member for an address without them" in result.output
    assert not PSEUDONYMOUS.search(result.output)  # not "member 6 (3f2a…)"
    assert sorted(project.recipients()) == sorted(LEDEN)
    with sqlite3.connect(project.var / "members.sqlite") as db:
        ledger = " ".join(
            str(cell) for row in db.execute("SELECT * FROM deliveries") for cell in row
        )
    assert "josé" not in ledger and not any(address in ledger for address in LEDEN)

    # Erased since: the report still counts the row, but there is nobody to name any more.
    ok(project.plp("members", "forget", "josé@example.org", "--yes"))
    report = ok(project.plp("bulletin", "report", PLP, "1"))
    assert "skipped    (erased)  the part before the @" in report


def test_members_a_relay_refused_are_shown_by_address_in_the_send_summary(project):
    relay = FaultyServer().start()
    relay.faults.reject_rcpt = {LEDEN[1]}
    try:
        env = {"PLP_SMTP_URL": relay.url, **WEB}
        with_members(project)
        ok(project.plp("bulletin", "draft", PLP, **env))
        ok(project.plp("bulletin", "approve", PLP, "1", **env))
        result = project.plp("bulletin", "send", PLP, "1", **env)
    finally:
        relay.stop()
    assert result.exit_code == 3, result.output
    assert f"\n  {LEDEN[1]}: 550 " in result.output
    assert not PSEUDONYMOUS.search(result.output)


# -- consent dates -----------------------------------------------------------------------


def test_a_sheet_without_a_consent_column_is_refused_once_naming_the_options(project):
    project.write(
        "leden.csv", "Naam;E-mailadres;Taal\nAn;an@example.org;nl\nJef;jef@example.net;\n"
    )
    out = refused(project.plp("members", "import", "leden.csv", "--plp", PLP))
    [problem, total] = out.splitlines()
    assert problem.startswith("leden.csv:1: no consent date column, so no member's consent")
    assert '--consent-date YYYY-MM-DD --consent-text "…"' in problem
    assert total == "1 problem(s) to fix; nothing was changed."
    assert listed(project) == []


def test_rows_without_a_consent_date_are_refused_by_line_and_nothing_is_imported(project):
    project.write(
        "leden.csv",
        HEADER + "An;an@example.org;nl;12/03/2025\nJef;jef@example.net;nl;\n"
        "Mie;mie@example.org;nl;ja\n",  # "yes" says they agreed, not when
    )
    out = refused(project.plp("members", "import", "leden.csv", "--plp", PLP))
    lines = out.splitlines()
    assert [line.split(" — ")[0] for line in lines[:2]] == [
        "leden.csv:3: no consent date",
        "leden.csv:4: no consent date",
    ]
    assert "add the date this person agreed (DD/MM/YYYY)" in lines[0]
    assert "--consent-date YYYY-MM-DD" in lines[0]
    assert lines[-1] == "2 problem(s) to fix; nothing was changed."
    assert listed(project) == []


def test_a_consent_stated_for_the_sheet_is_recorded_as_stated_by_the_coordinator(project):
    project.write(
        "leden.csv",
        HEADER
        + "An;an@example.org;nl;12/03/2025\nJef;jef@example.net;nl;\nMie;mie@example.org;;\n",
    )
    args = ("--consent-date", "2025-03-14", "--consent-text", STATED)
    out = ok(project.plp("members", "import", "leden.csv", "--plp", PLP, *args))
    assert out.splitlines() == [
        f"leden.csv: 3 member(s) imported into {PLP}",
        "  consent of 2 member(s) recorded as stated by the coordinator at import: 2025-03-14, "
        f"{STATED!r}",
    ]
    jef = consent_of(project, "jef@example.net")
    assert jef["given_on"] == "2025-03-14" and jef["text"] == STATED
    assert jef["method"].startswith(
        "stated by the coordinator at import, not collected from the member"
    )
    assert jef["recorded_by"] == "the coordinator"
    an = consent_of(project, "an@example.org")  # the sheet's own date wins, collected as such
    assert an["given_on"] == "2025-03-12" and "stated" not in an["method"]
    assert an["text"] == STATED


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("--consent-date", "14/03/2025", "--consent-text", STATED),
            "Error: --consent-date '14/03/2025' is not a date — write it as YYYY-MM-DD, "
            "e.g. --consent-date 2025-03-14",
        ),
        (
            ("--consent-date", "2025-02-30", "--consent-text", STATED),
            "Error: --consent-date '2025-02-30' is not a date",
        ),
        (
            ("--consent-date", "2031-01-01", "--consent-text", STATED),
            "Error: --consent-date 2031-01-01 is in the future — give the day the members agreed",
        ),
        (
            ("--consent-date", "2025-03-14"),
            'Error: --consent-date needs the wording they agreed to — add --consent-text "…"',
        ),
    ],
    ids=["day-first", "no-such-day", "future", "no-wording"],
)
def test_a_bad_stated_consent_is_one_line_naming_the_option(project, args, said):
    project.write("leden.csv", HEADER + "Jef;jef@example.net;nl;\n")
    out = refused(project.plp("members", "import", "leden.csv", "--plp", PLP, *args))
    [line] = out.splitlines()  # one line, no count of problems: it is not the sheet's
    assert line.startswith(said)
    assert listed(project) == []
