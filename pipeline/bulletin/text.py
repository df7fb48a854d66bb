"""The plain-text part: sanitised message HTML → wrapped text, links listed at the end as [n]."""

from __future__ import annotations

import re
import textwrap
from html.parser import HTMLParser

from jinja2 import Environment, Template

WIDTH = 76
"""Columns of the text part (RFC 5322 asks for at most 78)."""

_SPACES = re.compile(r"\s+")
_BLOCKS = {
    "p", "div", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr", "table", "ul",
    "ol", "dl", "dt", "dd", "figure", "figcaption", "hr",
}  # fmt: skip


class Links:
    """Numbered link references, one number per distinct URL, listed at the end of the text."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}

    def ref(self, url: str) -> str:
        """`[n]` for this URL (numbering it on first use)."""
        number = self._numbers.setdefault(url, len(self._numbers) + 1)
        return f"[{number}]"

    def __len__(self) -> int:
        return len(self._numbers)

    def render(self) -> str:
        """`[n] URL` lines; a URL is never wrapped, so a long one may pass the width."""
        return "\n".join(f"[{n}] {url}" for url, n in self._numbers.items())


_NO_BREAK = re.compile(r" (?=[:;?!»])|(?<=«) ")


def wrap(text: str, width: int = WIDTH, indent: str = "", hanging: str | None = None) -> str:
    """Wrap every line of `text`, never breaking a word, a URL, or before French `:;?!»`."""
    hanging = indent if hanging is None else hanging
    text = _NO_BREAK.sub("\u00a0", text)
    lines = []
    for i, line in enumerate(text.split("\n")):
        first = indent if i == 0 else hanging
        lines.append(
            textwrap.fill(
                line,
                width=width,
                initial_indent=first,
                subsequent_indent=hanging,
                break_long_words=False,
                break_on_hyphens=False,
            )
            or first.rstrip()
        )
    return "\n".join(lines)


class _TextWriter(HTMLParser):
    """Walks sanitised HTML (pipeline.markup output) and writes wrapped text blocks."""

    def __init__(self, links: Links, width: int):
        super().__init__(convert_charrefs=True)
        self.links, self.width = links, width
        self.blocks: list[tuple[bool, str]] = []  # (is a list item, wrapped text)
        self.buffer: list[str] = []
        self.lists: list[list] = []  # [tag, counter] per open list
        self.bullet: str | None = None
        self.quote = 0
        self.pre = 0
        self.heading: str | None = None
        self.hrefs: list[str | None] = []
        self.cell = False

    # block handling
    def flush(self) -> None:
        raw = "".join(self.buffer)
        self.buffer = []
        if self.pre:
            text = raw.strip("\n")
        else:
            text = "\n".join(_SPACES.sub(" ", line).strip() for line in raw.split("\n")).strip()
        if not text:
            return
        depth = max(len(self.lists) - 1, 0)
        indent = "   " * depth
        quote = "> " * self.quote
        item = self.bullet is not None
        if self.pre:
            block = "\n".join(quote + "    " + line for line in text.split("\n"))
        elif self.bullet is not None:
            hang = " " * len(self.bullet)
            block = wrap(text, self.width, quote + indent + self.bullet, quote + indent + hang)
            self.bullet = None
        else:
            block = wrap(text, self.width, quote + indent)
        if self.heading:
            underline = "-"
            block += "\n" + quote + underline * min(len(text), self.width - len(quote))
        self.blocks.append((item, block))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in _BLOCKS:
            self.flush()
        if tag in ("ul", "ol"):
            start = int(attributes.get("start") or 1) if tag == "ol" else 1
            self.lists.append([tag, start])
        elif tag == "li" and self.lists:
            kind = self.lists[-1]
            self.bullet = f"{kind[1]}. " if kind[0] == "ol" else "- "
            kind[1] += 1
        elif tag == "blockquote":
            self.quote += 1
        elif tag == "pre":
            self.pre += 1
        elif tag in ("h2", "h3", "h4", "h5", "h6"):
            self.heading = tag
        elif tag == "br":
            self.buffer.append("\n")
        elif tag == "a":
            self.hrefs.append(attributes.get("href"))
        elif tag == "img":
            alt = (attributes.get("alt") or "").strip()
            if alt:
                self.buffer.append(f"[{alt}]")
        elif tag in ("td", "th"):
            if self.cell:
                self.buffer.append(" | ")
            self.cell = True
        elif tag == "hr":
            self.blocks.append((False, "-" * 20))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.hrefs:
            href = self.hrefs.pop()
            if href and not href.startswith("tel:"):
                self.buffer.append(" " + self.links.ref(href))
            return
        if tag in _BLOCKS:
            self.flush()
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "blockquote":
            self.quote = max(self.quote - 1, 0)
        elif tag == "pre":
            self.pre = max(self.pre - 1, 0)
        elif tag in ("h2", "h3", "h4", "h5", "h6"):
            self.heading = None
        elif tag == "tr":
            self.cell = False

    def handle_data(self, data: str) -> None:
        self.buffer.append(data)


class _LocalLinks(Links):
    """Numbers links inside one message with private-use markers, renumbered per bulletin."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def ref(self, url: str) -> str:
        if url not in self.urls:
            self.urls.append(url)
        return f"[{chr(_MARK + self.urls.index(url))}]"


