"""The built sample site, crawled as a reader and a feed reader would use it."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote, urlsplit

import feedparser
import pytest

from pipeline import urls
from pipeline.i18n import format_day, reporting_rule
from pipeline.site.feeds import FEED_ENTRIES
from pipeline.targeting import Targeting

from .conftest import SITE_URL, TODAY, parse_html

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def html_pages(out):
    return sorted(out.rglob("*.html"))


def test_every_internal_link_and_source_resolves_to_a_file(sample_site):
    out, _ = sample_site
    broken = []
    for page in html_pages(out):
        parsed = parse_html(page)
        for _tag, target, _attrs in parsed.links:
            parts = urlsplit(target)
            if parts.scheme or target.startswith("//"):
                continue
            if not parts.path:
                if parts.fragment and parts.fragment not in parsed.ids:
                    broken.append(f"{page.relative_to(out)}: #{parts.fragment}")
                continue
            # Rooted links (the 404 page's, served at any depth) start at the site's root,
            # which is output/ itself for SITE_URL.
            base = out if parts.path.startswith("/") else page.parent
            resolved = (base / unquote(parts.path).lstrip("/")).resolve()
            if target.endswith("/"):
                resolved = resolved / "index.html"
            if not resolved.is_file() or out.resolve() not in resolved.parents:
                broken.append(f"{page.relative_to(out)}: {target}")
    assert not broken, "\n".join(broken)


def test_every_active_plp_has_its_hub_in_each_of_its_languages_and_no_other(
    sample_site, sample_content
):
    out, _ = sample_site
    for plp in sample_content.plps.values():
        for lang in ("fr", "nl", "de", "en"):
            hub = out / urls.hub(lang, plp.slug)
            expected = plp.active and lang in plp.languages
            assert hub.is_file() == expected, f"{plp.slug} in {lang}: hub exists={hub.is_file()}"
            if expected:
                text = hub.read_text(encoding="utf-8")
                assert f"<h1>{html.escape(plp.name(lang), quote=False)}</h1>" in text
                assert 'type="application/rss+xml"' in text and 'href="feed.xml"' in text
                assert 'type="application/atom+xml"' in text and 'href="atom.xml"' in text


def _message_links(page, out):
    """Message keys a page links to (its lists), resolved against the output folder."""
    keys = set()
    for _tag, target, _attrs in parse_html(page).links:
        resolved = (page.parent / target).resolve().relative_to(out.resolve()).as_posix()
        match = re.fullmatch(r"(\w\w)/messages/([a-z0-9-]+)/index\.html", resolved)
        if match:
            keys.add(match[2])
    return keys


def test_every_message_appears_on_exactly_the_hubs_targeting_gives(
    sample_site, sample_content, targeting
):
    out, _ = sample_site
    for plp in (p for p in sample_content.plps.values() if p.active):
        for lang in plp.languages:
            expected = {
                m.key for m in targeting.messages_for(plp.slug, lang) if m.date.date() <= TODAY
            }
            shown = _message_links(out / urls.hub(lang, plp.slug), out)
            assert shown == expected, f"{plp.slug} ({lang})"


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_plp_feeds_are_valid_and_list_exactly_the_targeted_messages(
    sample_site, sample_content, targeting, kind
):
    out, _ = sample_site
    for plp in (p for p in sample_content.plps.values() if p.active):
        for lang in plp.languages:
            path = out / urls.plp_feed(lang, plp.slug, kind)
            feed = feedparser.parse(path.read_bytes())
            assert not feed.bozo, f"{path}: {feed.get('bozo_exception')}"
            expected = [
                urls.absolute(SITE_URL, urls.message(m.lang, m.key))
                for m in targeting.messages_for(plp.slug, lang, TODAY)[:FEED_ENTRIES]
            ]
            assert [e.link for e in feed.entries] == expected
            assert [e.id for e in feed.entries] == expected  # stable ids: the message's URL
            assert feed.feed.link == urls.absolute(SITE_URL, urls.hub(lang, plp.slug))
            self_links = [link.href for link in feed.feed.links if link.rel == "self"]
            assert self_links == [urls.absolute(SITE_URL, urls.plp_feed(lang, plp.slug, kind))]
            for entry in feed.entries:
                assert entry.content[0].value.strip(), "full content, not just a summary"
                assert "author" not in entry or "@" not in entry.author


def test_category_feeds_are_valid(sample_site):
    out, _ = sample_site
    feeds = sorted(out.glob("*/categories/*/*.xml"))
    assert feeds
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, f"{path}: {feed.get('bozo_exception')}"


def test_every_page_carries_the_reporting_rule_in_its_language(sample_site):
    out, _ = sample_site
    for page in html_pages(out):
        lang = parse_html(page).lang
        assert lang in ("fr", "nl", "de", "en"), page
        # As read: the numbers in it are links (tel:).
        text = html.unescape(re.sub(r"<[^>]*>", "", page.read_text(encoding="utf-8")))
        assert reporting_rule(lang) in text, page.relative_to(out)


def test_message_page_links_translations_shows_targets_and_validity(sample_site, sample_content):
    out, _ = sample_site
    versions = Targeting(sample_content).translations("dark-days-2026")
    message = versions["fr"]
    page = out / urls.message("fr", "dark-days-2026")
    parsed = parse_html(page)
    alternates = {
        a.get("hreflang"): target
        for tag, target, a in parsed.links
        if tag == "link" and a.get("rel") == "alternate" and a.get("hreflang")
    }
    assert alternates == {
        lang: "index.html"
        if lang == "fr"
        else f"../../../{lang}/messages/dark-days-2026/index.html"
        for lang in versions
    }
    visible = {target for tag, target, a in parsed.links if tag == "a" and a.get("hreflang")}
    assert visible == {v for k, v in alternates.items() if k != "fr"}
    text = page.read_text(encoding="utf-8")
    assert format_day(message.valid_until, "fr") in text
    assert "Tous les PLP de Belgique" in text  # targets: all
    assert f'<link rel="canonical" href="{SITE_URL}/fr/messages/dark-days-2026/">' in text


def test_expired_messages_are_marked(sample_site, sample_content):
    out, _ = sample_site
    expired = [m for m in sample_content.messages if m.expired(TODAY)]
    assert expired, "the sample content should hold an expired message"
    for m in expired:
        text = (out / urls.message(m.lang, m.key)).read_text(encoding="utf-8")
        assert 'class="expired-note"' in text
        assert format_day(m.valid_until, m.lang) in text


def test_output_holds_no_address_but_the_registry_role_addresses(sample_site, sample_content):
    out, _ = sample_site
    allowed = {p.coordinator.email.lower() for p in sample_content.plps.values()}
    allowed |= {z.email.lower() for z in sample_content.zones.values() if z.email}
    domains = {urlsplit(z.website).hostname.removeprefix("www.") for z in
               sample_content.zones.values()}  # fmt: skip
    found = set()
    for path in out.rglob("*"):
        if path.is_file():
            for address in EMAIL.findall(path.read_text(encoding="utf-8", errors="replace")):
                address = address.lower()
                if address not in allowed and address.split("@")[1] not in domains:
                    found.add((path.relative_to(out).as_posix(), address))
    assert not found


def test_output_holds_nothing_from_var(sample_site, sample_config):
    out, _ = sample_site
    names = {p.name for p in out.rglob("*")}
    assert not {n for n in names if n.endswith((".sqlite", ".csv", ".eml", ".db"))}
    assert not (out / "var").exists()


def test_sitemap_lists_every_page_once_with_absolute_urls(sample_site):
    out, _ = sample_site
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    expected = sorted(
        urls.absolute(SITE_URL, p.relative_to(out).as_posix())
        for p in html_pages(out)
        if not p.relative_to(out).as_posix().startswith(urls.ASSETS + "/")
        and p.relative_to(out).as_posix() != urls.NOT_FOUND  # the answer for a missing page
    )
    assert sorted(locs) == expected


def test_directory_lists_every_active_plp_by_commune_without_script(sample_site, sample_content):
    out, _ = sample_site
    for lang in ("fr", "nl", "de"):
        page = out / urls.directory(lang)
        text = page.read_text(encoding="utf-8")
        for plp in (p for p in sample_content.plps.values() if p.active):
            assert (
                f'href="{plp.slug}/index.html"' in text
                or any(f'href="{plp.slug}/index.html"' in text for _ in plp.languages)
                or f"/plp/{plp.slug}/index.html" in text
            ), plp.slug
            for code in plp.postcodes:
                assert code in text
        inactive = [p for p in sample_content.plps.values() if not p.active]
        for plp in inactive:
            assert f"/{plp.slug}/" not in text


def test_root_offers_each_language_and_a_search_that_lands_on_the_directory(sample_site):
    out, _ = sample_site
    parsed = parse_html(out / "index.html")
    targets = {target for _tag, target, _a in parsed.links}
    for lang in ("fr", "nl", "de"):
        assert f"{lang}/index.html" in targets
        assert f"{lang}/plp/index.html" in targets  # the form's action: works without a server


ATOM = "{http://www.w3.org/2005/Atom}"
RELATIVE_REF = re.compile(r'\b(?:href|src)="(?![a-z][a-z0-9+.-]*:)', re.IGNORECASE)


def test_feeds_follow_the_feed_validator_rules(sample_site):
    """The W3C Feed Validation Service's errors and warnings that our feeds could hit."""
    import xml.etree.ElementTree as ET

    out, _ = sample_site
    for path in sorted(out.rglob("feed.xml")):
        channel = ET.parse(path).getroot().find("channel")
        for name in ("title", "link", "description", "lastBuildDate"):
            assert channel.findtext(name), f"{path}: channel {name}"
        self_link = channel.find(f"{ATOM}link")
        assert self_link.get("rel") == "self" and self_link.get("type") == "application/rss+xml"
        guids = [item.findtext("guid") for item in channel.iter("item")]
        assert len(guids) == len(set(guids)), f"{path}: duplicate guid"
        for item in channel.iter("item"):
            assert item.find("guid").get("isPermaLink") == "true"
            assert item.findtext("title") and item.findtext("link") and item.findtext("pubDate")
            assert "<" not in item.findtext("title")  # nonhtml: titles are plain text
            assert item.find("author") is None  # RSS author must be an e-mail: never used
            for html_text in (item.findtext("description"), item.findtext(
                "{http://purl.org/rss/1.0/modules/content/}encoded")):  # fmt: skip
                assert not RELATIVE_REF.search(html_text or ""), f"{path}: relative URL"
    for path in sorted(out.rglob("atom.xml")):
        feed = ET.parse(path).getroot()
        for name in ("id", "title", "updated"):
            assert feed.findtext(f"{ATOM}{name}"), f"{path}: feed {name}"
        assert feed.findtext(f"{ATOM}author/{ATOM}name")
        assert feed.find(f".//{ATOM}email") is None
        rels = [(link.get("rel"), link.get("type")) for link in feed.findall(f"{ATOM}link")]
        assert rels == [("self", "application/atom+xml"), ("alternate", "text/html")]
        entries = feed.findall(f"{ATOM}entry")
        for unique in ("id", "updated"):
            values = [entry.findtext(f"{ATOM}{unique}") for entry in entries]
            assert len(values) == len(set(values)), f"{path}: two entries share {unique}"
        for entry in entries:
            content = entry.find(f"{ATOM}content")
            assert content.get("type") == "html" and not RELATIVE_REF.search(content.text)
