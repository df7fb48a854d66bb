"""Where a reader goes next: English readers to the messages in other languages, a tap on 101
or 112, a message to its PLPs, a missing page to the home page, a directory entry to its PLP.

Real builds of the small tree (tests/conftest.py) and of the sample content; the layout and
the search script in a browser are in test_browser.py.
"""

from __future__ import annotations

import html
import re
import urllib.error
import urllib.request
from html.parser import HTMLParser

import pytest

from pipeline import urls
from pipeline.site import build_site
from pipeline.site.phones import link_numbers
from pipeline.site.serve import start_server
from tests.conftest import ROOT, project_config, write_project

from .conftest import Links, build_tree, parse_html

ENGLISH = {"pages/about.en.md": "Title: About\n\nText.\n"}


class Regions(HTMLParser):
    """A page's text outside links, and its tel: links by the region they stand in."""

    REGIONS = ("header", "aside", "main", "footer")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.in_link = 0
        self.loose: list[str] = []
        self.tel: dict[str, list[str]] = {region: [] for region in self.REGIONS}

    def handle_starttag(self, tag, attrs):
        if tag in self.REGIONS:
            self.open.append(tag)
        if tag == "a":
            self.in_link += 1
            href = dict(attrs).get("href") or ""
            if href.startswith("tel:") and self.open:
                self.tel[self.open[-1]].append(href)

    def handle_endtag(self, tag):
        if tag in self.REGIONS and self.open and self.open[-1] == tag:
            self.open.pop()
        if tag == "a":
            self.in_link -= 1

    def handle_data(self, data):
        if not self.in_link:
            self.loose.append(data)


def regions(path) -> Regions:
    parser = Regions()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def english_site(tmp_path_factory):
    """The small tree with a page in English: the site speaks English, no message does."""
    return build_tree(tmp_path_factory.mktemp("english"), ENGLISH)


# --- 1. /en/ -----------------------------------------------------------------------------------


def test_the_english_home_points_to_the_messages_in_other_languages(english_site):
    text = (english_site / urls.home("en")).read_text(encoding="utf-8")
    assert "No message in force" not in text
    section = re.search(r'<section aria-labelledby="elsewhere">.*?</section>', text, re.S)[0]
    found = Links()
    found.feed(section)
    links = {target: a for _tag, target, a in found.links}
    # Messages in force on TODAY in the small tree: fr dark-days and vans, nl dark-days and
    # meeting (the holiday notices expired); no message is written in German.
    assert links["../fr/index.html"]["lang"] == "fr"
    assert links["../nl/index.html"]["lang"] == "nl"
    assert "../de/index.html" not in links
    assert re.search(r">Français</a> — messages in force: 2<", text)
    assert re.search(r">Nederlands</a> — messages in force: 2<", text)


def test_a_language_with_messages_keeps_its_own_lists(english_site):
    text = (english_site / urls.home("fr")).read_text(encoding="utf-8")
    assert 'id="national"' in text and "Messages dans d'autres langues" not in text


# --- 2. 101 and 112 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("appelez le 101, ou le 112.", 'appelez le <a href="tel:101">101</a>, ou le '
         '<a href="tel:112">112</a>.'),
        ("112-Notruf", '<a href="tel:112">112</a>-Notruf'),
        ("1012 and 2101 and 1.112,50 and 2 101 inhabitants", None),
        ("flat 101a, BE101, 112@example.org, +112", None),
        ("<b>101</b>", "&lt;b&gt;101&lt;/b&gt;".replace("101", '<a href="tel:101">101</a>')),
    ],
)  # fmt: skip
def test_numbers_on_their_own_become_links_in_plain_text(text, html):
    assert link_numbers(text) == (html if html is not None else text)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<p>le&nbsp;101</p>', '<p>le&nbsp;<a href="tel:101">101</a></p>'),
        ('<p>2&nbsp;101 habitants</p>', None),
        ('<p>&#101;t&#112;</p>', None),  # character references, not numbers
        ('<a href="tel:112">call 112</a>', None),  # already a link: links do not nest
        ('<h2><a href="x">Call <b>112</b> now</a></h2>', None),
        ('<span title="a > 101">x</span>', None),  # inside an attribute
        ('<img alt="112" src="a.png">', None),
    ],
)  # fmt: skip
def test_numbers_become_links_only_in_the_text_of_sanitised_html(html, expected):
    from markupsafe import Markup

    assert link_numbers(Markup(html)) == (expected if expected is not None else html)


def test_every_101_and_112_on_the_site_is_a_tel_link(sample_site, small_site):
    loose = re.compile(r"(?<![\d.,])\b(101|112)\b(?![.,]?\d)")
    for out in (sample_site[0], small_site):
        for page in sorted(out.rglob("*.html")):
            found = regions(page)
            unlinked = loose.findall(" ".join(found.loose))
            assert not unlinked, f"{page.relative_to(out)}: {unlinked} not a link"
            # The rule banner has both numbers, on every page.
            assert {"tel:101", "tel:112"} <= set(found.tel["aside"]), page.relative_to(out)


