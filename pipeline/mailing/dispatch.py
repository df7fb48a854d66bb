"""The coordinator's part: a test copy, approval of that exact content, then the real send."""

from __future__ import annotations

import time
from dataclasses import dataclass
from email.utils import formatdate
from urllib.parse import urlsplit

from ..bulletin.assembly import find_plp
from ..bulletin.compose import MessageTemplate
from ..bulletin.store import BulletinStore, Draft, DraftStatus
from ..config import Config
from ..content import load_content
from ..errors import DeliveryError
from ..model import Content, Plp
from .approvals import Approval, Approvals
from .delivery import BOUNCE_LOCAL_PART, deliver
from .dkim import DkimSigner
from .ledger import Ledger
from .mailer import Envelope, Mailer, SendFailure, make_mailer
from .members import MemberStore, Recipient
from .report import DeliveryReport, Progress
from .tokens import UnsubscribeTokens


class AlreadySent(DeliveryError):
    """The bulletin went out before: sending it again does nothing (not a failure)."""


@dataclass(frozen=True)
class TestCopy:
    plp: str
    number: int
    recipient: str
    languages: tuple[str, ...]


def bulletin_id(plp: str, number: int) -> str:
    """The ledger's name for a bulletin: one row per (this, member)."""
    return f"{plp}/{number}"


