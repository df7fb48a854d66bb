"""Validation rules over content: one rule set, run by `plp check`, relied on by every output.

`text` (what every output can print), `personal` (nothing identifies people), `urgency`
(nothing urgent), `visible` (the text as readers see it), and here the rules that span
fields and files: a message's text, the registry's texts, targets, translations, pages.
"""

from __future__ import annotations

from ..errors import Problem, relpath
from ..model import Content
from .crossfile import check_targets, check_translations, required_pages
from .personal import Contacts, allowed_contacts, scan_personal_data
from .text import (
    character_problems,
    image_problems,
    name_problems,
    output_problems,
    visible_problems,
)
from .urgency import URGENT_FIX, check_urgency

__all__ = [
    "URGENT_FIX",
    "Contacts",
    "allowed_contacts",
    "character_problems",
    "check_content",
    "check_message_text",
    "check_note",
    "check_page_text",
    "image_problems",
    "name_problems",
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
        if key != "author":
            found += scan_personal_data(text, shown, line, contacts)
        if key in ("title", "author"):
            found += visible_problems(text, shown, line, key.title())
        if key in ("title", "summary"):
            found += check_urgency(text, shown, line)
    found += output_problems(body, shown, body_line, "the text", markdown=True)
    found += scan_personal_data(body, shown, body_line, contacts)
    found += check_urgency(body, shown, body_line)
    found += image_problems(body, shown, body_line)
    return found


def check_page_text(
    shown: str, fields: dict[str, Field], body_line: int, body: str, contacts: Contacts | None
) -> list[Problem]:
    """A static page: a visible title, and alt text on its images."""
    found: list[Problem] = []
    if "title" in fields:
        found += visible_problems(fields["title"][1], shown, fields["title"][0], "Title")
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
    found += required_pages(content.pages)
    return found


def _check_registry_text(content: Content) -> list[Problem]:
    """A PLP's join text is published: it names no person."""
    allowed = allowed_contacts(content.zones, content.plps)
    found: list[Problem] = []
    for plp in content.plps.values():
        if plp.join:
            found += scan_personal_data(
                plp.join, relpath(plp.source.path), plp.source.line, allowed
            )
    return found


def check_note(text: str, shown: str, content: Content) -> list[Problem]:
    """A coordinator's note goes to every member and online: the same rules as a message."""
    contacts = allowed_contacts(content.zones, content.plps)
    found = character_problems(text, shown, 1)
    found += output_problems(text, shown, 1, "the note", markdown=True)
    found += scan_personal_data(text, shown, 1, contacts)
    found += check_urgency(text, shown, 1)
    found += image_problems(text, shown, 1)
    return sorted(found)
