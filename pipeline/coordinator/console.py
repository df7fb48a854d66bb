"""What the coordinators' console shows and does for one PLP: the same workflow as the CLI
(draft, test copy, approve, send, the member list), each action written to the audit log."""

from __future__ import annotations

import csv
import io
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..bulletin.store import Draft, DraftStatus
from ..errors import PlpError
from ..model import Plp
from ..roster.importer import ImportReport
from ..state.approvals import Approval
from ..state.audit import AuditAction, AuditEntry
from ..state.ledger import LedgerStatus
from ..state.members import Member
from .desk import Desk
from .drafting import draft
from .membership import forget, import_members, memberships
from .sending import approve, bulletin_id, current_approval, send_test


class StaleApproval(PlpError):
    """The bulletin changed since the page that approved it was shown: nothing approved."""


@dataclass(frozen=True)
class Edition:
    """One language of the next bulletin, as members will get it."""

    lang: str
    subject: str
    messages: tuple[str, ...]
    """Titles of the messages it holds."""
    held_over: int
    text: str


@dataclass(frozen=True)
class Overview:
    """The PLP's page: its next (or last) bulletin, its approval, its recipients."""

    plp: Plp
    draft: Draft | None
    editions: tuple[Edition, ...]
    approval: Approval | None
    approval_matches: bool
    recipients: int
    ledger: dict[LedgerStatus, int]


def overview(desk: Desk, plp: Plp) -> Overview:
    """What the console's page of a PLP shows."""
    latest = desk.bulletins.latest(plp.slug)
    recipients = desk.store.members.count_active(plp.slug)
    if latest is None:
        return Overview(plp, None, (), None, False, recipients, {})
    titles = {m.id: m.title for m in desk.content.messages}
    editions = tuple(
        Edition(
            e.lang,
            e.subject,
            tuple(titles.get(i, i) for i in e.message_ids),
            e.held_over,
            latest.text(e.lang),
        )
        for e in latest.editions
    )
    approval = current_approval(desk, plp.slug, latest.number)
    matches = approval is not None and approval.content_hash == latest.current_hash()
    ledger = desk.store.ledger.counts(bulletin_id(plp.slug, latest.number))
    return Overview(plp, latest, editions, approval, matches, recipients, ledger)


def preview_html(desk: Desk, plp: Plp, lang: str) -> str:
    """The HTML part of the next bulletin in one language (the neutral greeting)."""
    latest = desk.bulletins.latest(plp.slug)
    if latest is None:
        raise PlpError(f"PLP {plp.slug} has no bulletin yet")
    return latest.html(lang)


def redraft(desk: Desk, plp: Plp, note: str, actor: str) -> Draft:
    """Draft the next bulletin again with the note (ContentError lists the note's problems)."""
    made = draft(desk, plp.slug, note=note or None, note_name="the note")
    desk.store.audit.add(
        plp.slug, actor, AuditAction.DRAFT, f"bulletin {made.number} ({made.content_hash[:12]})"
    )
    return made


def test_copy(desk: Desk, plp: Plp, actor: str):
    """The test copy, to the PLP's role address only."""
    copy = send_test(desk, plp.slug)
    desk.store.audit.add(
        plp.slug, actor, AuditAction.TEST_COPY, f"bulletin {copy.number} to the role address"
    )
    return copy


def approve_shown(desk: Desk, plp: Plp, number: int, shown_hash: str, actor: str) -> Approval:
    """Approve bulletin `number` if it is still exactly what the page showed."""
    latest = desk.bulletins.latest(plp.slug)
    if latest is None or latest.number != number or latest.current_hash() != shown_hash:
        raise StaleApproval(
            "the bulletin changed since this page was shown — review it again, then approve"
        )
    approval = approve(desk, plp.slug, number, actor)
    desk.store.audit.add(
        plp.slug, actor, AuditAction.APPROVE, f"bulletin {number} ({shown_hash[:12]})"
    )
    return approval


