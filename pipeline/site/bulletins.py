"""The pages of sent bulletins: their web versions placed in the site, links made relative."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

import nh3

from .. import urls
from ..bulletin.web import WebBulletin
from ..config import Config
from ..markup import ATTRIBUTES, TAGS, URL_SCHEMES
from .scope import Scope


def place_bulletins(
    config: Config, scope: Scope, bulletins: Iterable[WebBulletin]
) -> list[WebBulletin]:
    """The sent bulletins of the PLPs and languages in scope, their fragments ready for their
    page: every one gets a page under its PLP's hub."""
    slugs = {p.slug: p for p in scope.plps}
    found = []
    for item in bulletins:
        plp = slugs.get(item.plp)
        if plp is None or item.lang not in plp.languages or item.lang not in scope.languages:
            continue
        page = urls.bulletin(item.lang, plp.slug, item.number)
        html = web_fragment(item.html_fragment, config.site_url, page)
        found.append(dataclasses.replace(item, html_fragment=html))
    return found


# Bulletins sent before each message became an <article> (kept as sent, in var/): a <header>
# repeating the subject and date, then per message a <section> with its category line above
# its heading and a "read on the website" link. Their pages get the same structure as new ones.
_OLD_WRAPPER = re.compile(r'^\s*<article class="bulletin"[^>]*>(.*)</article>\s*$', re.S)
_OLD_MESSAGE = re.compile(
    r'<section class="bulletin-message">\s*<p class="bulletin-category">(.*?)</p>\s*'
    r'<h2><a href="([^"]*)">(.*?)</h2>(.*?)(?:<p><a href="\2">[^<]*</a></p>\s*)?</section>',
    re.S,
)
_SITE_LINK = '(href|src)="{}(/[^"#?]*)?([#?][^"]*)?"'


def web_fragment(html: str, site_url: str, page: str) -> str:
    """A bulletin's web version as its page shows it: one article per message, nothing that
    runs, and links into the site relative to `page` (the e-mail's are absolute), so the site
    also works from another address or from disk (file://)."""
    old = _OLD_WRAPPER.match(html)
    if old:
        html = _OLD_MESSAGE.sub(
            r'<article><h2><a href="\2">\3</h2><p class="meta">\1</p>\4</article>', old.group(1)
        )
    html = nh3.clean(
        html,
        tags=TAGS | {"article", "section"},
        clean_content_tags={"script", "style", "header"},  # the old header repeated the title
        attributes=ATTRIBUTES,
        allowed_classes={"p": {"meta"}},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )

    def relative(match: re.Match) -> str:
        path = (match.group(2) or "/").lstrip("/")
        if not path or path.endswith("/"):
            path += "index.html"  # a folder link would not find its index from disk
        return f'{match.group(1)}="{urls.relative(path, page)}{match.group(3) or ""}"'

    return re.sub(_SITE_LINK.format(re.escape(site_url.rstrip("/"))), relative, html)
