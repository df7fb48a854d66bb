"""The detectors see what readers see: decoded, normalised, in every format, case and language."""

from __future__ import annotations

import pytest

from pipeline.checks import scan_personal_data
from pipeline.checks.urgency import urgent_marker
from pipeline.content import read_content
from pipeline.errors import Severity
from tests.conftest import ROOT, message

CONTACTS = ({"014990101"}, {"preventie@pz-kempenveld.test"}, {"pz-kempenveld.test"})


def found(text: str) -> list[str]:
    return [p.message for p in scan_personal_data(text, "x.md", 1, CONTACTS)]


PLATES = [
    "1-ABC-234", "1ABC234", "1 abc 234", "1.ABC.234", "2-xyz-987", "1-Abc-234",
    "ABC-123", "abc-123", "ABC123", "ABC 123", "ABC.123", "123-ABC", "123ABC", "Z-ABC-123",
    "1‐ABC‐234",  # U+2010 hyphens
    "1‑ABC‑234",  # non-breaking hyphens
    "1–ABC–234",  # en dashes
    "1\u00a0ABC\u00a0234",  # no-break spaces
    "1\u202fABC\u202f234",  # narrow no-break spaces
    "１-ＡＢＣ-２３４",  # full width
    "1-A\u200bBC-234",  # a zero-width space
    "1&#45;ABC&#45;234", "1&ndash;ABC&ndash;234",  # entities
    "1-**ABC**-234", "1\\-ABC\\-234", "1-A<b></b>BC-234", "1-AB<!-- -->C-234",  # markup
    "1-АВС-234",  # Cyrillic capitals
]  # fmt: skip


@pytest.mark.parametrize("plate", PLATES)
def test_licence_plates_in_every_format_case_and_disguise(plate):
    assert [m for m in found(f"De wagen {plate} reed weg.") if m.startswith("licence plate")]


NOT_PLATES = [
    "Bel 101 of 112.", "bel 112", "BEL 112", "BIN 101", "PLP 112", "Op 2026-11-02 om 20 h.",
    "Postcode 2497.", "Art. 123 van het strafwetboek.", "Zie art 123.", "3 x 100 m", "A4-papier",
    "COVID-19", "https://www.politie.test/nieuws/abc-123", "mail@abc-123.test", "MP3 en 4K",
    "Nr. 123", "12 345 678", "2 mei 2026",
]  # fmt: skip


@pytest.mark.parametrize("text", NOT_PLATES)
def test_ordinary_text_holds_no_plate(text):
    assert not [m for m in found(text) if m.startswith("licence plate")]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Bel 0470&nbsp;12&nbsp;34&nbsp;56.", "phone number"),
        ("Bel 0470\u00a012\u00a034\u00a056.", "phone number"),
        ("[Bel ons](tel:0470%2012%2034%2056)", "phone number"),
        ('<a href="tel:%2B32470123456">bellen</a>', "phone number"),
        ("Mail jan&#64;gmail.com", "e-mail address"),
        ("[mail](mailto:jan%40gmail.com)", "e-mail address"),
        ("[mail](mailto:%6A%61%6E@gmail.com)", "e-mail address"),
        ("<!-- jan@gmail.com -->Tekst.", "e-mail address"),  # hidden, but in the repository
        ('<img src="a.png" alt="Wagen 1-ABC-234">', "licence plate"),
    ],
)
def test_phones_and_addresses_are_seen_decoded(text, kind):
    assert any(m.startswith(kind) for m in found(text)), found(text)


def test_role_contacts_stay_allowed_however_typed():
    text = "Bel 014&nbsp;99&nbsp;01&nbsp;01 of [mail](mailto:preventie%40pz-kempenveld.test)."
    assert found(text) == []


def test_a_finding_is_reported_once_as_typed():
    assert sorted(found("Mail jan_peeters@gmail.com, of 1-**ABC**-234 en 1-ABC-234.")) == [
        "e-mail address 'jan_peeters@gmail.com'",
        "licence plate '1-ABC-234'",
    ]


