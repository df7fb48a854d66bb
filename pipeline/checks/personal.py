"""Personal data: content never identifies people (plates, private numbers and addresses, names)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from ..errors import Problem
from ..model import Plp, Zone
from .visible import hidden, link_targets, normalised, seen

_SEP = r"[-. ]?"  # after normalisation every dash is "-" and every space " "
# Belgian plates. Since 2010 `1-ABC-234` (a digit, three letters, three digits; a letter first
# on special series), typed in any case, with dashes, dots, spaces or nothing between the
# parts. Before: `ABC-123` (1973-2008) and `123-ABC` (2008-2010): in capitals with or without
# a separator, in lower case only with a dash or a dot, so that "bel 112" is no plate.
PLATE = re.compile(
    r"(?<![\w.@/-])(?:"
    rf"[1-9]{_SEP}(?i:[a-z]{{3}}){_SEP}\d{{3}}|[A-Z]-[A-Z]{{3}}-\d{{3}}"
    r"|[A-Z]{3}[-. ]?(?!101|112)\d{3}|\d{3}[-. ]?[A-Z]{3}"
    r"|[a-z]{3}[-.]\d{3}|\d{3}[-.][a-z]{3}"
    r")(?![\w@/-]|\.\w)"
)
# Every plate holds a group of exactly three digits: found first, it bounds the plate search
# (scanning for digits is fast, trying the plate pattern at every letter is not).
_DIGITS = re.compile(r"\d+")
# Anything with 9 to 13 digits starting like a phone number (0…, +32…, 0032…); what precedes
# it (no letter, digit or "+") is checked apart, so the scan can skip to digits.
PHONE = re.compile(r"\+?\d[\d ./()-]{7,}\d(?!\w)")
# Anchored on "@" and looking back, so the scan costs one pass instead of one per word.
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
SHORT_NUMBERS = {"101", "112"}
PRIVACY_FIX = "remove it: messages never identify people (describe, don't name)"

WEBMAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "hotmail.com", "hotmail.be", "hotmail.fr", "hotmail.de",
        "hotmail.nl", "outlook.com", "outlook.be", "outlook.fr", "outlook.de", "live.com",
        "live.be", "live.fr", "live.nl", "msn.com", "yahoo.com", "yahoo.be", "yahoo.fr",
        "yahoo.de", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com", "skynet.be",
        "telenet.be", "proximus.be", "scarlet.be", "voo.be", "base.be", "gmx.com", "gmx.net",
        "gmx.de", "gmx.fr", "web.de", "t-online.de", "freenet.de", "orange.fr", "free.fr",
        "laposte.net", "wanadoo.fr", "sfr.fr", "kpnmail.nl", "ziggo.nl", "protonmail.com",
        "proton.me", "pm.me", "tutanota.com", "mail.com", "zoho.com",
    }
)  # fmt: skip
"""Mailbox providers for private persons: a role address never lives there."""

RULES = {
    "licence plate": "personal.plate",
    "phone number": "personal.phone",
    "e-mail address": "personal.email",
}
"""Each finding's stable rule id (the console translates the problem by it)."""

Contacts = tuple[set[str], set[str], set[str]]
"""Phone numbers, e-mail addresses and web domains of roles (zones, coordinators)."""


def is_webmail(address: str) -> bool:
    """True when the address is at a private mailbox provider (gmail, telenet, web.de …)."""
    labels = address.rsplit("@", 1)[-1].lower().rstrip(".").split(".")
    return any(".".join(labels[i:]) in WEBMAIL_DOMAINS for i in range(len(labels) - 1))


