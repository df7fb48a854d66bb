"""One bulletin edition → HTML (Jinja → MJML → mjml-python → premailer) and plain text.

Rendering runs once per (PLP, language, bulletin). What differs per member (greeting,
unsubscribe and preferences links) is left as ASCII placeholders that `compose` fills by
substitution.
"""

from __future__ import annotations

import binascii
import dataclasses
import itertools
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from mjml import mjml2html
from premailer import Premailer

from .. import urls
from ..config import Config
from ..errors import PlpError
from ..i18n import NOT_URGENT, format_day, gettext_for, reporting_rule
from ..markup import render_markdown
from ..model import Content, Message
from ..views import MessageView
from .assembly import Bulletin, Edition
from .text import LocalText, render_text, text_environment

GREETING_HTML = "%%PLP_GREETING_HTML%%"
GREETING_TEXT = "%%PLP_GREETING_TEXT%%"
UNSUBSCRIBE_HTML = "%%PLP_UNSUBSCRIBE_HTML%%"
UNSUBSCRIBE_TEXT = "%%PLP_UNSUBSCRIBE_TEXT%%"
PREFERENCES_HTML = "%%PLP_PREFERENCES_HTML%%"
PREFERENCES_TEXT = "%%PLP_PREFERENCES_TEXT%%"
PLACEHOLDERS = (
    GREETING_HTML,
    GREETING_TEXT,
    UNSUBSCRIBE_HTML,
    UNSUBSCRIBE_TEXT,
    PREFERENCES_HTML,
    PREFERENCES_TEXT,
)

_MJML_RESET = '<style type="text/css">\n#outlook a'
_MJML_RESET_KEPT = '<style type="text/css" data-premailer="ignore">\n#outlook a'
_ITEM_FRAME = 1_700
"""Bytes of MJML output around one message (section, column, label, link)."""
HTML_BUDGET = 100 * 1024
"""Bytes an edition's HTML part may take as sent (quoted-printable): Gmail clips beyond 102 KB."""

DEFAULT_THEME = Path(__file__).resolve().parents[2] / "theme"
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r'\bsrc="([^"]*)"')
_ALT = re.compile(r'\balt="([^"]*)"')


@dataclass(frozen=True)
class RenderedEdition:
    """One edition rendered: parts with placeholders, and the greeting forms to fill them."""

    lang: str
    subject: str
    html: str
    text: str
    greeting_named: str
    """Greeting with a `{name}` field, for members who gave a name."""
    greeting_neutral: str
    web: str = ""
    """The web version: a sanitised fragment with no personal field (see web.py)."""


def subject_of(bulletin: Bulletin, lang: str) -> str:
    """`PLP Florval-Centre — bulletin no. 3`, translated."""
    _ = gettext_for(lang, "bulletin")
    return _("{plp} — bulletin no. {number}").format(
        plp=bulletin.plp.name(lang), number=bulletin.number
    )


def email_safe_html(config: Config, html: str) -> str:
    """Sanitised HTML without remote resources: an image not on our site becomes its alt text."""

    def keep_or_alt(match: re.Match) -> str:
        tag = match.group(0)
        src = _SRC.search(tag)
        if src and src.group(1).startswith(config.site_url + "/"):
            return tag
        alt = _ALT.search(tag)
        return f"[{alt.group(1)}]" if alt and alt.group(1) else ""

    return _IMG.sub(keep_or_alt, html)


