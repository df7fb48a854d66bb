"""The member list: spreadsheet import (all or nothing), streaming, bounces, access and erasure."""

from __future__ import annotations

import json
import stat
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import ContentError, PlpError
from pipeline.roster.importer import StatedConsent, import_sheet
from pipeline.state import members as members_module
from pipeline.state import open_store
from pipeline.state.ledger import LedgerStatus
from pipeline.state.members import MemberStatus
from tests.postgres import both_backends, stored_bytes  # noqa: F401 - SQLite and PostgreSQL

from .conftest import PLP, add_members

LANGS = ("nl", "fr")


def sheet(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "leden.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def load(store, path, languages=LANGS):
    # These sheets are about other columns: the coordinator states the consent for rows
    # without a date (tests/mailing/test_import_refusals.py covers the rule itself).
    today, stated = date(2026, 11, 29), StatedConsent(date(2025, 1, 15), "Ik ga akkoord.")
    return import_sheet(
        store, path, PLP, languages, "Coördinator", "Ik ga akkoord.", None, today, stated
    )


def test_french_excel_sheet_with_bom_semicolons_and_split_names(store, tmp_path):
    path = sheet(
        tmp_path,
        "\ufeffNom;Prénom;Adresse e-mail;Langue;Téléphone\r\n"
        "Dupont;Jean;Jean.Dupont@EXAMPLE.org;FR;0470 12 34 56\r\n;;;;\r\n",
    )
    report = load(store, path)
    assert report.imported == 1 and report.ignored_columns == ("Téléphone",)
    [member] = store.list(PLP)
    assert (member.email, member.name, member.language, member.status) == (
        "Jean.Dupont@example.org",
        "Jean Dupont",
        "fr",
        MemberStatus.ACTIVE,
    )
    assert "0470" not in json.dumps(json.loads(store.export(plp=PLP)))  # not kept


def _zip(tmp_path: Path, name: str, member: str) -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, "<sheet/>")
    return path


def _ole(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name  # an OLE2 compound file's header, as old Excel writes .xls
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    return path


@pytest.mark.parametrize(
    "make",
    [
        lambda tmp: _zip(tmp, "leden.xlsx", "xl/workbook.xml"),
        lambda tmp: _zip(tmp, "leden.ods", "content.xml"),
        lambda tmp: _ole(tmp, "leden.xls"),
        lambda tmp: _zip(tmp, "leden.csv", "xl/workbook.xml"),  # renamed, still a workbook
    ],
    ids=["xlsx", "ods", "xls", "xlsx named .csv"],
)
def test_a_workbook_is_refused_with_how_to_save_it_as_csv(store, tmp_path, make):
    path = make(tmp_path)
    with pytest.raises(ContentError) as caught:
        load(store, path)
    [problem] = caught.value.problems
    assert problem.message == "this is a spreadsheet file (Excel/LibreOffice), not CSV"
    assert "File → Save as → CSV" in problem.fix
    assert "PK" not in str(problem) and "\\x" not in str(problem)  # no raw bytes as columns
    assert store.list(PLP) == []


def test_dutch_windows_1252_sheet_with_commas_and_consent_dates(store, tmp_path):
    path = sheet(
        tmp_path,
        "E-mailadres,Naam,Taal,Toestemming\r\n"
        'els@example.org,"Wouters, Élise",nl,15/01/2025\r\n'
        "luc@example.net,Luc Maes,,2025-02-01\r\n",
        encoding="cp1252",
    )
    assert load(store, path).imported == 2
    exported = json.loads(store.export(plp=PLP))["members"]
    assert [m["name"] for m in exported] == ["Wouters, Élise", "Luc Maes"]
    assert [m["language"] for m in exported] == ["nl", "nl"]  # empty: the PLP's first language
    consent = exported[0]["consent"][0]
    assert consent["given_on"] == "2025-01-15" and consent["recorded_by"] == "Coördinator"
    assert consent["text"] == "Ik ga akkoord." and len(consent["version"]) == 12


def test_english_headers_and_address_with_display_name(store, tmp_path):
    path = sheet(tmp_path, "E-mail address,Language\nAnne Peeters <anne@example.org>,English\n")
    load(store, path, languages=("en", "nl"))
    [member] = store.list(PLP)
    assert (member.email, member.name, member.language) == (
        "anne@example.org",
        "Anne Peeters",
        "en",
    )


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_imported(store, tmp_path):
    path = sheet(
        tmp_path,
        "email;name;language\n"
        "ok@example.org;Ok;nl\n"  # 2
        "not-an-address;Bad;nl\n"  # 3
        'multi@example.org;"Two\nlines";nl\n'  # 4-5: a quoted line break
        "late@example.org;Late;de\n"  # 6
        ";Nobody;nl\n"  # 7
        "x@localhost;Local;nl\n",
    )  # 8
    with pytest.raises(ContentError) as caught:
        load(store, path)
    found = [(p.line, p.message.split(" ")[0:2]) for p in caught.value.problems]
    assert [line for line, _ in found] == [3, 4, 6, 7, 8]
    text = str(caught.value)
    assert "leden.csv:3: e-mail address 'not-an-address' is not valid" in text
    assert "leden.csv:4: the name contains a line break" in text
    assert (
        "leden.csv:6: language 'de' is not one of this PLP's languages — use one of nl, fr" in text
    )
    assert "leden.csv:7: no e-mail address" in text
    assert store.list(PLP) == []  # all or nothing


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("non", "did not give consent"),
        ("31/12/2030", "in the future"),
        ("soon", "is not a date"),
    ],
)
def test_consent_column_is_checked(store, tmp_path, value, message):
    path = sheet(tmp_path, f"courriel;consentement\na@example.org;oui\nb@example.org;{value}\n")
    with pytest.raises(ContentError, match=message):
        load(store, path)


