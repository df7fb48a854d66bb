"""Pages through the theme's Jinja templates: the context every page shares, then its own."""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment
from markupsafe import Markup

from .. import urls
from ..i18n import NOT_URGENT, gettext_for, reporting_rule
from .pages import PageSpec
from .phones import link_numbers
from .scope import Scope
from .views import SiteMessageView


class Renderer:
    """Renders PageSpecs with one Jinja environment (Pelican's, with our theme loaded)."""

    def __init__(
        self,
        env: Environment,
        scope: Scope,
        site_url: str,
        site_name: str,
        web_url: str = "http://127.0.0.1:8080",
    ):
        self.env = env
        self.web_url = web_url
        self.scope = scope
        self.site_url = site_url
        self.site_name = site_name
        env.globals["urls"] = urls
        env.filters["bdi"] = isolate
        env.filters["phones"] = link_numbers
        self._pages = {(p.key, p.lang) for p in scope.content.pages}
        self._items: dict[tuple, Markup] = {}
        self._item_template = env.get_template("_item.html")

    def _item(self, view: SiteMessageView, folder: str, lang: str, summary: bool, level: int):
        """A message's entry in a list, rendered once per folder kind and reused.

        A thousand hubs list the same national messages with the same relative links:
        rendering each entry once saves most of a hub's render time.
        """
        key = (view.key, view.lang, folder, lang, summary, level)
        html = self._items.get(key)
        if html is None:
            here = f"{folder}/x" if folder else "x"
            html = self._items[key] = Markup(
                self._item_template.render(
                    m=view,
                    show_summary=summary,
                    level=level,
                    href=lambda target: urls.relative(target, here),
                    _=self._language(lang)["_"],
                )
            )
        return html

    @cache  # noqa: B019 - one Renderer per build, a handful of languages
    def _language(self, lang: str) -> dict[str, Any]:
        _ = gettext_for(lang, "site")
        nav = [(_("Home"), urls.home(lang)), (_("Find your PLP"), urls.directory(lang))]
        labels = {"about": _("What is a PLP?"), "report": _("How to report"),
                  "privacy": _("Privacy")}  # fmt: skip
        nav += [
            (labels[key], urls.page(lang, key))
            for key in urls.STATIC_PAGES
            if (key, lang) in self._pages
        ]
        return {
            "lang": lang,
            "_": _,
            "nav": nav,
            "rule": reporting_rule(lang),
            "not_urgent": gettext_for(lang)(NOT_URGENT),
            "language_names": LANGUAGE_NAMES,
            "site_name": self.site_name,
            "web_url": self.web_url,  # the members' web service: the join form posts there
        }

    def render(self, page: PageSpec, lang: str) -> str:
        """The HTML of one page in `lang`."""
        context = dict(self._language(lang))
        context["brand_path"] = urls.home(lang)
        context["description"] = page.description
        context.update(page.context)
        here = page.path
        # Hubs differ only in their slug folder: list entries (which link only to message
        # pages) are the same for every folder fr/plp/*, so they are keyed on fr/plp/_.
        parts = here.split("/")[:-1]
        shared = "/".join(parts[:2] + ["_"] * (len(parts) - 2))
        canonical: str | None = urls.absolute(self.site_url, here)
        root = urlsplit(self.site_url).path.rstrip("/") + "/"

        def href(target: str) -> str:
            if here == urls.NOT_FOUND:
                # Served in place of any missing page, at any depth: links start at the root.
                return root + target
            return urls.relative(target, here)

        if here == urls.NOT_FOUND:
            canonical = None  # not a page of its own
        context.update(
            page=page,
            title=page.title,
            href=href,
            item=lambda view, summary=True, level=3: self._item(view, shared, lang, summary, level),
            canonical=canonical,
            alternates=[(alt, path) for alt, path in page.alternates],
            feeds=page.feeds,
        )
        return self.env.get_template(page.template).render(context)


def isolate(name: str) -> str | Markup:
    """A name holding right-to-left letters, bidi-isolated: `<bdi>` keeps an Arabic or Hebrew
    PLP name from reordering the punctuation and numbers around it ("(2497)", " · ").

    Names in left-to-right scripts need no isolation on our left-to-right pages, so they are
    returned as they are (and escaped by the template like any other text).
    """
    if any(unicodedata.bidirectional(c) in ("R", "AL") for c in name):
        return Markup("<bdi>{}</bdi>").format(name)
    return name


LANGUAGE_NAMES = {"fr": "Français", "nl": "Nederlands", "de": "Deutsch", "en": "English"}
