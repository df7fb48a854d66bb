"""What one build publishes: languages, PLPs and messages in scope (all, or `--plp` ones)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from ..config import LANGUAGES
from ..errors import PlpError
from ..model import Content, Message, Plp, TargetKind
from ..targeting import Targeting

# The country's languages always get their pages; English only where content exists in it.
NATIONAL_LANGUAGES = ("fr", "nl", "de")


@dataclass(frozen=True)
class Scope:
    """The published subset of content for one build, decided once."""

    content: Content
    targeting: Targeting
    today: date
    languages: tuple[str, ...]
    plps: tuple[Plp, ...]
    """Active PLPs with pages, in directory order (commune, then name)."""
    messages: tuple[Message, ...]
    """Messages with a page: published by today (future-dated ones wait for their date)."""
    partial: bool
    """True for `--plp` builds: the site of a few PLPs, not the whole country."""
    ids: frozenset[tuple[str, str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ids", frozenset((m.key, m.lang) for m in self.messages))

    @property
    def message_languages(self) -> tuple[str, ...]:
        """Languages with at least one published message: they get category pages and feeds."""
        have = {lang for _key, lang in self.ids}
        return tuple(lang for lang in self.languages if lang in have)

    def has_message(self, key: str, lang: str) -> bool:
        """Whether this build publishes a page for the message in this language."""
        return (key, lang) in self.ids

    def inbox(self, plp: Plp, lang: str) -> list[Message]:
        """Every published message the PLP receives in `lang`, newest first (targeting decides)."""
        return [
            m for m in self.targeting.messages_for(plp.slug, lang) if m.date.date() <= self.today
        ]

    def in_force(self, plp: Plp, lang: str) -> list[Message]:
        """What the PLP receives in `lang` and is in force today, newest first."""
        return self.targeting.messages_for(plp.slug, lang, self.today)


def make_scope(
    content: Content, targeting: Targeting, today: date, only: Iterable[str] = ()
) -> Scope:
    """Decide what to publish; `only` names PLP slugs for a partial build (unknown ones fail)."""
    only = tuple(dict.fromkeys(only))
    for slug in only:
        plp = content.plps.get(slug)
        if plp is None:
            close = difflib.get_close_matches(slug, list(content.plps), n=1)
            hint = f" — did you mean {close[0]}?" if close else " — see content/registry/plps.yaml"
            raise PlpError(f"--plp {slug}: no such PLP{hint}")
        if not plp.active:
            raise PlpError(f"--plp {slug}: this PLP is inactive and has no pages — activate it")
    chosen = [content.plps[s] for s in only] or [p for p in content.plps.values() if p.active]
    chosen.sort(key=lambda p: (content.commune_of(p).name(p.languages[0]).casefold(), p.slug))
    published = [m for m in content.messages if m.date.date() <= today]
    if only:
        wanted = {(m.key, m.lang) for p in chosen for lang in p.languages for m in
                  targeting.messages_for(p.slug, lang)}  # fmt: skip
        published = [m for m in published if (m.key, m.lang) in wanted]
        langs = {lang for p in chosen for lang in p.languages}
    else:
        langs = set(NATIONAL_LANGUAGES) | {m.lang for m in published}
        langs |= {lang for p in chosen for lang in p.languages}
        langs |= {page.lang for page in content.pages}
    published.sort(key=lambda m: (m.date, m.key, m.lang), reverse=True)
    return Scope(
        content=content,
        targeting=targeting,
        today=today,
        languages=tuple(lang for lang in LANGUAGES if lang in langs),
        plps=tuple(chosen),
        messages=tuple(published),
        partial=bool(only),
    )


def is_national(message: Message) -> bool:
    """Targets every PLP in the country."""
    return any(t.kind is TargetKind.ALL for t in message.targets)
