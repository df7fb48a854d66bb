"""The main job: check, build the site, deliver every approved bulletin, then show them online."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from .bulletin.store import Draft
from .config import Config
from .content import load_content
from .mailing.dispatch import approved_unsent, send
from .mailing.report import DeliveryReport, Progress
from .site import build_site
from .site.builder import BuildReport

ProgressFor = Callable[[Draft], AbstractContextManager[Progress]]


@dataclass(frozen=True)
class PublishReport:
    site: BuildReport
    deliveries: list[tuple[Draft, DeliveryReport]] = field(default_factory=list)
    changed_since_approval: list[Draft] = field(default_factory=list)
    """Approved bulletins whose content changed afterwards: not sent, to be approved again."""


def publish(config: Config, progress_for: ProgressFor | None = None) -> PublishReport:
    """Check content, build output/, send approved bulletins, rebuild for their web versions."""
    content = load_content(config)  # every problem at once, before anything is written
    site = build_site(config, content=content)
    deliveries, stale = [], []
    for draft, matches in approved_unsent(config, content):
        if not matches:
            stale.append(draft)
            continue
        if progress_for is None:
            report = send(config, draft.plp, draft.number, content=content)
        else:
            with progress_for(draft) as progress:
                report = send(config, draft.plp, draft.number, content=content, progress=progress)
        deliveries.append((draft, report))
    if deliveries:
        site = build_site(config, content=content)  # only hubs and new bulletin pages change
    return PublishReport(site, deliveries, stale)
