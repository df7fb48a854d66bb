"""The one place that decides which PLP receives which message, in which language, when."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from .model import Content, Message, Plp, TargetKind


class Targeting:
    """Resolves every message's targets once; site, feeds and bulletins all ask it."""

    def __init__(self, content: Content):
        self.content = content
        by_zone: dict[str, list[str]] = defaultdict(list)
        by_commune: dict[str, list[str]] = defaultdict(list)
        active = [p for p in content.plps.values() if p.active]
        for plp in active:
            by_zone[plp.zone_id].append(plp.slug)
            by_commune[plp.commune_id].append(plp.slug)
        versions: dict[str, dict[str, Message]] = defaultdict(dict)
        for message in content.messages:
            versions[message.key][message.lang] = message
        self._versions = dict(versions)
        self._reach: dict[str, tuple[str, ...]] = {}
        # (plp slug, lang) → messages, newest first
        self._inbox: dict[tuple[str, str], list[Message]] = defaultdict(list)
        for key, by_lang in versions.items():
            targets = next(iter(by_lang.values())).targets
            slugs: set[str] = set()
            for t in targets:
                if t.kind is TargetKind.ALL:
                    slugs.update(p.slug for p in active)
                elif t.kind is TargetKind.ZONE:
                    slugs.update(by_zone.get(t.value, ()))
                elif t.kind is TargetKind.COMMUNE:
                    slugs.update(by_commune.get(t.value, ()))
                elif t.value in content.plps and content.plps[t.value].active:
                    slugs.add(t.value)
            reached = []
            for slug in sorted(slugs):
                langs = [lang for lang in content.plps[slug].languages if lang in by_lang]
                if langs:
                    reached.append(slug)
                for lang in langs:
                    self._inbox[slug, lang].append(by_lang[lang])
            self._reach[key] = tuple(reached)
        for inbox in self._inbox.values():
            inbox.sort(key=lambda m: (m.date, m.key), reverse=True)

    def plps_for(self, key: str) -> tuple[Plp, ...]:
        """Active PLPs that receive message `key` in at least one of their languages."""
        return tuple(self.content.plps[s] for s in self._reach.get(key, ()))

    def plps_for_message(self, message: Message) -> tuple[Plp, ...]:
        """Active PLPs that receive this very language version."""
        return tuple(p for p in self.plps_for(message.key) if message.lang in p.languages)

    def messages_for(self, plp: str, lang: str, on: date | None = None) -> list[Message]:
        """Messages a PLP receives in a language, newest first; only those in force `on`."""
        inbox = self._inbox.get((plp, lang), [])
        return [m for m in inbox if on is None or m.in_force(on)]

    def translations(self, key: str) -> dict[str, Message]:
        """The language versions of one message."""
        return dict(self._versions.get(key, {}))
