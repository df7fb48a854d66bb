"""RSS 2.0 and Atom feeds with feedgen: per PLP and language, per category and language."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator

from .. import urls
from ..i18n import category_name, gettext_for
from ..markup import plain_text as plain
from ..model import CATEGORY_ORDER
from .scope import Scope
from .views import SiteMessageView, Views

FEED_ENTRIES = 20
"""Newest in-force messages per feed: readers poll often, the archive is on the site."""


@dataclass(frozen=True)
class FeedSpec:
    """One feed, written twice: RSS 2.0 at `rss` and Atom at `atom`, announcing `page`."""

    rss: str
    atom: str
    page: str
    lang: str
    title: str
    description: str
    author: str
    entries: tuple[SiteMessageView, ...]
    today: date


def all_feeds(scope: Scope, views: Views) -> Iterator[FeedSpec]:
    """Every feed of the build: exactly the in-force messages targeting gives, newest first."""
    for plp in scope.plps:
        for lang in plp.languages:
            if lang not in scope.languages:
                continue
            _ = gettext_for(lang, "site")
            name = plp.name(lang)
            yield FeedSpec(
                rss=urls.plp_feed(lang, plp.slug),
                atom=urls.plp_feed(lang, plp.slug, "atom"),
                page=urls.hub(lang, plp.slug),
                lang=lang,
                title=name,
                description=_("Non-urgent prevention messages from the police for {name}").format(
                    name=name
                ),
                author=scope.content.zone_of(plp).name(lang),
                entries=tuple(views.message(m) for m in scope.in_force(plp, lang)[:FEED_ENTRIES]),
                today=scope.today,
            )
    for lang in scope.message_languages:
        _ = gettext_for(lang, "site")
        for category in CATEGORY_ORDER:
            listed = [
                m
                for m in scope.messages
                if m.lang == lang and m.category == category and m.in_force(scope.today)
            ][:FEED_ENTRIES]
            name = category_name(category, lang)
            yield FeedSpec(
                rss=urls.category_feed(lang, category),
                atom=urls.category_feed(lang, category, "atom"),
                page=urls.category(lang, category),
                lang=lang,
                title=name,
                description=_("{category}: non-urgent prevention messages from the police").format(
                    category=name
                ),
                author=_("Belgian police"),
                entries=tuple(views.message(m) for m in listed),
                today=scope.today,
            )


def render_feed(spec: FeedSpec, site_url: str, tz: str) -> tuple[bytes, bytes]:
    """The RSS and Atom documents of one feed."""
    zone = ZoneInfo(tz)
    fg = FeedGenerator()
    page_url = urls.absolute(site_url, spec.page)
    fg.id(page_url)
    # Names are plain text (the registry refuses markup in them); like entry titles they go
    # through `plain`, since readers differ on whether an RSS title or description is HTML.
    fg.title(plain(spec.title))
    fg.subtitle(plain(spec.description))  # RSS <description>
    fg.language(spec.lang)
    # Atom requires an author; a service name only: no e-mail address in any feed.
    fg.author({"name": plain(spec.author)})
    updated = _distinct_updates(spec.entries, zone)
    # Dated by its newest message, not by the clock: an unchanged feed keeps the same bytes.
    fg.updated(max(updated, default=None) or datetime.combine(spec.today, time(), zone))
    for m, stamp in zip(reversed(spec.entries), reversed(updated), strict=True):
        # feedgen prepends: add oldest first, so the newest ends on top
        entry = fg.add_entry()
        url, title, summary, content, author = _entry_texts(m, site_url)
        entry.guid(url, permalink=True)  # also the Atom id: the message's stable public URL
        entry.title(title)
        entry.link(href=url, rel="alternate")
        entry.published(_stamp(m.published, zone))
        entry.updated(stamp)
        entry.author({"name": author})  # Atom only: RSS <author> would need an e-mail
        entry.category(term=str(m.category), label=m.category_name)
        if summary:
            entry.summary(summary)
        entry.content(content, type="html")
    # feedgen quirk: the self link must come first, or RSS <link> becomes the feed's own URL.
    fg.link(href=urls.absolute(site_url, spec.rss), rel="self", type="application/rss+xml")
    fg.link(href=page_url, rel="alternate", type="text/html")
    # Not pretty-printed: feeds are for programs, and indenting cost 0.4 ms per feed pair.
    rss = fg.rss_str(pretty=False)
    atom_self = {
        "href": urls.absolute(site_url, spec.atom),
        "rel": "self",
        "type": "application/atom+xml",
    }
    fg.link([atom_self, {"href": page_url, "rel": "alternate", "type": "text/html"}], replace=True)
    return rss, fg.atom_str(pretty=False)


_LINK = re.compile(r'\b(href|src)="([^"]*)"')


def absolutise(fragment: str, base: str) -> str:
    """Make relative links absolute: a feed reader has no page to resolve them against."""

    def fix(match: re.Match[str]) -> str:
        value = html.unescape(match[2])
        if urlsplit(value).scheme:
            return match[0]
        return f'{match[1]}="{html.escape(urljoin(base, value))}"'

    return _LINK.sub(fix, fragment)


@functools.lru_cache(maxsize=8192)
def _entry_texts(m: SiteMessageView, site_url: str) -> tuple[str, str, str | None, str, str]:
    """URL, plain title, plain summary, absolute-link HTML and plain author of an entry.

    A national message sits in a thousand PLP feeds: cleaning it once, not per feed, halves
    the feed time.
    """
    url = urls.absolute(site_url, m.path)
    summary = plain(m.summary) if m.summary else None
    return url, plain(m.title), summary, absolutise(m.html, url), plain(m.author)


def _distinct_updates(entries: tuple[SiteMessageView, ...], zone: ZoneInfo) -> list[datetime]:
    """atom:updated per entry, in entry order; same-day messages are a second apart.

    Messages carry a date, not a time, and the feed validator warns when two entries share
    atom:updated: ties are broken by whole seconds, oldest entry first, deterministically.
    """
    taken: set[datetime] = set()
    stamps: dict[int, datetime] = {}
    for index in reversed(range(len(entries))):
        stamp = _stamp(entries[index].published, zone)
        while stamp in taken:
            stamp += timedelta(seconds=1)
        taken.add(stamp)
        stamps[index] = stamp
    return [stamps[i] for i in range(len(entries))]


def _stamp(when: datetime, zone: ZoneInfo) -> datetime:
    return when.replace(tzinfo=zone) if when.tzinfo is None else when
