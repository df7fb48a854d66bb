"""Markdown → sanitised HTML: one rendering for site, feeds and bulletins, so they cannot
drift; and the plain-text form of a title or name, shared by the feeds and the checks."""

from __future__ import annotations

import html as html_module

import markdown
import nh3

# Allow-list: what prevention messages need, nothing that runs (no script, style, event
# handler, iframe, form). Links may only use these schemes; `javascript:` is never kept.
TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre",
    "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_md = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


def render_markdown(text: str) -> str:
    """Render Markdown and keep only allow-listed, inert HTML."""
    html = _md.reset().convert(text)
    return sanitise(html)


def sanitise(html: str) -> str:
    """Strip everything executable from HTML (scripts, handlers, javascript: URLs)."""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def plain_text(text: str) -> str:
    """Text safe in any reader, for feed titles and names: many render an RSS title as HTML.

    Markup is dropped and no `<` (even from a decoded entity) is left for a reader to
    interpret. The checks use it too: a title must keep visible text once so reduced.
    """
    stripped = html_module.unescape(
        nh3.clean(text, tags=set(), clean_content_tags={"script", "style"})
    )
    return stripped.replace("<", "‹").replace(">", "›").strip()
