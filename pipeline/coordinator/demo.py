"""The demo on the sample content: sample members, and bulletins approved on the coordinators'
behalf — which real use never does: there the coordinator reviews a test copy and approves."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..bulletin.assembly import NothingNew
from ..bulletin.store import DraftStatus
from ..errors import PlpError
from ..roster.sample import sample_members_csv
from .desk import Desk
from .drafting import draft as draft_next
from .membership import import_members
from .sending import approve

DEMO_APPROVER = "plp demo, on the coordinator's behalf"


# RFC 2606 / RFC 6761 names: mail to them never reaches a person.
RESERVED = re.compile(
    r"@(?:[\w.-]+\.)?(?:example\.(?:org|net|com)|[\w-]+\.(?:test|example|invalid|localhost))$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DemoReport:
    """What the demo prepared: bulletins approved, and PLPs it could not draft for, with why."""

    approved: int
    failed: tuple[tuple[str, str], ...] = ()


def prepare_demo(desk: Desk, say: Callable[[str], None]) -> DemoReport:
    """Give each active PLP sample members and an approved next bulletin.

    The demo never touches a PLP with real members or a draft waiting for its coordinator, and
    never sends through an SMTP relay. Every PLP it cannot draft for is said, with the reason.
    """
    config = desk.config
    if config.smtp_url:
        raise PlpError("the demo delivers into the outbox only — unset PLP_SMTP_URL to run it")
    members, approvals = desk.store.members, desk.store.approvals
    demo_dir = config.var_dir / "demo"
    demo_dir.mkdir(parents=True, exist_ok=True)
    approved, failed = 0, []
    for plp in sorted(desk.content.plps.values(), key=lambda p: p.slug):
        if not plp.active:
            continue
        if any(not RESERVED.search(m.email) for m in members.list(plp.slug)):
            say(f"DEMO: {plp.slug} has real members — left alone")
            continue
        latest = desk.bulletins.latest(plp.slug)
        if latest and latest.status is DraftStatus.DRAFT:
            approval = approvals.latest(plp.slug, latest.number)
            if approval is None or approval.approved_by != DEMO_APPROVER:
                say(f"DEMO: {plp.slug} has a draft waiting for its coordinator — left alone")
                continue
        if members.count_active(plp.slug) == 0:
            sheet = demo_dir / f"{plp.slug}.csv"
            sheet.write_text(sample_members_csv(plp.slug, plp.languages), encoding="utf-8")
            import_members(
                desk,
                sheet,
                plp.slug,
                "plp demo",
                consent_method="demo data on reserved example domains",
            )
        try:
            made = draft_next(desk, plp.slug)
        except NothingNew as nothing:
            say(f"DEMO: {plp.slug}: {nothing}")
            continue
        except PlpError as error:
            say(f"DEMO: {plp.slug} could not be drafted: {error}")
            failed.append((plp.slug, str(error)))
            continue
        approve(desk, plp.slug, made.number, DEMO_APPROVER)
        approved += 1
        say(
            f"DEMO: bulletin {made.number} of {plp.slug} ({', '.join(made.languages)}) "
            "approved on the coordinator's behalf"
        )
    return DemoReport(approved, tuple(failed))
