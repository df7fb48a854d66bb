"""Signed links (unsubscribe, preferences, confirmation, form tokens) and member pseudonyms, all
keyed by the one secret of this installation."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Protocol

from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

from .addresses import email_key
from .config import Config
from .errors import PlpError

# One salt per purpose: a token minted for one use can never be replayed for another.
# The unsubscribe salt and payload are those of the first releases: links in bulletins already
# delivered keep working.
UNSUBSCRIBE_SALT = "plp.unsubscribe.v1"
PREFERENCES_SALT = "plp.preferences.v1"
CONFIRM_SALT = "plp.confirm.v1"
FORM_SALT = "plp.form.v1"
SIGNIN_SALT = "plp.signin.v1"
SIGNIN_MAX_AGE = 15 * 60
"""Seconds a coordinator's sign-in link is valid (and it works once)."""
CONFIRM_MAX_AGE = 48 * 3600
"""Seconds a confirmation link is valid (double opt-in); the sign-up is purged afterwards."""
FORM_MAX_AGE = 2 * 3600
"""Seconds a form of the web service stays usable after it was shown (its CSRF token)."""
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


class LinkError(PlpError):
    """A signed link that cannot be used: forged, altered, for another purpose or PLP, expired."""

    def __init__(self, message: str, *, expired: bool = False):
        super().__init__(message)
        self.expired = expired


class UnsubscribeTokens:
    """Signs and reads one-click unsubscribe tokens binding (member id, PLP)."""

    salt = UNSUBSCRIBE_SALT
    link = "unsubscribe link"

    def __init__(self, secret: str):
        self._serializer = URLSafeSerializer(secret, salt=self.salt)
        # Made once: itsdangerous' loads() makes a new signer for every token it reads, and after
        # a national send these come by the thousand (this serializer has no fallback signers).
        self._signer = self._serializer.make_signer()

    @classmethod
    def from_config(cls, config: Config):
        """Tokens signed with this installation's secret."""
        return cls(load_secret(config))

    def make_token(self, member: _HasMembership) -> str:
        """A token for a Member or a Recipient (anything with an id or member_id, and a plp)."""
        member_id = getattr(member, "member_id", None) or member.id  # type: ignore[attr-defined]
        return self._serializer.dumps([int(member_id), member.plp])

    def read_token(self, token: str, plp: str | None = None) -> tuple[int, str]:
        """(member id, plp) from a token; refuses forged or altered ones, and other PLPs' tokens."""
        return _pair(self._load(token), plp, self.link)

    def _load(self, token: str) -> object:
        try:
            return self._serializer.load_payload(self._signer.unsign(token.strip()))
        except BadSignature:
            raise LinkError(
                f"this {self.link} is not valid (altered, truncated or not ours) — "
                "copy the whole link from the e-mail, or ask the coordinator to unsubscribe you"
            ) from None


class PreferencesTokens(UnsubscribeTokens):
    """The link of a member's preferences page: (member id, PLP), its own salt."""

    salt = PREFERENCES_SALT
    link = "preferences link"


class ConfirmTokens:
    """The double opt-in link: (sign-up id, PLP), valid CONFIRM_MAX_AGE seconds."""

    link = "confirmation link"

    def __init__(self, secret: str, max_age: int = CONFIRM_MAX_AGE):
        self._serializer = URLSafeTimedSerializer(secret, salt=CONFIRM_SALT)
        self.max_age = max_age

    @classmethod
    def from_config(cls, config: Config) -> ConfirmTokens:
        return cls(load_secret(config))

    def make_token(self, signup_id: int, plp: str) -> str:
        return self._serializer.dumps([int(signup_id), plp])

    def read_token(self, token: str, plp: str | None = None) -> tuple[int, str]:
        """(sign-up id, plp); LinkError(expired=True) once CONFIRM_MAX_AGE has passed."""
        try:
            payload = self._serializer.loads(token.strip(), max_age=self.max_age)
        except SignatureExpired:
            raise LinkError(
                "this confirmation link has expired (it is valid 48 hours) — "
                "fill in the form on the PLP's page again",
                expired=True,
            ) from None
        except BadSignature:
            raise LinkError(
                "this confirmation link is not valid (altered, truncated or not ours) — "
                "copy the whole link from the e-mail"
            ) from None
        return _pair(payload, plp, self.link)


class SignInTokens:
    """The coordinator's one-time sign-in link: (nonce, role address), valid SIGNIN_MAX_AGE
    seconds; the store records its use, so it opens one session only."""

    def __init__(self, secret: str, max_age: int = SIGNIN_MAX_AGE):
        self._serializer = URLSafeTimedSerializer(secret, salt=SIGNIN_SALT)
        self.max_age = max_age

    def make_token(self, nonce: str, address: str) -> str:
        return self._serializer.dumps([nonce, address])

    def read_token(self, token: str) -> tuple[str, str]:
        """(nonce, address); LinkError(expired=True) once SIGNIN_MAX_AGE has passed."""
        try:
            payload = self._serializer.loads(token.strip(), max_age=self.max_age)
        except SignatureExpired:
            raise LinkError(
                "this sign-in link has expired (it is valid 15 minutes) — ask for a new one",
                expired=True,
            ) from None
        except BadSignature:
            raise LinkError("this sign-in link is not valid — ask for a new one") from None
        if (
            not isinstance(payload, list)
            or len(payload) != 2
            or not all(isinstance(part, str) for part in payload)
        ):
            raise LinkError("this sign-in link is not valid — ask for a new one")
        return payload[0], payload[1]


class FormTokens:
    """CSRF tokens of the web service's forms, without a cookie: each is signed, bound to the
    form it was shown in (its action path) and valid FORM_MAX_AGE seconds."""

    def __init__(self, secret: str, max_age: int = FORM_MAX_AGE):
        self._serializer = URLSafeTimedSerializer(secret, salt=FORM_SALT)
        self.max_age = max_age

    def make_token(self, action: str) -> str:
        return self._serializer.dumps(hashlib.sha256(action.encode()).hexdigest()[:32])

    def valid(self, token: str, action: str) -> bool:
        """Whether the token was made for this form action and has not expired."""
        try:
            bound = self._serializer.loads(token, max_age=self.max_age)
        except BadSignature:  # SignatureExpired is one
            return False
        return hmac.compare_digest(str(bound), hashlib.sha256(action.encode()).hexdigest()[:32])


def _pair(payload: object, plp: str | None, link: str) -> tuple[int, str]:
    if (
        not isinstance(payload, list)
        or len(payload) != 2
        or not isinstance(payload[0], int)
        or isinstance(payload[0], bool)
        or not isinstance(payload[1], str)
    ):
        raise LinkError(f"this {link} is not valid — ask the coordinator")
    member_id, token_plp = payload
    if plp is not None and token_plp != plp:
        raise LinkError(
            f"this {link} belongs to another PLP, not {plp!r} — "
            "use the link from that PLP's own bulletin"
        )
    return member_id, token_plp
