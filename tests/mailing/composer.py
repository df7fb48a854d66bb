"""A stand-in for the bulletin package's composer: a small, valid bulletin per recipient."""

from __future__ import annotations

import email.policy
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from pipeline.state.members import Recipient
from pipeline.tokens import UnsubscribeTokens
from tests.conftest import SECRET

DOMAIN = "bulletins.example.org"


def make_composer(bulletin_id: str, *, tokens: UnsubscribeTokens | None = None, signer=None):
    """compose(recipient) -> bytes, as deliver() takes it."""
    tokens = tokens or UnsubscribeTokens(SECRET)

    def compose(recipient: Recipient) -> bytes:
        # Non-ASCII local parts cannot be encoded in a header: they need SMTPUTF8 all the way.
        # Lines up to 998: a List-Unsubscribe URL must not be folded into RFC 2047 words.
        address = recipient.ascii_email or recipient.email
        policy = (email.policy.SMTP if address.isascii() else email.policy.SMTPUTF8).clone(
            max_line_length=998
        )
        msg = EmailMessage(policy=policy)
        msg["From"] = Address("Coordination — PLP Bergveld", "plp-bergveld", DOMAIN)
        msg["Reply-To"] = Address("Coordination", "coord", "bergveld.example.org")
        local, _, domain = address.rpartition("@")
        msg["To"] = Address(recipient.name, local, domain)
        msg["Subject"] = f"Bulletin {bulletin_id}: éclairez votre maison"
        msg["Date"] = format_datetime(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
        msg["Message-ID"] = make_msgid(domain=DOMAIN)
        msg["List-Id"] = f"<{recipient.plp}.{DOMAIN}>"
        token = tokens.make_token(recipient)
        msg["List-Unsubscribe"] = f"<https://plp.example.org/unsubscribe?t={token}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        msg.set_content(f"Bonjour {recipient.name},\n\n.leading dot line\nFacts: call 101.\n")
        msg.add_alternative(
            f"<p>Bonjour {recipient.name}</p><p>Facts: call 101.</p>", subtype="html"
        )
        data = msg.as_bytes()
        return signer.sign(data) if signer else data

    return compose
