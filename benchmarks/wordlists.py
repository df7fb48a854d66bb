"""Word lists for the fictional national data set: name syllables, quarters, people's names."""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    """Split a comma-separated list (kept as one string so the formatter keeps it compact)."""
    return tuple(word.strip() for word in text.split(",") if word.strip())


# Commune names are built from a stem and an ending (sometimes with a modifier), so they sound
# local without being real places; a generated name may still match a real one by chance.
STEMS: dict[str, tuple[str, ...]] = {
    "nl": _words(
        "Berg, Zand, Hoog, Kerk, Molen, Linde, Eike, Bos, Bever, Ooster, Wester, Heide, Vijver,"
        "Water, Meer, Brug, Elsen, Hazel, Kastanje, Wilge, Rozen, Duiven, Haver, Koren, Vlas,"
        "Beuke, Esse, Ruis, Dorre, Lange, Korte, Stille, Wolfs, Hulst, Klaver"
    ),
    "fr": _words(
        "Beau, Mont, Roche, Fontaine, Val, Haut, Sart, Bois, Clair, Pré, Marche, Chêne, Court,"
        "Flor, Lou, Mar, Fer, Som, Vir, Rou, Gré, Belle, Sauve, Ver, Ronce, Aube, Noir, Tilleul,"
        "Orme, Saule"
    ),
    "de": _words(
        "Eichen, Buchen, Wald, Linden, Birken, Tannen, Rosen, Stein, Hoch, Kirch, Mühl, Wies,"
        "Fels, Hasel, Venn, Moor, Bären, Quell"
    ),
}
ENDINGS: dict[str, tuple[str, ...]] = {
    "nl": _words(
        "veld, donk, hem, gem, zele, kerke, rode, hout, lo, beek, dijk, hove, laar, broek, akker,"
        "dam, horst, mere, zande, wijk"
    ),
    "fr": _words(
        "court, mont, ville, sart, fontaine, ry, val, ière, chaux, bois, roux, pré, fays, thier,"
        "haye, fosse, rieux, champ, lieu, ménil"
    ),
    "de": _words("bach, rath, feld, born, scheid, hof, dorf, berg, au, heim, weiler, thal, brück"),
}
MODIFIERS: dict[str, tuple[str, ...]] = {
    "nl": _words("Sint-, Oost-, West-, Groot-, Klein-, Neder-, Over-"),
    "fr": _words("Saint-, Haut-, Bas-, Grand-, Petit-, Vieux-"),
    "de": _words("Ober, Nieder, Alt, Neu"),
}

# Brussels communes carry a French and a Dutch name; the modifiers come in matching pairs.
BILINGUAL_MODIFIERS: tuple[tuple[str, str], ...] = (
    ("Haut-{}", "Hoog-{}"),
    ("Bas-{}", "Neder-{}"),
    ("Vieux-{}", "Oud-{}"),
    ("{}-Saint-Pierre", "Sint-Pieters-{}"),
    ("{}-Saint-Lambert", "Sint-Lambrechts-{}"),
    ("{}-Saint-Martin", "Sint-Maartens-{}"),
)

# Quarter names per language and PLP kind; a PLP is named after its commune and a quarter.
# The first entries of each list mean the same in every language, for bilingual PLPs.
QUARTERS: dict[str, dict[str, tuple[str, ...]]] = {
    "nl": {
        "residential": _words(
            "Centrum, Noord, Zuid, Dorp, Statie, Kerkwijk, Oost, West, Heide, Molenwijk, Kouter,"
            "Hoek, Veld, Bos, Meers, Plein"
        ),
        "self-employed": _words("Handelaars, Ondernemers, Markt, Handelskern, Winkelstraat"),
        "industrial": _words("Industriepark, Bedrijvenzone, Haven"),
        "rural": _words("Landbouw, Platteland, Hoeven"),
    },
    "fr": {
        "residential": _words(
            "Centre, Nord, Sud, Village, Gare, Église, Bois, Prés, Tige, Hameau, Plateau, Cité,"
            "Champs, Vallée"
        ),
        "self-employed": _words("Commerçants, Indépendants, Marché"),
        "industrial": _words("Zoning, Parc d'activités"),
        "rural": _words("Agriculteurs, Campagne, Fermes"),
    },
    "de": {
        "residential": _words("Zentrum, Nord, Süd, Dorf, Bahnhof, Kirchplatz, Oberdorf"),
        "self-employed": _words("Geschäftsleute, Selbstständige"),
        "industrial": _words("Gewerbegebiet"),
        "rural": _words("Landwirte, Land, Höfe"),
    },
}

# Members' names combine common first and last names: the people are fictional.
FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "nl": _words(
        "Lotte, Jens, Emma, Lucas, Noor, Arne, Fien, Wout, Marie, Seppe, Lien, Bram, Hanne, Tibo,"
        "Elise, Jef, Mila, Stijn, Ine, Rik, Griet, Koen, Sofie, Dries"
    ),
    "fr": _words(
        "Camille, Louis, Chloé, Hugo, Manon, Théo, Léa, Nathan, Julie, Maxime, Élodie, Arnaud,"
        "Sophie, Quentin, Aurélie, Benoît, Inès, Romain, Céline, Gaëtan, Noémie, Cédric"
    ),
    "de": _words(
        "Lukas, Anna, Jonas, Lea, Niklas, Hannah, Felix, Lena, Tobias, Sarah, Moritz, Julia, Jan,"
        "Katrin, Simon, Laura"
    ),
}
LAST_NAMES: dict[str, tuple[str, ...]] = {
    "nl": _words(
        "Peeters, Janssens, Maes, Jacobs, Mertens, Willems, Claes, Goossens, Wouters, De Smet,"
        "Vermeulen, Van Damme, Hermans, Aerts, Verhoeven, De Wolf, Claessens, Van den Broeck,"
        "Lemmens, Segers"
    ),
    "fr": _words(
        "Dubois, Lambert, Dupont, Martin, Leroy, Lejeune, Renard, Simon, Laurent, Dumont, Collin,"
        "Lefebvre, Denis, Mathieu, Gilles, Henrard, Piette, Fontaine, Masson, Delvaux"
    ),
    "de": _words(
        "Schmitz, Lentz, Müller, Kessler, Heinen, Jost, Thissen, Cremer, Krings, Wertz, Hilgers,"
        "Radermacher, Weber, Schröder"
    ),
}

# Members' addresses use only reserved names (RFC 2606, RFC 6761): never a real mailbox.
MEMBER_DOMAINS: tuple[str, ...] = _words(
    "example.org, example.net, mail.test, post.test, courrier.test, postvak.test"
)
