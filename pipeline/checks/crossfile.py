"""Rules across files: targets exist, translations agree, every message reaches someone."""

from __future__ import annotations

import difflib
from collections import defaultdict

from ..errors import Problem, Severity, relpath
from ..model import Content, Message, Page, TargetKind
from ..targeting import Targeting


def check_targets(content: Content) -> list[Problem]:
    """Every target names a zone, commune or PLP of the registry."""
    known = {
        TargetKind.ZONE: content.zones,
        TargetKind.COMMUNE: content.communes,
        TargetKind.PLP: content.plps,
    }
    found = []
    for message in content.messages:
        shown, line = relpath(message.source.path), message.line("targets")
        for target in message.targets:
            if target.kind is TargetKind.ALL or target.value in known[target.kind]:
                continue
            close = difflib.get_close_matches(target.value, list(known[target.kind]), n=1)
            hint = (
                f"did you mean {target.kind}:{close[0]}?"
                if close
                else (f"use a {target.kind} declared in content/registry/")
            )
            found.append(Problem(shown, line, f"unknown {target.kind} '{target.value}'", hint))
    return found


def _versions(content: Content) -> dict[str, list[Message]]:
    groups: dict[str, list[Message]] = defaultdict(list)
    for message in content.messages:
        groups[message.key].append(message)
    for versions in groups.values():
        versions.sort(key=lambda m: m.lang)
    return groups


def check_translations(content: Content) -> list[Problem]:
    """Translations of a key agree on category, targets and dates."""
    found: list[Problem] = []
    for key, versions in _versions(content).items():
        first = versions[0]
        for other in versions[1:]:
            for field, a, b in (
                ("category", first.category, other.category),
                ("targets", first.targets, other.targets),
                ("date", first.date, other.date),
                ("valid-until", first.valid_until, other.valid_until),
            ):
                if a != b:
                    found.append(
                        Problem(
                            relpath(other.source.path),
                            other.line(field),
                            f"{field.title()} differs from the {first.lang} version of '{key}'",
                            f"translations must agree: use the same {field.title()} as "
                            f"{relpath(first.source.path)}",
                        )
                    )
        found += _check_languages(content, versions)
    return found


def _check_languages(content: Content, versions: list[Message]) -> list[Problem]:
    """A PLP named as a target must get the message in one of its languages."""
    langs = {m.lang for m in versions}
    first = versions[0]
    found = []
    for target in first.targets:
        plp = content.plps.get(target.value) if target.kind is TargetKind.PLP else None
        if plp is None:
            continue
        if not langs & set(plp.languages):
            found.append(
                Problem(
                    relpath(first.source.path),
                    first.line("targets"),
                    f"targets PLP '{plp.slug}' (languages: {', '.join(plp.languages)}) but "
                    f"'{first.key}' exists only in {', '.join(sorted(langs))}",
                    f"add a translation {first.key}.{plp.languages[0]}.md or remove the target",
                )
            )
        elif not plp.active:
            found.append(
                Problem(
                    relpath(first.source.path),
                    first.line("targets"),
                    f"targets PLP '{plp.slug}', which is inactive",
                    "remove the target",
                    Severity.WARNING,
                )
            )
    return found


def check_reach(content: Content) -> list[Problem]:
    """A language version no active PLP reads is published to nobody: say so.

    A warning, not an error: the site still shows it, and a translation may be written before
    the PLP that will read it exists; `plp check --strict` refuses it. Messages naming a PLP
    that lacks their languages are already an error (_check_languages), not repeated here.
    """
    targeting = Targeting(content)
    found = []
    for versions in _versions(content).values():
        langs = {m.lang for m in versions}
        named = [content.plps.get(t.value) for t in versions[0].targets if t.kind is TargetKind.PLP]
        if any(plp and not langs & set(plp.languages) for plp in named):
            continue
        reached = targeting.plps_for(versions[0].key)
        for message in versions:
            if any(message.lang in plp.languages for plp in reached):
                continue
            readers = sorted({lang for plp in reached for lang in plp.languages})
            found.append(
                Problem(
                    relpath(message.source.path),
                    message.line("targets"),
                    f"reaches no active PLP in '{message.lang}'"
                    + (f" (the PLPs it targets read {', '.join(readers)})" if readers else ""),
                    "target PLPs that read this language, or translate the message for "
                    "the PLPs it targets",
                    Severity.WARNING,
                )
            )
    return found


REQUIRED_PAGES = ("about", "report", "privacy")
REQUIRED_PAGE_LANGS = ("fr", "nl", "de")


def required_pages(pages: tuple[Page, ...]) -> list[Problem]:
    """The static pages every site language needs."""
    have = {(p.key, p.lang) for p in pages}
    return [
        Problem(
            "content/pages",
            0,
            f"page '{key}.{lang}.md' is missing",
            "every site language needs it: write it (see docs/content-format.md)",
            Severity.WARNING,
        )
        for key in REQUIRED_PAGES
        for lang in REQUIRED_PAGE_LANGS
        if (key, lang) not in have
    ]
