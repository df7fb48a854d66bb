"""Fictional police zones, communes and PLPs in Belgium's national proportions."""

from __future__ import annotations

import json
import random
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import chain

from benchmarks import wordlists
from benchmarks.phrases import PHRASES

LANGUAGES = ("fr", "nl", "de")
KINDS = {"residential": 75, "self-employed": 12, "rural": 8, "industrial": 5}
INACTIVE_SHARE = 0.03


@dataclass(frozen=True, slots=True)
class Region:
    """A region's share of the 1,059 PLPs and ~185 zones, its languages and number ranges."""

    name: str
    plps: int
    zones: int
    name_languages: tuple[str, ...]
    postcodes: tuple[range, ...]
    phone_areas: tuple[str, ...]


REGIONS = (
    Region(
        "flanders", 875, 120, ("nl",), (range(1500, 4000), range(8000, 10000)),
        ("11", "13", "14", "15", "16", "50", "51", "52", "53", "54", "55", "56", "57", "58", "59"),
    ),
    Region(
        "wallonia", 169, 58, ("fr",),
        (range(1300, 1500), range(4000, 4700), range(4800, 5000), range(5000, 8000)),
        ("10", "19", "60", "61", "63", "64", "65", "67", "68", "69", "71", "81", "82", "83", "84"),
    ),
    Region("east", 9, 2, ("de",), (range(4700, 4800),), ("80", "87")),
    Region("brussels", 6, 3, ("fr", "nl"), (range(1000, 1300),), ("2",)),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Commune:
    """A commune (municipality), declared inside its zone."""

    id: str
    names: dict[str, str]
    postcodes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Zone:
    """A police zone with its communes and role contacts."""

    id: str
    region: str
    names: dict[str, str]
    short: dict[str, str]  # the place name alone, for titles and sentences
    phone: str
    website: str
    email: str | None
    communes: tuple[Commune, ...]


@dataclass(frozen=True, slots=True)
class Plp:
    """A Local Prevention Partnership in one commune."""

    slug: str
    names: dict[str, str]
    zone: Zone
    commune: Commune
    postcodes: tuple[str, ...]
    languages: tuple[str, ...]
    kind: str
    coordinator_name: str
    coordinator_email: str
    status: str
    founded: date | None
    join: str | None


@dataclass(frozen=True, slots=True)
class Registry:
    """The zones and PLPs of the data set."""

    zones: tuple[Zone, ...]
    plps: tuple[Plp, ...]


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in ascii_text.lower()).split()
    return "-".join(words)


