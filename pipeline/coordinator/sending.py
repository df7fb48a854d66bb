"""The coordinator's part: a test copy, approval of that exact content, then the real send."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import formatdate
from urllib.parse import urlsplit

from ..addresses import NEEDS_SMTPUTF8, SMTPUTF8_FIX
from ..bulletin.compose import MessageTemplate
from ..bulletin.store import Draft, DraftStatus
from ..config import Config
from ..errors import DeliveryError
from ..mailing.delivery import BOUNCE_LOCAL_PART, deliver
from ..mailing.dkim import DkimSigner
from ..mailing.mailer import Envelope, SendFailure
from ..mailing.outbox import OutboxMailer
from ..mailing.report import DeliveryReport, Progress
from ..model import Plp
from ..state.approvals import Approval
from ..state.ledger import FINAL, LedgerStatus
from ..state.members import Recipient
from ..tokens import PreferencesTokens, UnsubscribeTokens
from ..urls import preferences_url, unsubscribe_url
from .desk import Desk
from .site import build, missing_pages

ERASED = "(erased)"
"""How a report shows a member erased since: the ledger keeps only a pseudonym."""


class AlreadySent(DeliveryError):
    """The bulletin went out before: sending it again does nothing (not a failure)."""


@dataclass(frozen=True)
class TestCopy:
    plp: str
    number: int
    recipient: str
    languages: tuple[str, ...]
    missing_pages: tuple[str, ...] = ()
    """Message pages the copy links to that output/ does not hold yet."""
    files: tuple[str, ...] = ()
    """Where the copies are, in outbox mode."""


@dataclass(frozen=True)
class Approved:
    """A bulletin waiting to be sent, and whether its approval still matches its content."""

    draft: Draft
    approval: Approval
    matches: bool


def bulletin_id(plp: str, number: int) -> str:
    """The ledger's name for a bulletin: one row per (this, member)."""
    return f"{plp}/{number}"


def find_draft(desk: Desk, plp_slug: str, number: int | None = None) -> Draft:
    """Bulletin `number` of a PLP, or its latest; a clear error when there is none."""
    if number is not None:
        if desk.bulletins.latest(plp_slug) is None:
            desk.plp(plp_slug)  # a mistyped PLP says so, with suggestions
        return desk.bulletins.get(plp_slug, number)
    latest = desk.bulletins.latest(plp_slug)
    if latest is None:
        desk.plp(plp_slug)  # an unknown PLP says so, with suggestions
        raise DeliveryError(
            f"PLP {plp_slug} has no bulletin yet — run `plp bulletin draft {plp_slug}` first"
        )
    return latest


def send_test(desk: Desk, plp_slug: str, number: int | None = None) -> TestCopy:
    """Send every edition of the draft to the coordinator's role address only."""
    config = desk.config
    plp = desk.plp(plp_slug)
    draft = _unsent(find_draft(desk, plp_slug, number))
    _refuse_local_links(config)
    signer = DkimSigner.from_config(config)  # a bad key stops here, before anything is sent
    stamp = str(time.time_ns())  # two test copies in one second must not overwrite each other
    envelopes = []
    for lang in draft.languages:
        template = draft.template(lang, test=True)
        data = template.for_member(
            plp.coordinator.email,
            None,  # the neutral greeting members without a name get
            unsubscribe_url(config.web_url, "test-copy"),
            None,
            template.message_id(f"test-{lang}-{stamp}"),
            preferences_url=preferences_url(config.web_url, "test-copy"),
        )
        if signer:
            data = signer.sign(data)
        envelope = Envelope(
            _sender(config),
            plp.coordinator.email,
            data,
            f"{bulletin_id(plp_slug, draft.number)}/test",
            f"test-{lang}-{stamp}",
        )
        envelopes.append(envelope)
        try:
            desk.mailer.send(envelope)
        except SendFailure as exc:
            raise DeliveryError(
                f"the test copy to {plp.coordinator.email} was not accepted ({exc}) — "
                "check the coordinator's address in content/registry/plps.yaml and the SMTP "
                "settings, then try again"
            ) from None
    # The web version appears once sent; the message pages must be online already.
    missing = tuple(missing_pages(desk, draft, web_version=False))
    files = tuple(
        str(config.outbox_dir / OutboxMailer.filename(e.bulletin_id, e.member_key))
        for e in envelopes
        if not config.smtp_url
    )
    return TestCopy(plp_slug, draft.number, plp.coordinator.email, draft.languages, missing, files)


