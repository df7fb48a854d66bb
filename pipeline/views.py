"""A message as every output shows it (site page, feed entry, e-mail bulletin), ready to print."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Self

from . import urls
from .i18n import category_name, format_day
from .model import Category, Message


@dataclass(frozen=True)
class MessageView:
    """What every output says about a message: title, dates, category, summary and author.

    Built in one place, so a page, a feed entry and a bulletin cannot name the same message
    differently. Each output adds what is its own (see site/views.py, bulletin/render.py).
    """

    key: str
    lang: str
    title: str
    path: str
    """Its page under output/; `urls.absolute(site_url, path)` is the link every output gives."""
    published: datetime
    date: str
    iso_date: str
    category: Category
    category_name: str
    summary: str | None
    author: str
    valid_until: str | None

    @classmethod
    def of(cls, m: Message, **more: Any) -> Self:
        """The view of `m`; `more` fills the fields a subclass adds."""
        return cls(
            key=m.key,
            lang=m.lang,
            title=m.title,
            path=urls.message(m.lang, m.key),
            published=m.date,
            date=format_day(m.date, m.lang),
            iso_date=m.date.date().isoformat(),
            category=m.category,
            category_name=category_name(m.category, m.lang),
            summary=m.summary,
            author=m.author,
            valid_until=format_day(m.valid_until, m.lang) if m.valid_until else None,
            **more,
        )