def test_duplicates_within_the_file_and_against_the_list_are_skipped_not_errors(store, tmp_path):
    first = load(store, sheet(tmp_path, "email\na@example.org\nA@Example.org\n"))
    assert first.imported == 1
    assert [(d.line, d.message) for d in first.duplicates] == [
        (3, "A@example.org is already on line 2")
    ]
    store.unsubscribe("a@example.org")
    second = load(store, sheet(tmp_path, "email\nb@example.org\na@example.org\n", name="2.csv"))
    assert second.imported == 1
    assert "a@example.org is already a member (unsubscribed)" in second.summary()
    # Someone who left is never re-subscribed by an old spreadsheet.
    assert [m.status for m in store.find("a@example.org")] == [MemberStatus.UNSUBSCRIBED]


def test_the_file_must_name_an_email_column_and_be_readable(store, tmp_path):
    with pytest.raises(ContentError, match=r"leden.csv:1: no e-mail column among naam, taal"):
        load(store, sheet(tmp_path, "naam;taal\nJan;nl\n"))
    raw = tmp_path / "raw.csv"
    raw.write_bytes(b"email\na\x81@example.org\n")  # 0x81: not UTF-8, undefined in cp1252
    with pytest.raises(ContentError, match=r"raw\.csv:2: the file is neither UTF-8 nor Windows"):
        load(store, raw)


def test_active_members_streams_page_by_page(store, monkeypatch):
    monkeypatch.setattr(members_module, "PAGE", 3)
    emails = add_members(store, 10)
    add_members(store, 0, lang="fr", extra=("fr1@example.org", "fr2@example.org"))
    add_members(store, 2, plp="other-plp")
    store.unsubscribe(emails[4], PLP)
    stream = store.active_members(PLP, "nl")
    assert iter(stream) is stream  # a generator, not a list
    got = [r.email for r in stream]
    assert got == emails[:4] + emails[5:]
    assert store.count_active(PLP, "nl") == 9 and store.count_active(PLP) == 11


def test_hard_bounces_make_a_member_bounced_at_the_limit(make_config):
    with open_store(make_config(hard_bounce_limit=2)) as state:
        store = state.members
        [email] = add_members(store, 1)
        member_id = store.find(email)[0].id
        assert store.record_hard_bounce(member_id) is MemberStatus.ACTIVE
        assert store.record_hard_bounce(member_id) is MemberStatus.BOUNCED
        assert list(store.active_members(PLP)) == []


