"""Sanitised HTML is valid HTML: the Nu Html Checker finds no error even on an XSS corpus."""

from __future__ import annotations

import json
import subprocess

import pytest

from pipeline.markup import render_markdown
from tests.conftest import MESSAGES, PAGES, PLPS, ZONES, message

from .. import tools
from .conftest import build_tree
from .test_safety import PAYLOADS

# The site-safety payloads, and markup that sanitising used to leave invalid: links and images
# whose URL was dropped, values the standard refuses, elements outside their parent.
CORPUS = (
    PAYLOADS
    + """

[a link](javascript:alert('x')) and ![a picture](data:image/png;base64,AAAA)

<a href="vbscript:x">vb</a> <img src="javascript:x" alt="js"> <img alt="no source">

<li>stray item</li> <dd>stray definition</dd> <figcaption>stray caption</figcaption>

<b><p>a paragraph in bold</p></b> <h2><p>a paragraph in a heading</p></h2>

<ul><p>a paragraph in a list</p><li>an item</li></ul> text<ul>loose text<li>item</li></ul>

<ol start="abc"><li>x</li></ol> <img src="a.png" alt="a" width="abc" height="10px">

<table><tr><td colspan="0" rowspan="x">c</td><th scope="bogus">h</th></tr></table>

<a href="https://a.test/x" hreflang="!!">bad language</a> <a href="https://a.test/a b">space</a>

<a href="tel:+32 14 99 01 01">the zone</a> <pre><div>a block in pre</div></pre>

<table><tfoot><tr><td>foot</td></tr></tfoot></table> <span><blockquote>q</blockquote></span>
"""
)


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("[x](javascript:alert(1))", "<p>x</p>"),
        ("![x](data:image/png;base64,AAAA)", "<p></p>"),
        ('<a href="vbscript:x">vb</a>', "<p>vb</p>"),
        ("<li>stray</li>", "stray"),
        ("<div><b><p>para</p></b></div>", "<div><b>para</b></div>"),
        ("<ul><p>para</p><li>item</li></ul>", "<ul><li><p>para</p></li><li>item</li></ul>"),
        ('<ol start="abc"><li>x</li></ol>', "<ol><li>x</li></ol>"),
        ('<ol start="3"><li>x</li></ol>', '<ol start="3"><li>x</li></ol>'),
        (
            '<div><a href="tel:+32 14 99">z</a></div>',
            '<div><a href="tel:+321499" rel="noopener noreferrer">z</a></div>',
        ),
    ],
)
def test_sanitised_html_is_valid(source, html):
    assert render_markdown(source) == html


def test_valid_markup_passes_unchanged():
    source = "<p>Een <b>vet</b> &amp; <a href='https://a.test/?q=1&amp;r=2'>link</a>.</p>"
    assert render_markdown(source) == (
        '<p>Een <b>vet</b> &amp; <a href="https://a.test/?q=1&amp;r=2" '
        'rel="noopener noreferrer">link</a>.</p>'
    )


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory):
    plps = PLPS.replace("  kind: rural\n", f"  kind: rural\n  join: {json.dumps(CORPUS)}\n", 1)
    corpus = message(title="Corpus", targets="plp:heidebeek-zuid", body=CORPUS)
    tree = {"registry/zones.yaml": ZONES, "registry/plps.yaml": plps, **MESSAGES, **PAGES}
    tree["messages/heidebeek/corpus.nl.md"] = corpus
    # Unchecked: `plp check` refuses parts of the corpus; what reaches a page must be valid.
    return build_tree(tmp_path_factory.mktemp("corpus"), tree, checked=False)


def test_the_nu_html_checker_finds_no_error_on_an_xss_corpus_page(corpus_site):
    tools.need("java", "vnu")
    java, jar = tools.java(), tools.vnu_jar()
    pages = [
        corpus_site / "nl/messages/corpus/index.html",
        corpus_site / "nl/plp/heidebeek-zuid/index.html",
    ]
    done = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    report = [f"{m.get('url', '')[-40:]}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert not report, "\n".join(report)
