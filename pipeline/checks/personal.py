"""Personal data: content never identifies people (plates, private numbers and addresses)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from ..errors import Problem
from ..model import Plp, Zone

# Belgian plates: 1-ABC-234 (since 2010), and the older ABC-123 / 123-ABC.
PLATE = re.compile(
    r"(?<![\w-])(?:[1-9][-. ]?(?i:[a-z]{3})[-. ]?\d{3}"  # 1-ABC-234, also typed in lower case
    r"|[A-Z]{3}[-.]\d{3}|\d{3}[-.][A-Z]{3})(?![\w-])"
)
# Anything with 9 to 13 digits starting like a phone number (0…, +32…, 0032…).
PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d ./()-]{7,}\d(?!\w)")
# Anchored on "@" and looking back, so the scan costs one pass instead of one per word.
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
SHORT_NUMBERS = {"101", "112"}
PRIVACY_FIX = "remove it: messages never identify people (describe, don't name)"

Contacts = tuple[set[str], set[str], set[str]]
"""Phone numbers, e-mail addresses and web domains of roles (zones, coordinators)."""


def allowed_contacts(zones: dict[str, Zone], plps: dict[str, Plp]) -> Contacts:
    """Phone numbers, e-mail addresses and domains that belong to roles, not persons."""
    phones = {_digits(z.phone) for z in zones.values() if z.phone}
    emails = {p.coordinator.email.lower() for p in plps.values()}
    emails |= {z.email.lower() for z in zones.values() if z.email}
    domains = {urlsplit(z.website).hostname or "" for z in zones.values()}
    domains = {d.removeprefix("www.") for d in domains if d}
    return phones, emails, domains


def _digits(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    # +32 / 0032 and a leading 0 are the same Belgian number.
    for prefix in ("0032", "32"):
        if digits.startswith(prefix) and len(digits) >= 10:
            return "0" + digits[len(prefix) :]
    return digits


def scan_personal_data(
    text: str, shown: str, first_line: int, allowed: Contacts | None
) -> list[Problem]:
    """Plates, phone numbers and e-mail addresses that are not a role's, located by line.

    Without the registry's contacts (allowed is None) only plates can be judged.
    """
    return [
        Problem(shown, first_line + line, f"{what} '{value}'", fix)
        for line, what, value, fix in _findings(text, allowed)
    ]


def _findings(text: str, allowed: Contacts | None) -> Iterable[tuple[int, str, str, str]]:
    """(line index, kind, value, fix) of each personal datum in a text."""
    for m in PLATE.finditer(text):
        yield text.count("\n", 0, m.start()), "licence plate", m[0], PRIVACY_FIX
    if allowed is None:
        return
    phones, emails, domains = allowed
    for m in PHONE.finditer(text):
        digits = _digits(m[0])
        if 9 <= len(digits) <= 13 and digits not in phones and digits not in SHORT_NUMBERS:
            fix = "only 101, 112 and the numbers in the registry may appear; " + PRIVACY_FIX
            yield text.count("\n", 0, m.start()), "phone number", m[0].strip(), fix
    for m in EMAIL.finditer(text) if "@" in text else ():
        address = m[0].lower()
        domain = address.rsplit("@", 1)[1]
        if address in emails or any(domain == d or domain.endswith("." + d) for d in domains):
            continue
        fix = "use a role address from the registry (zone or coordinator); " + PRIVACY_FIX
        yield text.count("\n", 0, m.start()), "e-mail address", m[0], fix
