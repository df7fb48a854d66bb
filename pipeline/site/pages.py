"""Every HTML page of the site as (path, template, context): one function per page type."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .. import urls
from ..i18n import category_name, format_day, gettext_for, kind_name, reporting_rule
from ..model import CATEGORY_ORDER, Category, Message, Plp, TargetKind
from .bulletins import WebBulletin
from .scope import Scope, is_national
from .views import Views

HUB_LATEST = 30
"""In-force messages listed on a hub; older ones are in its archive list (titles only)."""
HUB_ARCHIVE = 30
HOME_LATEST = 20


@dataclass(frozen=True)
class PageSpec:
    """One page to render: where it goes, with which template, and what it shows."""

    path: str
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    alternates: tuple[tuple[str, str], ...] = ()
    """(lang, path) of this page in other languages, for hreflang links."""
    feeds: tuple[tuple[str, str, str], ...] = ()
    """(title, path, MIME type) announced with <link rel="alternate">."""
    description: str | None = None
    """One or two sentences for search engines and link previews."""


def all_pages(
    scope: Scope, views: Views, bulletins: list[WebBulletin], site_name: str
) -> Iterator[PageSpec]:
    """The pages of one build, in no particular order."""
    yield root_page(scope, site_name)
    yield not_found_page(scope)
    for lang in scope.languages:
        yield home_page(scope, views, lang)
        yield directory_page(scope, lang)
        if lang in scope.message_languages:
            for category in CATEGORY_ORDER:
                yield category_page(scope, views, lang, category)
        yield from static_pages(scope, views, lang)
    by_plp: dict[tuple[str, str], list[WebBulletin]] = defaultdict(list)
    for b in bulletins:
        by_plp[b.plp, b.lang].append(b)
    for plp in scope.plps:
        for lang in plp.languages:
            if lang in scope.languages:
                yield hub_page(scope, views, plp, lang, by_plp.get((plp.slug, lang), []))
    for m in scope.messages:
        yield message_page(scope, views, m)
    for b in bulletins:
        yield bulletin_page(scope, b)


def root_page(scope: Scope, site_name: str) -> PageSpec:
    """index.html: a language choice, each with a search that lands on its directory."""
    choices = []
    for lang in scope.languages:
        _ = gettext_for(lang, "site")
        choices.append(
            _in_every_language(lang)
            | {
                "intro": _("Prevention messages from the police, in your language."),
                "find_label": _("Find your PLP by commune or postcode"),
                "search": _("Search"),
            }
        )
    return PageSpec(
        urls.ROOT, "root.html", site_name, {"choices": choices, "brand_path": urls.ROOT}
    )


def not_found_page(scope: Scope) -> PageSpec:
    """404.html: what the web server answers for a page that does not exist, in every language.

    It is served at any address, so its links are rooted at the site's path (Renderer).
    """
    choices = []
    for lang in scope.languages:
        _ = gettext_for(lang, "site")
        choices.append(
            _in_every_language(lang)
            | {
                "not_found": _("Page not found"),
                "explain": _(
                    "This page does not exist, or no longer does. Messages and PLPs are "
                    "listed from the home page."
                ),
                "go_home": _("Go to the home page"),
                "find": _("Find your PLP"),
            }
        )
    return PageSpec(
        urls.NOT_FOUND, "404.html", "404", {"choices": choices, "brand_path": urls.ROOT}
    )


def _in_every_language(lang: str) -> dict[str, str]:
    """What a page in every language (root, 404) says in each: links, the rule, the footer."""
    _ = gettext_for(lang, "site")
    return {
        "lang": lang,
        "home": urls.home(lang),
        "directory": urls.directory(lang),
        "rule": reporting_rule(lang),
        "numbers": _("Police: 101 · emergency: 112"),
        "footer": _(
            "Non-urgent prevention information from the police for Local Prevention "
            "Partnerships (PLP/BIN)."
        ),
    }


def home_page(scope: Scope, views: Views, lang: str) -> PageSpec:
    """{lang}/index.html: national messages in force, then the latest local ones."""
    _ = gettext_for(lang, "site")
    in_force = [m for m in scope.messages if m.lang == lang and m.in_force(scope.today)]
    national = [views.message(m) for m in in_force if is_national(m)]
    local = [views.message(m) for m in in_force if not is_national(m)][:HOME_LATEST]
    # A language the site speaks but the police do not write in (English): its readers are
    # sent to the messages in the other languages, with how many each has in force.
    elsewhere = []
    if lang not in scope.message_languages:
        for other in scope.message_languages:
            count = sum(1 for m in scope.messages if m.lang == other and m.in_force(scope.today))
            elsewhere.append((other, urls.home(other), count))
    return PageSpec(
        urls.home(lang),
        "home.html",
        _("Prevention messages from the police"),
        {
            "elsewhere": elsewhere,
            "national": national,
            "local": local,
            "categories": [
                (c, category_name(c, lang), urls.category(lang, c))
                for c in CATEGORY_ORDER
                if lang in scope.message_languages
            ],
        },
        alternates=tuple((other, urls.home(other)) for other in scope.languages),
    )


def directory_page(scope: Scope, lang: str) -> PageSpec:
    """Every PLP once, grouped by commune: the no-script list the search script filters."""
    _ = gettext_for(lang, "site")
    groups: dict[str, dict[str, Any]] = {}
    for plp in scope.plps:
        commune = scope.content.commune_of(plp)
        group = groups.setdefault(
            commune.id,
            {"name": commune.name(lang), "postcodes": " ".join(commune.postcodes), "plps": []},
        )
        # The name leads to the hub in the page's language when the PLP has one, else in its
        # first language; its other languages follow as codes.
        hub_lang = lang if lang in plp.languages else plp.languages[0]
        others = [(o, urls.hub(o, plp.slug)) for o in plp.languages if o != hub_lang]
        terms = {plp.slug, *plp.names.values(), *commune.names.values(), *plp.postcodes}
        group["plps"].append(
            {
                "name": plp.name(lang),
                "lang": lang if lang in plp.names else plp.languages[0],
                "kind": kind_name(plp.kind, lang),
                "postcodes": " ".join(plp.postcodes),
                "hub": urls.hub(hub_lang, plp.slug),
                "hub_lang": hub_lang,
                "hubs": others,
                "terms": " ".join(sorted(terms)).casefold(),
            }
        )
    ordered = sorted(groups.values(), key=lambda g: g["name"].casefold())
    return PageSpec(
        urls.directory(lang),
        "directory.html",
        _("Find your PLP"),
        {"groups": ordered, "count": len(scope.plps)},
        alternates=tuple((other, urls.directory(other)) for other in scope.languages),
    )


def hub_page(
    scope: Scope, views: Views, plp: Plp, lang: str, bulletins: list[WebBulletin]
) -> PageSpec:
    """{lang}/plp/{slug}/: what the PLP receives, its contacts, how to join, its feeds."""
    _ = gettext_for(lang, "site")
    zone = scope.content.zone_of(plp)
    inbox = scope.inbox(plp, lang)
    in_force = [m for m in inbox if m.in_force(scope.today)]
    earlier = [m for m in inbox if not m.in_force(scope.today)]
    counts: dict[Category, int] = defaultdict(int)
    for m in inbox:
        counts[m.category] += 1
    return PageSpec(
        urls.hub(lang, plp.slug),
        "hub.html",
        plp.name(lang),
        {
            "plp": plp,
            "plp_name": plp.name(lang),
            "kind": kind_name(plp.kind, lang),
            "commune": scope.content.commune_of(plp).name(lang),
            "zone": zone,
            "zone_name": zone.name(lang),
            "zone_website": zone.website if zone.website.startswith("https://") else None,
            "founded": format_day(plp.founded, lang) if plp.founded else None,
            # The join text is written in the PLP's first language; other hubs show it as such.
            "join_html": views.render(plp.join) if plp.join else None,
            "join_lang": plp.languages[0],
            "latest": [views.message(m) for m in in_force[:HUB_LATEST]],
            "earlier": [views.message(m) for m in earlier[:HUB_ARCHIVE]],
            "categories": [
                (c, category_name(c, lang), urls.category(lang, c), counts[c])
                for c in CATEGORY_ORDER
                if counts[c]
            ],
            "bulletins": sorted(bulletins, key=lambda b: b.number, reverse=True),
            "feed": urls.plp_feed(lang, plp.slug),
            "atom": urls.plp_feed(lang, plp.slug, "atom"),
        },
        alternates=tuple((other, urls.hub(other, plp.slug)) for other in plp.languages),
        feeds=(
            (_("RSS feed"), urls.plp_feed(lang, plp.slug), "application/rss+xml"),
            (_("Atom feed"), urls.plp_feed(lang, plp.slug, "atom"), "application/atom+xml"),
        ),
    )


def message_page(scope: Scope, views: Views, m: Message) -> PageSpec:
    """{lang}/messages/{key}/: the message, who it is for, its validity and translations."""
    translations = scope.targeting.translations(m.key)
    alternates = tuple(
        (lang, urls.message(lang, m.key))
        for lang in scope.languages
        if lang in translations and scope.has_message(m.key, lang)
    )
    with_hub = {p.slug for p in scope.plps}
    # A zone or a commune is named, and its PLPs that receive this version are linked; a PLP
    # target is a link itself, "every PLP" leads to the directory.
    concerned = []
    if any(t.kind in (TargetKind.ZONE, TargetKind.COMMUNE) for t in m.targets):
        reached = [p for p in scope.targeting.plps_for_message(m) if p.slug in with_hub]
        concerned = sorted(
            ((p.name(m.lang), urls.hub(m.lang, p.slug)) for p in reached),
            key=lambda named: named[0].casefold(),
        )
    return PageSpec(
        urls.message(m.lang, m.key),
        "message.html",
        m.title,
        {
            "message": views.message(m),
            "targets": views.targets(m, lambda p: p.slug in with_hub and m.lang in p.languages),
            "concerned": concerned,
            "translations": [
                (lang, translations[lang].title, path)
                for lang, path in alternates
                if lang != m.lang
            ],
        },
        alternates=alternates,
        description=m.summary,
    )


def category_page(scope: Scope, views: Views, lang: str, category: Category) -> PageSpec:
    """{lang}/categories/{category}/: the archive of one kind of message, with its feeds."""
    _ = gettext_for(lang, "site")
    listed = [views.message(m) for m in scope.messages if m.lang == lang and m.category == category]
    return PageSpec(
        urls.category(lang, category),
        "category.html",
        category_name(category, lang),
        {"messages": listed, "category": category},
        alternates=tuple(
            (other, urls.category(other, category)) for other in scope.message_languages
        ),
        feeds=(
            (_("RSS feed"), urls.category_feed(lang, category), "application/rss+xml"),
            (_("Atom feed"), urls.category_feed(lang, category, "atom"), "application/atom+xml"),
        ),
    )


def static_pages(scope: Scope, views: Views, lang: str) -> Iterator[PageSpec]:
    """{lang}/about/, report/, privacy/: those written in content/pages for this language."""
    pages = {(p.key, p.lang): p for p in scope.content.pages}
    for key in urls.STATIC_PAGES:
        page = pages.get((key, lang))
        if page is None:
            continue
        yield PageSpec(
            urls.page(lang, key),
            "page.html",
            page.title,
            {"summary": page.summary, "html": views.render(page.body), "key": key},
            description=page.summary,
            alternates=tuple(
                (other, urls.page(other, key)) for other in scope.languages if (key, other) in pages
            ),
        )


def bulletin_page(scope: Scope, b: WebBulletin) -> PageSpec:
    """{lang}/plp/{slug}/bulletins/{n}/: the web version of a sent bulletin."""
    plp = scope.content.plps[b.plp]
    return PageSpec(
        urls.bulletin(b.lang, b.plp, b.number),
        "bulletin.html",
        b.subject,
        {
            "bulletin": b,
            "date": format_day(b.date, b.lang),
            "iso_date": b.date.isoformat()[:10],
            "html": b.html_fragment,  # sanitised, links made relative (bulletins.web_fragment)
            "plp_name": plp.name(b.lang),
            "hub": urls.hub(b.lang, b.plp),
        },
    )
