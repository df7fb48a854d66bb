"""Mailing helpers: member imports, a fault-injecting SMTP server, DKIM keys, TLS certificates.

The config and store fixtures (`make_config`, `config`, `state`, `store`, `ledger`) are the
root conftest's, shared with every folder.
"""

from __future__ import annotations

import base64
import datetime
import email
import email.policy
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from pipeline.roster.importer import ImportReport, StatedConsent, import_sheet
from pipeline.state.members import Members
from tests.conftest import SECRET  # noqa: F401 - still importable from here

from .smtp_server import FaultyServer

PLP = "bergveld-centrum"


def import_csv(
    members: Members,
    path: Path,
    plp: str,
    languages: tuple[str, ...],
    recorded_by: str = "test",
    consent_text: str | None = None,
    *,
    consent_method: str | None = None,
) -> ImportReport:
    """Import a spreadsheet through the library (what `plp members import` runs); with a
    `consent_text`, it is stated for rows without a date, as `--consent-date` does."""
    today = members.config.current_date()
    stated = StatedConsent(datetime.date(2025, 1, 15), consent_text) if consent_text else None
    return import_sheet(
        members, path, plp, languages, recorded_by, consent_text, consent_method, today, stated
    )


@pytest.fixture(params=[True, False], ids=["pipelined", "one-by-one"])
def smtp_server(request):
    """The fault-injecting relay, offering PIPELINING (as Postfix does) or not: the mailer
    sends MAIL, RCPT and DATA together when it may, and every fault must come out the same."""
    server = FaultyServer().start()
    server.faults.pipelining = request.param
    yield server
    server.stop()


def add_members(
    store: Members,
    n: int,
    *,
    plp: str = PLP,
    lang: str = "nl",
    tmp: Path | None = None,
    extra: tuple[str, ...] = (),
) -> list[str]:
    """Import n members (m000@example.org …) plus the extra addresses; returns the addresses."""
    emails = [f"m{i:03d}@example.org" for i in range(n)] + list(extra)
    path = (tmp or store.config.var_dir) / f"import-{plp}-{lang}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = "".join(f"{e};Lid {i};{lang}\n" for i, e in enumerate(emails))
    path.write_text("e-mailadres;naam;taal\n" + rows, encoding="utf-8")
    import_csv(store, path, plp, ("nl", "fr"), "test", "ik ga akkoord")
    return emails


def parse_strict(data: bytes) -> email.message.EmailMessage:
    """Parse as a strict receiver would: any defect, in the structure or a header, fails."""
    message = email.message_from_bytes(data, policy=email.policy.strict)
    for part in message.walk():
        assert not part.defects, part.defects
        for name, value in part.items():
            assert not getattr(value, "defects", ()), f"{name}: defects {value.defects}"
    return message


def nobody_twice_nobody_lost(ledger, bid, emails, key_of, server, seed) -> set[str]:
    """After sends were killed and resumed: each member reached the server at most once, every
    row is sent or uncertain, and server ∪ uncertain is everybody. Returns the uncertain."""
    from pipeline.state.ledger import LedgerStatus

    received = Counter(server.recipients())
    assert max(received.values()) == 1, f"duplicates at the server (seed {seed})"
    rows = {entry.member_key: entry.status for entry in ledger.entries(bid)}
    assert set(rows) == set(key_of.values())
    assert set(rows.values()) <= {LedgerStatus.SENT, LedgerStatus.UNCERTAIN}
    uncertain = {e for e in emails if rows[key_of[e]] is LedgerStatus.UNCERTAIN}
    sent = {e for e in emails if rows[key_of[e]] is LedgerStatus.SENT}
    assert sent <= set(received), "a row marked sent never reached the server"
    assert set(received) | uncertain == set(emails), f"somebody was skipped (seed {seed})"
    for message in server.messages:
        parse_strict(message.data)
    print(f"seed {seed}: {len(uncertain)} uncertain, {len(received)} received")
    return uncertain


def write_registry(root: Path, plps: dict[str, list[str]]) -> None:
    """content/registry/plps.yaml with these PLPs (slug → languages)."""
    path = root / "content" / "registry" / "plps.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "".join(
            f'- slug: {slug}\n  names: {{{langs[0]}: "PLP {slug}"}}\n  commune: c\n'
            f'  postcodes: ["3999"]\n  languages: [{", ".join(langs)}]\n  kind: residential\n'
            f'  coordinator: {{name: "Coord", email: "coord@c.test"}}\n  status: active\n'
            for slug, langs in plps.items()
        ),
        encoding="utf-8",
    )


def _openssl(*args: str) -> bytes:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make test keys and certificates")
    return subprocess.run(["openssl", *args], check=True, capture_output=True).stdout


@pytest.fixture(scope="session")
def dkim_key(tmp_path_factory) -> tuple[Path, bytes]:
    """(private key file, the TXT record DNS would publish for it)."""
    folder = tmp_path_factory.mktemp("dkim")
    key = folder / "dkim.pem"
    _openssl("genrsa", "-out", str(key), "2048")
    public = _openssl("rsa", "-in", str(key), "-pubout", "-outform", "DER")
    return key, b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    _openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        str(key),
        "-out",
        str(cert),
    )
    return cert, key