class Renderer:
    """Renders bulletin editions; holds the template environments and one reused Premailer."""

    def __init__(self, config: Config, content: Content):
        self.config, self.content = config, content
        folder = config.theme_dir / "email"
        if not folder.is_dir():
            folder = DEFAULT_THEME / "email"
        loader = FileSystemLoader(folder)
        self.html_env = Environment(
            loader=loader, autoescape=select_autoescape(default=True), keep_trailing_newline=True
        )
        self.text_env = text_environment(loader)
        # One instance for every bulletin: its CSS-parse cache makes premailer ~8x faster.
        # Validation off: cssutils would warn on (and may drop) mso-* and color-scheme rules.
        self.premailer = Premailer(
            allow_network=False,
            keep_style_tags=True,
            strip_important=False,
            disable_validation=True,
            disable_link_rewrites=True,
            cache_css_parsing=True,
            cssutils_logging_level=logging.CRITICAL,
        )
        self._items: dict[str, dict] = {}
        # Learned while rendering, to guess how many messages fit before paying for premailer:
        # sent size / MJML output size, and MJML's output beyond the messages' own HTML.
        self._growth, self._base = 1.4, 20_000

    def render(self, bulletin: Bulletin, lang: str) -> RenderedEdition:
        """Both parts (and the web version) of one edition, with per-member placeholders."""
        return self.render_fitting(bulletin, lang, budget=None)[1]

    def render_fitting(
        self, bulletin: Bulletin, lang: str, budget: int | None = HTML_BUDGET
    ) -> tuple[Edition, RenderedEdition]:
        """Render an edition whose HTML part fits `budget` bytes, holding messages over if not.

        Held-over messages (the last in reading order: least pressing, oldest) stay unsent, so
        the next bulletin carries them; nothing is lost. The size is first estimated on MJML's
        output (fast) so that premailer, the slow step, runs about once.
        """
        edition = bulletin.edition(lang)
        _ = gettext_for(lang, "bulletin")
        common = self._common(bulletin, lang)
        note_html = render_markdown(bulletin.note) if bulletin.note else ""
        items = [self._item(m) for m in edition.messages]
        count = len(items)
        if budget:  # a first guess from what earlier editions weighed
            room = budget / self._growth - self._base
            weights = itertools.accumulate(item["weight"] for item in items)
            count = max(1, sum(1 for w in weights if w <= room))
        while True:
            raw = self._mjml(common, note_html, items[:count])
            raw_size = len(raw.encode())
            if budget and raw_size * self._growth > budget and count > 1:
                count = _fewer(count, raw_size * self._growth, budget)
                continue
            html = self._inline(raw)
            size = sent_size(html)
            self._growth = size / raw_size * 1.01
            self._base = raw_size - sum(item["weight"] for item in items[:count])
            if not budget or size <= budget or count == 1:
                break
            count = _fewer(count, size, budget)
        items = items[:count]
        rendered = RenderedEdition(
            lang=lang,
            subject=common["subject"],
            html=html,
            text=render_text(
                self.text_env.get_template("bulletin.txt.j2"),
                common,
                note_html,
                items,
                greeting=GREETING_TEXT,
                unsubscribe_url=UNSUBSCRIBE_TEXT,
                preferences_url=PREFERENCES_TEXT,
            ),
            web=self._web(common, note_html, items),
            greeting_named=_("Hello {name},"),
            greeting_neutral=_("Hello,"),
        )
        return Edition(lang, edition.messages[:count]), rendered

    def _common(self, bulletin: Bulletin, lang: str) -> dict:
        _ = gettext_for(lang, "bulletin")
        plp, site_url = bulletin.plp, self.config.site_url
        zone = self.content.zone_of(plp)
        website = urlsplit(zone.website)
        return {
            "_": _,
            "lang": lang,
            "subject": subject_of(bulletin, lang),
            "plp_name": plp.name(lang),
            "heading": _("Bulletin no. {number} — {date}").format(
                number=bulletin.number, date=format_day(bulletin.date, lang)
            ),
            "reporting_rule": reporting_rule(lang),
            "not_urgent": gettext_for(lang)(NOT_URGENT),
            "zone_name": zone.name(lang),
            "zone_phone": zone.phone,
            "zone_phone_uri": zone.phone.replace(" ", ""),
            "zone_website": zone.website,
            "zone_website_label": website.netloc + website.path.rstrip("/"),
            "why": _(
                "You receive this bulletin because you are a member of {plp}. The police's "
                "prevention messages reach you through your coordinator; reply to this e-mail "
                "to write to them."
            ).format(plp=plp.name(lang)),
            "coordinator_name": plp.coordinator.name,
            "coordinator_email": plp.coordinator.email,
            # Links into the site come from its URL layout, as its own pages and feeds do.
            "web_url": urls.absolute(site_url, urls.bulletin(lang, plp.slug, bulletin.number)),
            "privacy_url": urls.absolute(site_url, urls.page(lang, "privacy")),
            "unsubscribe_url": UNSUBSCRIBE_HTML,
            "preferences_url": PREFERENCES_HTML,
        }

    def _item(self, message: Message) -> dict:
        """A message as the templates show it; one message reaches many PLPs, so it is cached."""
        item = self._items.get(message.id)
        if item is None:
            view = MessageView.of(message)  # the fields the site's page and feeds show
            # The body is the e-mail's own, unlike the site's: the summary alone when there is
            # one (the page has the rest), and images only from our site (email_safe_html).
            body = (
                f"<p>{escape(view.summary)}</p>" if view.summary else render_markdown(message.body)
            )
            html = email_safe_html(self.config, body)
            item = self._items[message.id] = {
                "category": view.category_name,
                "date": view.date,
                "title": view.title,
                "html": Markup(html),
                "url": urls.absolute(self.config.site_url, view.path),
                "text": LocalText(html),
                "weight": len(html.encode()) + 2 * len(view.title.encode()) + _ITEM_FRAME,
            }
        return item

    def _mjml(self, common: dict, note_html: str, items: list[dict]) -> str:
        mjml = self.html_env.get_template("bulletin.mjml.j2").render(
            common,
            greeting=GREETING_HTML,
            preview=items[0]["title"] if items else "",
            note_html=Markup(email_safe_html(self.config, note_html)),
            messages=items,
        )
        # fonts={}: no Google Fonts <link>; the template uses a system font stack.
        html = mjml2html(mjml, fonts={}, disable_comments=True)
        # MJML's client resets (body, table, td, img, p) are meant to stay a <style> block;
        # inlining them onto every layout cell tripled premailer's work for nothing.
        return html.replace(_MJML_RESET, _MJML_RESET_KEPT, 1)

    def _inline(self, raw: str) -> str:
        html = self.premailer.transform(raw, pretty_print=False)
        if "<!DOCTYPE" not in html[:50].upper():
            html = "<!doctype html>\n" + html
        remote = external_resources(html, self.config.site_url)
        if remote:  # the template or a message brought one in: never mail it
            raise PlpError(f"the bulletin would load an external resource: {remote[0]}")
        return html

    def _web(self, common: dict, note_html: str, items: list[dict]) -> str:
        return self.html_env.get_template("bulletin.web.html.j2").render(
            common,
            note_html=Markup(note_html),
            messages=items,
        )


