"""Web versions of sent bulletins, for the site: no greeting, no token, no personal field.

Kept free of the rendering imports (MJML, premailer): the site build imports this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .store import Draft


@dataclass(frozen=True)
class WebBulletin:
    """One sent edition, as the site shows it at {lang}/plp/{plp}/bulletins/{number}/."""

    plp: str
    number: int
    lang: str
    date: date
    subject: str
    html_fragment: str
    """Sanitised HTML (note and messages), to place inside the site's page."""


def web_editions(sent: Iterable[Draft]) -> Iterator[WebBulletin]:
    """The editions of these sent bulletins, in order."""
    for draft in sent:
        for edition in draft.editions:
            yield WebBulletin(
                plp=draft.plp,
                number=draft.number,
                lang=edition.lang,
                date=draft.date,
                subject=edition.subject,
                html_fragment=draft.web_html(edition.lang),
            )