def test_the_footer_and_message_pages_link_the_numbers(small_site):
    for page in (urls.home("nl"), urls.hub("nl", "bergveld-centrum"), urls.page("de", "report")):
        assert set(regions(small_site / page).tel["footer"]) == {"tel:101", "tel:112"}, page
    # The small tree's messages say "Bel 101, of 112." and "Appelez le 101.".
    assert regions(small_site / urls.message("nl", "dark-days")).tel["main"] == [
        "tel:101",
        "tel:112",
    ]
    assert "tel:101" in regions(small_site / urls.message("fr", "dark-days")).tel["main"]


# --- 3. A message's PLPs -------------------------------------------------------------------


def _facts(page) -> dict[str, list[str]]:
    """The links of a message page's facts (For, PLPs concerned), by the term they follow."""
    text = page.read_text(encoding="utf-8")
    facts = re.search(r'<dl class="facts">(.*?)</dl>', text, re.S)[1]
    found = {}
    for term, value in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", facts, re.S):
        found[html.unescape(term)] = re.findall(r'href="([^"]+)"', value)
    return found


def test_a_message_for_a_zone_or_a_commune_links_each_of_its_plps(small_site):
    zone = _facts(small_site / urls.message("nl", "dark-days"))  # zone:5901
    assert zone["Betrokken BIN's"] == [
        "../../plp/bergveld-centrum/index.html",
        "../../plp/heidebeek-zuid/index.html",
    ]
    commune = _facts(small_site / urls.message("fr", "vans"))  # commune:florval
    assert commune["PLP concernés"] == ["../../plp/florval-centre/index.html"]  # not inactive


def test_a_national_message_leads_to_the_directory_and_a_plp_target_to_its_hub(small_site):
    national = _facts(small_site / urls.message("nl", "holiday"))
    assert national["Voor"] == ["../../plp/index.html"]
    assert "Betrokken BIN's" not in national  # not every PLP of the country, one by one
    meeting = _facts(small_site / urls.message("nl", "meeting"))
    assert meeting["Voor"] == ["../../plp/heidebeek-zuid/index.html"]


def test_a_message_no_plp_receives_in_its_language_lists_none(small_site):
    # fr dark-days targets zone 5901, whose PLPs read Dutch only.
    assert "PLP concernés" not in _facts(small_site / urls.message("fr", "dark-days"))


# --- 4. 404 --------------------------------------------------------------------------------


def test_the_404_page_links_the_home_page_from_any_depth(small_site):
    page = small_site / urls.NOT_FOUND
    parsed = parse_html(page)
    targets = {target for _tag, target, _a in parsed.links}
    assert {"/index.html", "/fr/index.html", "/nl/index.html", "/theme/site.css"} <= targets
    text = page.read_text(encoding="utf-8")
    for said in ("Page introuvable", "Pagina niet gevonden", "Seite nicht gefunden"):
        assert said in text
    assert '<meta name="robots" content="noindex">' in text and 'rel="canonical"' not in text
    assert "404.html" not in (small_site / urls.SITEMAP).read_text(encoding="utf-8")


def test_the_404_page_of_a_site_in_a_folder_links_into_that_folder(tmp_path):
    root = write_project(tmp_path)
    config = project_config(root, root, site_url="https://www.example.org/plp")
    build_site(config)
    targets = {t for _tag, t, _a in parse_html(config.output_dir / urls.NOT_FOUND).links}
    assert {"/plp/index.html", "/plp/fr/index.html", "/plp/theme/site.css"} <= targets


def test_the_preview_server_answers_a_missing_page_with_the_404_page(small_site):
    server = start_server(small_site, "127.0.0.1", 0)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/fr/messages/gone/"
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(url, timeout=5)
        assert missing.value.code == 404
        body = missing.value.read().decode("utf-8")
        assert "Page introuvable" in body and 'href="/fr/index.html"' in body
    finally:
        server.shutdown()


def test_the_readme_says_what_the_web_server_must_be_told():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "error_page 404 /404.html;" in readme


# --- 5. The directory ----------------------------------------------------------------------


def test_every_plp_name_in_the_directory_is_a_link_to_its_hub(small_site):
    text = (small_site / urls.directory("fr")).read_text(encoding="utf-8")
    # In the page's language when the PLP has it, else in its first language.
    own = '<a href="florval-centre/index.html" hreflang="fr" lang="fr">PLP Florval-Centre</a>'
    first = (
        '<a href="../../nl/plp/bergveld-centrum/index.html" hreflang="nl" lang="nl">'
        "BIN Bergveld-Centrum</a>"
    )
    assert own in text and first in text


def test_without_script_the_directory_shows_everything_and_no_dead_end(small_site):
    text = (small_site / urls.directory("nl")).read_text(encoding="utf-8")
    # The search form and the "nothing found" advice need the script: hidden without it.
    assert re.search(r'<form class="find" id="find" hidden>', text)
    assert re.search(r'<div id="none" class="next-step" hidden>', text)
    assert not re.search(r"<li[^>]* hidden", text)
