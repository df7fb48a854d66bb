"""`plp publish`: the main job — check, build, deliver every approved bulletin."""

from __future__ import annotations

from contextlib import AbstractContextManager

import click

from .. import coordinator
from ..bulletin.store import Draft
from ..errors import relpath
from ..mailing.report import Progress, delivery_progress
from .common import INCOMPLETE, desk_from, guarded


def _progress(draft: Draft, total: int) -> AbstractContextManager[Progress]:
    return delivery_progress(total, f"{draft.plp} n° {draft.number}")


@click.command()
@click.option(
    "--demo",
    is_flag=True,
    help="Sample content only: add sample members (example.org) and approve each PLP's "
    "next bulletin on the coordinator's behalf, then publish.",
)
@click.pass_context
@guarded
def publish(ctx: click.Context, demo: bool) -> None:
    """Check content, build the site, and send every approved bulletin.

    Bulletins go out only after their coordinator approved that exact content
    (`plp bulletin approve`); without PLP_SMTP_URL they are delivered into var/outbox/.
    Members deferred by an earlier run are tried again once due. Exit code 3 when members
    are left failed, uncertain, skipped or deferred, or a bulletin was busy elsewhere.
    """
    desk = desk_from(ctx)
    config = desk.config
    if demo:
        click.echo(
            "DEMO mode: sample members on reserved domains; in real use each coordinator "
            "reviews a test copy and approves it (`plp bulletin test`, `approve`)."
        )
        demo_report = coordinator.prepare_demo(desk, click.echo)
    report = coordinator.publish(desk, _progress)
    site = report.site
    click.echo(
        f"Site: {site.pages} pages and {site.feeds} feeds in {relpath(config.output_dir)} "
        f"({site.written} written, {site.unchanged} unchanged)."
    )
    for draft, delivery in report.deliveries:
        shown = delivery.summary(coordinator.report_naming(desk, draft.plp))
        click.echo(f"Bulletin {draft.number} of {draft.plp}: {shown}")
    for draft in report.changed_since_approval:
        click.secho(
            f"Not sent: bulletin {draft.number} of {draft.plp} changed since it was "
            f"approved — review it and run `plp bulletin approve {draft.plp} "
            f"{draft.number}`.",
            fg="yellow",
        )
    for draft, why in report.busy:
        click.secho(f"Left alone: bulletin {draft.number} of {draft.plp}: {why}", fg="yellow")
    if not report.deliveries:
        click.echo("No approved bulletin waiting to be sent.")
    elif not config.smtp_url:
        click.echo(f"Delivered into the outbox: {relpath(config.outbox_dir)}/ (one .eml each).")
    if demo and demo_report.failed:
        failed = ", ".join(slug for slug, _ in demo_report.failed)
        click.secho(f"DEMO: not drafted, see above: {failed}", fg="red", err=True)
        ctx.exit(1)
    if not report.clean:
        ctx.exit(INCOMPLETE)
