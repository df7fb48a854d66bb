"""Registry names are plain text everywhere: refused with markup, escaped once, RTL isolated.

Markup in a registry name is refused at check time rather than rendered as text: a name goes
into pages (HTML), feeds (where readers disagree on whether a title is text or HTML, so only
plain text reads the same in all of them) and e-mail headers (where `<`/`>` end a display
name). What reaches the outputs is then plain text, which each escapes exactly once.
"""

from __future__ import annotations

import json
import re

import feedparser
import pytest

from pipeline.content import read_content
from pipeline.errors import Severity
from tests.conftest import MESSAGES, PAGES, PLPS, ZONES

from .conftest import build_tree

NAME = "BIN Zuid & Noord \"Oost\" 'West'"
RTL = "בין פלורבל"  # a Hebrew name, shown on left-to-right pages
ZONE = "Politiezone Kempen & Veld"


def registry(plp_name: str, zone_name: str = ZONE, rtl: str = RTL) -> dict[str, str]:
    plps = PLPS.replace('{nl: "BIN Bergveld-Centrum"}', f"{{nl: {json.dumps(plp_name)}}}", 1)
    plps = plps.replace('"Coördinator BIN Bergveld-Centrum"', json.dumps(f"Coördinatie {plp_name}"))
    plps = plps.replace('fr: "PLP Florval-Centre"', f"fr: {json.dumps(rtl)}", 1)
    zones = ZONES.replace('"Politiezone Kempenveld"', json.dumps(zone_name), 1)
    return {"registry/zones.yaml": zones, "registry/plps.yaml": plps, **MESSAGES, **PAGES}


@pytest.mark.parametrize("markup", ["<b>Noord</b>", "Zuid &amp; Noord", "<script>x</script>"])
@pytest.mark.parametrize(
    ("old", "line", "what"),
    [
        ('{nl: "BIN Heidebeek-Zuid"}', 9, "PLP name"),
        ('"Coördinator BIN Heidebeek-Zuid"', 13, "the coordinator's name"),
    ],
)
def test_markup_in_a_registry_name_is_refused(content_tree, markup, old, line, what):
    new = (
        old.replace("Heidebeek-Zuid", markup) if "{" in old else json.dumps(f"Coördinator {markup}")
    )
    root = content_tree({"registry/plps.yaml": PLPS.replace(old, new, 1)})
    _, problems = read_content(root / "content")
    errors = [p for p in problems if p.severity is Severity.ERROR]
    assert [(p.line, p.message.split(" '")[0]) for p in errors] == [(line, what)]
    assert "holds markup" in errors[0].message and "plain text" in errors[0].fix


def test_markup_in_zone_and_commune_names_is_refused(content_tree):
    zones = ZONES.replace('"Politiezone Kempenveld"', '"PZ <i>Kempenveld</i>"', 1)
    zones = zones.replace('{nl: "Heidebeek"}', '{nl: "Heide &amp; Beek"}', 1)
    root = content_tree({"registry/zones.yaml": zones})
    _, problems = read_content(root / "content")
    assert [(p.line, p.message.split(" '")[0]) for p in problems] == [
        (2, "zone name"),
        (11, "commune name"),
    ]


@pytest.fixture(scope="module")
def named_site(tmp_path_factory):
    return build_tree(tmp_path_factory.mktemp("names"), registry(NAME))


@pytest.mark.parametrize("kind", ["feed.xml", "atom.xml"])
def test_feeds_carry_names_as_text_escaped_once(named_site, kind):
    feed = feedparser.parse(named_site / "nl/plp/bergveld-centrum" / kind)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == NAME
    assert feed.feed.subtitle.endswith(f"voor {NAME}")
    if kind == "atom.xml":
        assert feed.feed.author == ZONE
    raw = (named_site / "nl/plp/bergveld-centrum" / kind).read_text(encoding="utf-8")
    assert "&amp;amp;" not in raw and "BIN Zuid &amp; Noord" in raw


def test_pages_show_names_escaped_once(named_site):
    hub = (named_site / "nl/plp/bergveld-centrum/index.html").read_text(encoding="utf-8")
    assert "<h1>BIN Zuid &amp; Noord &#34;Oost&#34; &#39;West&#39;</h1>" in hub
    assert (
        f"<dd>Coördinatie {NAME}".replace("&", "&amp;").replace('"', "&#34;").replace("'", "&#39;")
        in hub
    )
    assert "&amp;amp;" not in hub and "Politiezone Kempen &amp; Veld" in hub


def test_right_to_left_names_are_bidi_isolated_on_pages(named_site):
    hub = (named_site / "fr/plp/florval-centre/index.html").read_text(encoding="utf-8")
    assert f"<h1><bdi>{RTL}</bdi></h1>" in hub
    directory = (named_site / "fr/plp/index.html").read_text(encoding="utf-8")
    # The entry (a link to its fr hub), and the hidden label of its nl hub's link.
    assert directory.count(f"<bdi>{RTL}</bdi>") == 2
    # Left-to-right names are shown as they are.
    assert "<bdi>" not in (named_site / "nl/plp/bergveld-centrum/index.html").read_text("utf-8")


def test_markup_that_skipped_the_check_is_never_executed_in_a_feed(tmp_path):
    out = build_tree(tmp_path, registry("<script>alert(1)</script>BIN"), checked=False)
    for kind in ("feed.xml", "atom.xml"):
        raw = (out / "nl/plp/bergveld-centrum" / kind).read_text(encoding="utf-8")
        feed = feedparser.parse(raw)
        assert feed.feed.title == "BIN" and "<" not in feed.feed.subtitle
        assert not re.search(r"&lt;script", raw, re.IGNORECASE)
