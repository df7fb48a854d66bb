"""Web versions of sent bulletins, for the site: no greeting, no token, no personal field."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from ..config import Config
from .store import BulletinStore


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

    @property
    def path(self) -> str:
        """Where the page goes under output/."""
        return f"{self.lang}/plp/{self.plp}/bulletins/{self.number}/index.html"


def sent_bulletins(config: Config) -> Iterator[WebBulletin]:
    """Every sent bulletin's editions, by PLP, number and language."""
    for draft in BulletinStore(config).sent():
        for edition in draft.editions:
            yield WebBulletin(
                plp=draft.plp,
                number=draft.number,
                lang=edition.lang,
                date=draft.date,
                subject=edition.subject,
                html_fragment=draft.web_html(edition.lang),
            )
