"""The member list a coordinator keeps: import, list, export, leave, erasure (GDPR)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ..errors import ContentError, PlpError
from ..mailing.outbox import OutboxMailer
from ..model import Plp
from ..registry import read_plps
from ..roster.importer import ImportReport, import_sheet, stated_consent
from ..state.members import Member
from ..tokens import UnsubscribeTokens
from .desk import Desk


@dataclass(frozen=True)
class Erased:
    """What an erasure removed: the memberships and the delivered copies in the outbox."""

    email: str
    plps: tuple[str, ...]
    outbox_copies: int


def registry_plp(desk: Desk, slug: str) -> Plp:
    """A PLP from the registry alone: the member list needs no message to be read."""
    if "content" in desk.__dict__:  # already loaded for something else
        plps = desk.content.plps
    else:
        plps, problems = read_plps(desk.config.content_dir / "registry" / "plps.yaml", None)
        if problems:
            raise ContentError(problems)
    if slug not in plps:
        close = difflib.get_close_matches(slug, list(plps), n=3, cutoff=0.8)
        hint = f"did you mean {', '.join(close)}?" if close else "check the slug in plps.yaml"
        raise PlpError(f"unknown PLP {slug!r} — {hint}")
    return plps[slug]


def import_members(
    desk: Desk,
    path: Path,
    plp_slug: str,
    recorded_by: str = "the coordinator",
    consent_text: str | None = None,
    consent_method: str | None = None,
    consent_date: str | None = None,
) -> ImportReport:
    """Import the coordinator's spreadsheet into a PLP, all or nothing. `consent_date`
    (YYYY-MM-DD) with `consent_text` states the consent for rows that give no date
    (StatedConsentError when it cannot be used)."""
    plp = registry_plp(desk, plp_slug)
    today = desk.config.current_date()
    stated = stated_consent(consent_date, consent_text, today)
    return import_sheet(
        desk.store.members,
        path,
        plp.slug,
        plp.languages,
        recorded_by,
        consent_text,
        consent_method,
        today,
        stated,
    )


def list_members(desk: Desk, plp_slug: str) -> list[Member]:
    """The PLP's members, erased ones left out."""
    return desk.store.members.list(registry_plp(desk, plp_slug).slug)


def export(desk: Desk, *, email: str | None = None, plp: str | None = None, fmt: str = "json"):
    """Everything stored about one address (right of access), or about a PLP's members."""
    if (email is None) == (plp is None):
        raise PlpError(
            "give either an EMAIL or --plp SLUG — e.g. `plp members export "
            "jan@example.org` or `plp members export --plp bergveld-centrum`"
        )
    # A PLP's list in its first language: the one its coordinator's spreadsheet speaks.
    lang = registry_plp(desk, plp).languages[0] if plp else None
    return desk.store.members.export(plp=plp, email=email, fmt=fmt, lang=lang)


def unsubscribe(desk: Desk, email: str, plp: str | None = None) -> bool:
    """Unsubscribe an address (from one PLP, or all); False when it already was."""
    return desk.store.members.unsubscribe(email, plp) > 0


def unsubscribe_token(desk: Desk, token: str, plp: str | None = None) -> tuple[int, str, bool]:
    """Apply an unsubscribe link's token — or the whole link, as a member forwards it — and
    return (member id, PLP, whether it changed anything)."""
    token = _token_of(token)
    member_id, token_plp = UnsubscribeTokens.from_config(desk.config).read_token(token, plp)
    return member_id, token_plp, desk.store.members.unsubscribe_member(member_id, token_plp)


def memberships(desk: Desk, email: str) -> tuple[str, ...]:
    """The PLPs this address is a member of (to confirm an erasure with the person)."""
    return tuple(sorted({m.plp for m in desk.store.members.find(email)}))


def forget(desk: Desk, email: str) -> Erased:
    """Erase a person for good: name, address and consent in every PLP, and every copy of a
    bulletin addressed to them in the outbox; the ledger keeps only a keyed pseudonym, so a
    resumed send still never mails them again."""
    erasure = desk.store.members.forget(email)
    removed = 0
    if desk.config.outbox_dir.exists():
        removed = OutboxMailer(desk.config.outbox_dir).discard(erasure.pseudonym)
    return Erased(email, erasure.plps, removed)


def _token_of(link: str) -> str:
    """The token in `…/unsubscribe/TOKEN`, `…?token=TOKEN`, `<…>` or a bare token."""
    link = link.strip().strip("<>").strip()
    parts = urlsplit(link)
    if parts.scheme in ("http", "https"):
        query = parse_qs(parts.query).get("token")
        return query[0] if query else parts.path.rstrip("/").rpartition("/")[2]
    return link
