"""`plp members import/list/export/unsubscribe/forget`: the member list and the GDPR rights."""

from __future__ import annotations

import csv
import io
import json
import re
import stat

import pytest

from .conftest import LEDEN, LEDEN_CSV, PLP, make_project, ok, refused, sent_bulletin, with_members

AN = "an.peeters@example.org"


@pytest.fixture(scope="module")
def sent_once(tmp_path_factory):
    """Bulletin 1 sent to the five members of leden.csv (built once for the module)."""
    return sent_bulletin(make_project(tmp_path_factory.mktemp("sent") / "project"))


@pytest.fixture
def sent(sent_once, tmp_path):
    """A copy of the sent project of one's own: tests may unsubscribe and erase."""
    return sent_once.copy(tmp_path / "sent")


def listed(project, plp: str = PLP) -> dict[str, str]:
    """`plp members list --plp` as {address: status}, checking its closing count line."""
    lines = ok(project.plp("members", "list", "--plp", plp)).splitlines()
    rows = {line.split()[1]: line.split()[3] for line in lines[:-1]}
    active = sum(status == "active" for status in rows.values())
    assert lines[-1] == f"{len(rows)} member(s), {active} active"
    return rows


def test_import_reads_the_coordinators_semicolon_sheet_with_dutch_headers(project):
    project.write("leden.csv", LEDEN_CSV)
    out = ok(project.plp("members", "import", "leden.csv", "--plp", PLP))
    assert out == f"leden.csv: 5 member(s) imported into {PLP}\n"
    assert listed(project) == dict.fromkeys(LEDEN, "active")
    lines = ok(project.plp("members", "list", "--plp", PLP)).splitlines()
    assert all(re.search(r"  nl  active ", line) for line in lines[:-1])  # empty/NL: nl
    assert "Sofie Wouters" in lines[-2]


def test_import_reads_a_windows_1252_sheet_with_commas_and_french_headers(project):
    sheet = (
        "nom,courriel,langue,date du consentement\r\n"
        "Hélène Dupont,helene@example.org,fr,02/09/2025\r\nJan Maes,jan@x.test,nl,02/09/2025\r\n"
    )
    project.write("membres.csv", sheet.encode("cp1252"))
    out = ok(project.plp("members", "import", "membres.csv", "--plp", "bois-fleuri"))
    assert out == "membres.csv: 2 member(s) imported into bois-fleuri\n"
    listing = ok(project.plp("members", "list", "--plp", "bois-fleuri"))
    assert "Hélène Dupont" in listing and "2 member(s), 2 active" in listing


def test_import_is_all_or_nothing(project):
    project.write(
        "leden.csv",
        "Naam;E-mailadres;Toestemming\nAn;an@example.org;1/9/2025\nJef;geen-adres;1/9/2025\n"
        "Mie;;1/9/2025\n",
    )
    out = refused(project.plp("members", "import", "leden.csv", "--plp", PLP))
    lines = out.splitlines()
    assert lines[0].startswith("leden.csv:3: e-mail address 'geen-adres' is not valid")
    assert lines[1].startswith("leden.csv:4: ")
    assert lines[-1] == "2 problem(s) to fix; nothing was changed."
    assert ok(project.plp("members", "list", "--plp", PLP)).startswith(f"No members in {PLP} yet")


def test_export_an_address_shows_only_that_person(sent):
    data = json.loads(ok(sent.plp("members", "export", AN)))
    [member] = data["members"]
    assert member["email"] == AN and member["plp"] == PLP and member["name"] == "An Peeters"
    assert "leden.csv" in member["consent"][0]["method"]
    assert [d["bulletin_id"] for d in data["deliveries"]] == [f"{PLP}/1"]
    assert not [a for a in LEDEN if a != AN and a in json.dumps(data)]


