"""Sent bulletins get a web page under their PLP's hub, listed in the hub's archive."""

from __future__ import annotations

from pipeline import urls
from pipeline.site.bulletins import web_fragment

from .conftest import CURRENT, SITE_URL

PAGE = urls.bulletin("fr", "florval-centre", 3)

# As bulletins sent before that were stored: a header repeating the subject, sections with
# the category line above the heading and a "read on" link.
LEGACY = f"""<article class="bulletin" lang="fr">
  <header>
    <h1>PLP Florval-Centre — bulletin n° 3</h1>
    <p class="bulletin-date">Bulletin n° 3 — 20 novembre 2026</p>
  </header>
  <section class="bulletin-message">
    <p class="bulletin-category">Conseils de prévention · 26 octobre 2026</p>
    <h2><a href="{SITE_URL}/fr/messages/dark-days-2026/">Jours sombres</a></h2>
    <p>Éclairez, fermez.</p>
    <p><a href="{SITE_URL}/fr/messages/dark-days-2026/">Lire la suite sur le site</a></p>
  </section>
  <section class="bulletin-message">
    <p class="bulletin-category">Modes opératoires · 14 septembre 2026</p>
    <h2><a href="{SITE_URL}/fr/messages/fake-police/">Faux policiers</a></h2>
    <p>Raccrochez.</p>
    <p><a href="{SITE_URL}/fr/messages/fake-police/">Lire la suite sur le site</a></p>
  </section>
</article>"""


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


def _articles(html: str) -> list[str]:
    return [part.split("</article>")[0] for part in html.split("<article>")[1:]]


def test_each_message_is_an_article_led_by_its_heading_with_relative_links():
    html = web_fragment(CURRENT, SITE_URL, PAGE)
    first, second = _articles(html)
    assert first.lstrip().startswith('<h2><a href="../../../../messages/dark-days-2026/index.html"')
    assert first.index("</h2>") < first.index('<p class="meta">Conseils de prévention')
    assert '<a href="../../../../messages/holiday/index.html#tips"' in first
    assert '<p class="meta">Modes opératoires · 14 septembre 2026</p>' in second
    assert '<a href="https://safeonweb.be/fr"' in second  # other sites stay absolute
    assert SITE_URL not in html
    assert "<section>" in html and "Assemblée le 5 décembre." in html


def test_bulletins_stored_before_get_the_same_page():
    html = web_fragment(LEGACY, SITE_URL, PAGE)
    assert "bulletin n° 3" not in html.casefold()  # the page's <h1> shows the subject once
    assert "<h1>" not in html and "<header>" not in html
    first, second = _articles(html)
    assert first.startswith('<h2><a href="../../../../messages/dark-days-2026/index.html"')
    assert first.index("</h2>") < first.index('<p class="meta">Conseils de prévention')
    assert "Lire la suite" not in html  # the heading is the link on the site
    assert "Raccrochez." in second and SITE_URL not in html


def test_the_page_shows_the_subject_once(site_with_bulletins, tmp_path):
    page = (site_with_bulletins / PAGE).read_text(encoding="utf-8")
    assert page.count("Bulletin de novembre") == 2  # <title> and <h1>
    assert '<time datetime="2026-11-20">20 novembre 2026</time>' in page