def sendable(view: Overview) -> bool:
    """Whether the send button applies: approved as it is, and not sent to everyone yet."""
    return (
        view.draft is not None
        and view.draft.status is not DraftStatus.SENT
        and view.approval_matches
    )


def import_upload(
    desk: Desk,
    plp: Plp,
    data: bytes,
    filename: str,
    actor: str,
    consent_date: str = "",
    consent_text: str = "",
) -> ImportReport:
    """Import an uploaded spreadsheet, all or nothing (ContentError names each bad line);
    the consent date and wording, when given, are stated for rows without a date."""
    folder = desk.config.var_dir / "uploads"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = Path(filename or "members.csv").name or "members.csv"
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        report = import_members(
            desk,
            path,
            plp.slug,
            recorded_by=actor,
            consent_text=consent_text.strip() or None,
            consent_date=consent_date,
        )
    desk.store.audit.add(
        plp.slug,
        actor,
        AuditAction.IMPORT,
        f"{report.imported} imported, {len(report.duplicates)} already known"
        + (f"; consent stated for {report.stated_for}" if report.stated_for else ""),
    )
    return report


@dataclass(frozen=True)
class Roster:
    """The PLP's members as the console lists them."""

    members: tuple[Member, ...]
    by_status: dict[str, int]
    by_language: dict[str, int]
    total: int


def roster(desk: Desk, plp: Plp, search: str = "") -> Roster:
    """Members (those matching `search` in address or name), with counts over all of them."""
    everyone = desk.store.members.list(plp.slug)
    needle = search.strip().casefold()
    shown = [m for m in everyone if needle in m.email.casefold() or needle in m.name.casefold()]
    return Roster(
        tuple(shown),
        dict(Counter(m.status.value for m in everyone)),
        dict(Counter(m.language for m in everyone)),
        len(everyone),
    )


def member_of(desk: Desk, plp: Plp, member_id: int) -> Member:
    """One member of the PLP (PlpError for another PLP's or an unknown id)."""
    return _member(desk, plp, member_id)


def _member(desk: Desk, plp: Plp, member_id: int) -> Member:
    member = desk.store.members.get(member_id)
    if member is None or member.plp != plp.slug:
        raise PlpError(f"no member {member_id} in PLP {plp.slug}")
    return member


def unsubscribe_member(desk: Desk, plp: Plp, member_id: int, actor: str) -> bool:
    """Unsubscribe one member of the PLP; False when they were already."""
    _member(desk, plp, member_id)
    changed = desk.store.members.unsubscribe_member(member_id, plp.slug, how="by the coordinator")
    if changed:
        desk.store.audit.add(plp.slug, actor, AuditAction.UNSUBSCRIBE, f"member {member_id}")
    return changed


def erase_member(desk: Desk, plp: Plp, member_id: int, actor: str) -> None:
    """Erase one member of the PLP; a person on this PLP's list only is erased entirely (with
    their outbox copies), one also in other PLPs keeps those memberships."""
    member = _member(desk, plp, member_id)
    if memberships(desk, member.email) == (plp.slug,):
        forget(desk, member.email)
    else:
        desk.store.members.erase_membership(member_id, plp.slug)
    desk.store.audit.add(plp.slug, actor, AuditAction.ERASE, f"member {member_id}")


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def members_csv(desk: Desk, plp: Plp) -> bytes:
    """The member list as Belgian Excel opens it: `;`, UTF-8 with a BOM, no formula cells."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["email", "name", "language", "status", "since"])
    for m in desk.store.members.list(plp.slug):
        row = [m.email, m.name, m.language, m.status.value, f"{m.created:%Y-%m-%d}"]
        writer.writerow([f"'{v}" if v.startswith(FORMULA_START) else v for v in row])
    return out.getvalue().encode("utf-8-sig")


def audit_log(desk: Desk, plp: Plp) -> list[AuditEntry]:
    """The PLP's audit log, newest first."""
    return desk.store.audit.entries(plp.slug)