def current_approval(desk: Desk, plp_slug: str, number: int) -> Approval | None:
    """The approval that counts for bulletin `number` of a PLP, or None."""
    return desk.store.approvals.latest(plp_slug, number)


def approve(desk: Desk, plp_slug: str, number: int, approved_by: str) -> Approval:
    """Record the coordinator's approval of bulletin `number` exactly as it is now."""
    draft = _unsent(find_draft(desk, plp_slug, number))
    current = draft.current_hash()
    if current != draft.content_hash:
        raise DeliveryError(
            f"the files of bulletin {number} of PLP {plp_slug} were changed by "
            f"hand — run `plp bulletin draft {plp_slug}` again and review it"
        )
    return desk.store.approvals.approve(plp_slug, number, current, approved_by)


def recipients_count(desk: Desk, plp_slug: str) -> int:
    """How many members a send of the PLP's bulletin would reach."""
    return desk.store.members.count_active(plp_slug)


def send(
    desk: Desk,
    plp_slug: str,
    number: int,
    *,
    progress: Progress | None = None,
    build_first: bool = True,
) -> DeliveryReport:
    """Deliver an approved bulletin to the PLP's active members; resumable, never twice.

    With build_first, output/ is rebuilt before the first message goes out, so the bulletin's
    web version and the message pages it links to are there when members click (publish
    builds once for all its bulletins instead).
    """
    config = desk.config
    plp = desk.plp(plp_slug)  # loads the content: refuses urgent or broken content outright
    draft = find_draft(desk, plp_slug, number)
    if draft.status is DraftStatus.SENT:
        raise AlreadySent(
            f"bulletin {number} of PLP {plp_slug} was already sent on "
            f"{draft.sent_at} — nothing to do"
        )
    _refuse_local_links(config)
    store = desk.store
    store.approvals.check_approved(plp_slug, number, draft.current_hash())
    if draft.status is DraftStatus.DRAFT and not store.members.count_active(plp_slug):
        # Sent to nobody it would count as sent, and members imported later would never get it.
        raise DeliveryError(
            f"PLP {plp_slug} has no active member yet — import the list with "
            f"`plp members import FILE --plp {plp_slug}`, then send; nothing was sent"
        )
    # Frozen from the first message on: drafting again makes the next number, not this one.
    desk.bulletins.mark_sending(plp_slug, number)
    if build_first and (draft.status is DraftStatus.DRAFT or missing_pages(desk, draft)):
        build(desk)
    report = deliver(
        bulletin_id(plp_slug, number),
        store.members.active_members(plp_slug),
        _composer(config, plp, draft),
        desk.mailer,
        store.ledger,
        config,
        progress,
        members=store.members,
        sender=_sender(config),
    )
    if report.complete:  # nobody pending or deferred: a later run has nothing to do
        desk.bulletins.mark_sent(plp_slug, number)
    return report


def approved_unsent(desk: Desk) -> list[Approved]:
    """Each PLP's latest bulletin that is approved and not sent to everyone yet (a draft, or
    one with members deferred), and whether its approval still matches."""
    found = []
    for slug in sorted(desk.content.plps):
        draft = desk.bulletins.latest(slug)
        if draft is None or draft.status is DraftStatus.SENT:
            continue
        approval = desk.store.approvals.latest(slug, draft.number)
        if approval is not None:
            found.append(Approved(draft, approval, approval.content_hash == draft.current_hash()))
    return found


def _unsent(draft: Draft) -> Draft:
    if draft.status.gone_out:
        raise DeliveryError(
            f"bulletin {draft.number} of PLP {draft.plp} was already sent on "
            f"{draft.sent_at} — draft the next one with `plp bulletin draft {draft.plp}`"
        )
    return draft


def _composer(config: Config, plp: Plp, draft: Draft):
    """Fill each member's copy: their language's edition, else the PLP's first one."""
    templates: dict[str, MessageTemplate] = {lang: draft.template(lang) for lang in draft.languages}
    fallback = next(
        templates[lang] for lang in (*plp.languages, *draft.languages) if lang in templates
    )
    tokens = UnsubscribeTokens.from_config(config)
    preferences = PreferencesTokens.from_config(config)
    signer = DkimSigner.from_config(config)
    date = formatdate(localtime=False, usegmt=True).replace("GMT", "+0000")

    def compose(r: Recipient) -> bytes:
        template = templates.get(r.language, fallback)
        token = tokens.make_token(r)
        address = r.ascii_email
        if address is None:
            raise DeliveryError(f"{NEEDS_SMTPUTF8} (SMTPUTF8) — {SMTPUTF8_FIX}")
        data = template.for_member(
            address,
            r.name or None,
            unsubscribe_url(config.web_url, token),
            None,  # no mailto: nothing reads that mailbox, and the https link is one click
            template.message_id(r.pseudonym[:24]),
            date,
            preferences_url=preferences_url(config.web_url, preferences.make_token(r)),
        )
        return signer.sign(data) if signer else data

    return compose


