"""A member's own page, reached by the signed links of every bulletin: leave (one click,
RFC 8058), change language, download my data, erase me."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..errors import PlpError
from ..model import Plp
from ..state.members import Member, MemberStatus
from ..tokens import LinkError, PreferencesTokens, UnsubscribeTokens
from .desk import Desk
from .membership import Erased, forget


class Purpose(StrEnum):
    """Which link a token came from: each is signed with its own salt."""

    UNSUBSCRIBE = "unsubscribe"
    PREFERENCES = "preferences"


_TOKENS = {Purpose.UNSUBSCRIBE: UnsubscribeTokens, Purpose.PREFERENCES: PreferencesTokens}


@dataclass(frozen=True)
class Membership:
    """The member a link names, and their PLP."""

    member: Member
    plp: Plp

    @property
    def active(self) -> bool:
        return self.member.status is MemberStatus.ACTIVE


def member_for(desk: Desk, purpose: Purpose, token: str) -> Membership:
    """The member a link names; LinkError when forged, of another purpose, or erased since."""
    member_id, plp_slug = _tokens(desk, purpose).read_token(token)
    member = desk.store.members.get(member_id)
    if member is None or member.plp != plp_slug:
        raise LinkError("this link names nobody on the list any more (erased?) — nothing to do")
    return Membership(member, desk.plp(plp_slug))


def leave(desk: Desk, purpose: Purpose, token: str) -> Membership:
    """Unsubscribe the link's member (idempotent: leaving twice is leaving)."""
    member_id, plp_slug = _tokens(desk, purpose).read_token(token)
    how = "one-click link" if purpose is Purpose.UNSUBSCRIBE else "preferences page"
    member = desk.store.members.leave(member_id, plp_slug, how=how)
    if member is None:
        raise LinkError("this link names nobody on the list any more (erased?) — nothing to do")
    return Membership(member, desk.plp(plp_slug))


def change_language(desk: Desk, token: str, language: str) -> Membership:
    """The language the member's bulletins come in: one of the PLP's."""
    found = member_for(desk, Purpose.PREFERENCES, token)
    if language not in found.plp.languages:
        raise PlpError(f"PLP {found.plp.slug} has no edition in {language!r}")
    desk.store.members.set_language(found.member.id, language)
    return member_for(desk, Purpose.PREFERENCES, token)


def export_mine(desk: Desk, token: str) -> str:
    """Everything stored about the member's address, as JSON (right of access)."""
    found = member_for(desk, Purpose.PREFERENCES, token)
    return desk.store.members.export(email=found.member.email, fmt="json")


def erase_me(desk: Desk, token: str) -> Erased:
    """The same erasure as `plp members forget`: every PLP, consent, outbox copies."""
    found = member_for(desk, Purpose.PREFERENCES, token)
    return forget(desk, found.member.email)


def preferences_token(desk: Desk, member: Member) -> str:
    """The preferences link's token of a member (the unsubscribe page links to it)."""
    return PreferencesTokens.from_config(desk.config).make_token(member)


def _tokens(desk: Desk, purpose: Purpose):
    """The link reader of one purpose, made once per desk (the secret is read from var/)."""
    cache = desk.__dict__.setdefault("_link_tokens", {})
    if purpose not in cache:
        cache[purpose] = _TOKENS[purpose].from_config(desk.config)
    return cache[purpose]
