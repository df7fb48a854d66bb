"""Validation rules over content: one rule set, run by `plp check`, relied on by every output.

`text` (what every output can print), `personal` (nothing identifies people), `urgency`
(nothing urgent), `visible` (the text as readers see it), and here the rules that span
fields and files: a message's text, the registry's texts, targets, translations, pages.
"""

from __future__ import annotations

from ..errors import Problem, relpath
from ..model import Content
from .crossfile import check_reach, check_targets, check_translations, required_pages
from .personal import (
    WEBMAIL_DOMAINS,
    Contacts,
    allowed_contacts,
    is_webmail,
    person_name,
    scan_personal_data,
)
from .text import (
    body_problems,
    character_problems,
    image_problems,
    name_problems,
    output_problems,
    visible_problems,
)
from .urgency import URGENT_FIX, check_urgency

__all__ = [
    "URGENT_FIX",
    "WEBMAIL_DOMAINS",
    "Contacts",
    "allowed_contacts",
    "character_problems",
    "check_content",
    "check_message_text",
    "check_note",
    "check_page_text",
    "image_problems",
    "is_webmail",
    "name_problems",
    "person_name",
    "scan_personal_data",
]

Field = tuple[int, str]
"""A metadata value and the line it is on."""


def check_message_text(
    shown: str,
    fields: dict[str, Field],
    body_line: int,
    body: str,
    contacts: Contacts | None,
) -> list[Problem]:
    """A message's title, summary, author and body: what outputs print, who it names, urgency."""
    found: list[Problem] = []
    for key, (line, text) in fields.items():
        found += output_problems(text, shown, line, key.title())
        found += scan_personal_data(text, shown, line, contacts)
        if key in ("title", "author"):
            found += visible_problems(text, shown, line, key.title())
        if key in ("title", "summary"):
            found += check_urgency(text, shown, line, heading=True)
    found += output_problems(body, shown, body_line, "the text", markdown=True)
    found += scan_personal_data(body, shown, body_line, contacts)
    found += check_urgency(body, shown, body_line, heading=False)
    found += image_problems(body, shown, body_line)
    found += body_problems(body, shown, body_line)
    return found


def check_page_text(
    shown: str, fields: dict[str, Field], body_line: int, body: str, contacts: Contacts | None
) -> list[Problem]:
    """A static page: the message rules but urgency (pages explain the reporting rule)."""
    found: list[Problem] = []
    for key, (line, text) in fields.items():
        found += scan_personal_data(text, shown, line, contacts)
        if key == "title":
            found += visible_problems(text, shown, line, "Title")
    found += scan_personal_data(body, shown, body_line, contacts)
    found += image_problems(body, shown, body_line)
    return found


def check_content(content: Content, *, check_references: bool = True) -> list[Problem]:
    """Every rule that needs more than one file; file syntax and text are checked on reading.

    Without a sound registry, references are not checked: they would all look wrong.
    """
    found: list[Problem] = []
    if check_references:
        found += _check_registry_text(content)
        found += check_targets(content)
    found += check_translations(content)
    if check_references:
        found += check_reach(content)
    found += required_pages(content.pages)
    return found


def _check_registry_text(content: Content) -> list[Problem]:
    """Every text of the registry names no person: names, coordinators, join texts."""
    allowed = allowed_contacts(content.zones, content.plps)
    found: list[Problem] = []
    for zone in content.zones.values():
        shown, line = relpath(zone.source.path), zone.lines.get("names", zone.source.line)
        named = [(line, n) for n in zone.names.values()]
        named += [(c.line or line, n) for c in zone.communes for n in c.names.values()]
        for at, text in named:
            found += scan_personal_data(text, shown, at, allowed)
    for plp in content.plps.values():
        shown, line = relpath(plp.source.path), plp.source.line
        coordinator = plp.coordinator.name
        for text in plp.names.values():
            found += scan_personal_data(text, shown, plp.lines.get("names", line), allowed)
        name_line = plp.lines.get("coordinator.name", line)
        found += scan_personal_data(coordinator, shown, name_line, allowed)
        if plp.join:
            found += scan_personal_data(plp.join, shown, plp.lines.get("join", line), allowed)
        commune = content.communes.get(plp.commune_id)
        context = [*plp.names.values(), plp.slug, *(commune.names.values() if commune else ())]
        person = person_name(coordinator, context) if coordinator else None
        if person:
            found.append(
                Problem(
                    shown,
                    name_line,
                    f"the coordinator's display name '{coordinator}' looks like a person's "
                    f"name ('{person}')",
                    f"name the role, e.g. 'Coordination {plp.name(plp.languages[0])}' "
                    "(a first name alone is fine if the person agreed to show it)",
                )
            )
    return found


def check_note(text: str, shown: str, content: Content) -> list[Problem]:
    """A coordinator's note goes to every member and online: the same rules as a message."""
    contacts = allowed_contacts(content.zones, content.plps)
    found = character_problems(text, shown, 1)
    found += output_problems(text, shown, 1, "the note", markdown=True)
    found += scan_personal_data(text, shown, 1, contacts)
    found += check_urgency(text, shown, 1, heading=False)
    found += image_problems(text, shown, 1)
    return sorted(found)
