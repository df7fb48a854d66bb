"""Joining a PLP from its website, double opt-in: a sign-up, a confirmation e-mail in the chosen
language, and only the confirmation (a button on the link's page) makes a member.

The web service calls these; the rules live here, not in its handlers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from .. import urls
from ..addresses import ascii_address, needs_smtputf8, normalise
from ..bulletin.compose import POLICY, safe_header_text, sender_name
from ..errors import PlpError
from ..i18n import gettext_for
from ..mailing.delivery import BOUNCE_LOCAL_PART
from ..mailing.mailer import Envelope, SendFailure
from ..model import Plp
from ..state.members import Member
from ..state.signups import Consent, Signup
from ..tokens import CONFIRM_MAX_AGE, ConfirmTokens, LinkError
from .desk import Desk

CONSENT_VERSION = "web-form-1"
"""Bump it whenever CONSENT_TEXT changes: each consent record names the wording it was given to."""
CONSENT_TEXT = (
    "I want to receive the prevention bulletins of {plp} by e-mail. My address, my name if I "
    "gave one and my language are kept by the coordinator for that purpose only; I can leave "
    "or erase my data at any time from the link in every bulletin."
)
CONSENT_METHOD = "web form"
CONSENT_RECORDED_BY = "the member (double opt-in)"

SIGNUPS_PER_ADDRESS = 3
"""Confirmation e-mails one address may receive per SIGNUP_WINDOW, whoever asks: a bot cannot
mail-bomb a stranger."""
SIGNUP_WINDOW = timedelta(hours=1)


class InvalidAddress(PlpError):
    """What was typed is not an e-mail address."""


class UndeliverableAddress(InvalidAddress):
    """An address bulletins cannot reach: its local part needs SMTPUTF8 (as import refuses)."""


class TooManySignups(PlpError):
    """The address had its share of confirmation e-mails for now; nothing was sent."""


@dataclass(frozen=True)
class SignupRequest:
    """A sign-up recorded and its confirmation e-mail handed to the mailer."""

    plp: str
    language: str
    expires_in: timedelta


def consent_wording(plp: Plp, lang: str) -> str:
    """The exact consent text the confirmation page shows, as the consent record keeps it."""
    return gettext_for(lang, "web")(CONSENT_TEXT).format(plp=plp.name(lang))


def language_for(plp: Plp, lang: str | None) -> str:
    """The PLP's language closest to what was asked: itself, else the PLP's first."""
    return lang if lang in plp.languages else plp.languages[0]


def subscribe(
    desk: Desk, plp_slug: str, email: str, name: str = "", lang: str | None = None
) -> SignupRequest:
    """Record a sign-up and e-mail its confirmation link (valid 48 h) in the chosen language.

    The same happens whatever the address (a member already, unsubscribed, unknown): the answer
    never tells who is on the list. InvalidAddress, TooManySignups (nothing sent).
    """
    plp = desk.plp(plp_slug)
    if not plp.active:
        raise PlpError(f"PLP {plp_slug} does not take new members")
    try:
        address = normalise(email)
    except PlpError:
        raise InvalidAddress("this is not an e-mail address") from None
    if needs_smtputf8(address):
        raise UndeliverableAddress("the part before the @ needs SMTPUTF8")
    name = safe_header_text(" ".join(name.split())[:100], "the name") if name.strip() else ""
    language = language_for(plp, lang)
    signups = desk.store.signups
    signups.purge_expired()
    if signups.recent(address, SIGNUP_WINDOW) >= SIGNUPS_PER_ADDRESS:
        raise TooManySignups("too many sign-ups for this address — try again in an hour")
    ttl = timedelta(seconds=CONFIRM_MAX_AGE)
    signup = signups.add(plp.slug, address, name, language, ttl)
    token = ConfirmTokens.from_config(desk.config).make_token(signup.id, plp.slug)
    try:
        desk.mailer.send(_confirmation(desk, plp, signup, token))
    except SendFailure as exc:
        raise PlpError(f"the confirmation e-mail was not accepted ({exc.code})") from None
    return SignupRequest(plp.slug, language, ttl)


@dataclass(frozen=True)
class PendingSignup:
    """What the confirmation page shows: the PLP, the language and the consent wording."""

    signup: Signup
    plp: Plp
    consent_text: str


def pending(desk: Desk, token: str) -> PendingSignup:
    """The sign-up a confirmation link names; LinkError if forged, expired or already used."""
    tokens = ConfirmTokens.from_config(desk.config)
    signup_id, plp_slug = tokens.read_token(token)
    signup = desk.store.signups.get(signup_id)
    if signup is None or signup.plp != plp_slug:
        raise LinkError(
            "this confirmation link was already used or has expired — fill in the form on "
            "the PLP's page again",
            expired=True,
        )
    plp = desk.plp(plp_slug)
    return PendingSignup(signup, plp, consent_wording(plp, signup.language))


def confirm(desk: Desk, token: str) -> Member:
    """Make the link's sign-up an active member, recording the consent it was shown."""
    found = pending(desk, token)
    consent = Consent(
        found.consent_text,
        CONSENT_VERSION,
        found.signup.language,
        CONSENT_METHOD,
        CONSENT_RECORDED_BY,
    )
    return desk.store.signups.confirm(found.signup, consent, desk.config.current_date())


def purge_expired(desk: Desk) -> int:
    """Delete the sign-ups whose link expired unconfirmed; how many."""
    return desk.store.signups.purge_expired()


def _confirmation(desk: Desk, plp: Plp, signup: Signup, token: str) -> Envelope:
    config, lang = desk.config, signup.language
    _ = gettext_for(lang, "web")
    link = urls.confirm_url(config.web_url, token)
    plp_name = plp.name(lang)
    msg = EmailMessage(policy=POLICY)
    domain = config.sending_domain
    msg["From"] = Address(
        sender_name(plp.coordinator.name, plp_name), addr_spec=f"plp-{plp.slug}@{domain}"
    )
    msg["To"] = ascii_address(signup.email)  # an IDN domain as xn--…, not an encoded word
    msg["Reply-To"] = Address(plp.coordinator.name, addr_spec=plp.coordinator.email)
    msg["Subject"] = _("Confirm that you want to join {plp}").format(plp=plp_name)
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = make_msgid("signup", domain)
    msg["Auto-Submitted"] = "auto-generated"
    body = "\n\n".join(
        [
            _("Hello,"),
            _(
                "Someone (probably you) asked for this address to receive the prevention "
                "bulletins of {plp}. To confirm, open this link within 48 hours and press "
                "the button:"
            ).format(plp=plp_name),
            link,
            _("If it was not you, ignore this e-mail: without confirmation nothing is kept."),
        ]
    )
    msg.set_content(body + "\n", cte="quoted-printable")
    members = desk.store.members
    return Envelope(
        f"{BOUNCE_LOCAL_PART}@{domain}",
        signup.email,
        msg.as_bytes(),
        f"signup/{plp.slug}/{signup.id}",
        members.pseudonym(signup.email),  # so that an erasure finds the outbox copy
    )
