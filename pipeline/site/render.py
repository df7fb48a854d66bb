"""Pages through the theme's Jinja templates: the context every page shares, then its own."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment

from ..i18n import NOT_URGENT, gettext_for, reporting_rule
from . import urls
from .pages import PageSpec
from .scope import Scope


class Renderer:
    """Renders PageSpecs with one Jinja environment (Pelican's, with our theme loaded)."""

    def __init__(self, env: Environment, scope: Scope, site_url: str, site_name: str):
        self.env = env
        self.scope = scope
        self.site_url = site_url
        self.site_name = site_name
        env.globals["urls"] = urls
        self._pages = {(p.key, p.lang) for p in scope.content.pages}

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
        }

    def render(self, page: PageSpec, lang: str) -> str:
        """The HTML of one page in `lang`."""
        context = dict(self._language(lang))
        context["brand_path"] = urls.home(lang)
        context.update(page.context)
        here = page.path
        context.update(
            page=page,
            title=page.title,
            href=lambda target: urls.relative(target, here),
            canonical=urls.absolute(self.site_url, here),
            alternates=[(alt, path) for alt, path in page.alternates],
            feeds=page.feeds,
        )
        return self.env.get_template(page.template).render(context)


LANGUAGE_NAMES = {"fr": "Français", "nl": "Nederlands", "de": "Deutsch", "en": "English"}
