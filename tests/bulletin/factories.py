"""The bulletin tree's texts: a registry, a few messages of each kind, the static pages.

`content_tree(base="bulletin")` (tests/conftest.py) writes them into a project folder.
"""

from __future__ import annotations

import textwrap

SENDING_DOMAIN = "bulletins.example.org"
# The tree's settings: plp's defaults (the golden files are rendered with them) but for the
# sending domain, which the message headers show.
PELICANCONF = f'PLP_SENDING_DOMAIN = "{SENDING_DOMAIN}"\n'

ZONES = """\
- id: "5998"
  names: {fr: "Zone de police Rivebois", nl: "Politiezone Rivierhout"}
  phone: "+32 2 998 01 01"
  website: "https://www.police-rivebois.test"
  email: "prevention@police-rivebois.test"
  communes:
    - id: rivebois
      names: {fr: "Rivebois", nl: "Rivierhout"}
      postcodes: ["1299"]
    - id: montgare
      names: {fr: "Montgare"}
      postcodes: ["1298"]
- id: "5997"
  names: {de: "Polizeizone Tannenland"}
  phone: "+32 80 997 01 01"
  website: "https://www.polizei-tannenland.test"
  communes:
    - id: tannendorf
      names: {de: "Tannendorf"}
      postcodes: ["4699"]
"""

PLPS = """\
- slug: rivebois-centre
  names: {fr: "PLP Rivebois-Centre", nl: "BIN Rivierhout-Centrum"}
  commune: rivebois
  languages: [fr, nl]
  kind: residential
  coordinator: {name: "Coordination PLP Rivebois-Centre", email: "plp.centre@rivebois.test"}
- slug: montgare-gare
  names: {fr: "PLP Montgare-Gare"}
  commune: montgare
  languages: [fr]
  kind: self-employed
  coordinator: {name: "Coordination PLP Montgare-Gare", email: "plp.gare@montgare.test"}
- slug: tannendorf
  names: {de: "PLP Tannendorf"}
  commune: tannendorf
  languages: [de]
  kind: rural
  coordinator: {name: "Koordination PLP Tannendorf", email: "plp@tannendorf.test"}
- slug: montgare-zoning
  names: {fr: "PLP Zoning de Montgare"}
  commune: montgare
  languages: [fr]
  kind: industrial
  status: inactive
  coordinator: {name: "Coordination PLP Zoning", email: "plp.zoning@montgare.test"}
"""


def message(
    title: str,
    *,
    date: str = "2026-11-20",
    category: str = "prevention",
    targets: str = "all",
    summary: str | None = None,
    valid_until: str | None = None,
    body: str = "Fermez portes et fenêtres. Signalez tout fait suspect au **101**.",
) -> str:
    """The text of one message file."""
    head = [f"Title: {title}", f"Date: {date}", f"Category: {category}", f"Targets: {targets}"]
    head.append("Author: Zone de police Rivebois — service prévention")
    if summary:
        head.append(f"Summary: {summary}")
    if valid_until:
        head.append(f"Valid-Until: {valid_until}")
    return "\n".join(head) + "\n\n" + textwrap.dedent(body).strip() + "\n"


# The sample bulletin of PLP rivebois-centre (fr): one of each kind of item.
MESSAGES = {
    "dark-days.fr.md": message(
        "Jours sombres : éclairez votre maison",
        date="2026-11-02",
        summary="Quelques gestes simples pour décourager les cambrioleurs en hiver.",
    ),
    "dark-days.nl.md": message(
        "Donkere dagen: verlicht uw woning",
        date="2026-11-02",
        summary="Enkele eenvoudige gewoonten tegen inbrekers in de winter.",
    ),
    "fake-police.fr.md": message(
        "Faux policiers au téléphone",
        date="2026-11-10",
        category="modus-operandi",
        targets="zone:5998",
        body="""\
            Des escrocs se font passer pour des policiers.

            - La police ne vient **jamais** chercher votre argent.
            - Raccrochez et rappelez le [101](tel:101).

            Plus d'infos sur [Safeonweb](https://safeonweb.be/fr).
            """,
    ),
    "burglary-trend.fr.md": message(
        "Hausse des cambriolages à Rivebois",
        date="2026-11-05",
        category="crime-trend",
        targets="commune:rivebois",
        summary="Les cambriolages de jour augmentent dans le centre.",
    ),
    "meeting.fr.md": message(
        "Assemblée générale du PLP",
        date="2026-11-25",
        category="plp-life",
        targets="plp:rivebois-centre",
        summary="Rendez-vous le 10 décembre à la salle communale.",
    ),
    "summer.fr.md": message(
        "Surveillance d'habitation cet été",
        date="2026-06-01",
        valid_until="2026-08-31",
        summary="Demandez la surveillance gratuite de votre maison.",
    ),
    "future.fr.md": message("Message de décembre", date="2026-12-15", summary="Pas encore."),
    "gare.fr.md": message(
        "Vols de vélos à la gare",
        targets="plp:montgare-gare",
        category="modus-operandi",
        summary="Cadenassez votre vélo.",
    ),
    "winter.de.md": message(
        "Dunkle Tage",
        date="2026-11-02",
        summary="Einfache Gewohnheiten gegen Einbrecher.",
        body="Schließen Sie ab.",
    ),
}
PAGES = {
    f"{key}.{lang}.md": f"Title: {key} {lang}\n\nText.\n"
    for key in ("about", "report", "privacy")
    for lang in ("fr", "nl", "de")
}
