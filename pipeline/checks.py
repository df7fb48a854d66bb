"""Validation rules across loaded content: references, translations, privacy, accessibility."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from urllib.parse import urlsplit

from .errors import Problem, Severity, relpath
from .model import Content, Message, Page, Plp, TargetKind, Zone

# Belgian plates: 1-ABC-234 (since 2010), and the older ABC-123 / 123-ABC.
PLATE = re.compile(
    r"(?<![\w-])(?:[1-9][-. ]?(?i:[a-z]{3})[-. ]?\d{3}"  # 1-ABC-234, also typed in lower case
    r"|[A-Z]{3}[-.]\d{3}|\d{3}[-.][A-Z]{3})(?![\w-])"
)
# Anything with 9 to 13 digits starting like a phone number (0…, +32…, 0032…).
PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d ./()-]{7,}\d(?!\w)")
# Anchored on "@" and looking back, so the scan costs one pass instead of one per word.
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
IMAGE_MD = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)]*)\)")
IMAGE_HTML = re.compile(r"<img\b(?P<attrs>[^>]*)>", re.IGNORECASE)
ALT = re.compile(r"""\balt\s*=\s*(["'])\s*\S.*?\1""", re.IGNORECASE | re.DOTALL)
SHORT_NUMBERS = {"101", "112"}
URGENT_FIX = (
    "plp carries non-urgent messages only: urgent alerts go by BE-Alert, SMS or voice "
    "message, and facts are reported to the police on 101 (112 in an emergency)"
)
# "Marked urgent": a title or summary opening with the word, or the word in capitals anywhere.
_URGENT = r"urgent|urgente|dringend|spoed|spoedbericht|alerte|alarm|emergency"
URGENT_MARKER = re.compile(
    rf"^\W*(?i:{_URGENT})\b|\b(?:URGENT|URGENTE|DRINGEND|SPOED|ALERTE|ALARM|EMERGENCY)\b"
)
PRIVACY_FIX = "remove it: messages never identify people (describe, don't name)"


Contacts = tuple[set[str], set[str], set[str]]
"""Phone numbers, e-mail addresses and web domains of roles (zones, coordinators)."""


def check_content(content: Content, *, check_references: bool = True) -> list[Problem]:
    """Every cross-file rule; file syntax and message text are checked while reading.

    Without a sound registry, references are not checked: they would all look wrong.
    """
    problems: list[Problem] = []
    allowed = allowed_contacts(content.zones, content.plps) if check_references else None
    for message in content.messages:
        if check_references:
            problems += _check_targets(content, message)
    for plp in content.plps.values():
        if plp.join:
            problems += scan_personal_data(
                plp.join, relpath(plp.source.path), plp.source.line, allowed
            )
    problems += _check_translations(content)
    problems += _check_pages(content.pages)
    return problems


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
    found: list[Problem] = []

    def at(index: int) -> int:
        return first_line + text.count("\n", 0, index)

    for m in PLATE.finditer(text):
        found.append(Problem(shown, at(m.start()), f"licence plate '{m[0]}'", PRIVACY_FIX))
    if allowed is None:
        return found
    phones, emails, domains = allowed
    for m in PHONE.finditer(text):
        digits = _digits(m[0])
        if 9 <= len(digits) <= 13 and digits not in phones and digits not in SHORT_NUMBERS:
            found.append(
                Problem(
                    shown,
                    at(m.start()),
                    f"phone number '{m[0].strip()}'",
                    "only 101, 112 and the numbers in the registry may appear; " + PRIVACY_FIX,
                )
            )
    for m in EMAIL.finditer(text) if "@" in text else ():
        address = m[0].lower()
        domain = address.rsplit("@", 1)[1]
        if address in emails or any(domain == d or domain.endswith("." + d) for d in domains):
            continue
        found.append(
            Problem(
                shown,
                at(m.start()),
                f"e-mail address '{m[0]}'",
                "use a role address from the registry (zone or coordinator); " + PRIVACY_FIX,
            )
        )
    return found


def check_text(
    shown: str,
    parts: list[tuple[int, str]],
    body_line: int,
    body: str,
    allowed: Contacts | None,
) -> list[Problem]:
    """A message's text (title, summary, body as (first line, text)): personal data, alt text."""
    found: list[Problem] = []
    for first_line, text in parts:
        found += scan_personal_data(text, shown, first_line, allowed)
    for m in IMAGE_MD.finditer(body):
        if not m["alt"].strip():
            found.append(
                Problem(
                    shown,
                    body_line + body.count("\n", 0, m.start()),
                    f"image '{m['src']}' has no alt text",
                    "describe the image: ![what it shows](file.jpg)",
                )
            )
    for m in IMAGE_HTML.finditer(body):
        if not ALT.search(m["attrs"]):
            found.append(
                Problem(
                    shown,
                    body_line + body.count("\n", 0, m.start()),
                    "image has no alt text",
                    'add alt="what it shows" to the <img>',
                )
            )
    return found


def _check_targets(content: Content, message: Message) -> list[Problem]:
    shown, line = relpath(message.source.path), message.line("targets")
    known = {
        TargetKind.ZONE: content.zones,
        TargetKind.COMMUNE: content.communes,
        TargetKind.PLP: content.plps,
    }
    found = []
    for target in message.targets:
        if target.kind is TargetKind.ALL or target.value in known[target.kind]:
            continue
        close = difflib.get_close_matches(target.value, list(known[target.kind]), n=1)
        hint = (
            f"did you mean {target.kind}:{close[0]}?"
            if close
            else (f"use a {target.kind} declared in content/registry/")
        )
        found.append(Problem(shown, line, f"unknown {target.kind} '{target.value}'", hint))
    return found


def _check_translations(content: Content) -> list[Problem]:
    groups: dict[str, list[Message]] = defaultdict(list)
    for message in content.messages:
        groups[message.key].append(message)
    found: list[Problem] = []
    for key, versions in groups.items():
        versions.sort(key=lambda m: m.lang)
        first = versions[0]
        for other in versions[1:]:
            for field, a, b in (
                ("category", first.category, other.category),
                ("targets", first.targets, other.targets),
                ("date", first.date, other.date),
                ("valid-until", first.valid_until, other.valid_until),
            ):
                if a != b:
                    found.append(
                        Problem(
                            relpath(other.source.path),
                            other.line(field),
                            f"{field.title()} differs from the {first.lang} version of '{key}'",
                            f"translations must agree: use the same {field.title()} as "
                            f"{relpath(first.source.path)}",
                        )
                    )
        found += _check_languages(content, versions)
    return found


def _check_languages(content: Content, versions: list[Message]) -> list[Problem]:
    """A PLP named as a target must get the message in one of its languages."""
    langs = {m.lang for m in versions}
    first = versions[0]
    found = []
    for target in first.targets:
        plp = content.plps.get(target.value) if target.kind is TargetKind.PLP else None
        if plp is None:
            continue
        if not langs & set(plp.languages):
            found.append(
                Problem(
                    relpath(first.source.path),
                    first.line("targets"),
                    f"targets PLP '{plp.slug}' (languages: {', '.join(plp.languages)}) but "
                    f"'{first.key}' exists only in {', '.join(sorted(langs))}",
                    f"add a translation {first.key}.{plp.languages[0]}.md or remove the target",
                )
            )
        elif not plp.active:
            found.append(
                Problem(
                    relpath(first.source.path),
                    first.line("targets"),
                    f"targets PLP '{plp.slug}', which is inactive",
                    "remove the target",
                    Severity.WARNING,
                )
            )
    return found


REQUIRED_PAGES = ("about", "report", "privacy")
REQUIRED_PAGE_LANGS = ("fr", "nl", "de")


def _check_pages(pages: tuple[Page, ...]) -> list[Problem]:
    have = {(p.key, p.lang) for p in pages}
    return [
        Problem(
            "content/pages",
            0,
            f"page '{key}.{lang}.md' is missing",
            "every site language needs it: write it (see docs/content-format.md)",
            Severity.WARNING,
        )
        for key in REQUIRED_PAGES
        for lang in REQUIRED_PAGE_LANGS
        if (key, lang) not in have
    ]


def check_note(text: str, shown: str, content: Content) -> list[Problem]:
    """A coordinator's note goes to every member and online: the same rules as a message."""
    found = scan_personal_data(text, shown, 1, allowed_contacts(content.zones, content.plps))
    marker = URGENT_MARKER.search(text)
    if marker:
        found.append(
            Problem(
                shown,
                1 + text.count("\n", 0, marker.start()),
                f"content marked urgent ('{marker[0].strip()}')",
                URGENT_FIX,
            )
        )
    return sorted(found)
