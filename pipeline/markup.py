"""Markdown → sanitised, valid HTML: one rendering for site, feeds and bulletins, so they cannot
drift; and the plain-text form of a title or name, shared by the feeds and the checks."""

from __future__ import annotations

import html as html_module
import re
from html.parser import HTMLParser
from urllib.parse import quote

import markdown
import nh3

# Allow-list: what prevention messages need, nothing that runs (no script, style, event
# handler, iframe, form). Links may only use these schemes; `javascript:` is never kept.
TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre",
    "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "ul",
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

# Values the HTML standard allows for the attributes we keep; any other is dropped, so the Nu
# Html Checker finds no error in what a message made of (`<ol start=x>`, `width="10px"`).
_VALUES = {
    "start": re.compile(r"-?\d{1,9}"),
    "width": re.compile(r"\d{1,5}"),
    "height": re.compile(r"\d{1,5}"),
    "colspan": re.compile(r"[1-9]\d{0,2}|1000"),
    "rowspan": re.compile(r"\d{1,4}"),
    "scope": re.compile(r"row|col|rowgroup|colgroup"),
    "hreflang": re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*"),
}
_URL_ILLEGAL = re.compile(r'[\s"<>\\^`{|}]')


def _valid_value(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("href", "src"):
        value = value.strip()
        if value.lower().startswith("tel:"):
            value = re.sub(r"\s", "", value)  # a phone number written with spaces still dials
        return _URL_ILLEGAL.sub(lambda m: quote(m[0]), value) or None
    pattern = _VALUES.get(attribute)
    return value if pattern is None or pattern.fullmatch(value.strip()) else None


_cleaner = nh3.Cleaner(
    tags=TAGS,
    attributes=ATTRIBUTES,
    attribute_filter=_valid_value,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)
_RAW_HTML = re.compile(r"<[A-Za-z!/]")
# After cleaning, an <a> whose URL was unsafe has no href (and cannot nest), an <img> no src.
_DEAD_LINK = re.compile(r"<a\b(?![^>]*\shref=)[^>]*>(.*?)</a>", re.DOTALL)
_DEAD_IMAGE = re.compile(r"<img\b(?![^>]*\ssrc=)[^>]*>")


def render_markdown(text: str) -> str:
    """Render Markdown and keep only allow-listed, inert and valid HTML."""
    rendered = _md.reset().convert(text)
    # Markdown alone always nests elements validly; only raw HTML in the source can misplace
    # one (an <li> outside a list, a <p> inside a <b>), so only then is the tree walked.
    return sanitise(rendered, walk=bool(_RAW_HTML.search(text)))


def sanitise(fragment: str, *, walk: bool = True) -> str:
    """Strip everything executable from HTML, then make what remains valid HTML."""
    cleaned = _cleaner.clean(fragment)
    if "<a" in cleaned:
        cleaned = _DEAD_LINK.sub(r"\1", cleaned)
    if "<img" in cleaned:
        cleaned = _DEAD_IMAGE.sub("", cleaned)
    return _ContentModel.repair(cleaned) if walk else cleaned


def plain_text(text: str) -> str:
    """Text safe in any reader, for feed titles and names: many render an RSS title as HTML.

    Markup is dropped and no `<` (even from a decoded entity) is left for a reader to
    interpret. The checks use it too: a title must keep visible text once so reduced.
    """
    stripped = html_module.unescape(
        nh3.clean(text, tags=set(), clean_content_tags={"script", "style"})
    )
    return stripped.replace("<", "‹").replace(">", "›").strip()


_VOID = {"br", "hr", "img"}
_PHRASING = {"abbr", "b", "br", "code", "em", "i", "img", "small", "span", "strong", "sub", "sup"}
_TRANSPARENT = {"a", "del"}  # their content model is their parent's
# Elements whose content is phrasing only: a block element inside one is unwrapped.
_PHRASING_ONLY = (_PHRASING - _VOID) | {"p", "pre", "h2", "h3", "h4", "h5", "h6"}
# Elements that are only valid inside one of these parents.
_PARENTS = {
    "li": {"ul", "ol"}, "dt": {"dl"}, "dd": {"dl"}, "figcaption": {"figure"},
    "tr": {"table", "tbody", "thead", "tfoot"}, "td": {"tr"}, "th": {"tr"},
    "tbody": {"table"}, "thead": {"table"}, "tfoot": {"table"}, "caption": {"table"},
}  # fmt: skip
# Lists hold only their items: other content goes into an item opened for it.
_ITEM = {"ul": "li", "ol": "li", "dl": "dd"}
_HEADINGS = {"h2", "h3", "h4", "h5", "h6"}


class _ContentModel(HTMLParser):
    """Re-emits sanitised HTML token by token, unwrapping each element its parent may not hold.

    nh3's output is balanced, so a stack mirrors the tree. Text and kept tags are copied byte
    for byte: valid HTML comes out unchanged.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.stack: list[list] = []  # [tag, kept, an implicit item is open in it]

    @classmethod
    def repair(cls, fragment: str) -> str:
        """The fragment with every misplaced element unwrapped (its content kept)."""
        walker = cls()
        walker.feed(fragment)
        walker.close()
        return "".join(walker.out)

    def _parent(self) -> list | None:
        return next((entry for entry in reversed(self.stack) if entry[1]), None)

    def _allowed(self, tag: str) -> bool:
        kept = [entry[0] for entry in self.stack if entry[1]]
        parent = kept[-1] if kept else ""
        context = next((t for t in reversed(kept) if t not in _TRANSPARENT), "")
        if context in _PHRASING_ONLY and tag not in _PHRASING | _TRANSPARENT:
            return False
        if tag in _PARENTS and parent not in _PARENTS[tag]:
            return False
        return not (tag in _HEADINGS and context == "dt")

    def _into_item(self, tag: str | None) -> None:
        """Open or close the implicit item of a list, as content or a real item arrives."""
        parent = self._parent()
        if parent is None or parent[0] not in _ITEM:
            return
        if tag in _PARENTS and parent[0] in _PARENTS[tag]:  # a real item: close ours
            if parent[2]:
                self.out.append(f"</{_ITEM[parent[0]]}>")
                parent[2] = False
        elif not parent[2]:
            self.out.append(f"<{_ITEM[parent[0]]}>")
            parent[2] = True

    def handle_starttag(self, tag: str, attrs: list) -> None:
        kept = self._allowed(tag)
        if kept:
            self._into_item(tag)
            self.out.append(self.get_starttag_text() or f"<{tag}>")
        if tag not in _VOID:
            self.stack.append([tag, kept, False])

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if not self.stack:
            return
        opened, kept, item = self.stack.pop()
        if item:
            self.out.append(f"</{_ITEM[opened]}>")
        if kept:
            self.out.append(f"</{opened}>")

    def handle_data(self, data: str) -> None:
        if data.strip():
            self._into_item(None)
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")
