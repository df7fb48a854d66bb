"""Site fixtures: the sample site built once per session, and helpers to read what it holds."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.content import load_content
from pipeline.site import build_site
from pipeline.targeting import Targeting
from tests.conftest import (
    ROOT,
    SITE_URL,
    TODAY,  # noqa: F401 - the site tests import it from here
    Files,
    project_config,
    write_project,
)


@pytest.fixture(scope="session")
def sample_config(tmp_path_factory):
    """The repository's sample content, pinned for tests, output in a temp folder."""
    return project_config(ROOT, tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def sample_site(sample_config):
    """Build the sample site once; every crawl test reads this output folder."""
    report = build_site(sample_config)
    return sample_config.output_dir, report


def build_tree(folder: Path, files: Files | None = None, bulletins=(), *, checked=True) -> Path:
    """Build the small tree with `files` replaced or added, in `folder`; returns its output.

    `checked=False` builds whatever could be read, problems or not: the outputs must stay
    inert even for content that `plp check` refuses.
    """
    from pipeline.content import read_content

    root = write_project(folder, files)
    config = project_config(root, root)
    content = None if checked else read_content(config.content_dir)[0]
    build_site(config, content=content, bulletins=bulletins)
    return config.output_dir


BULLETIN_NOISE = "<h2>Conseils</h2><p>Fermez à clé.</p><script>alert('b')</script>"
# A bulletin's web version as theme/email/bulletin.web.html.j2 writes it: absolute links,
# the coordinator's note, one article per message.
CURRENT = f"""
<section class="bulletin-note">
<h2>Un mot de votre coordinateur</h2>
<p>Assemblée le 5 décembre.</p>
</section>
<article class="bulletin-message">
<h2><a href="{SITE_URL}/fr/messages/dark-days-2026/">Jours sombres</a></h2>
<p class="meta">Conseils de prévention · 26 octobre 2026</p>
<p>Éclairez, <a href="{SITE_URL}/fr/messages/holiday/#tips">fermez</a>.</p>
</article>
<article class="bulletin-message">
<h2><a href="{SITE_URL}/fr/messages/fake-police/">Faux policiers</a></h2>
<p class="meta">Modes opératoires · 14 septembre 2026</p>
<p>Voir <a href="https://safeonweb.be/fr">Safeonweb</a>.</p>
</article>
"""


@pytest.fixture(scope="session")
def site_with_bulletins(tmp_path_factory):
    """The small tree with sent bulletins, handed to the build as its caller does."""
    import pipeline.bulletin.web as web

    november, noise = date(2026, 11, 20), BULLETIN_NOISE
    sent = [
        web.WebBulletin(
            "florval-centre", 3, "fr", november, "Bulletin de novembre", CURRENT + noise
        ),
        web.WebBulletin("florval-centre", 3, "nl", november, "Nieuwsbrief november", noise),
        web.WebBulletin("florval-zoning", 1, "fr", date(2026, 1, 5), "Inactif", noise),
        web.WebBulletin("unknown-plp", 1, "fr", date(2026, 1, 5), "Inconnu", noise),
    ]
    return build_tree(tmp_path_factory.mktemp("bulletins"), bulletins=sent)


@pytest.fixture(scope="session")
def small_site(tmp_path_factory):
    """The shared small content tree of tests/conftest.py, built once: stable golden input."""
    return build_tree(tmp_path_factory.mktemp("small"))


@pytest.fixture(scope="session")
def sample_content(sample_config):
    return load_content(sample_config)


@pytest.fixture(scope="session")
def targeting(sample_content):
    return Targeting(sample_content)


class Links(HTMLParser):
    """Collects a page's lang, ids, links and sources, scripts, and every attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, dict[str, str | None]]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "html":
            self.lang = attributes.get("lang")
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        for name in ("href", "src", "action"):
            if attributes.get(name) is not None:
                self.links.append((tag, attributes[name], attributes))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.script_text.append(data)


def parse_html(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def normalise(text: str, site_url: str = SITE_URL) -> str:
    """Strip what may change without a user-visible difference (generator versions).

    Feeds are written compact; they are indented here so golden diffs stay readable.
    """
    if text.startswith("<?xml"):
        from xml.dom import minidom

        text = minidom.parseString(text.encode("utf-8")).toprettyxml(indent="  ")
    text = re.sub(r"<generator[^>]*>[^<]*</generator>", "<generator/>", text)
    text = re.sub(r"<docs>[^<]*</docs>", "<docs/>", text)
    return text.replace(site_url, "SITE")