def test_export_a_plp_to_a_private_file(sent):
    out = ok(sent.plp("members", "export", "--plp", PLP, "-o", "export.json"))
    assert out == "Wrote export.json\n"  # the data went to the file, not the terminal
    path = sent.root / "export.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    exported = {m["email"] for m in json.loads(path.read_text(encoding="utf-8"))["members"]}
    assert exported == set(LEDEN)
    as_csv = ok(sent.plp("members", "export", "--plp", PLP, "--format", "csv"))
    # What Belgian Excel opens as it is: UTF-8 with BOM, `;`, headers in the PLP's language.
    assert as_csv.startswith("\ufeffE-mailadres;BIN;Naam;Taal;")
    rows = list(csv.DictReader(io.StringIO(as_csv.lstrip("\ufeff")), delimiter=";"))
    assert sorted(row["E-mailadres"] for row in rows) == sorted(LEDEN)
    assert all(f"{PLP}/1 sent" in row["Nieuwsbrieven"] for row in rows)
    # … and imports again as it is, into another PLP (the columns it does not need are ignored).
    sent.write("terug.csv", as_csv)
    again = ok(sent.plp("members", "import", "terug.csv", "--plp", "heidebeek-zuid"))
    assert f"{len(LEDEN)} member(s) imported" in again


def test_export_to_an_existing_file_makes_it_private(sent):
    path = sent.write("export.json", "")
    path.chmod(0o644)
    ok(sent.plp("members", "export", "--plp", PLP, "-o", "export.json"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_unsubscribe_an_address_and_the_next_bulletin_skips_it(project):
    with_members(project)
    jef = "jef.claes@example.net"
    assert ok(project.plp("members", "unsubscribe", jef)) == f"Unsubscribed {jef}.\n"
    assert ok(project.plp("members", "unsubscribe", jef)) == f"{jef} was already unsubscribed.\n"
    assert listed(project)[jef] == "unsubscribed"
    ok(project.plp("bulletin", "draft", PLP))
    ok(project.plp("bulletin", "approve", PLP, "1"))
    assert "4 sent, 0 failed" in ok(project.plp("bulletin", "send", PLP, "1"))
    assert project.recipients() == sorted(a for a in LEDEN if a != jef)


def test_unsubscribe_with_the_token_of_a_sent_bulletins_link(sent):
    [message] = [m for m in sent.sent().values() if m["To"].addresses[0].addr_spec == AN]
    header = str(message["List-Unsubscribe"])
    # The https link alone (RFC 8058): no mailto, which nothing would read.
    [token] = re.fullmatch(r"<https?://\S+/unsubscribe/([\w.-]+)>", header).groups()
    out = ok(sent.plp("members", "unsubscribe", "--token", token))
    assert re.fullmatch(rf"Unsubscribed member \d+ of {PLP}\.\n", out)
    status = listed(sent)
    assert status[AN] == "unsubscribed"
    assert [a for a, s in status.items() if s == "active"] == [a for a in LEDEN if a != AN]
    assert "was already unsubscribed" in ok(sent.plp("members", "unsubscribe", "--token", token))


def test_unsubscribe_takes_the_whole_link_a_member_forwards(sent):
    [message] = [m for m in sent.sent().values() if m["To"].addresses[0].addr_spec == AN]
    link = str(message["List-Unsubscribe"])  # "<https://…/unsubscribe/TOKEN>", as pasted
    out = ok(sent.plp("members", "unsubscribe", "--token", link))
    assert re.fullmatch(rf"Unsubscribed member \d+ of {PLP}\.\n", out)
    bare = link.strip("<>")
    assert "already unsubscribed" in ok(sent.plp("members", "unsubscribe", "--token", bare))


def test_forget_erases_the_address_everywhere(sent):
    before = set(sent.sent())
    out = ok(sent.plp("members", "forget", AN, "--yes"))
    assert out == f"Erased {AN} from {PLP}; 1 message(s) removed from the outbox.\n"
    assert AN not in listed(sent) and len(listed(sent)) == 4
    refused(sent.plp("members", "export", AN), f"nothing is stored about '{AN}'")
    assert AN not in ok(sent.plp("members", "export", "--plp", PLP))
    left = sent.sent()
    assert len(left) == len(before) - 1
    for name, message in left.items():
        raw = (sent.outbox / name).read_bytes().lower()
        decoded = message.get_body(("plain",)).get_content()
        assert AN.encode() not in raw and AN not in decoded and "An Peeters" not in decoded
    refused(sent.plp("members", "forget", AN, "--yes"), "nothing to erase")


def test_forget_asks_before_erasing(sent):
    declined = sent.plp("members", "forget", AN, input="n\n")
    assert (
        declined.exit_code == 0
        and "Nothing was erased." in declined.output
        and f"Erase {AN} from {PLP}?" in declined.output
    )
    assert AN in listed(sent)
    agreed = ok(sent.plp("members", "forget", AN, input="y\n"))
    assert f"Erased {AN} from {PLP}" in agreed and AN not in listed(sent)