def sent_size(html: str) -> int:
    """Size of an HTML part once quoted-printable encoded with CRLF line ends."""
    encoded = binascii.b2a_qp(html.encode(), istext=True)
    return len(encoded) + encoded.count(b"\n")


def _fewer(count: int, size: float, budget: int) -> int:
    """How many messages to try next when `count` of them made `size` bytes."""
    return max(1, min(count - 1, int(count * budget / size * 0.97)))


# One pattern per way of loading something, each starting with a literal (fast to scan for).
_RESOURCES = tuple(
    re.compile(pattern)
    for pattern in (
        r"""src\s*=\s*["']?([^"'\s>]+)""",
        r"""background\s*=\s*["']?([^"'\s>]+)""",
        r"""poster\s*=\s*["']?([^"'\s>]+)""",
        r"""url\(\s*["']?([^"')]+)""",
        r"""<link\b[^>]*\bhref\s*=\s*["']?([^"'\s>]+)""",
        r"""@import\s+(?:url\()?["']?([^"')\s;]+)""",
    )
)


def external_resources(html: str, site_url: str) -> list[str]:
    """URLs the HTML would load (images, stylesheets, fonts) from outside our own site."""
    lowered = html.lower()
    found = [url for pattern in _RESOURCES for url in pattern.findall(lowered)]
    own = site_url.lower() + "/"
    return [url for url in found if not url.startswith(own)]


_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


def test_copy(rendered: RenderedEdition) -> RenderedEdition:
    """The edition as the coordinator's test copy: marked so in the subject, above the text
    and in a banner at the top of the HTML, in the edition's language."""
    _ = gettext_for(rendered.lang, "bulletin")
    mark, banner = (
        _("Test copy"),
        _("Test copy for the coordinator: members get it without this line."),
    )
    box = (
        '<div style="background:#fde68a;color:#1a1a1a;padding:12px 16px;'
        'font:bold 16px/1.4 Arial,sans-serif;text-align:center">'
        f"{escape(banner)}</div>"
    )
    match = _BODY.search(rendered.html)
    at = match.end() if match else 0
    return dataclasses.replace(
        rendered,
        subject=f"[{mark}] {rendered.subject}",
        html=rendered.html[:at] + box + rendered.html[at:],
        text=f"*** {banner} ***\n\n{rendered.text}",
    )