def send_test(
    config: Config, plp_slug: str, number: int | None = None, mailer: Mailer | None = None
) -> TestCopy:
    """Send every edition of the draft to the coordinator's role address only."""
    content = load_content(config)
    plp = find_plp(content, plp_slug)
    draft = _draft(config, plp_slug, number)
    if draft.status is DraftStatus.SENT:
        raise DeliveryError(
            f"bulletin {draft.number} of PLP {plp_slug} was already sent on "
            f"{draft.sent_at} — draft the next one with "
            f"`plp bulletin draft {plp_slug}`"
        )
    _refuse_local_links(config)
    signer = DkimSigner.from_config(config)  # a bad key stops here, before anything is sent
    own = mailer is None
    mailer = mailer or make_mailer(config)
    stamp = str(int(time.time()))
    try:
        for lang in draft.languages:
            template = draft.template(lang)
            data = template.for_member(
                plp.coordinator.email,
                plp.coordinator.name,
                f"{config.unsubscribe_url}?token=test-copy",
                f"mailto:{BOUNCE_LOCAL_PART}@{config.sending_domain}?subject=test-copy",
                template.message_id(f"test-{lang}-{stamp}"),
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
            try:
                mailer.send(envelope)
            except SendFailure as exc:
                raise DeliveryError(
                    f"the test copy to {plp.coordinator.email} was not accepted ({exc}) — "
                    "check the coordinator's address in content/registry/plps.yaml and the SMTP "
                    "settings, then try again"
                ) from None
    finally:
        if own:
            mailer.close()
    return TestCopy(plp_slug, draft.number, plp.coordinator.email, draft.languages)


def approve(config: Config, plp_slug: str, number: int, approved_by: str) -> Approval:
    """Record the coordinator's approval of bulletin `number` exactly as it is now."""
    draft = _draft(config, plp_slug, number)
    if draft.status is DraftStatus.SENT:
        raise DeliveryError(
            f"bulletin {number} of PLP {plp_slug} was already sent on "
            f"{draft.sent_at} — draft the next one with `plp bulletin draft`"
        )
    current = draft.current_hash()
    if current != draft.content_hash:
        raise DeliveryError(
            f"the files of bulletin {number} of PLP {plp_slug} were changed by "
            f"hand — run `plp bulletin draft {plp_slug}` again and review it"
        )
    approvals = Approvals(config)
    try:
        return approvals.approve(plp_slug, number, current, approved_by)
    finally:
        approvals.close()


def current_approval(config: Config, plp_slug: str, number: int) -> Approval | None:
    """The approval that counts for bulletin `number` of a PLP, or None."""
    approvals = Approvals(config)
    try:
        return approvals.latest(plp_slug, number)
    finally:
        approvals.close()


def send(
    config: Config,
    plp_slug: str,
    number: int,
    *,
    mailer: Mailer | None = None,
    progress: Progress | None = None,
    content: Content | None = None,
) -> DeliveryReport:
    """Deliver an approved bulletin to the PLP's active members; resumable, never twice."""
    content = content or load_content(config)  # refuses urgent or broken content outright
    plp = find_plp(content, plp_slug)
    draft = _draft(config, plp_slug, number)
    if draft.status is DraftStatus.SENT:
        raise AlreadySent(
            f"bulletin {number} of PLP {plp_slug} was already sent on "
            f"{draft.sent_at} — nothing to do"
        )
    _refuse_local_links(config)
    approvals = Approvals(config)
    try:
        approvals.check_approved(plp_slug, number, draft.current_hash())
    finally:
        approvals.close()
    compose = _composer(config, plp, draft)
    own = mailer is None
    mailer = mailer or make_mailer(config)
    members, ledger = MemberStore(config), Ledger(config)
    try:
        report = deliver(
            bulletin_id(plp_slug, number),
            members.active_members(plp_slug),
            compose,
            mailer,
            ledger,
            config,
            progress,
            members=members,
            sender=_sender(config),
        )
        BulletinStore(config).mark_sent(plp_slug, number)
        return report
    finally:
        members.close()
        ledger.close()
        if own:
            mailer.close()


def approved_unsent(config: Config, content: Content) -> list[tuple[Draft, bool]]:
    """Each PLP's latest unsent draft that has an approval, and whether it still matches."""
    store, approvals = BulletinStore(config), Approvals(config)
    found = []
    try:
        for slug in sorted(content.plps):
            draft = store.latest(slug)
            if draft is None or draft.status is DraftStatus.SENT:
                continue
            approval = approvals.latest(slug, draft.number)
            if approval is not None:
                found.append((draft, approval.content_hash == draft.current_hash()))
    finally:
        approvals.close()
    return found


def _composer(config: Config, plp: Plp, draft: Draft):
    """Fill each member's copy: their language's edition, else the PLP's first one."""
    templates: dict[str, MessageTemplate] = {lang: draft.template(lang) for lang in draft.languages}
    fallback = next(
        templates[lang] for lang in (*plp.languages, *draft.languages) if lang in templates
    )
    tokens = UnsubscribeTokens.from_config(config)
    signer = DkimSigner.from_config(config)
    date = formatdate(localtime=False, usegmt=True).replace("GMT", "+0000")

    def compose(r: Recipient) -> bytes:
        template = templates.get(r.language, fallback)
        token = tokens.make_token(r)
        address = r.ascii_email
        if address is None:
            raise DeliveryError("the address needs SMTPUTF8, which this sender does not use")
        data = template.for_member(
            address,
            r.name or None,
            f"{config.unsubscribe_url}?token={token}",
            f"mailto:unsubscribe@{config.sending_domain}?subject=unsubscribe%20{token}",
            template.message_id(r.pseudonym[:24]),
            date,
        )
        return signer.sign(data) if signer else data

    return compose


def _draft(config: Config, plp_slug: str, number: int | None) -> Draft:
    store = BulletinStore(config)
    if number is not None:
        return store.get(plp_slug, number)
    draft = store.latest(plp_slug)
    if draft is None:
        raise DeliveryError(
            f"PLP {plp_slug} has no bulletin yet — run `plp bulletin draft {plp_slug}` first"
        )
    return draft


def _refuse_local_links(config: Config) -> None:
    """Real mail must not link to a preview address that only works on this computer."""
    host = urlsplit(config.site_url).hostname or ""
    if config.smtp_url and (host in ("localhost", "::1") or host.startswith("127.")):
        raise DeliveryError(
            f"the e-mails would link to {config.site_url}, which only works on this computer — "
            "set PLP_SITE_URL (or SITEURL in pelicanconf.py) to the site's public address"
        )


def _sender(config: Config) -> str:
    return f"{BOUNCE_LOCAL_PART}@{config.sending_domain}"
