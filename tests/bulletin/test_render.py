"""Rendered parts: golden files, every title and the reporting rule, size, nothing executable."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from pipeline.bulletin.assembly import assemble
from pipeline.bulletin.render import PLACEHOLDERS, Renderer, external_resources, sent_size
from pipeline.bulletin.text import WIDTH
from pipeline.i18n import reporting_rule
from tests.conftest import SITE_URL, TODAY

from .factories import message

NOTE = "Bonjour à toutes et à tous,\n\nMerci pour votre **vigilance** lors de la [fête](https://plp.example.org/fr/)."
LONG_BODY = """\
Depuis le passage à l'heure d'hiver, il fait nuit dès la fin de l'après-midi. Chaque année,
pendant ces **jours sombres**, le nombre de cambriolages augmente : les voleurs repèrent
facilement les maisons plongées dans le noir, signe que personne n'est à la maison.

## Donnez l'impression que la maison est habitée

- Programmez une ou deux lampes intérieures avec une **minuterie**, à des heures différentes.
- Installez un éclairage extérieur avec **détecteur de mouvement** près des portes.
- Ne fermez pas tous les volets en plein après-midi : une maison « bouclée » attire l'attention.

## Fermez, même pour quelques minutes

- Verrouillez la porte d'entrée à clé, même quand vous êtes à la maison ou au jardin.
- Fermez les fenêtres, portes de terrasse, portes de garage et lucarnes avant de sortir.
- **Ne laissez jamais la clé sur la serrure**, sous le paillasson ou dans un pot de fleurs.

## Ne facilitez pas le travail du voleur

- Rangez échelles, outils et poubelles à roulettes : ils servent à atteindre l'étage.
- Ne laissez pas de sacs, clés de voiture ou ordinateurs visibles depuis la rue.
- Photographiez vos objets de valeur et notez les numéros de série.

Le conseiller en techno-prévention de votre zone peut venir **gratuitement** examiner votre
habitation. Plus d'informations sur [le site de la zone](https://www.police-rivebois.test/).

Vous remarquez quelque chose de suspect ? Appelez **directement la police au 101** (112 en
cas d'urgence vitale). Ne passez **jamais** par le coordinateur de votre PLP.
"""


class _Text(HTMLParser):
    """Visible text and every tag/attribute of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.skip += tag in ("style", "title")

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "title")

    def handle_data(self, data):
        if not self.skip:
            self.chunks.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.chunks).split())


