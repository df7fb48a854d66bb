"""Plain values the templates show: a message, a PLP entry, a target, ready to print."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from .. import urls
from ..i18n import category_name, format_day, gettext_for
from ..model import Category, Content, Message, Plp, TargetKind


@dataclass(frozen=True)
class MessageView:
    """A message as pages and feeds show it: dates formatted, body rendered and sanitised."""

    key: str
    lang: str
    title: str
    path: str
    published: datetime
    date: str
    iso_date: str
    category: Category
    category_name: str
    summary: str | None
    html: str
    author: str
    valid_until: str | None
    expired: bool


@dataclass(frozen=True)
class TargetView:
    """One named target of a message, with its hub when the build has one."""

    label: str
    path: str | None = None


class Views:
    """Builds (and memoises) the views of one build; Markdown goes through the render cache."""

    def __init__(self, content: Content, today: date, render: Callable[[str], str]):
        self.content = content
        self.today = today
        self.render = render
        self._messages: dict[tuple[str, str], MessageView] = {}

    def message(self, m: Message) -> MessageView:
        """The view of a message, built once per build."""
        view = self._messages.get((m.key, m.lang))
        if view is None:
            view = self._messages[m.key, m.lang] = MessageView(
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
                html=self.render(m.body),
                author=m.author,
                valid_until=format_day(m.valid_until, m.lang) if m.valid_until else None,
                expired=m.expired(self.today),
            )
        return view

    def targets(self, m: Message, hub_langs: Callable[[Plp], bool]) -> list[TargetView]:
        """Who a message is for, named in the page's language (zones, communes, PLPs)."""
        _ = gettext_for(m.lang, "site")
        shown = []
        for t in m.targets:
            if t.kind is TargetKind.ALL:
                shown.append(TargetView(_("Every PLP in Belgium")))
            elif t.kind is TargetKind.ZONE and t.value in self.content.zones:
                shown.append(TargetView(self.content.zones[t.value].name(m.lang)))
            elif t.kind is TargetKind.COMMUNE and t.value in self.content.communes:
                commune = self.content.communes[t.value]
                shown.append(TargetView(_("Commune of {name}").format(name=commune.name(m.lang))))
            elif t.kind is TargetKind.PLP and t.value in self.content.plps:
                plp = self.content.plps[t.value]
                path = urls.hub(m.lang, plp.slug) if hub_langs(plp) else None
                shown.append(TargetView(plp.name(m.lang), path))
        return shown
