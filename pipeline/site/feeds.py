"""RSS 2.0 and Atom feeds with feedgen: per PLP and language, per category and language."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator

from ..i18n import category_name, gettext_for
from ..model import CATEGORY_ORDER, Message
from . import urls
from .scope import Scope
from .views import Views

FEED_ENTRIES = 20
"""Newest in-force messages per feed: readers poll often, the archive is on the site."""


def all_feeds(scope: Scope, views: Views, site_url: str, tz: str) -> Iterator[tuple[str, bytes]]:
    """(path, bytes) of every feed of the build."""
    zone = ZoneInfo(tz)
    for plp in scope.plps:
        for lang in plp.languages:
            if lang not in scope.languages:
                continue
            _ = gettext_for(lang, "site")
            entries = scope.in_force(plp, lang)[:FEED_ENTRIES]
            yield from _pair(
                views,
                site_url,
                zone,
                lang,
                title=plp.name(lang),
                description=_("Non-urgent prevention messages from the police for {name}").format(
                    name=plp.name(lang)
                ),
                page=urls.hub(lang, plp.slug),
                rss=urls.plp_feed(lang, plp.slug),
                atom=urls.plp_feed(lang, plp.slug, "atom"),
                author=scope.content.zone_of(plp).name(lang),
                messages=entries,
                today=scope.today,
            )
    for lang in scope.languages:
        _ = gettext_for(lang, "site")
        for category in CATEGORY_ORDER:
            entries = [
                m
                for m in scope.messages
                if m.lang == lang and m.category == category and m.in_force(scope.today)
            ][:FEED_ENTRIES]
            name = category_name(category, lang)
            yield from _pair(
                views,
                site_url,
                zone,
                lang,
                title=name,
                description=_("{category}: non-urgent prevention messages from the police").format(
                    category=name
                ),
                page=urls.category(lang, category),
                rss=urls.category_feed(lang, category),
                atom=urls.category_feed(lang, category, "atom"),
                author=_("Belgian police"),
                messages=entries,
                today=scope.today,
            )


def _pair(
    views: Views,
    site_url: str,
    zone: ZoneInfo,
    lang: str,
    *,
    title: str,
    description: str,
    page: str,
    rss: str,
    atom: str,
    author: str,
    messages: list[Message],
    today,
) -> Iterator[tuple[str, bytes]]:
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=False)
    page_url = urls.absolute(site_url, page)
    fg.id(page_url)
    fg.title(title)
    fg.subtitle(description)  # RSS <description>
    fg.language(lang)
    # Atom requires an author; a service name only: no e-mail address in any feed.
    fg.author({"name": author})
    # Feeds change only when their messages do, so an unchanged feed is not rewritten.
    fg.updated(
        max((_stamp(m.date, zone) for m in messages), default=None)
        or datetime.combine(today, time(), zone)
    )
    for m in reversed(messages):  # feedgen prepends: add oldest first, newest ends on top
        view = views.message(m)
        entry = fg.add_entry()
        url = urls.absolute(site_url, view.path)
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.title(m.title)
        entry.link(href=url, rel="alternate")
        entry.published(_stamp(m.date, zone))
        entry.updated(_stamp(m.date, zone))
        entry.author({"name": m.author})  # Atom only: RSS <author> would need an e-mail
        entry.category(term=str(m.category), label=view.category_name)
        if m.summary:
            entry.summary(m.summary)
        entry.content(view.html, type="html")
    # feedgen quirk: the self link must come first, or RSS <link> becomes the feed's own URL.
    fg.link(href=urls.absolute(site_url, rss), rel="self", type="application/rss+xml")
    fg.link(href=page_url, rel="alternate", type="text/html")
    yield rss, fg.rss_str(pretty=True)
    fg.link(
        [
            {"href": urls.absolute(site_url, atom), "rel": "self", "type": "application/atom+xml"},
            {"href": page_url, "rel": "alternate", "type": "text/html"},
        ],
        replace=True,
    )
    yield atom, fg.atom_str(pretty=True)


def _stamp(when: datetime, zone: ZoneInfo) -> datetime:
    return when.replace(tzinfo=zone) if when.tzinfo is None else when
