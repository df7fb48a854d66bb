"""The DKIM signer: dkimpy's header, byte for byte, with the RSA step in OpenSSL."""

from __future__ import annotations

import base64
import re
import sys
import types
from concurrent.futures import ThreadPoolExecutor

import dkim
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.bulletin.assembly import assemble
from pipeline.bulletin.compose import compose
from pipeline.bulletin.render import Renderer
from pipeline.content import load_content
from pipeline.errors import ConfigError
from pipeline.mailing.dkim import SIGNED_HEADERS, DkimSigner, _parse, relaxed_body
from pipeline.state.members import Recipient
from tests.conftest import TODAY, project_config, write_project

from .composer import DOMAIN, make_composer
from .conftest import PLP, _openssl

pytest.importorskip("cryptography")
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

SELECTOR = "plp2026"
STAMP = 1_795_000_000  # a fixed t= so that two signers can be compared byte for byte
RECIPIENTS = [
    Recipient(1, PLP, "anne@example.org", "Anne Lambert", "fr", "k1"),
    Recipient(2, PLP, "zoe@example.org", "Zoë Müller-Lüdenscheidt van den Broeck", "fr", "k2"),
    Recipient(3, PLP, "jan@example.org", "", "nl", "k3"),
    Recipient(4, PLP, "x@bücher.example", "Ἀθηνᾶ Παλλάς, «la coordinatrice»", "fr", "k4"),
]


@pytest.fixture(scope="module")
def key_pem(dkim_key) -> bytes:
    return dkim_key[0].read_bytes()


@pytest.fixture(scope="module")
def dns(dkim_key):
    record = dkim_key[1]

    def lookup(name, timeout=5):
        assert name == f"{SELECTOR}._domainkey.{DOMAIN}.".encode()
        return record

    return lookup


@pytest.fixture(scope="module")
def signer(key_pem) -> DkimSigner:
    return DkimSigner(key_pem, SELECTOR, DOMAIN)


@pytest.fixture(scope="module")
def bulletin_messages(tmp_path_factory) -> list[bytes]:
    """Real bulletins as `plp bulletin send` fills them: quoted-printable, RFC 2047 names."""
    root = write_project(tmp_path_factory.mktemp("dkim-bulletin"), base="bulletin")
    config = project_config(root, root)
    content = load_content(config)
    bulletin = assemble(content, "rivebois-centre", number=3, on=TODAY)
    template = compose(config, bulletin, Renderer(config, content).render(bulletin, "fr"))
    return [
        template.for_member(
            r.email if r.email.isascii() else "x@xn--bcher-kva.example",
            r.name or None,
            f"https://plp.example.org/unsubscribe?token=t{r.member_id}",
            f"mailto:unsubscribe+t{r.member_id}@{DOMAIN}",
            template.message_id(r.pseudonym),
        )
        for r in RECIPIENTS
    ]


def hand_made() -> list[bytes]:
    """Odd but legal shapes: folded headers, tabs, trailing spaces, LF ends, no body."""
    head = (
        b"From: =?utf-8?q?Co=C3=B6rdinatie_BIN?= <plp-x@" + DOMAIN.encode() + b">\r\n"
        b"To: =?utf-8?b?Wm/DqyBNw7xsbGVy?=\r\n <zoe@example.org>\r\n"
        b"Subject:\r\n a subject folded\r\n\tover  three\r\n lines  \r\n"
        b"Date: Sun, 29 Nov 2026 10:00:00 +0100\r\n"
        b"Message-ID: <a.b@" + DOMAIN.encode() + b">\r\n"
        b"List-Id: PLP X <x." + DOMAIN.encode() + b">\r\n"
        b"List-Unsubscribe: <https://plp.example.org/u?t=1>,\r\n <mailto:u+1@example.org>\r\n"
        b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
    )
    return [
        head + b"\r\nBody  with\tspaces \t \r\n.leading dot\r\n\r\n\r\n",
        head + b"\r\n",  # an empty body
        head + b"\r\nno final line end",
        head.replace(b"\r\n", b"\n") + b"\nLF only  \n\n",
        head + b"\r\nmixed\nline\r\nends \n",
        head + b"\r\n" + "é ü — «»\r\n".encode() * 3000,  # 8bit and large
    ]


def all_messages(bulletins: list[bytes]) -> list[bytes]:
    composed = [make_composer("bid/1")(r) for r in RECIPIENTS]
    return bulletins + composed + hand_made()


def reference(message: bytes, key_pem: bytes, monkeypatch) -> bytes:
    """What dkimpy itself signs, at the same t=."""
    monkeypatch.setattr(dkim, "time", types.SimpleNamespace(time=lambda: STAMP))
    return dkim.sign(
        message,
        SELECTOR.encode(),
        DOMAIN.encode(),
        key_pem,
        canonicalize=(b"relaxed", b"relaxed"),
        include_headers=[h.lower().encode() for h in SIGNED_HEADERS] * 2,
    )


def test_the_header_is_dkimpy_s_byte_for_byte(signer, key_pem, bulletin_messages, monkeypatch):
    for message in all_messages(bulletin_messages):
        expected = reference(message, key_pem, monkeypatch)
        assert signer.signature(message, timestamp=STAMP) == expected
        assert signer.sign(message, timestamp=STAMP) == expected + message


