"""One message, every output: the site page, its feeds and the bulletin agree on link and fields.

Everything goes through the real renderers (Pelican build, feedgen, Jinja → MJML → premailer,
the text part) on one small project, then the outputs are read back as a reader would.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import feedparser
import pytest

from pipeline import urls
from pipeline.bulletin.assembly import assemble
from pipeline.bulletin.render import Renderer
from pipeline.content import load_content
from pipeline.i18n import gettext_for
from pipeline.site import build_site
from tests.bulletin.factories import message
from tests.conftest import SITE_URL, TODAY, project_config, write_project

PLP, LANG = "rivebois-centre", "fr"
# Escaping, French punctuation and a summary: where a hand-built copy would drift first.
TRICKY = message(
    "Faux « techniciens » & vols : restez vigilants",
    date="2026-11-18",
    category="modus-operandi",
    targets=f"plp:{PLP}",
    summary="Ils sonnent à deux & prétendent vérifier « le compteur ».",
)
KEYS = ("tricky", "fake-police")  # with a summary, and without one (its body is shown)


class Elements(HTMLParser):
    """Every element of a document as (tag, attributes, text inside it)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict, list[str]]] = []
        self.open: list[tuple[str, dict, list[str]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        element = (tag, dict(attrs), [])
        self.found.append(element)
        if tag not in ("meta", "link", "br", "img", "hr", "input"):
            self.open.append(element)

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data):
        for _tag, _attrs, text in self.open:
            text.append(data)

    def all(self, tag: str, cls: str | None = None) -> list[tuple[dict, str]]:
        """(attributes, whitespace-normalised text) of each `tag` element, of class `cls`."""
        return [
            (attrs, " ".join("".join(text).split()))
            for name, attrs, text in self.found
            if name == tag and (cls is None or cls in (attrs.get("class") or "").split())
        ]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """The site built and the PLP's bulletin rendered from the same content and config."""
    folder = tmp_path_factory.mktemp("project")
    root = write_project(folder, {"messages/tricky.fr.md": TRICKY}, base="bulletin")
    config = project_config(root, root)
    content = load_content(config)
    build_site(config, content=content)
    bulletin = assemble(content, PLP, number=1, on=TODAY)
    edition = Renderer(config, content).render(bulletin, LANG)
    return config.output_dir, content, edition


def expected_url(key: str) -> str:
    return urls.absolute(SITE_URL, urls.message(LANG, key))


@pytest.mark.parametrize("key", KEYS)
def test_page_feeds_and_bulletin_give_one_absolute_link(outputs, key):
    out, _content, edition = outputs
    url = expected_url(key)
    assert url == f"{SITE_URL}/{LANG}/messages/{key}/"

    page = Elements((out / urls.message(LANG, key)).read_text(encoding="utf-8"))
    assert [a["href"] for a, _ in page.all("link") if a.get("rel") == "canonical"] == [url]

    for kind in ("rss", "atom"):
        feed = feedparser.parse((out / urls.plp_feed(LANG, PLP, kind)).read_bytes())
        links = [e.link for e in feed.entries if e.link.rstrip("/").endswith(f"/{key}")]
        assert links == [url], kind

    # The HTML part and the web version: the heading links there, and so does "read on".
    for html in (edition.html, edition.web):
        hrefs = [a["href"] for a, _ in Elements(html).all("a") if key in a.get("href", "")]
        assert hrefs and set(hrefs) == {url}

    # The text part: the reference after the message's "read on the website" is that URL.
    read_on = gettext_for(LANG, "bulletin")("Read on the website")
    refs = dict(re.findall(r"^\[(\d+)\] (\S+)$", edition.text, re.M))
    numbers = re.findall(rf"^{re.escape(read_on)} \[(\d+)\]$", edition.text, re.M)
    assert url in [refs[n] for n in numbers]


@pytest.mark.parametrize("key", KEYS)
def test_bulletin_names_the_message_as_its_site_page_does(outputs, key):
    out, content, edition = outputs
    m = next(m for m in content.messages if m.key == key and m.lang == LANG)
    page = Elements((out / urls.message(LANG, key)).read_text(encoding="utf-8"))
    facts = {dt: dd for (_, dt), (_, dd) in zip(page.all("dt"), page.all("dd"), strict=True)}
    title = page.all("h1")[0][1]
    date = page.all("time")[0][1]
    category = facts[gettext_for(LANG, "site")("Category")]
    summary = [text for _, text in page.all("p", "lead")]
    assert title == m.title and summary == ([m.summary] if m.summary else [])

    mail = Elements(edition.html)
    headings = [text for _, text in mail.all("h2") if text == title]
    assert headings == [title]
    assert f"{category} · {date}" in [text for _, text in mail.all("p", "label")]
    if m.summary:  # the bulletin shows the summary as the body; the page has the rest
        assert summary[0] in [text for _, text in mail.all("p")]

    # The text part keeps French punctuation on its line with no-break spaces: compare words.
    text = " ".join(edition.text.split())
    assert f"{category.upper()} · {date} {title}" in text
    if m.summary:
        assert f"{title} {summary[0]}" in text
