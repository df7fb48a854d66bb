"""The web service's pages: the site's theme (theme/templates/web/), in the reader's language,
each state-changing form with its CSRF token."""

from __future__ import annotations

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from .. import urls
from ..config import Config
from ..i18n import gettext_for
from ..site.phones import link_numbers
from ..tokens import FormTokens, load_secret

LANGUAGE_NAMES = {"fr": "Français", "nl": "Nederlands", "de": "Deutsch", "en": "English"}


class Pages:
    """Renders a template of theme/templates/web/ with what every page shows."""

    def __init__(self, config: Config):
        self.config = config
        self.env = Environment(
            loader=FileSystemLoader(config.theme_dir / "templates"),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
        )
        self.env.filters["phones"] = link_numbers  # 101 and 112 as tel: links, as on the site
        self.forms = FormTokens(load_secret(config))

    def csrf(self, action: str) -> str:
        """The CSRF token of a form posting to `action` (a path of this service)."""
        return self.forms.make_token(action)

    def render(
        self, template: str, lang: str, title: str, status_code: int = 200, **context
    ) -> HTMLResponse:
        """The page as an HTML response (never cached: it may show a member's data)."""
        _ = gettext_for(lang, "web")
        config = self.config
        html = self.env.get_template(f"web/{template}.html").render(
            _=_,
            lang=lang,
            title=_(title) if title else "",
            site_name=config.site_name,
            site_url=config.site_url,
            privacy_url=urls.absolute(config.site_url, urls.page(lang, "privacy")),
            static=lambda name: f"{urls.WEB_STATIC}/{name}",
            paragraphs=context.pop("paragraphs", ()),
            **context,
        )
        return HTMLResponse(html, status_code, headers={"Cache-Control": "no-store"})

    def message(self, lang: str, title: str, *paragraphs: str, status_code: int = 200):
        """A page of plain paragraphs (already translated)."""
        return self.render("base", lang, title, status_code, paragraphs=paragraphs)


def reader_language(request: Request, offered: tuple[str, ...] = tuple(LANGUAGE_NAMES)) -> str:
    """The first of the reader's Accept-Language that we offer, else the first offered."""
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in offered:
            return code
    return offered[0]