def _refuse_local_links(config: Config) -> None:
    """Real mail must not link to a preview address that only works on this computer."""
    for url, setting in (
        (config.site_url, "PLP_SITE_URL (or SITEURL in pelicanconf.py)"),
        (config.web_url, "PLP_WEB_URL"),
    ):
        host = urlsplit(url).hostname or ""
        if config.smtp_url and (host in ("localhost", "::1") or host.startswith("127.")):
            raise DeliveryError(
                f"the e-mails would link to {url}, which only works on this computer — "
                f"set {setting} to the public address"
            )


def _sender(config: Config) -> str:
    return f"{BOUNCE_LOCAL_PART}@{config.sending_domain}"


@dataclass(frozen=True)
class LedgerLine:
    """One member's row in a bulletin's ledger, for the coordinator: with the address."""

    address: str
    status: LedgerStatus
    attempts: int
    code: int | None
    reason: str
    next_attempt_at: datetime | None


def delivery_lines(desk: Desk, plp_slug: str, number: int) -> list[LedgerLine]:
    """Every member's outcome for bulletin `number`, by status then address (private: shown
    to the coordinator, never written to output/)."""
    find_draft(desk, plp_slug, number)  # an unknown bulletin says so
    addresses = _addresses(desk, plp_slug)
    lines = [
        LedgerLine(
            addresses.get(entry.member_key, ERASED),
            entry.status,
            entry.attempts,
            entry.last_code,
            entry.last_reason,
            entry.next_attempt_at,
        )
        for entry in desk.store.ledger.entries(bulletin_id(plp_slug, number))
    ]
    order = list(LedgerStatus)
    return sorted(lines, key=lambda line: (order.index(line.status), line.address))


def resolve(
    desk: Desk,
    plp_slug: str,
    number: int,
    *,
    delivered: tuple[str, ...] = (),
    resend: tuple[str, ...] = (),
) -> int:
    """Settle rows by hand after reading the relay's log: `delivered` ones become sent, `resend`
    ones are sent again by the next send; returns how many rows changed."""
    draft = find_draft(desk, plp_slug, number)
    bid = bulletin_id(plp_slug, number)
    ledger, members = desk.store.ledger, desk.store.members
    plan = [(a, LedgerStatus.SENT, LedgerStatus.UNCERTAIN) for a in delivered]
    plan += [(a, LedgerStatus.PENDING, None) for a in resend]
    changes = []
    for address, status, required in plan:
        entry = ledger.entry(bid, members.pseudonym(address))
        if entry is None:
            raise DeliveryError(
                f"{address} has no delivery of bulletin {number} of PLP {plp_slug} — see "
                f"`plp bulletin report {plp_slug} {number}`"
            )
        allowed = (required,) if required else tuple(FINAL | {LedgerStatus.SKIPPED})
        if entry.status not in allowed or entry.status is status:
            raise DeliveryError(
                f"{address} is {entry.status} for bulletin {number} of PLP {plp_slug}, so it "
                f"cannot be marked {'delivered' if required else 'to resend'} — only "
                f"{' or '.join(allowed)} rows can"
            )
        changes.append((entry.member_key, status))
    with desk.store.transaction():  # every address checked first, then all or nothing
        for key, status in changes:
            why = "delivered (checked by hand)" if status is LedgerStatus.SENT else "to resend"
            ledger.resolve(bid, key, status, why)
    if resend and draft.status is DraftStatus.SENT:
        desk.bulletins.mark_sending(plp_slug, number, reopen=True)  # the next send goes on
    return len(changes)


def report_naming(desk: Desk, plp_slug: str) -> Callable[[str], str]:
    """Ledger key → address, to show a report's members to their coordinator (only there:
    logs and the ledger keep pseudonyms); an erased member is "(erased)"."""
    addresses = _addresses(desk, plp_slug)
    return lambda key: addresses.get(key, ERASED)


def _addresses(desk: Desk, plp_slug: str) -> dict[str, str]:
    """Ledger key → address for the PLP's members (erased ones have none any more)."""
    members = desk.store.members
    return {members.pseudonym(m.email): m.email for m in members.list(plp_slug) if m.email}