# Urgency, per language: (text, is a title or summary, refused?)
URGENCY = {
    "fr": [
        ("URGENT : cambriolages en cours", True, True),
        ("Urgent : fermez vos portes", True, True),
        ("Avis urgent aux habitants", True, True),
        ("Alerte : faux policiers", True, True),
        ("Cambriolages : situation urgente", True, True),
        ("Urgence : vols de câbles", True, True),
        ("Voici un avis urgent de la zone.", False, True),
        ("En cas d'urgence appelez le 112.", True, False),
        ("En cas d'urgence, appelez le 112 ; sinon le 101.", False, False),
        ("Que faire en cas d'urgence ?", True, False),
        ("Ce site ne transmet que des messages non urgents.", False, False),
        ("Sans urgence : le numéro de votre zone.", False, False),
        ("Le ton est pressant : « paiement urgent ».", False, False),
        ("112, le numéro d'urgence européen.", True, False),
    ],
    "nl": [
        ("DRINGEND: inbraken in de wijk", True, True),
        ("Dringende oproep aan alle bewoners", True, True),
        ("Spoedbericht: valse agenten", True, True),
        ("Spoed: sluit uw garage", True, True),
        ("Inbraken: dringende oproep tot waakzaamheid", True, True),
        ("Lees dit spoedbericht van de zone.", False, True),
        ("Bel 112 bij nood, anders 101.", False, False),
        ("De BIN verstuurt niet-dringende berichten.", False, False),
        ("Niet dringend? Bel het nummer van de zone.", True, False),
        ("Voor dringende hulp: bel 112.", True, False),
        ("Blijf alert tijdens de feestdagen.", True, False),
    ],
    "de": [
        ("Eilmeldung: Einbrüche in Waldbrück", True, True),
        ("DRINGEND: Garagen abschließen", True, True),
        ("Dringender Aufruf an die Anwohner", True, True),
        ("Notfall: falsche Polizisten", True, True),
        ("Dringende Warnung vor Trickdieben", True, True),
        ("Rufen Sie im Notfall die 112 an.", True, False),
        ("Die Rundschreiben enthalten nur nicht dringende Nachrichten.", False, False),
        ("Nicht dringend: die Nummer Ihrer Polizeizone.", True, False),
        ("Was tun im Notfall?", True, False),
    ],
    "en": [
        ("URGENT: burglaries tonight", True, True),
        ("Urgent alert: fake police officers", True, True),
        ("Emergency: lock your sheds", True, True),
        ("Read this urgent message from the zone.", False, True),
        ("In an emergency, call 112.", True, False),
        ("In case of emergency call 112.", True, False),
        ("112 is the European emergency number.", True, False),
        ("This site carries non-urgent messages only.", True, False),
        ("Not urgent? Call your zone.", True, False),
    ],
}


@pytest.mark.parametrize(
    ("lang", "text", "heading", "refused"),
    [(lang, *case) for lang, cases in URGENCY.items() for case in cases],
)
def test_urgency_words_in_every_language_and_form(lang, text, heading, refused):
    assert (urgent_marker(text, heading=heading) is not None) is refused, (lang, text)


@pytest.mark.parametrize("disguise", ["URG\u200bENT", "ＵＲＧＥＮＴ", "&#85;RGENT", "**URGENT**"])
def test_urgency_is_seen_through_disguises(disguise):
    assert urgent_marker(f"{disguise}: inbraken", heading=True) is not None


def test_urgent_content_is_reported_at_its_line(content_tree):
    text = message(body="Regel een.\n\nLees dit SPOEDBERICHT.")
    root = content_tree({"messages/x.nl.md": text})
    _, problems = read_content(root / "content")
    errors = [p for p in problems if p.severity is Severity.ERROR]
    assert [(p.line, p.message) for p in errors] == [(9, "content marked urgent ('SPOEDBERICHT')")]


def test_the_sample_content_passes_the_detectors():
    _, problems = read_content(ROOT / "content")
    assert problems == []
