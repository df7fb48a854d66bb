"""The demo on the sample content: sample members, and bulletins approved on the coordinators'
behalf — which real use never does: there the coordinator reviews a test copy and approves."""

from __future__ import annotations

from collections.abc import Callable

from .bulletin.store import BulletinStore
from .config import Config
from .errors import PlpError
from .mailing.dispatch import approve
from .mailing.members import MemberStore
from .mailing.sample import sample_members_csv
from .model import Content

DEMO_APPROVER = "plp demo, on the coordinator's behalf"
DEMO_CONSENT = "I agree to receive this PLP's prevention bulletins by e-mail."


def prepare_demo(config: Config, content: Content, say: Callable[[str], None]) -> int:
    """Give each active PLP sample members and an approved next bulletin; return how many."""
    members, store = MemberStore(config), BulletinStore(config)
    demo_dir = config.var_dir / "demo"
    demo_dir.mkdir(parents=True, exist_ok=True)
    approved = 0
    try:
        for plp in sorted(content.plps.values(), key=lambda p: p.slug):
            if not plp.active:
                continue
            if members.count_active(plp.slug) == 0:
                sheet = demo_dir / f"{plp.slug}.csv"
                sheet.write_text(sample_members_csv(plp.slug, plp.languages), encoding="utf-8")
                members.import_csv(
                    sheet,
                    plp.slug,
                    plp.languages,
                    "plp demo",
                    DEMO_CONSENT,
                    consent_method="demo data on reserved example domains",
                )
            try:
                draft = store.draft(content, plp.slug)
            except PlpError:
                continue  # nothing new since its last bulletin
            approve(config, plp.slug, draft.number, DEMO_APPROVER)
            approved += 1
            say(
                f"DEMO: bulletin {draft.number} of {plp.slug} ({', '.join(draft.languages)}) "
                "approved on the coordinator's behalf"
            )
    finally:
        members.close()
    return approved
