"""E-mail addresses as plp stores and compares them (members, coordinators, test copies)."""

from __future__ import annotations

import idna
from email_validator import EmailNotValidError, validate_email

from .errors import PlpError


def checked_address(address: str) -> str:
    """An address in email-validator's normal form (EmailNotValidError if it is not one).

    test_environment admits the reserved .test names that sample and test members use (mail to
    them never leaves); DNS is never asked (a coordinator may import offline).
    """
    return validate_email(address, check_deliverability=False, test_environment=True).normalized


NEEDS_SMTPUTF8 = "the part before the @ has accents or other non-ASCII letters"
SMTPUTF8_FIX = (
    "ask the member for an address without them: bulletins are sent as plain ASCII mail, which "
    "cannot carry such an address (SMTPUTF8); accents after the @ are fine"
)


def needs_smtputf8(address: str) -> bool:
    """Whether mail to this normalised address needs SMTPUTF8: a non-ASCII local part. An
    internationalised domain does not: it is sent in its ASCII form (xn--…)."""
    return not address.rpartition("@")[0].isascii()


def ascii_address(address: str) -> str:
    """The address as a header carries it without SMTPUTF8: an internationalised domain in
    its ASCII form (xn--…); the local part is left as it is (see needs_smtputf8)."""
    local, _, domain = address.rpartition("@")
    if domain.isascii():
        return address
    return f"{local}@{idna.encode(domain, uts46=True).decode('ascii')}"


def normalise(email: str) -> str:
    """An address as stored, or PlpError saying it is not one."""
    try:
        return checked_address(email.strip())
    except EmailNotValidError as exc:
        raise PlpError(f"{email!r} is not an e-mail address: {exc}") from None


def email_key(email: str) -> str:
    """The comparison key of a normalised address (case-insensitive, as providers treat it)."""
    return email.casefold()
