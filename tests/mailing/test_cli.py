"""`plp members …` end to end with click's CliRunner: exit codes and what the user reads."""

from __future__ import annotations

import json
import stat
import zipfile

import pytest
from click.testing import CliRunner

from pipeline.cli.members import members
from pipeline.config import load_config
from pipeline.mailing.outbox import OutboxMailer
from pipeline.roster.sample import sample_members_csv
from pipeline.state import open_store
from pipeline.tokens import UnsubscribeTokens

from .conftest import write_registry

SHEET = (
    "Nom;Adresse e-mail;Langue;Date du consentement\n"
    "Jean Dupont;jean@example.org;fr;14/03/2025\nEls Peeters;els@example.net;nl;2025-03-14\n"
)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with two PLPs, as the current directory (load_config reads the cwd)."""
    write_registry(tmp_path, {"florval-centre": ["fr", "nl"], "bergveld-centrum": ["nl"]})
    (tmp_path / "leden.csv").write_text(SHEET, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(members, list(args), input=input, catch_exceptions=False)


@pytest.mark.parametrize("name", sorted(members.commands))
def test_every_command_has_help(name):
    command = members.commands[name]
    assert command.help, f"{name} has no help"
    result = run(name, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


def test_import_list_export_unsubscribe(project):
    result = run(
        "import",
        "leden.csv",
        "--plp",
        "florval-centre",
        "--consent-method",
        "paper form at the general meeting",
    )
    assert result.exit_code == 0, result.output
    assert "leden.csv: 2 member(s) imported into florval-centre" in result.output
    listing = run("list", "--plp", "florval-centre")
    assert "jean@example.org" in listing.output and "2 member(s), 2 active" in listing.output
    exported = json.loads(run("export", "els@example.net").output)
    assert exported["members"][0]["consent"][0]["method"] == "paper form at the general meeting"
    result = run("export", "--plp", "florval-centre", "--format", "csv", "-o", "out.csv")
    assert result.exit_code == 0 and stat.S_IMODE((project / "out.csv").stat().st_mode) == 0o600
    assert (project / "out.csv").read_text().count("@example.") == 2
    assert run("unsubscribe", "jean@example.org").output == "Unsubscribed jean@example.org.\n"
    again = run("unsubscribe", "jean@example.org")
    assert again.exit_code == 0 and "already unsubscribed" in again.output
    assert "2 member(s), 1 active" in run("list", "--plp", "florval-centre").output


def test_import_stores_the_default_consent_in_each_members_language(project):
    assert run("import", "leden.csv", "--plp", "florval-centre").exit_code == 0
    els = json.loads(run("export", "els@example.net").output)["members"][0]["consent"][0]
    assert els["text"] == (
        "Ik ga ermee akkoord de preventienieuwsbrieven van dit BIN per e-mail te ontvangen."
    )
    jean = json.loads(run("export", "jean@example.org").output)["members"][0]["consent"][0]
    assert jean["text"].startswith("J'accepte de recevoir par e-mail")
    assert els["version"] != jean["version"]  # the version is that of the stored wording


def test_consent_text_overrides_the_default_for_every_member(project):
    result = run("import", "leden.csv", "--plp", "florval-centre", "--consent-text", "Oui / Ja")
    assert result.exit_code == 0, result.output
    for address in ("els@example.net", "jean@example.org"):
        exported = json.loads(run("export", address).output)
        assert exported["members"][0]["consent"][0]["text"] == "Oui / Ja"


def test_importing_an_xlsx_says_to_save_it_as_csv(project):
    with zipfile.ZipFile(project / "leden.xlsx", "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    result = run("import", "leden.xlsx", "--plp", "florval-centre")
    assert result.exit_code == 1
    assert "this is a spreadsheet file (Excel/LibreOffice), not CSV" in result.output
    assert "File → Save as → CSV (semicolon or comma), then import that file" in result.output
    assert "PK" not in result.output


def test_a_bad_sheet_exits_1_listing_every_row_and_imports_nothing(project):
    (project / "bad.csv").write_text(
        "email;taal;toestemming\nok@example.org;nl;1/2/2025\nnope;nl;1/2/2025\nx@example.org;de;1/2/2025\n"
    )
    result = run("import", "bad.csv", "--plp", "florval-centre")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("bad.csv:3: e-mail address 'nope' is not valid")
    assert lines[1].startswith("bad.csv:4: language 'de' is not one of this PLP's")
    assert lines[2] == "2 problem(s) to fix; nothing was changed."
    assert "No members in florval-centre yet" in run("list", "--plp", "florval-centre").output


def test_unknown_plp_and_missing_registry(project):
    result = run("import", "leden.csv", "--plp", "florval-center")
    assert result.exit_code == 1
    assert "Error: unknown PLP 'florval-center' — did you mean florval-centre?" in result.stderr
    (project / "content" / "registry" / "plps.yaml").unlink()
    result = run("list", "--plp", "florval-centre")
    assert result.exit_code == 1 and "registry/plps.yaml: file is missing" in result.stderr


def test_export_needs_an_address_or_a_plp(project):
    result = run("export")
    assert result.exit_code == 1 and "give either an EMAIL or --plp SLUG" in result.stderr
    result = run("export", "nobody@example.org")
    assert result.exit_code == 1 and "nothing is stored about" in result.stderr


def test_unsubscribe_with_a_token(project):
    run("import", "leden.csv", "--plp", "florval-centre")
    config = load_config(project, env={})
    state = open_store(config)
    store = state.members
    [member] = store.find("els@example.net")
    token = UnsubscribeTokens.from_config(config).make_token(member)
    result = run("unsubscribe", "--token", token, "--plp", "florval-centre")
    assert result.exit_code == 0 and f"Unsubscribed member {member.id}" in result.output
    assert store.find("els@example.net")[0].status == "unsubscribed"
    refused = run("unsubscribe", "--token", token[:-3] + "abc")
    assert refused.exit_code == 1 and "Error: this unsubscribe link is not valid" in refused.stderr
    other = run("unsubscribe", "--token", token, "--plp", "bergveld-centrum")
    assert other.exit_code == 1 and "belongs to another PLP" in other.stderr
    state.close()


def test_forget_asks_then_erases_everywhere(project):
    run("import", "leden.csv", "--plp", "florval-centre")
    config = load_config(project, env={})
    with open_store(config) as state:
        key = state.members.pseudonym("jean@example.org")
    outbox = OutboxMailer(config.outbox_dir)
    (config.outbox_dir / OutboxMailer.filename("florval-centre/1", key)).write_bytes(b"x")
    declined = run("forget", "jean@example.org", input="n\n")
    assert (
        declined.exit_code == 0
        and "jean@example.org" in run("list", "--plp", "florval-centre").output
    )
    result = run("forget", "jean@example.org", input="y\n")
    assert result.exit_code == 0, result.output
    assert "Erased jean@example.org from florval-centre; 1 message(s) removed" in result.output
    assert "jean" not in run("list", "--plp", "florval-centre").output
    assert outbox.discard(key) == 0
    assert run("forget", "jean@example.org", "--yes").exit_code == 1


def test_the_sample_members_import_cleanly(project):
    (project / "sample.csv").write_text(sample_members_csv("florval-centre", ["fr", "nl"], n=12))
    result = run("import", "sample.csv", "--plp", "florval-centre")
    assert result.exit_code == 0 and "12 member(s) imported" in result.output
    listing = run("list", "--plp", "florval-centre").output
    domains = {line.split()[1].rsplit("@", 1)[1] for line in listing.splitlines()[:-1]}
    assert domains == {"example.org", "example.net"}
