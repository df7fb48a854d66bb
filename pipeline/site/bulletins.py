"""Web versions of sent bulletins, when the bulletin package provides them (optional hook)."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from datetime import date, datetime

from ..config import Config
from .scope import Scope


@dataclass(frozen=True)
class WebBulletin:
    """One sent edition of a PLP's bulletin, as its web page shows it."""

    plp: str
    number: int
    lang: str
    date: date | datetime
    subject: str
    html_fragment: str


def sent_bulletins(config: Config, scope: Scope) -> list[WebBulletin]:
    """Sent bulletins of the PLPs in scope, from `pipeline.bulletin.web` if it exists.

    The site builds without the bulletin package (it is written separately); once it is there,
    every bulletin it reports as sent gets a page under its PLP's hub.
    """
    if importlib.util.find_spec("pipeline.bulletin") is None:
        return []
    if importlib.util.find_spec("pipeline.bulletin.web") is None:
        return []
    web = importlib.import_module("pipeline.bulletin.web")
    slugs = {p.slug: p for p in scope.plps}
    found = []
    for item in web.sent_bulletins(config):
        plp = slugs.get(item.plp if isinstance(item.plp, str) else item.plp.slug)
        if plp is None or item.lang not in plp.languages or item.lang not in scope.languages:
            continue
        found.append(
            WebBulletin(
                plp.slug, int(item.number), item.lang, item.date, item.subject, item.html_fragment
            )
        )
    return found
