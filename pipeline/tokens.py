"""Unsubscribe tokens and member pseudonyms, both keyed by the one secret of this installation."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Protocol

from itsdangerous import BadSignature, URLSafeSerializer

from .addresses import email_key
from .config import Config
from .errors import PlpError

# One salt per purpose: a token minted for one use can never be replayed for another.
UNSUBSCRIBE_SALT = "plp.unsubscribe.v1"
PSEUDONYM_PURPOSE = b"plp.pseudonym.v1:"


def load_secret(config: Config) -> str:
    """The signing secret: PLP_SECRET if set, else var/secret (generated once, mode 600)."""
    if config.secret:
        return config.secret
    path = config.var_dir / "secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        _create_secret(path)
    value = path.read_text(encoding="ascii").strip()
    if len(value) < 32:
        raise PlpError(
            f"{path}: the secret is too short or empty — delete the file to generate a new one "
            "(existing unsubscribe links will stop working) or set PLP_SECRET"
        )
    return value


def _create_secret(path: Path) -> None:
    # O_EXCL: if two processes race to create it, one wins and the other reads the winner's.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_urlsafe(48) + "\n")


def pseudonym(secret: str, email: str) -> str:
    """A stable pseudonym for an address: HMAC-SHA256, hex; meaningless without the secret."""
    key = hashlib.sha256(PSEUDONYM_PURPOSE + secret.encode()).digest()
    return hmac.new(key, email_key(email).encode(), hashlib.sha256).hexdigest()


class _HasMembership(Protocol):
    plp: str


class UnsubscribeTokens:
    """Signs and reads one-click unsubscribe tokens binding (member id, PLP)."""

    def __init__(self, secret: str):
        self._serializer = URLSafeSerializer(secret, salt=UNSUBSCRIBE_SALT)

    @classmethod
    def from_config(cls, config: Config) -> UnsubscribeTokens:
        """Tokens signed with this installation's secret."""
        return cls(load_secret(config))

    def make_token(self, member: _HasMembership) -> str:
        """A token for a Member or a Recipient (anything with an id or member_id, and a plp)."""
        member_id = getattr(member, "member_id", None) or member.id  # type: ignore[attr-defined]
        return self._serializer.dumps([int(member_id), member.plp])

    def read_token(self, token: str, plp: str | None = None) -> tuple[int, str]:
        """(member id, plp) from a token; refuses forged or altered ones, and other PLPs' tokens."""
        try:
            payload = self._serializer.loads(token.strip())
        except BadSignature:
            raise PlpError(
                "this unsubscribe link is not valid (altered, truncated or not ours) — "
                "copy the whole link from the e-mail, or ask the coordinator to unsubscribe you"
            ) from None
        if (
            not isinstance(payload, list)
            or len(payload) != 2
            or not isinstance(payload[0], int)
            or not isinstance(payload[1], str)
        ):
            raise PlpError("this unsubscribe link is not valid — ask the coordinator")
        member_id, token_plp = payload
        if plp is not None and token_plp != plp:
            raise PlpError(
                f"this unsubscribe link belongs to another PLP, not {plp!r} — "
                "use the link from that PLP's own bulletin"
            )
        return member_id, token_plp
