"""Plain values the site's templates show: a message with its body, a target, ready to print."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .. import urls
from ..i18n import gettext_for
from ..model import Content, Message, Plp, TargetKind
from ..views import MessageView


@dataclass(frozen=True)
class SiteMessageView(MessageView):
    """A message as pages and feeds show it: the shared view, its body and whether it expired.

    The body is the site's own: the whole Markdown, rendered through the build's render cache.
    A bulletin shows the summary instead, renders for e-mail (bulletin/render.py) and carries
    only messages in force on its date: those two fields stay here.
    """

    html: str
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
        self._messages: dict[tuple[str, str], SiteMessageView] = {}

    def message(self, m: Message) -> SiteMessageView:
        """The view of a message, built once per build."""
        view = self._messages.get((m.key, m.lang))
        if view is None:
            view = self._messages[m.key, m.lang] = SiteMessageView.of(
                m, html=self.render(m.body), expired=m.expired(self.today)
            )
        return view

    def targets(self, m: Message, hub_langs: Callable[[Plp], bool]) -> list[TargetView]:
        """Who a message is for, named in the page's language (zones, communes, PLPs)."""
        _ = gettext_for(m.lang, "site")
        shown = []
        for t in m.targets:
            if t.kind is TargetKind.ALL:
                shown.append(TargetView(_("Every PLP in Belgium"), urls.directory(m.lang)))
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
