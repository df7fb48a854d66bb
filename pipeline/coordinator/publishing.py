"""The main job: check, build the site, deliver every approved bulletin, then show them online."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from ..bulletin.store import Draft
from ..mailing.report import DeliveryReport, Progress
from ..site.builder import BuildReport
from ..state.ledger import BulletinLocked
from .desk import Desk
from .sending import approved_unsent, recipients_count, send
from .site import build

ProgressFor = Callable[[Draft, int], AbstractContextManager[Progress]]
"""Given a bulletin and how many members it goes to, a context giving a progress callback."""


@dataclass(frozen=True)
class PublishReport:
    site: BuildReport
    deliveries: list[tuple[Draft, DeliveryReport]] = field(default_factory=list)
    changed_since_approval: list[Draft] = field(default_factory=list)
    """Approved bulletins whose content changed afterwards: not sent, to be approved again."""
    busy: list[tuple[Draft, str]] = field(default_factory=list)
    """Bulletins another process was sending: left to it, with what it said."""

    @property
    def clean(self) -> bool:
        """Every bulletin went to everyone: nothing failed, uncertain, deferred or left."""
        return not self.busy and all(report.clean for _, report in self.deliveries)


def publish(desk: Desk, progress_for: ProgressFor | None = None) -> PublishReport:
    """Check content, build output/, send approved bulletins, rebuild for their web versions."""
    desk.content  # every problem at once, before anything is written  # noqa: B018
    waiting = approved_unsent(desk)
    ready = [w.draft for w in waiting if w.matches]
    stale = [w.draft for w in waiting if not w.matches]
    for draft in ready:  # online before the first member can click its link
        desk.bulletins.mark_sending(draft.plp, draft.number)
    site = build(desk)  # once, with every bulletin about to go out
    deliveries, busy = [], []
    for draft in ready:
        try:
            report = _send(desk, draft, progress_for)
        except BulletinLocked as locked:  # another sender has it: carry on with the others
            busy.append((draft, str(locked)))
            continue
        deliveries.append((draft, report))
    return PublishReport(site, deliveries, stale, busy)


def _send(desk: Desk, draft: Draft, progress_for: ProgressFor | None) -> DeliveryReport:
    if progress_for is None:
        return send(desk, draft.plp, draft.number, build_first=False)
    with progress_for(draft, recipients_count(desk, draft.plp)) as progress:
        return send(desk, draft.plp, draft.number, progress=progress, build_first=False)
