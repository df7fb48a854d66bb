"""Signing a coordinator in without a password: a one-time link to the PLP's role address opens
a session that sees that address's PLPs only.

The web service and `plp coordinator link` call these; the rules live here.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from .. import urls
from ..addresses import ascii_address, email_key, normalise
from ..bulletin.compose import POLICY
from ..errors import PlpError
from ..i18n import gettext_for
from ..mailing.delivery import BOUNCE_LOCAL_PART
from ..mailing.mailer import Envelope, SendFailure
from ..model import Plp
from ..state.audit import AuditAction
from ..state.console import Session
from ..tokens import SIGNIN_MAX_AGE, LinkError, SignInTokens, load_secret, pseudonym
from .desk import Desk

LINKS_PER_ADDRESS = 5
"""Sign-in links one address may be sent per LINK_WINDOW, whoever asks."""
LINK_WINDOW = timedelta(hours=1)
SESSION_IDLE = timedelta(minutes=30)
"""A session unused this long is over."""
SESSION_LIFETIME = timedelta(hours=8)
"""A session ends this long after sign-in, however active."""


class TooManyLinks(PlpError):
    """The address had its share of sign-in links for now; nothing was sent."""


class NotYours(PlpError):
    """The PLP is not one of the signed-in coordinator's (the web answers 404)."""


@dataclass(frozen=True)
class Coordinator:
    """A signed-in role address and the PLPs it coordinates."""

    session: Session
    plps: tuple[Plp, ...]

    @property
    def address(self) -> str:
        return self.session.address

    def plp(self, slug: str) -> Plp:
        """One of this coordinator's PLPs; NotYours for any other slug, known or not."""
        for plp in self.plps:
            if plp.slug == slug:
                return plp
        raise NotYours(f"{slug!r} is not a PLP of {self.address}")


def plps_of(desk: Desk, address: str) -> tuple[Plp, ...]:
    """The PLPs whose registry names this role address (none for any other address)."""
    try:
        # The registry holds role addresses in ASCII (an IDN domain as xn--…); normalise gives
        # the domain in Unicode, so both sides are compared in the registry's form.
        key = email_key(ascii_address(normalise(address)))
    except (PlpError, UnicodeError):
        return ()
    return tuple(
        plp
        for slug, plp in sorted(desk.content.plps.items())
        if email_key(plp.coordinator.email) == key
    )


def _address_key(desk: Desk, address: str) -> str:
    return pseudonym(load_secret(desk.config), address)


def _mint(desk: Desk, address: str, *, mailed: bool) -> str:
    nonce = secrets.token_urlsafe(18)
    desk.store.signins.add_link(nonce, _address_key(desk, address), _ttl(), mailed=mailed)
    token = SignInTokens(load_secret(desk.config)).make_token(nonce, address)
    return urls.signin_url(desk.config.web_url, token)


def _ttl() -> timedelta:
    return timedelta(seconds=SIGNIN_MAX_AGE)


def request_link(desk: Desk, address: str, lang: str) -> None:
    """E-mail a sign-in link if the address is a PLP's role address; the same outcome for any
    other address (nothing tells who coordinates). TooManyLinks over the per-address limit."""
    try:
        address = normalise(address)
    except PlpError:
        return
    signins = desk.store.signins
    signins.purge(timedelta(days=1))
    if signins.recent_requests(_address_key(desk, address), LINK_WINDOW) >= LINKS_PER_ADDRESS:
        raise TooManyLinks("too many sign-in links for this address — try again in an hour")
    plps = plps_of(desk, address)
    if not plps:
        # Counted like a real request, so the limit answers the same for every address.
        key = _address_key(desk, address)
        signins.add_link(secrets.token_urlsafe(18), key, _ttl(), mailed=True)
        return
    link = _mint(desk, plps[0].coordinator.email, mailed=True)
    try:
        desk.mailer.send(_link_mail(desk, plps, address, link, lang))
    except SendFailure as exc:
        raise PlpError(f"the sign-in e-mail was not accepted ({exc.code})") from None


def operator_link(desk: Desk, address: str) -> str:
    """A sign-in link for a role address, for an operator to hand over (`plp coordinator link`)."""
    plps = plps_of(desk, address)
    if not plps:
        raise PlpError(
            f"{address} is the coordinator's address of no PLP — see coordinator.email in "
            "content/registry/plps.yaml"
        )
    return _mint(desk, plps[0].coordinator.email, mailed=False)


def sign_in(desk: Desk, token: str) -> tuple[str, Coordinator]:
    """Use a sign-in link once: (the new session's cookie value, the coordinator).
    LinkError when forged, expired, used already, voided by a sign-out, or no longer a role."""
    nonce, address = SignInTokens(load_secret(desk.config)).read_token(token)
    plps = plps_of(desk, address)
    if not desk.store.signins.use_link(nonce, _address_key(desk, address)) or not plps:
        raise LinkError("this sign-in link was used already or has expired — ask for a new one")
    cookie = secrets.token_urlsafe(32)
    session = desk.store.signins.open_session(_hash(cookie), address, SESSION_LIFETIME)
    for plp in plps:
        desk.store.audit.add(plp.slug, address, AuditAction.SIGN_IN)
    return cookie, Coordinator(session, plps)


def signed_in(desk: Desk, cookie: str | None) -> Coordinator | None:
    """The coordinator a session cookie belongs to, or None (unknown, idle, expired)."""
    if not cookie:
        return None
    session = desk.store.signins.session(_hash(cookie), SESSION_IDLE)
    if session is None:
        return None
    plps = plps_of(desk, session.address)
    return Coordinator(session, plps) if plps else None


def sign_out(desk: Desk, cookie: str) -> None:
    """End the session and void every unused link of its address."""
    coordinator = signed_in(desk, cookie)
    if coordinator is None:
        return
    desk.store.signins.close_session(coordinator.session.id_hash)
    desk.store.signins.void_links(_address_key(desk, coordinator.address))
    for plp in coordinator.plps:
        desk.store.audit.add(plp.slug, coordinator.address, AuditAction.SIGN_OUT)


def form_key(coordinator: Coordinator) -> str:
    """What binds a form's CSRF token to this session (a digest, not the cookie)."""
    return coordinator.session.id_hash[:16]


def _hash(cookie: str) -> str:
    return hashlib.sha256(cookie.encode()).hexdigest()


def _link_mail(desk: Desk, plps: tuple[Plp, ...], address: str, link: str, lang: str) -> Envelope:
    config = desk.config
    _ = gettext_for(lang, "web")
    msg = EmailMessage(policy=POLICY)
    domain = config.sending_domain
    msg["From"] = f"plp-console@{domain}"
    msg["To"] = ascii_address(address)  # an IDN domain as xn--…, not an encoded word
    msg["Subject"] = _("Your sign-in link to the coordinators' console")
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = make_msgid("signin", domain)
    msg["Auto-Submitted"] = "auto-generated"
    names = ", ".join(plp.name(lang) for plp in plps)
    body = "\n\n".join(
        [
            _("Hello,"),
            _(
                "To open the coordinators' console of {plps}, open this link within 15 minutes:"
            ).format(plps=names),
            link,
            _("It works once. If you did not ask for it, ignore this e-mail."),
        ]
    )
    msg.set_content(body + "\n", cte="quoted-printable")
    return Envelope(
        f"{BOUNCE_LOCAL_PART}@{domain}",
        address,
        msg.as_bytes(),
        "console/signin",
        f"signin-{time.time_ns()}",  # one file per link in the outbox
    )