def allowed_contacts(zones: dict[str, Zone], plps: dict[str, Plp]) -> Contacts:
    """Phone numbers, e-mail addresses and domains that belong to roles, not persons."""
    phones = {_digits(z.phone) for z in zones.values() if z.phone}
    emails = {p.coordinator.email.lower() for p in plps.values()}
    emails |= {z.email.lower() for z in zones.values() if z.email}
    emails = {e for e in emails if not is_webmail(e)}  # refused in the registry, never allowed
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

    The text is read as a reader sees it (entities decoded, markup dropped, Unicode
    normalised), with what only the public repository shows (comments, the attributes of
    tags), and link targets URL-decoded; a finding is reported once. Without the registry's
    contacts (allowed is None) only plates can be judged.
    """
    views = [(0, seen(text), True)]
    views += [(index, normalised(fragment), True) for index, fragment in hidden(text)]
    # In a web address long digit runs are ids, not phone numbers; tel: and sms: are numbers.
    views += [
        (index, target, target.lower().startswith(("tel:", "sms:", "callto:")))
        for index, target in link_targets(text)
    ]
    found: dict[tuple[int, str, str], Problem] = {}
    for index, view, phones in views:
        for line, what, value, fix in _findings(view, allowed, phones):
            key = (first_line + index + line, what, re.sub(r"\W", "", value).casefold())
            rule, params = RULES[what], (("value", value),)
            problem = Problem(shown, key[0], f"{what} '{value}'", fix, rule=rule, params=params)
            found.setdefault(key, problem)
    return list(found.values())


def _findings(
    text: str, allowed: Contacts | None, with_phones: bool
) -> Iterable[tuple[int, str, str, str]]:
    """(line index, kind, value, fix) of each personal datum in one view of a text."""
    plates = {}
    for group in _DIGITS.finditer(text):
        if group.end() - group.start() != 3:
            continue
        for m in PLATE.finditer(text, max(0, group.start() - 6), group.end() + 6):
            plates[m.span()] = m
    for m in plates.values():
        yield text.count("\n", 0, m.start()), "licence plate", m[0], PRIVACY_FIX
    if allowed is None:
        return
    phones, emails, domains = allowed
    for m in PHONE.finditer(text) if with_phones else ():
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "_+"):
            continue
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


# Words that make a display name a role: "Coordination PLP …", "Coördinatie BIN …", "Team …",
# also inside Dutch and German compounds ("Preventiedienst", "Polizeizone", "Wijkteam").
ROLE_STEMS = re.compile(
    r"co[oö]rdina|koordina|dienst|team|[ée]quipe|service|zone|politie|polizei|police|"
    r"pr[ée]vent|pr[äa]vent|secr[ée]tar|sekretar|contact|kontakt|bureau|b[üu]ro|cellule|"
    r"comit[ée]|bestuur|vorstand|commun|gemeente|gemeinde|stadt|ville|netwerk|netzwerk|"
    r"r[ée]seau|partenariat|partnership|asbl|vzw|responsab|verantwoord|verantwort|wijk|buurt",
    re.IGNORECASE,
)
ROLE_WORDS = {"plp", "bin", "bin-z", "binz", "cel", "vog", "info", "stad", "nachbarschaft"}
_NAME_WORD = re.compile(r"^[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]+(?:-[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]+)?$")
_PARTICLES = {"van", "de", "der", "den", "du", "des", "le", "la", "von", "vom", "zu", "ter", "ten",
              "d'", "di", "da", "del", "dos", "op", "het", "'t", "vanden", "vander"}  # fmt: skip


def person_name(display: str, context: Iterable[str]) -> str | None:
    """The "Firstname Lastname" a display name holds, when it holds one; else None.

    A coordinator's display name must name the role (or a first name alone, which the person
    agreed to show). It is read as a person's name when, once role words ("Coordination",
    "BIN", "Team" …) and the words of the PLP's own names and commune (`context`) are set
    aside, two or more capitalised name-like words remain side by side ("Jan Peeters",
    "Marie-Claire van den Broeck"). A name with digits, a slash or no such pair is a role:
    the rule errs towards letting a role through rather than refusing one.
    """
    known = {w.casefold() for text in context for w in re.split(r"[\s/,()]+", normalised(text))}
    runs: list[list[str]] = [[]]
    for word in re.split(r"[\s,()·—–:]+", normalised(display)):
        folded = word.casefold()
        if folded in _PARTICLES and runs[-1]:
            runs[-1].append(word)  # "van", "de" inside a name
        elif (
            _NAME_WORD.match(word)
            and folded not in known
            and folded not in ROLE_WORDS
            and not ROLE_STEMS.search(word)
        ):
            runs[-1].append(word)
        elif word:
            runs.append([])
    for run in runs:
        while run and run[-1].casefold() in _PARTICLES:
            run.pop()
        if sum(1 for w in run if w.casefold() not in _PARTICLES) >= 2:
            return " ".join(run)
    return None