def parse(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser


def flat(text: str) -> str:
    return " ".join(text.replace("|", " ").split())


def render(project, slug="rivebois-centre", lang="fr", note=None):
    content = project.content()
    bulletin = assemble(content, slug, number=1, on=TODAY, note=note)
    return bulletin, Renderer(project.config, content).render(bulletin, lang)


def test_golden_html_and_text(project, golden):
    _, edition = render(project, note=NOTE)
    # Nothing in a rendered part varies between runs (dates are pinned, no random id).
    golden("rivebois-centre-1.fr.html", edition.html)
    golden("rivebois-centre-1.fr.txt", edition.text)


@pytest.mark.parametrize(
    ("slug", "lang"), [("rivebois-centre", "fr"), ("rivebois-centre", "nl"), ("tannendorf", "de")]
)
def test_both_parts_hold_every_title_the_rule_and_the_contacts(project, slug, lang):
    bulletin, edition = render(project, slug, lang, note="Un mot **du coordinateur**.")
    html, text = parse(edition.html).text, flat(edition.text)
    for item in bulletin.edition(lang).messages:
        assert item.title in html
        assert item.title in text
        url = f"{SITE_URL}/{lang}/messages/{item.key}/"
        assert f'href="{url}"' in edition.html and url in edition.text
    assert reporting_rule(lang) in html
    assert reporting_rule(lang) in text
    assert "du coordinateur" in html and "du coordinateur" in text
    for contact in ("+32", f"{SITE_URL}/{lang}/privacy/", "@"):
        assert contact in edition.html and contact in edition.text
    for placeholder in PLACEHOLDERS:
        assert edition.html.count(placeholder) + edition.text.count(placeholder) == 1


def test_reporting_rule_is_boxed_before_the_messages(project):
    bulletin, edition = render(project)
    rule = edition.html.index(reporting_rule("fr")[:30])
    # The <title> and the hidden preview also hold text: look for the first message heading.
    first = bulletin.edition("fr").messages[0].title
    first_title = re.search(rf"<h2[^>]*><a [^>]*>{re.escape(first)}</a></h2>", edition.html).start()
    assert rule < first_title
    box = re.search(r"\+-+\+\n(\|.*\|\n)+\+-+\+", edition.text)
    assert box and "101" in box.group(0)


def test_text_part_is_wrapped_and_lists_links_at_the_end(project):
    _, edition = render(project, note=NOTE)
    links_at = edition.text.rindex("Liens :")
    for line in edition.text[:links_at].splitlines():
        assert len(line) <= WIDTH or "@" in line, line
    refs = re.findall(r"^\[(\d+)\] (\S+)$", edition.text[links_at:], re.M)
    assert [int(n) for n, _ in refs] == list(range(1, len(refs) + 1))
    assert ("https://safeonweb.be/fr") in [url for _, url in refs]
    assert "Safeonweb [" in flat(edition.text)


def test_html_is_mobile_and_dark_mode_friendly_without_external_resources(project):
    _, edition = render(project, note=NOTE)
    html = edition.html
    assert 'name="viewport" content="width=device-width' in html
    assert '<meta name="color-scheme" content="light dark">' in html
    assert "@media (prefers-color-scheme: dark)" in html
    assert "!important" in html  # dark rules must beat inlined styles
    assert external_resources(html, SITE_URL) == []
    assert "fonts.googleapis" not in html and "<link" not in html.lower()
    assert not re.search(r"<img\b(?![^>]*\balt=)", html)


def test_ten_messages_stay_under_gmail_clipping(project):
    project.write(
        {
            f"long-{i}.fr.md": message(f"Conseil numéro {i} : un titre assez long", body=LONG_BODY)
            for i in range(10)
        }
    )
    content = project.content()
    bulletin = assemble(
        content,
        "montgare-gare",
        number=1,
        on=TODAY,
        already_sent={"gare.fr", "dark-days.fr", "fake-police.fr"},
        note=NOTE,
    )
    assert len(bulletin.edition("fr").messages) == 10
    edition = Renderer(project.config, content).render(bulletin, "fr")
    size = len(edition.html.encode())
    assert size < 102 * 1024, f"HTML part is {size / 1024:.1f} KB"
    assert sent_size(edition.html) < 102 * 1024  # also as sent, quoted-printable


HOSTILE = """\
<script>alert('x')</script>
<img src="https://tracker.test/pixel.gif" onerror="alert(1)" alt="pixel">
<iframe src="https://evil.test/"></iframe>
<a href="javascript:alert(2)">clic</a> [lien](javascript:alert(3))
<a href="JaVaScRiPt:alert(4)">x</a>
<div onclick="alert(5)" style="background:url(https://evil.test/bg.png)">div</div>
<svg onload="alert(6)"></svg><object data="https://evil.test/x"></object>
<form action="https://evil.test/"><input name="q"></form>
<style>@import url(https://evil.test/x.css);</style><link rel="stylesheet" href="https://evil.test/y.css">
"""


def test_hostile_message_leaves_nothing_executable_or_remote(project):
    project.write({"hostile.fr.md": message("<script>alert('title')</script> Titre", body=HOSTILE)})
    _, edition = render(project, "montgare-gare", note=HOSTILE)
    html = edition.html.lower()
    for bad in ("<script", "javascript:", "<iframe", "<svg", "<object", "<form", "<input"):
        assert bad not in html, bad
    for tag, attrs in parse(edition.html).tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
    assert "evil.test" not in html and "tracker.test" not in html
    assert external_resources(edition.html, SITE_URL) == []
    assert "<script>alert('title')</script> Titre" in parse(edition.html).text  # shown, inert
    assert "javascript:" not in edition.text.lower()
    assert "<script>alert('title')</script> Titre" in edition.text  # text is inert


def test_images_from_our_site_keep_their_alt_and_others_become_text(project):
    body = (
        f"![Une porte verrouillée]({SITE_URL}/images/porte.png)\n\n"
        "![Un pixel](https://tracker.test/p.gif)"
    )
    project.write({"img.fr.md": message("Images", body=body)})
    _, edition = render(project, "montgare-gare")
    images = [attrs for tag, attrs in parse(edition.html).tags if tag == "img"]
    assert [(a["src"], a["alt"]) for a in images] == [
        (f"{SITE_URL}/images/porte.png", "Une porte verrouillée")
    ]
    assert "[Un pixel]" in edition.html and "tracker.test" not in edition.html
    assert "[Une porte verrouillée]" in edition.text and "[Un pixel]" in edition.text


def test_text_conversion_of_lists_quotes_and_links():
    from pipeline.bulletin.text import Links, html_to_text

    links = Links()
    html = (
        "<p>Voir <a href='https://a.test/'>ici</a> et <a href='tel:101'>101</a>.</p>"
        "<ol><li>un</li><li>deux <ul><li>sous-point</li></ul></li></ol>"
        "<blockquote><p>Citation</p></blockquote><h2>Titre</h2>" + "<p>" + "mot " * 40 + "</p>"
    )
    text = html_to_text(html, links)
    assert "Voir ici [1] et 101." in text  # tel: links are not listed
    assert "1. un\n2. deux" in text and "   - sous-point" in text
    assert "> Citation" in text and "Titre\n-----" in text
    assert all(len(line) <= WIDTH for line in text.splitlines())
    assert links.render() == "[1] https://a.test/"
