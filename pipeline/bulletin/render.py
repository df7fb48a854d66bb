"""One bulletin edition → HTML (Jinja → MJML → mjml-python → premailer) and plain text.

Rendering runs once per (PLP, language, bulletin). What differs per member (greeting,
unsubscribe link) is left as ASCII placeholders that `compose` fills by substitution.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from mjml import mjml2html
from premailer import Premailer

from ..config import Config
from ..errors import PlpError
from ..i18n import NOT_URGENT, category_name, format_day, gettext_for, reporting_rule
from ..markup import render_markdown
from ..model import Content, Message
from .assembly import Bulletin
from .text import WIDTH, Links, html_to_text, text_environment, tidy, wrap

GREETING_HTML = "%%PLP_GREETING_HTML%%"
GREETING_TEXT = "%%PLP_GREETING_TEXT%%"
UNSUBSCRIBE_HTML = "%%PLP_UNSUBSCRIBE_HTML%%"
UNSUBSCRIBE_TEXT = "%%PLP_UNSUBSCRIBE_TEXT%%"
PLACEHOLDERS = (GREETING_HTML, GREETING_TEXT, UNSUBSCRIBE_HTML, UNSUBSCRIBE_TEXT)

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


def message_url(config: Config, message: Message) -> str:
    return f"{config.site_url}/{message.lang}/messages/{message.key}/"


def bulletin_url(config: Config, slug: str, lang: str, number: int) -> str:
    return f"{config.site_url}/{lang}/plp/{slug}/bulletins/{number}/"


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

    def render(self, bulletin: Bulletin, lang: str) -> RenderedEdition:
        """Both parts (and the web version) of one edition, with per-member placeholders."""
        edition = bulletin.edition(lang)
        _ = gettext_for(lang, "bulletin")
        plp, config = bulletin.plp, self.config
        zone = self.content.zone_of(plp)
        website = urlsplit(zone.website)
        common = {
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
            "web_url": bulletin_url(config, plp.slug, lang, bulletin.number),
            "privacy_url": f"{config.site_url}/{lang}/privacy/",
            "unsubscribe_url": UNSUBSCRIBE_HTML,
        }
        note_html = render_markdown(bulletin.note) if bulletin.note else ""
        items = [self._item(m, lang) for m in edition.messages]
        return RenderedEdition(
            lang=lang,
            subject=common["subject"],
            html=self._html(common, note_html, items),
            text=self._text(common, note_html, items),
            web=self._web(common, note_html, items),
            greeting_named=_("Hello {name},"),
            greeting_neutral=_("Hello,"),
        )

    def _item(self, message: Message, lang: str) -> dict:
        body = (
            f"<p>{escape(message.summary)}</p>"
            if message.summary
            else render_markdown(message.body)
        )
        return {
            "category": category_name(message.category, lang),
            "date": format_day(message.date, lang),
            "title": message.title,
            "html": email_safe_html(self.config, body),
            "url": message_url(self.config, message),
        }

    def _html(self, common: dict, note_html: str, items: list[dict]) -> str:
        mjml = self.html_env.get_template("bulletin.mjml.j2").render(
            common,
            greeting=GREETING_HTML,
            preview=items[0]["title"] if items else "",
            note_html=Markup(email_safe_html(self.config, note_html)),
            messages=[{**item, "html": Markup(item["html"])} for item in items],
        )
        # fonts={}: no Google Fonts <link>; the template uses a system font stack.
        html = mjml2html(mjml, fonts={}, disable_comments=True)
        html = self.premailer.transform(html, pretty_print=False)
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
            messages=[{**item, "html": Markup(item["html"])} for item in items],
        )

    def _text(self, common: dict, note_html: str, items: list[dict]) -> str:
        links = Links()
        rule = reporting_rule(common["lang"])
        box_width = WIDTH - 4
        box_lines = wrap(common["_"]("How to report").upper() + "\n" + rule, box_width).split("\n")
        box = "\n".join(
            ["+" + "-" * (box_width + 2) + "+"]
            + [f"| {line.ljust(box_width)} |" for line in box_lines]
            + ["+" + "-" * (box_width + 2) + "+"]
        )
        view = {
            **common,
            "rule_width": WIDTH,
            "greeting": GREETING_TEXT,
            "note_text": html_to_text(note_html, links) if note_html else "",
            "box": box,
            "messages": [
                {
                    **item,
                    "title_text": wrap(item["title"]),
                    "text": html_to_text(item["html"], links),
                    "ref": links.ref(item["url"]),
                }
                for item in items
            ],
            "not_urgent_text": wrap(common["not_urgent"]),
            "why_text": wrap(common["why"]),
            "coordinator_text": wrap(
                f"{common['_']('Your coordinator:')} {common['coordinator_name']} "
                f"<{common['coordinator_email']}>"
            ),
            "zone_website_ref": (
                f"{common['zone_website_label']} {links.ref(common['zone_website'])}"
            ),
            "web_ref": links.ref(common["web_url"]),
            "privacy_ref": links.ref(common["privacy_url"]),
            "unsubscribe_ref": links.ref(UNSUBSCRIBE_TEXT),
        }
        view["links"] = links.render()
        return tidy(self.text_env.get_template("bulletin.txt.j2").render(view))


_RESOURCE = re.compile(
    r"""(?:\bsrc|\bbackground|\bposter)\s*=\s*["']?([^"'\s>]+)|url\(\s*["']?([^"')]+)"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']?([^"'\s>]+)|@import\s+(?:url\()?["']?([^"')\s;]+)""",
    re.IGNORECASE,
)


def external_resources(html: str, site_url: str) -> list[str]:
    """URLs the HTML would load (images, stylesheets, fonts) from outside our own site."""
    found = [next(u for u in groups if u) for groups in _RESOURCE.findall(html)]
    return [url for url in found if not url.startswith(site_url + "/")]
