"""sitemap.xml: every HTML page's public URL, with hreflang alternates between translations."""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

from .. import urls
from .pages import PageSpec


def sitemap(pages: Iterable[PageSpec], site_url: str) -> str:
    """The sitemap document, in page-path order so it only changes when the site does."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for page in sorted(pages, key=lambda p: p.path):
        if page.path == urls.NOT_FOUND:
            continue  # not a page of its own: the answer for a missing one
        lines.append(f"<url><loc>{escape(urls.absolute(site_url, page.path))}</loc>")
        if len(page.alternates) > 1:
            for lang, path in page.alternates:
                href = quoteattr(urls.absolute(site_url, path))
                lines.append(f'<xhtml:link rel="alternate" hreflang="{lang}" href={href}/>')
        lines.append("</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
