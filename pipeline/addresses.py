"""E-mail addresses as plp stores and compares them (members, coordinators, test copies)."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from .errors import PlpError


def checked_address(address: str) -> str:
    """An address in email-validator's normal form (EmailNotValidError if it is not one).

    test_environment admits the reserved .test names that sample and test members use (mail to
    them never leaves); DNS is never asked (a coordinator may import offline).
    """
    return validate_email(address, check_deliverability=False, test_environment=True).normalized


def normalise(email: str) -> str:
    """An address as stored, or PlpError saying it is not one."""
    try:
        return checked_address(email.strip())
    except EmailNotValidError as exc:
        raise PlpError(f"{email!r} is not an e-mail address: {exc}") from None


def email_key(email: str) -> str:
    """The comparison key of a normalised address (case-insensitive, as providers treat it)."""
    return email.casefold()