def test_signatures_verify_with_dkimpy_and_tampering_breaks_them(signer, dns, bulletin_messages):
    for message in all_messages(bulletin_messages):
        signed = signer.sign(message)
        assert dkim.verify(signed, dnsfunc=dns), message[:200]
        for tampered in (
            signed.replace(b"List-Unsubscribe: <", b"List-Unsubscribe: <https://evil.example/>, <"),
            signed.replace(b"Subject:", b"Subject: RE:", 1),
            signed + b"PS\r\n",
            # Oversigned: a second From or List-Unsubscribe added in front breaks it.
            b"From: <ceo@" + DOMAIN.encode() + b">\r\n" + signed,
            b"List-Unsubscribe: <https://evil.example/>\r\n" + signed,
        ):
            if tampered != signed:
                assert not dkim.verify(tampered, dnsfunc=dns)


def test_the_bulletin_headers_are_signed_twice(signer, dns, bulletin_messages):
    signed = signer.sign(bulletin_messages[1])
    d = dkim.DKIM(signed)
    assert d.verify(dnsfunc=dns)
    names = re.sub(rb"\s", b"", d.signature_fields[b"h"]).split(b":")
    for name in (
        "from",
        "to",
        "subject",
        "date",
        "message-id",
        "list-id",
        "list-unsubscribe",
        "list-unsubscribe-post",
    ):
        assert names.count(name.encode()) == 2, name
    fields = d.signature_fields
    assert fields[b"a"] == b"rsa-sha256" and fields[b"c"] == b"relaxed/relaxed"
    assert fields[b"d"] == DOMAIN.encode() and fields[b"s"] == SELECTOR.encode()


def test_relays_refolding_headers_and_whitespace_keep_it_valid(signer, dns, bulletin_messages):
    signed = signer.sign(bulletin_messages[0])
    head, _, body = signed.partition(b"\r\n\r\n")
    refolded = head.replace(b"Subject: ", b"Subject:\r\n\t ", 1)
    assert dkim.verify(refolded + b"\r\n\r\n" + body.replace(b"\r\n", b"  \r\n"), dnsfunc=dns)


def test_threads_share_one_signer(signer, dns, bulletin_messages):
    messages = bulletin_messages * 10
    with ThreadPoolExecutor(4) as pool:
        signed = list(pool.map(signer.sign, messages))
    assert all(dkim.verify(s, dnsfunc=dns) for s in signed[:8])
    assert [s.endswith(m) for s, m in zip(signed, messages, strict=True)] == [True] * len(signed)


def test_without_cryptography_dkimpy_signs_the_same(key_pem, bulletin_messages, monkeypatch):
    fast = DkimSigner(key_pem, SELECTOR, DOMAIN).signature(bulletin_messages[0], timestamp=STAMP)
    for name in list(sys.modules):
        if name == "cryptography" or name.startswith("cryptography."):
            monkeypatch.setitem(sys.modules, name, None)  # `import` now raises ImportError
    slow = DkimSigner(key_pem, SELECTOR, DOMAIN)
    assert slow._rsa is None and slow._pure is not None
    assert slow.signature(bulletin_messages[0], timestamp=STAMP) == fast


SPACE = st.sampled_from([b" ", b"\t", b"\r\n", b"\n", b"\r", b"a", b"Z", b".", "é".encode()])


@settings(max_examples=400, deadline=None)
@given(st.lists(SPACE, max_size=60).map(b"".join))
def test_relaxed_body_is_dkimpy_s(body):
    crlf = body.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")  # as rfc822_parse hands it
    assert relaxed_body(crlf) == dkim.RelaxedCanonicalization.canonicalize_body(crlf)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from([b"From: a", b"To: b", b" folded", b"\tfolded", b"X-A:", b"Subject: s  "]),
        max_size=6,
    ),
    st.sampled_from([b"\r\n", b"\n"]),
    st.lists(SPACE, max_size=30).map(b"".join),
)
def test_parse_is_dkimpy_s(lines, eol, body):
    if lines and lines[0][:1] in (b" ", b"\t"):
        lines = [b"From: a", *lines]
    message = b"".join(line + eol for line in lines) + eol + body
    assert _parse(message) == dkim.rfc822_parse(message)


def _pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def test_unusable_keys_are_refused_at_start(make_config, tmp_path):
    encrypted = rsa.generate_private_key(65537, 2048).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"secret"),
    )
    cases = {
        "short.pem": (_openssl("genrsa", "768"), "768-bit key is too short"),
        "ec.pem": (_pem(ec.generate_private_key(ec.SECP256R1())), "not an RSA key"),
        "encrypted.pem": (encrypted, "protected by a password"),
        "garbage.pem": (b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", ""),
    }
    for name, (data, why) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ConfigError, match=f"unusable DKIM key: .*{why}"):
            DkimSigner.from_config(make_config(dkim_key_path=path, dkim_selector="s"))
    pkcs1 = rsa.generate_private_key(65537, 2048).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,  # BEGIN RSA PRIVATE KEY
        serialization.NoEncryption(),
    )
    path = tmp_path / "pkcs1.pem"
    path.write_bytes(pkcs1)
    signer = DkimSigner.from_config(make_config(dkim_key_path=path, dkim_selector="s"))
    assert signer is not None and signer._rsa is not None
    public = _openssl("rsa", "-in", str(path), "-pubout", "-outform", "DER")
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)
    signed = signer.sign(b"From: a@plp.example.org\r\n\r\nx\r\n")
    assert dkim.verify(signed, dnsfunc=lambda name, timeout=5: record)
