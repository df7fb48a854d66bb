"""Hostile content never reaches a reader: no script, handler or javascript:/data: URL anywhere."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pipeline import urls
from pipeline.settings import DEFAULTS
from tests.conftest import PLPS, message

from .conftest import Links, build_tree

PAYLOADS = """\
<script>alert('body')</script>

<img src="x" alt="picture" onerror="alert('img')">

<a href="javascript:alert('a')">a link</a> and <a href="JaVaScRiPt:alert('mixed')">mixed</a>

<iframe src="https://evil.test/frame"></iframe> <object data="https://evil.test/o"></object>

<svg onload="alert('svg')"><circle r="1"></circle></svg>

<div style="background:url(javascript:alert('css'))">styled</div>

[markdown link](javascript:alert('md'))

[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)

![a picture](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)

<a href="vbscript:msgbox('vb')">vb</a> <form action="https://evil.test"><input name="q"></form>

<p onclick="alert('p')">click</p>
"""

HOSTILE = {
    "messages/hostile.fr.md": message(
        title="<script>alert('title')</script> Titre",
        targets="all",
        extra="Summary: <img src=x onerror=alert('summary')> résumé\n",
        body=PAYLOADS,
    ),
    "messages/hostile.nl.md": message(
        title="<img src=x onerror=alert('titel')> Titel", targets="all", body=PAYLOADS
    ),
    "registry/plps.yaml": PLPS.replace(
        '  coordinator: {name: "Coördinator BIN Heidebeek-Zuid"',
        "  join: \"<script>alert('join')</script> [join](javascript:alert('join'))\"\n"
        '  coordinator: {name: "Coördinator BIN Heidebeek-Zuid"',
    ),
}
UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")
FORBIDDEN_TAGS = {"iframe", "object", "embed", "svg", "style", "base"}
JOIN_ACTION = urls.subscribe_url(DEFAULTS["web_url"], "")
JOIN_FIELDS = {
    ("search", "q"),
    ("email", "email"),
    ("text", "name"),
    ("hidden", "language"),
}


def violations(html: str, own_scripts: set[str]) -> list[str]:
    """What in this HTML could run: script elements, handlers, unsafe URLs, embedded frames."""
    parsed = Links()
    parsed.feed(html)
    found = [f"inline script {text[:40]!r}" for text in parsed.script_text]
    for tag, attrs in parsed.tags:
        if tag in FORBIDDEN_TAGS:
            found.append(f"<{tag}>")
        # The theme's own forms only: the PLP search (class "find", one search field) and the
        # hub's join form (class "member"), which posts to the members' web service alone.
        action = attrs.get("action") or ""
        search = attrs.get("class") == "find" and "://" not in action
        join = attrs.get("class") == "member" and action.startswith(JOIN_ACTION)
        if tag == "form" and not (search or join):
            found.append(f"<form {attrs}>")
        if tag == "input" and (attrs.get("type"), attrs.get("name")) not in JOIN_FIELDS:
            found.append(f"<input {attrs}>")
        src = attrs.get("src") or ""
        if tag == "script" and src and src.rsplit("/", 1)[-1] not in own_scripts:
            found.append(f"script src={attrs.get('src')!r}")
        for name, value in attrs.items():
            if name.startswith("on") or name == "style":
                found.append(f"{tag} {name}={value!r}")
            if name in ("href", "src", "action", "data", "formaction"):
                cleaned = "".join((value or "").split()).lower()
                if cleaned.startswith(UNSAFE_SCHEMES):
                    found.append(f"{tag} {name}={value!r}")
    return found


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    # Built unchecked: `plp check` refuses some of it (`src=` in a title), the site must
    # stay inert anyway.
    return build_tree(tmp_path_factory.mktemp("hostile"), HOSTILE, checked=False)


def test_hostile_message_is_published_but_inert(hostile_site: Path):
    page = (hostile_site / "fr/messages/hostile/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Titre" in page  # shown as text
    assert "a link" in page and "markdown link" in page  # the words stay, the URLs go


def test_no_payload_in_any_page(hostile_site: Path):
    found = {}
    for path in hostile_site.rglob("*.html"):
        bad = violations(path.read_text(encoding="utf-8"), {"directory.js"})
        if bad:
            found[path.relative_to(hostile_site).as_posix()] = bad
    assert not found


def test_no_payload_in_any_feed(hostile_site: Path):
    feeds = list(hostile_site.rglob("*.xml"))
    assert any("hostile" in f.read_text(encoding="utf-8") for f in feeds)
    found = {}
    for path in feeds:
        if path.name == "sitemap.xml":
            continue
        for element in ET.parse(path).iter():
            # content:encoded, description, atom content/summary/title: HTML once unescaped
            if element.text and "<" in element.text:
                bad = violations(element.text, set())
                if bad:
                    found.setdefault(path.relative_to(hostile_site).as_posix(), []).extend(bad)
    assert not found


def test_feed_titles_are_plain_text(hostile_site: Path):
    rss = (hostile_site / "fr/plp/florval-centre/feed.xml").read_text(encoding="utf-8")
    assert "<title>Titre</title>" in rss
    assert "résumé" in rss


def test_the_checker_itself_sees_payloads():
    """Guard against a vacuous pass: the detector flags each kind of payload."""
    raw = '<script>x</script><a href=" javascript:x">a</a><img onerror="x"><iframe></iframe>'
    assert len(violations(raw, set())) == 4