def apportion(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Split total into parts proportional to weights (largest remainder), each >= minimum."""
    if total < minimum * len(weights):
        raise ValueError(f"cannot give {minimum} to each of {len(weights)} parts out of {total}")
    exact = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    for i, part in enumerate(parts):  # small totals: lift the smallest parts, take from the largest
        if part < minimum:
            largest = max(range(len(parts)), key=lambda j: (parts[j], -j))
            parts[largest] -= minimum - part
            parts[i] = minimum
    return parts


def shuffled_quota(rng: random.Random, total: int, shares: dict[str, float]) -> list[str]:
    """Exactly apportioned labels in random order, so small data sets keep the proportions."""
    labels = list(
        chain.from_iterable(
            [label] * n
            for label, n in zip(shares, apportion(total, list(shares.values())), strict=True)
        )
    )
    rng.shuffle(labels)
    return labels


def build_registry(rng: random.Random, n_plps: int) -> Registry:
    """Draw zones, communes and PLPs for n_plps PLPs."""
    per_region = apportion(n_plps, [r.plps for r in REGIONS], minimum=1)
    zone_counts = [
        max(1, min(n, round(n * r.zones / r.plps)))
        for r, n in zip(REGIONS, per_region, strict=True)
    ]
    zone_ids = iter(sorted(rng.sample(range(1000, 10000), sum(zone_counts))))
    commune_slugs: set[str] = set()  # unique over the country
    zone_slugs: set[str] = set()
    zones: list[Zone] = []
    homes: list[tuple[Zone, Commune]] = []
    for region, n_plps_region, n_zones in zip(REGIONS, per_region, zone_counts, strict=True):
        # Communes take runs of consecutive postcodes (a main code and its sections).
        postcodes = [p for p in chain.from_iterable(region.postcodes) if p % 3 == 0]
        rng.shuffle(postcodes)
        region_zones = [
            _zone(
                rng,
                region,
                next(zone_ids),
                len(zones) + i + 1,
                postcodes,
                (commune_slugs, zone_slugs),
            )
            for i in range(n_zones)
        ]
        zones.extend(region_zones)
        # Every zone has at least one PLP; the rest go to zones and communes of uneven appeal.
        zone_weights = [rng.uniform(0.5, 2.0) for _ in region_zones]
        extra = rng.choices(region_zones, weights=zone_weights, k=n_plps_region - n_zones)
        for zone in chain(region_zones, extra):
            homes.append((zone, rng.choice(zone.communes)))
    kinds = shuffled_quota(rng, n_plps, KINDS)
    statuses = shuffled_quota(
        rng, n_plps, {"inactive": INACTIVE_SHARE, "active": 1 - INACTIVE_SHARE}
    )
    plps: list[Plp] = []
    slugs: set[str] = set()
    east_seen = 0
    for (zone, commune), kind, status in zip(homes, kinds, statuses, strict=True):
        languages = _region(zone).name_languages
        if zone.region == "east":
            east_seen += 1
            # A few East-Belgian PLPs also publish in French.
            languages = ("de", "fr") if east_seen % 3 == 0 else ("de",)
        plps.append(_plp(rng, zone, commune, languages, kind, status, slugs))
    return Registry(tuple(zones), tuple(plps))


def _region(zone: Zone) -> Region:
    return next(r for r in REGIONS if r.name == zone.region)


def _zone(
    rng: random.Random,
    region: Region,
    number: int,
    index: int,
    pool: list[int],
    slugs: tuple[set[str], set[str]],
) -> Zone:
    """Draw one zone with 2 to 6 communes; slugs holds the commune and zone slugs taken."""
    communes = []
    for _ in range(rng.randint(2, 6)):
        commune_names = _commune_names(rng, region, slugs[0])
        if not pool:
            raise ValueError(f"too many communes for the postcodes of {region.name}")
        first = pool.pop()
        n_codes = rng.choices((1, 2, 3), weights=(70, 25, 5))[0]
        codes = tuple(f"{first + i:04d}" for i in range(n_codes))
        communes.append(Commune(slugify(next(iter(commune_names.values()))), commune_names, codes))
    # Zones are named after one or two of their communes, as many real zones are.
    named = communes[:2] if rng.random() < 0.4 else communes[:1]
    short = {lang: "-".join(c.names[lang] for c in named) for lang in region.name_languages}
    # Unique because the communes' names are; the zone number is a safety net.
    slug = slugify(next(iter(short.values())))
    if slug in slugs[1]:
        slug = f"{slug}-{number}"
    slugs[1].add(slug)
    prefixes = {"nl": "Politiezone", "fr": "Zone de police", "de": "Polizeizone"}
    names = {lang: f"{prefixes[lang]} {text}" for lang, text in short.items()}
    if region.name == "east":
        names["fr"] = f"Zone de police {short['de']}"
    high, low = divmod(index, 100)
    area = rng.choice(region.phone_areas)
    phone = (
        f"+32 2 998 {high:02d} {low:02d}" if area == "2" else f"+32 {area} 99 {high:02d} {low:02d}"
    )
    local = {"nl": "preventie", "fr": "prevention", "de": "praevention"}[region.name_languages[0]]
    email = f"{local}@pz-{slug}.test" if rng.random() < 0.85 else None
    return Zone(
        f"{number:04d}", region.name, names, short, phone, f"https://www.pz-{slug}.test", email,
        tuple(communes),
    )  # fmt: skip


def _commune_names(rng: random.Random, region: Region, taken: set[str]) -> dict[str, str]:
    """Draw a commune name (two in Brussels) whose slug is still free."""
    for _ in range(1000):
        if region.name == "brussels":
            stem = _syllable_name(rng, "nl", modifier=False)
            fr, nl = rng.choice(wordlists.BILINGUAL_MODIFIERS)
            names = {"fr": fr.format(stem), "nl": nl.format(stem)}
        else:
            lang = region.name_languages[0]
            names = {lang: _syllable_name(rng, lang, modifier=rng.random() < 0.15)}
        slug = slugify(next(iter(names.values())))
        if slug not in taken:
            taken.add(slug)
            return names
    raise ValueError(f"ran out of commune names for {region.name}")


def _syllable_name(rng: random.Random, lang: str, *, modifier: bool) -> str:
    """A place name from a stem and an ending, e.g. Lindebeek, Rochesart, Eichenbach."""
    while True:
        stem, ending = rng.choice(wordlists.STEMS[lang]), rng.choice(wordlists.ENDINGS[lang])
        if ending not in stem.lower():  # avoid "Boisbois"
            break
    name = stem + ending
    if not modifier:
        return name
    prefix = rng.choice(wordlists.MODIFIERS[lang])
    return prefix + (name if prefix.endswith("-") else name.lower())


# What PLPs are called: BIN in Dutch (BIN-Z for the self-employed), PLP in French and German.
_LABELS = {
    ("nl", ""): "BIN",
    ("nl", "self-employed"): "BIN-Z",
    ("fr", ""): "PLP",
    ("de", ""): "PLP",
}


def _plp(
    rng: random.Random,
    zone: Zone,
    commune: Commune,
    languages: tuple[str, ...],
    kind: str,
    status: str,
    slugs: set[str],
) -> Plp:
    """Name a PLP after its commune and a quarter, with a role coordinator."""
    # Only the first entries of the quarter lists are translations of each other.
    choices = min(len(wordlists.QUARTERS[lang][kind]) for lang in languages)
    for _ in range(5):  # prefer another quarter to a numbered duplicate
        quarter_index = rng.randrange(choices)
        quarter = wordlists.QUARTERS[languages[0]][kind][quarter_index]
        if slugify(f"{commune.id}-{quarter}") not in slugs:
            break
    names = {}
    for lang in languages:
        town = commune.names.get(lang) or next(iter(commune.names.values()))
        quarter = wordlists.QUARTERS[lang][kind][quarter_index]
        label = _LABELS.get((lang, kind)) or _LABELS[lang, ""]
        names[lang] = f"{label} {town} {quarter}" if " " in quarter else f"{label} {town}-{quarter}"
    first_quarter = wordlists.QUARTERS[languages[0]][kind][quarter_index]
    slug = base = slugify(f"{commune.id}-{first_quarter}")
    suffix = 1
    while slug in slugs:
        suffix += 1
        slug = f"{base}-{suffix}"
    slugs.add(slug)
    title = {"nl": "Coördinatie", "fr": "Coordination", "de": "Koordination"}
    coordinator = " / ".join(f"{title[lang]} {names[lang]}" for lang in languages)
    box = (_LABELS.get((languages[0], kind)) or _LABELS[languages[0], ""]).replace("-", "").lower()
    email = f"{box}.{slug}@{commune.id}.test"
    founded = (
        date(2011, 1, 1) + timedelta(days=rng.randrange(5478)) if rng.random() < 0.85 else None
    )
    join = None
    if rng.random() < 0.6:
        town = commune.names.get(languages[0]) or next(iter(commune.names.values()))
        join = PHRASES[languages[0]].join.format(commune=town, email=email)
    postcodes = commune.postcodes if rng.random() < 0.3 else (rng.choice(commune.postcodes),)
    return Plp(
        slug, names, zone, commune, postcodes, languages, kind, coordinator, email, status,
        founded, join,
    )  # fmt: skip


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _flow(names: dict[str, str]) -> str:
    return "{" + ", ".join(f"{lang}: {_q(text)}" for lang, text in names.items()) + "}"


def _list(items: Iterable[str], quote: bool = True) -> str:
    return "[" + ", ".join(_q(i) if quote else i for i in items) + "]"


HEADER = (
    "# Fictional national data set made by benchmarks/national.py: names, numbers and addresses\n"
    "# are invented; every domain is reserved (.test, example.org, example.net).\n\n"
)


def zones_yaml(zones: Iterable[Zone]) -> str:
    """registry/zones.yaml, in the layout of docs/content-format.md."""
    out = [HEADER]
    for z in zones:
        out.append(
            f'- id: "{z.id}"\n  names: {_flow(z.names)}\n  phone: {_q(z.phone)}\n'
            f"  website: {_q(z.website)}\n"
        )
        if z.email:
            out.append(f"  email: {_q(z.email)}\n")
        out.append("  communes:\n")
        for c in z.communes:
            out.append(
                f"    - id: {c.id}\n      names: {_flow(c.names)}\n"
                f"      postcodes: {_list(c.postcodes)}\n"
            )
        out.append("\n")
    return "".join(out)


def plps_yaml(plps: Iterable[Plp]) -> str:
    """registry/plps.yaml, in the layout of docs/content-format.md."""
    out = [HEADER]
    for p in plps:
        out.append(
            f"- slug: {p.slug}\n  names: {_flow(p.names)}\n  commune: {p.commune.id}\n"
            f"  postcodes: {_list(p.postcodes)}\n  languages: {_list(p.languages, quote=False)}\n"
            f"  kind: {p.kind}\n  coordinator:\n    name: {_q(p.coordinator_name)}\n"
            f"    email: {_q(p.coordinator_email)}\n  status: {p.status}\n"
        )
        if p.founded:
            out.append(f"  founded: {p.founded.isoformat()}\n")
        if p.join:
            out.append(f"  join: {_q(p.join)}\n")
        out.append("\n")
    return "".join(out)