_MARK = 0xE000
_MARKER = re.compile("\\[([\ue000-\uf8ff])\\]")


class LocalText:
    """One message's text, converted once and reused by every bulletin that carries it.

    Its links get their bulletin-wide numbers in `with_links`; it is wrapped two columns
    short so that `[12]` in place of a one-character marker still fits the width.
    """

    def __init__(self, html: str):
        self.html = html
        self._text: tuple[str, tuple[str, ...]] | None = None  # converted on first use

    def with_links(self, links: Links) -> str:
        if self._text is None:
            local = _LocalLinks()
            self._text = html_to_text(self.html, local, WIDTH - 2), tuple(local.urls)
        text, urls = self._text
        if not urls:
            return text

        def number(match: re.Match) -> str:
            index = ord(match[1]) - _MARK
            return links.ref(urls[index]) if index < len(urls) else match[0]

        return _MARKER.sub(number, text)


def html_to_text(html: str, links: Links, width: int = WIDTH) -> str:
    """Sanitised HTML as plain text: blocks apart, lists bulleted, links as [n] references."""
    writer = _TextWriter(links, width)
    writer.feed(html)
    writer.close()
    writer.flush()
    out: list[str] = []
    previous_item = False
    for item, block in writer.blocks:
        if out:  # list items follow each other; other blocks stand apart
            out.append("\n" if item and previous_item else "\n\n")
        out.append(block)
        previous_item = item
    return "".join(out)


def text_environment(loader) -> Environment:
    """The Jinja environment of text templates (no autoescaping: this is not HTML)."""
    return Environment(loader=loader, autoescape=False, keep_trailing_newline=True)


def tidy(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, one final newline."""
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"


def render_text(
    template: Template,
    common: dict,
    note_html: str,
    items: list[dict],
    *,
    greeting: str,
    unsubscribe_url: str,
    preferences_url: str,
) -> str:
    """The plain-text part from the same view as the HTML part: wrapped, links listed last."""
    _ = common["_"]
    links = Links()
    box_width = WIDTH - 4
    rule = wrap(_("How to report").upper() + "\n" + common["reporting_rule"], box_width)
    edge = "+" + "-" * (box_width + 2) + "+"
    box = "\n".join([edge, *(f"| {line.ljust(box_width)} |" for line in rule.split("\n")), edge])
    view = {
        **common,
        "rule_width": WIDTH,
        "greeting": greeting,
        "note_text": html_to_text(note_html, links) if note_html else "",
        "box": box,
        "messages": [
            {
                **item,
                "title_text": wrap(item["title"]),
                "text": item["text"].with_links(links),
                "ref": links.ref(item["url"]),
            }
            for item in items
        ],
        "not_urgent_text": wrap(common["not_urgent"]),
        "why_text": wrap(common["why"]),
        "coordinator_text": wrap(
            f"{_('Your coordinator:')} {common['coordinator_name']} <{common['coordinator_email']}>"
        ),
        "zone_website_ref": f"{common['zone_website_label']} {links.ref(common['zone_website'])}",
        "web_ref": links.ref(common["web_url"]),
        "privacy_ref": links.ref(common["privacy_url"]),
        "preferences_ref": links.ref(preferences_url),
        "unsubscribe_ref": links.ref(unsubscribe_url),
    }
    view["links"] = links.render()
    return tidy(template.render(view))
