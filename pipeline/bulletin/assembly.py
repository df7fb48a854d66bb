"""Which messages make a PLP's next bulletin: new, in force, in its languages, in a set order."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from ..errors import PlpError
from ..model import CATEGORY_ORDER, Content, Message, Plp
from ..targeting import Targeting

_RANK = {category: rank for rank, category in enumerate(CATEGORY_ORDER)}


@dataclass(frozen=True)
class Edition:
    """A bulletin in one language: its messages in reading order."""

    lang: str
    messages: tuple[Message, ...]

    @property
    def message_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.messages)


@dataclass(frozen=True)
class Bulletin:
    """Bulletin `number` of a PLP: one edition per language that has something new."""

    plp: Plp
    number: int
    date: date
    editions: tuple[Edition, ...]
    note: str | None = None
    """The coordinator's note (Markdown), opening every edition."""

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(e.lang for e in self.editions)

    def edition(self, lang: str) -> Edition:
        for edition in self.editions:
            if edition.lang == lang:
                return edition
        raise PlpError(
            f"bulletin {self.number} of PLP {self.plp.slug} has no edition in '{lang}' — "
            f"it has: {', '.join(self.languages)}"
        )


class NothingNew(PlpError):
    """Every message for the PLP was in one of its bulletins already: nothing to draft."""


def find_plp(content: Content, slug: str) -> Plp:
    """The PLP named `slug`; an unknown or inactive one is a PlpError suggesting close names."""
    plp = content.plps.get(slug)
    if plp is None:
        close = difflib.get_close_matches(slug, list(content.plps), n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(close)}?" if close else "see content/registry/plps.yaml"
        raise PlpError(f"unknown PLP '{slug}' — {hint}")
    if not plp.active:
        raise PlpError(
            f"PLP '{slug}' is inactive and receives no bulletin — set 'status: active' in "
            "content/registry/plps.yaml to reactivate it"
        )
    return plp


def reading_order(messages: Iterable[Message]) -> tuple[Message, ...]:
    """Warnings and modus operandi first (CATEGORY_ORDER), then newest first."""
    by_date = sorted(messages, key=lambda m: (m.date, m.key), reverse=True)
    return tuple(sorted(by_date, key=lambda m: _RANK[m.category]))


def assemble(
    content: Content,
    plp_slug: str,
    *,
    number: int,
    on: date,
    already_sent: Collection[str] = (),
    langs: Iterable[str] | None = None,
    note: str | None = None,
    previous: int | None = None,
    targeting: Targeting | None = None,
) -> Bulletin:
    """The bulletin `number` of a PLP on date `on`: messages in force, not in `already_sent` ids.

    Raises PlpError when no language has a new message: a bulletin is never empty.
    """
    plp = find_plp(content, plp_slug)
    targeting = targeting or Targeting(content)
    wanted = tuple(langs) if langs else plp.languages
    for lang in wanted:
        if lang not in plp.languages:
            raise PlpError(
                f"PLP {plp.slug} has no '{lang}' members — its languages are "
                f"{', '.join(plp.languages)}"
            )
    sent = set(already_sent)
    editions = []
    for lang in wanted:
        fresh = [m for m in targeting.messages_for(plp.slug, lang, on=on) if m.id not in sent]
        if fresh:
            editions.append(Edition(lang, reading_order(fresh)))
    if not editions:
        since = f" since bulletin {previous}" if previous else ""
        raise NothingNew(
            f"no new message for PLP {plp.slug} in {', '.join(wanted)}{since} on {on} — "
            "nothing to send"
        )
    note = note.strip() if note and note.strip() else None
    return Bulletin(plp, number, on, tuple(editions), note)