def test_export_is_everything_stored_about_a_person(store, ledger):
    [email] = add_members(store, 1)
    add_members(store, 0, plp="other-plp", extra=(email,))
    key = store.pseudonym(email)
    ledger.finish(f"{PLP}/3", key, LedgerStatus.SENT, 250)
    document = json.loads(store.export(email=email.upper()))
    assert sorted(m["plp"] for m in document["members"]) == ["bergveld-centrum", "other-plp"]
    assert all(m["consent"][0]["text"] == "ik ga akkoord" for m in document["members"])
    assert [d["bulletin_id"] for d in document["deliveries"]] == [f"{PLP}/3"]
    rows = store.export(email=email, fmt="csv").splitlines()
    # For the person's spreadsheet: BOM, `;`, headers in their language.
    assert rows[0].startswith("\ufeffE-mailadres;BIN;Naam;Taal;Status") and len(rows) == 3
    assert f"{PLP}/3 sent" in rows[1]  # the deliveries column is filled
    with pytest.raises(PlpError, match="nothing is stored about"):
        store.export(email="nobody@example.org")
    with pytest.raises(PlpError, match="unknown export format"):
        store.export(plp=PLP, fmt="xml")


def test_forget_leaves_no_trace_of_the_person_in_the_database_file(store, ledger, config):
    email = "zygmunt.quill@example.org"
    add_members(store, 20, extra=(email,))
    add_members(store, 0, plp="other-plp", extra=(email,))
    key = store.pseudonym(email)
    ledger.finish(f"{PLP}/1", key, LedgerStatus.SENT, 250)
    erasure = store.forget(email)
    assert erasure.pseudonym == key and erasure.plps == ("bergveld-centrum", "other-plp")
    if not config.database_url:
        files = [p for p in config.var_dir.iterdir() if p.name.startswith("members.sqlite")]
        assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o600}
    data = stored_bytes(config).lower()  # SQLite's WAL too, connections open
    assert b"zygmunt" not in data and b"quill" not in data
    assert "zygmunt" not in data.decode("latin-1")
    assert store.find(email) == [] and len(store.list(PLP)) == 20
    # The ledger still knows a pseudonym was served: a resumed send never mails them again.
    assert ledger.entry(f"{PLP}/1", key).status is LedgerStatus.SENT
    with pytest.raises(PlpError, match="nothing to erase"):
        store.forget(email)


def test_unsubscribe_unknown_address_says_what_to_do(store):
    with pytest.raises(PlpError, match=r"no member with address.*plp members list"):
        store.unsubscribe("ghost@example.org")
    with pytest.raises(PlpError, match="is not an e-mail address"):
        store.unsubscribe("ghost")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300), st.sampled_from([";", ",", "\t"])
)
def test_hostile_sheets_are_imported_or_refused_never_crash(store, text, delimiter):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hostile.csv"
        path.write_text(f"email{delimiter}name{delimiter}langue\n{text}", encoding="utf-8")
        try:
            report = load(store, path)
        except ContentError as error:
            assert error.problems and all(p.line >= 1 for p in error.problems)
        else:
            assert report.imported >= 0
    for member in store.list(PLP):
        assert "\n" not in member.name and "\r" not in member.name


def test_the_default_consent_wording_exists_in_every_language():
    from pipeline.roster.importer import DEFAULT_CONSENT, default_consent

    assert default_consent("en") == DEFAULT_CONSENT
    wordings = {lang: default_consent(lang) for lang in ("fr", "nl", "de")}
    assert DEFAULT_CONSENT not in wordings.values() and len(set(wordings.values())) == 3
    assert "BIN" in wordings["nl"] and "PLP" in wordings["fr"] and "PLP" in wordings["de"]


def test_reserved_test_domains_are_accepted_for_sample_members(store, tmp_path):
    path = sheet(tmp_path, "email;language\nanne@wijk.test;nl\n")
    load(store, path)
    assert [m.email for m in store.list(PLP)] == ["anne@wijk.test"]
