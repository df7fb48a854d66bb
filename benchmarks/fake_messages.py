"""Fictional prevention messages, targeted and translated like real ones."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from operator import attrgetter

from benchmarks.fake_registry import LANGUAGES, Plp, Registry, Zone, shuffled_quota
from benchmarks.phrases import CATEGORIES, PHRASES, TOPICS

FIRST_DAY, LAST_DAY = date(2024, 1, 1), date(2026, 11, 28)
SCOPES = {"national": 2, "zone": 55, "commune": 15, "plp": 25, "plps": 3}
# Police feedback and PLP life are mostly written for one PLP; advice for wider areas.
CATEGORY_WEIGHTS = {
    "national": (4, 3, 3, 1, 0),
    "zone": (35, 25, 20, 12, 8),
    "commune": (30, 25, 25, 10, 10),
    "plp": (15, 10, 10, 35, 30),
    "plps": (25, 20, 20, 20, 15),
}
VALID_UNTIL_SHARE = 0.2
by_slug = attrgetter("slug")


@dataclass(frozen=True, slots=True)
class Plan:
    """One message (translation key): its metadata and which phrases its body uses."""

    key: str
    folder: str
    category: str
    topic: int
    targets: tuple[str, ...]
    languages: tuple[str, ...]
    places: dict[str, str]
    zone: Zone | None  # the author; None for a national message
    when: str
    valid_until: date | None
    place_in_title: bool
    summary: bool
    urgency: bool
    sentences: tuple[int, ...]  # the first two open the message
    heading: int
    tips: tuple[int, ...]
    generic: tuple[int, ...]
    extra: int
    contacts: tuple[str, ...]  # of "phone", "email", "web"


def build_messages(rng: random.Random, registry: Registry, count: int) -> dict[str, str]:
    """Return {relative path under content/messages: file text} for count messages."""
    by_zone: dict[str, list[Plp]] = defaultdict(list)
    by_commune: dict[str, list[Plp]] = defaultdict(list)
    for plp in registry.plps:
        by_zone[plp.zone.id].append(plp)
        by_commune[plp.commune.id].append(plp)
    zones = [z for z in registry.zones if z.id in by_zone]
    zone_weights = [len(by_zone[z.id]) for z in zones]
    communes = sorted(by_commune)
    # Named PLPs are active ones: naming an inactive PLP is a content warning.
    active = [p for p in registry.plps if p.status == "active"]
    active_by_zone: dict[str, list[Plp]] = defaultdict(list)
    for plp in active:
        active_by_zone[plp.zone.id].append(plp)
    plural = [z for z in zones if len(active_by_zone[z.id]) > 1]
    scopes = shuffled_quota(rng, count, SCOPES)
    dated = shuffled_quota(rng, count, {"yes": VALID_UNTIL_SHARE, "no": 1 - VALID_UNTIL_SHARE})
    files: dict[str, str] = {}
    for index, (scope, has_validity) in enumerate(zip(scopes, dated, strict=True)):
        zone: Zone | None = None
        if scope == "national":
            targets, chosen = ("all",), list(registry.plps)
        elif scope == "zone":
            zone = rng.choices(zones, weights=zone_weights)[0]
            targets, chosen = (f"zone:{zone.id}",), by_zone[zone.id]
        elif scope == "commune":
            chosen = by_commune[rng.choice(communes)]
            zone, targets = chosen[0].zone, (f"commune:{chosen[0].commune.id}",)
        elif scope == "plp" or not plural:
            chosen = [rng.choice(active)]
            zone, targets = chosen[0].zone, (f"plp:{chosen[0].slug}",)
        else:
            zone = rng.choice(plural)
            group = active_by_zone[zone.id]
            chosen = sorted(rng.sample(group, min(len(group), rng.randint(2, 4))), key=by_slug)
            targets = tuple(f"plp:{p.slug}" for p in chosen)
        plan = _plan(rng, index, scope, zone, targets, chosen, has_validity == "yes")
        for lang in plan.languages:
            files[f"{plan.folder}/{plan.key}.{lang}.md"] = render(plan, lang)
    return files


def _plan(
    rng: random.Random,
    index: int,
    scope: str,
    zone: Zone | None,
    targets: tuple[str, ...],
    chosen: list[Plp],
    has_validity: bool,
) -> Plan:
    """Draw the metadata and the phrase choices of one message."""
    category = rng.choices(CATEGORIES, weights=CATEGORY_WEIGHTS[scope])[0]
    topic = rng.randrange(len(TOPICS[category]))
    languages = LANGUAGES if scope == "national" else _languages_of(chosen)
    day = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    valid_until = None
    if has_validity:
        if rng.random() < 0.25:  # still in force at the end of the period; the rest mostly expired
            day = LAST_DAY - timedelta(days=rng.randrange(60))
            valid_until = day + timedelta(days=rng.randint(30, 240))
        else:
            valid_until = day + timedelta(days=rng.randint(7, 120))
    when = day.isoformat()
    if rng.random() < 0.15:
        when += f" {rng.randint(7, 19):02d}:{rng.choice((0, 15, 30, 45)):02d}"
    contacts: tuple[str, ...] = ()
    if zone is not None:
        contacts = tuple(
            kind
            for kind, share in (("phone", 0.6), ("email", 0.3), ("web", 0.4))
            if rng.random() < share and (kind != "email" or zone.email)
        )
    plan = Plan(
        key=f"{TOPICS[category][topic]}-{day:%Y-%m}-{index:04d}",
        folder=f"{day.year}/{'national' if zone is None else f'zone-{zone.id}'}",
        category=category,
        topic=topic,
        targets=targets,
        languages=languages,
        places={lang: _place(scope, zone, chosen, lang) for lang in languages},
        zone=zone,
        when=when,
        valid_until=valid_until,
        place_in_title=scope != "national" and rng.random() < 0.5,
        summary=rng.random() < 0.7,
        urgency=rng.random() < 0.1,
        # The first sentence of each category opens well; the others keep their order.
        sentences=(0, *sorted(rng.sample(range(1, 6), rng.randint(3, 5)))),
        heading=rng.randrange(3),
        tips=tuple(rng.sample(range(len(PHRASES["fr"].tips)), rng.randint(4, 7))),
        generic=tuple(rng.sample(range(len(PHRASES["fr"].generic)), len(PHRASES["fr"].generic))),
        extra=rng.randrange(3),
        contacts=contacts,
    )
    # Pad with general sentences up to 300-400 words in every language (German is terser).
    target = rng.randint(300, 400)
    words = {lang: len(_body(plan, lang, ()).split()) for lang in languages}
    used = 0
    while min(words.values()) < target and used < len(plan.generic):
        for lang in languages:
            words[lang] += len(PHRASES[lang].generic[plan.generic[used]].split())
        used += 1
    return replace(plan, generic=plan.generic[:used])


def _languages_of(plps: list[Plp]) -> tuple[str, ...]:
    """The languages of a message: every language of the PLPs it targets."""
    wanted = {lang for plp in plps for lang in plp.languages}
    return tuple(lang for lang in LANGUAGES if lang in wanted)


def _place(scope: str, zone: Zone | None, chosen: list[Plp], lang: str) -> str:
    """The area a message is about, as its readers name it."""
    if zone is None:
        return PHRASES[lang].national_place
    if scope == "commune":
        names = chosen[0].commune.names
    elif scope == "plp":
        names = chosen[0].names
    else:
        names = zone.short
    return names.get(lang) or next(iter(names.values()))


def render(plan: Plan, lang: str) -> str:
    """The message file for one language: metadata lines, a blank line, the Markdown body."""
    text = PHRASES[lang]
    place = plan.places[lang]
    title = text.titles[plan.category][plan.topic]
    if plan.place_in_title:
        title = f"{place} : {title}" if lang == "fr" else f"{place}: {title}"
    meta = [
        f"Title: {title}",
        f"Date: {plan.when}",
        f"Category: {plan.category}",
        f"Targets: {', '.join(plan.targets)}",
    ]
    if plan.summary:
        meta.append(f"Summary: {text.sentences[plan.category][0].format(place=place)}")
    if plan.valid_until:
        meta.append(f"Valid-Until: {plan.valid_until.isoformat()}")
    if plan.zone is None:
        meta.append(f"Author: {text.national_author}")
    else:
        zone_name = plan.zone.names.get(lang) or next(iter(plan.zone.names.values()))
        meta.append(f"Author: {text.zone_author.format(zone=zone_name)}")
    if plan.urgency:
        meta.append("Urgency: non-urgent")
    return "\n".join(meta) + "\n\n" + _body(plan, lang, plan.generic)


def _body(plan: Plan, lang: str, generic: tuple[int, ...]) -> str:
    """The Markdown body: advice, tips, general sentences, then how to report."""
    text = PHRASES[lang]
    said = [
        text.sentences[plan.category][i].format(place=plan.places[lang]) for i in plan.sentences
    ]
    parts = [
        " ".join(said[:2]),
        f"## {text.advice_headings[plan.heading]}",
        " ".join(said[2:]),
        "\n".join(f"- {text.tips[i]}" for i in plan.tips),
    ]
    for start in range(0, len(generic), 4):
        parts.append(" ".join(text.generic[i] for i in generic[start : start + 4]))
    parts += [f"## {text.report_heading}", f"{text.rule} {text.report_extra[plan.extra]}"]
    if plan.contacts and plan.zone is not None:
        zone = plan.zone
        lines = {
            "phone": text.contact_phone.format(phone=zone.phone),
            "email": text.contact_email.format(email=zone.email),
            "web": text.contact_web.format(website=zone.website),
        }
        parts.append(" ".join(lines[kind] for kind in plan.contacts))
    return "\n\n".join(parts) + "\n"
