"""What leaves: outbox files, DKIM signatures that verify, TLS to the relay, strict parsing."""

from __future__ import annotations

import ssl
import stat
from email.errors import MessageDefect

import dkim
import pytest

from pipeline.coordinator import make_mailer
from pipeline.errors import ConfigError
from pipeline.mailing.delivery import deliver
from pipeline.mailing.dkim import DkimSigner
from pipeline.mailing.outbox import OutboxMailer
from pipeline.mailing.smtp import SmtpMailer

from .composer import DOMAIN, make_composer
from .conftest import PLP, add_members, parse_strict
from .smtp_server import FaultyServer

BID = f"{PLP}/7"


def test_outbox_one_file_per_message_and_a_rerun_adds_none(config, store, ledger):
    emails = add_members(store, 5)
    outbox = make_mailer(config)
    assert isinstance(outbox, OutboxMailer)
    report = deliver(BID, store.active_members(PLP), make_composer(BID), outbox, ledger, config)
    files = sorted(config.outbox_dir.glob("*.eml"))
    assert report.sent == 5 and len(files) == 5
    assert stat.S_IMODE(config.outbox_dir.stat().st_mode) == 0o700
    assert list((config.outbox_dir / ".tmp").iterdir()) == []  # written atomically
    delivered = sorted(parse_strict(f.read_bytes())["Delivered-To"] for f in files)
    assert delivered == emails
    expected = sorted(OutboxMailer.filename(BID, r.pseudonym) for r in store.active_members(PLP))
    assert [f.name for f in files] == expected
    again = deliver(BID, store.active_members(PLP), make_composer(BID), outbox, ledger, config)
    assert again.sent == 0 and len(list(config.outbox_dir.glob("*.eml"))) == 5
    assert outbox.discard(store.pseudonym(emails[0])) == 1  # erasure removes their copies


def test_the_smtp_mailer_is_chosen_by_the_url(make_config):
    mailer = make_mailer(make_config(smtp_url="smtp+starttls://relay.example.org"))
    assert isinstance(mailer, SmtpMailer) and (mailer.host, mailer.port) == (
        "relay.example.org",
        587,
    )


def test_dkim_signature_verifies_and_covers_the_unsubscribe_headers(
    dkim_key, make_config, store, ledger, smtp_server
):
    key, record = dkim_key
    config = make_config(
        dkim_key_path=key, dkim_selector="plp2026", sending_domain=DOMAIN, smtp_url=smtp_server.url
    )
    signer = DkimSigner.from_config(config)
    add_members(store, 3)
    mailer = SmtpMailer(config)
    deliver(
        BID, store.active_members(PLP), make_composer(BID, signer=signer), mailer, ledger, config
    )
    mailer.close()

    def dns(name, timeout=5):
        assert name == f"plp2026._domainkey.{DOMAIN}.".encode()
        return record

    assert len(smtp_server.messages) == 3
    for message in smtp_server.messages:
        assert dkim.verify(message.data, dnsfunc=dns)
        signed = parse_strict(message.data)["DKIM-Signature"].replace("\r\n", "").replace(" ", "")
        for header in ("from", "subject", "list-unsubscribe", "list-unsubscribe-post", "list-id"):
            assert header in signed.split("h=")[1].split(";")[0].split(":")
        tampered = message.data.replace(b"/unsubscribe?t=", b"/unsubscribe?t=X", 1)
        assert tampered != message.data and not dkim.verify(tampered, dnsfunc=dns)


def test_dkim_settings_are_checked_at_start(make_config, tmp_path):
    assert DkimSigner.from_config(make_config()) is None
    with pytest.raises(ConfigError, match="no selector"):
        DkimSigner.from_config(make_config(dkim_key_path=tmp_path / "k.pem"))
    bad = tmp_path / "bad.pem"
    bad.write_text("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    with pytest.raises(ConfigError, match="unusable DKIM key"):
        DkimSigner.from_config(make_config(dkim_key_path=bad, dkim_selector="s"))


@pytest.mark.parametrize("implicit", [False, True], ids=["starttls", "smtps"])
def test_tls_to_the_relay(tls_files, make_config, store, ledger, implicit):
    cert, key = tls_files
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    server = FaultyServer(
        tls_context=None if implicit else server_context,
        implicit_tls=server_context if implicit else None,
    ).start()
    try:
        emails = add_members(store, 3)
        config = make_config(smtp_url=server.url)
        client_context = ssl.create_default_context(cafile=str(cert))
        mailer = SmtpMailer(config, ssl_context=client_context)
        report = deliver(BID, store.active_members(PLP), make_composer(BID), mailer, ledger, config)
        mailer.close()
        assert report.sent == 3 and sorted(server.recipients()) == emails
    finally:
        server.stop()


def test_strict_parsing_does_catch_defects():
    broken = b"From: a@example.org\r\nContent-Type: multipart/mixed\r\n\r\nno boundary\r\n"
    with pytest.raises(MessageDefect):
        parse_strict(broken)
    bad_header = b"From: a@example.org\r\nTo: <a@b@example.org>\r\n\r\nhi\r\n"
    with pytest.raises(AssertionError, match="defects"):
        parse_strict(bad_header)
