"""Sent bulletins get a web page under their PLP's hub, listed in the hub's archive."""

from __future__ import annotations

from datetime import date

import pytest

import pipeline.bulletin.web as web
from pipeline.site import urls

from .conftest import build_tree

FRAGMENT = "<h2>Conseils</h2><p>Fermez à clé.</p><script>alert('b')</script>"


@pytest.fixture(scope="module")
def site_with_bulletins(tmp_path_factory):
    from tests.conftest import MESSAGES, PAGES, PLPS, ZONES

    november = date(2026, 11, 20)
    sent = [
        web.WebBulletin("florval-centre", 3, "fr", november, "Bulletin de novembre", FRAGMENT),
        web.WebBulletin("florval-centre", 3, "nl", november, "Nieuwsbrief november", FRAGMENT),
        web.WebBulletin("florval-zoning", 1, "fr", date(2026, 1, 5), "Inactif", FRAGMENT),
        web.WebBulletin("unknown-plp", 1, "fr", date(2026, 1, 5), "Inconnu", FRAGMENT),
    ]
    patch = pytest.MonkeyPatch()
    patch.setattr(web, "sent_bulletins", lambda config: iter(sent))
    try:
        tree = {"registry/zones.yaml": ZONES, "registry/plps.yaml": PLPS, **MESSAGES, **PAGES}
        yield build_tree(tmp_path_factory.mktemp("bulletins"), tree)
    finally:
        patch.undo()


def test_each_sent_edition_has_its_page_and_is_listed_on_the_hub(site_with_bulletins):
    out = site_with_bulletins
    for lang, subject in (("fr", "Bulletin de novembre"), ("nl", "Nieuwsbrief november")):
        page = (out / urls.bulletin(lang, "florval-centre", 3)).read_text(encoding="utf-8")
        assert f"<h1>{subject}</h1>" in page and "Fermez à clé." in page
        assert "<script>alert" not in page  # the fragment is sanitised again here
        hub = (out / urls.hub(lang, "florval-centre")).read_text(encoding="utf-8")
        assert f'<a href="bulletins/3/index.html">{subject}</a>' in hub


def test_bulletins_of_inactive_or_unknown_plps_are_not_published(site_with_bulletins):
    out = site_with_bulletins
    assert not list(out.glob("*/plp/florval-zoning/**"))
    assert not list(out.glob("*/plp/unknown-plp/**"))
