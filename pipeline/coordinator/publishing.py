"""The main job: check, build the site, deliver every approved bulletin, then show them online."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from ..bulletin.store import Draft
from ..bulletin.web import WebBulletin, web_editions
from ..mailing.report import DeliveryReport, Progress
from ..site import build_site
from ..site.builder import BuildReport
from ..state.ledger import BulletinLocked
from .desk import Desk
from .sending import approved_unsent, recipients_count, send

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


def site_bulletins(desk: Desk) -> list[WebBulletin]:
    """The web versions of every sent bulletin (the site never reads var/ itself)."""
    return list(web_editions(desk.bulletins.sent()))


def build(desk: Desk, only: Iterable[str] = ()) -> BuildReport:
    """Build output/ from the content and the sent bulletins."""
    return build_site(desk.config, only, desk.content, bulletins=site_bulletins(desk))


def publish(desk: Desk, progress_for: ProgressFor | None = None) -> PublishReport:
    """Check content, build output/, send approved bulletins, rebuild for their web versions."""
    desk.content  # every problem at once, before anything is written  # noqa: B018
    site = build(desk)
    deliveries, stale, busy = [], [], []
    for waiting in approved_unsent(desk):
        draft = waiting.draft
        if not waiting.matches:
            stale.append(draft)
            continue
        try:
            report = _send(desk, draft, progress_for)
        except BulletinLocked as locked:  # another sender has it: carry on with the others
            busy.append((draft, str(locked)))
            continue
        deliveries.append((draft, report))
    if deliveries:
        site = build(desk)  # only hubs and new bulletin pages change
    return PublishReport(site, deliveries, stale, busy)


def _send(desk: Desk, draft: Draft, progress_for: ProgressFor | None) -> DeliveryReport:
    if progress_for is None:
        return send(desk, draft.plp, draft.number)
    with progress_for(draft, recipients_count(desk, draft.plp)) as progress:
        return send(desk, draft.plp, draft.number, progress=progress)
