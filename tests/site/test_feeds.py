"""Feed details a validator checks that the sample content does not happen to exercise."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime

from pipeline.model import Category
from pipeline.site.feeds import FeedSpec, render_feed
from pipeline.site.views import SiteMessageView

ATOM = "{http://www.w3.org/2005/Atom}"


def view(key: str, html: str = "<p>Texte.</p>") -> SiteMessageView:
    return SiteMessageView(
        key=key,
        lang="fr",
        title=f"Titre {key}",
        path=f"fr/messages/{key}/index.html",
        published=datetime(2026, 11, 2),
        date="2 novembre 2026",
        iso_date="2026-11-02",
        category=Category.PREVENTION,
        category_name="Conseils de prévention",
        summary=None,
        html=html,
        author="Zone de police",
        valid_until=None,
        expired=False,
    )


def spec(*entries: SiteMessageView) -> FeedSpec:
    return FeedSpec(
        rss="fr/plp/x/feed.xml",
        atom="fr/plp/x/atom.xml",
        page="fr/plp/x/index.html",
        lang="fr",
        title="PLP X",
        description="Messages",
        author="Zone de police",
        entries=entries,
        today=date(2026, 11, 29),
    )


def test_same_day_messages_get_distinct_atom_updated_values():
    _rss, atom = render_feed(spec(view("b"), view("a"), view("c")), "https://s.test", "UTC")
    entries = ET.fromstring(atom).findall(f"{ATOM}entry")
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert len(set(updated)) == 3
    assert all(u.startswith("2026-11-02T00:00:0") for u in updated)  # seconds apart, same day
    assert ET.fromstring(atom).findtext(f"{ATOM}updated") == max(updated)


def test_relative_links_in_content_become_absolute():
    html = '<p><a href="../autre/index.html">lien</a> <img src="plan.png" alt="plan"></p>'
    rss, _atom = render_feed(spec(view("k", html)), "https://s.test", "UTC")
    text = ET.fromstring(rss).find("channel/item/description").text
    assert 'href="https://s.test/fr/messages/autre/index.html"' in text
    assert 'src="https://s.test/fr/messages/k/plan.png"' in text
