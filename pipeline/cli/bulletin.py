"""`plp bulletin …`: draft, show, test, approve and send a PLP's bulletin."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from .. import coordinator
from ..errors import PlpError, relpath
from ..mailing.report import delivery_progress
from .common import INCOMPLETE, desk_from, guarded


@click.group()
def bulletin() -> None:
    """Draft, show, test, approve and send a PLP's bulletin (through its coordinator)."""


def _day(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date — use YYYY-MM-DD") from None


def _read_note(note_file: str) -> str:
    path = Path(note_file)
    if not path.is_file():
        raise PlpError(f"{note_file}: no such note file — give the path of a Markdown file")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PlpError(f"{note_file}: the note is not UTF-8 — save it as UTF-8") from None


@bulletin.command()
@click.argument("plp")
@click.option("--lang", "langs", multiple=True, help="Only this language (repeatable).")
@click.option(
    "--note",
    "note_file",
    metavar="FILE",
    help="A Markdown file: the coordinator's note opening it.",
)
@click.option("--date", "on", callback=_day, help="Bulletin date, YYYY-MM-DD (default: today).")
@click.pass_context
@guarded
def draft(
    ctx: click.Context, plp: str, langs: tuple[str, ...], note_file: str | None, on: date | None
) -> None:
    """Write the next bulletin of PLP as a draft under var/ and summarise it.

    The messages targeted to PLP, in force on the date and not yet sent to it, ordered with
    warnings first. Drafting again before sending replaces the draft.
    """
    note = _read_note(note_file) if note_file else None
    made = coordinator.draft(
        desk_from(ctx), plp, langs=langs or None, note=note, on=on, note_name=note_file or "note"
    )
    click.echo(f"Draft of bulletin {made.number} for PLP {made.plp} ({made.date}):")
    for edition in made.editions:
        sizes = ", ".join(
            f"{suffix} {made.path(edition.lang, suffix).stat().st_size / 1024:.1f} KB"
            for suffix in ("html", "txt", "eml")
        )
        click.echo(f"  {edition.lang}: {len(edition.message_ids)} message(s) — {sizes}")
        if edition.held_over:
            click.echo(
                f"      {edition.held_over} more new message(s) held over for the next "
                "bulletin (Gmail clips e-mails over 102 KB)"
            )
        click.echo(f"      subject: {edition.subject}")
        for suffix in ("html", "txt", "eml"):
            click.echo(f"      {relpath(made.path(edition.lang, suffix))}")
    click.echo(f"  content hash: {made.content_hash}")
    click.echo(f"Read it with `plp bulletin show {made.plp}`.")


@bulletin.command()
@click.argument("plp")
@click.argument("number", type=int, required=False)
@click.option("--lang", help="Language of the edition (default: the PLP's first).")
@click.pass_context
@guarded
def show(ctx: click.Context, plp: str, number: int | None, lang: str | None) -> None:
    """Print the text version of bulletin NUMBER of PLP (default: the latest)."""
    found = coordinator.find_draft(desk_from(ctx), plp, number)
    click.echo(found.text(lang or found.languages[0]), nl=False)


@bulletin.command("test")
@click.argument("plp")
@click.argument("number", type=int, required=False)
@click.pass_context
@guarded
def test_(ctx: click.Context, plp: str, number: int | None) -> None:
    """Send the draft (each language) to the PLP's coordinator only, to review it.

    Nothing reaches the members. NUMBER defaults to the latest bulletin.
    """
    desk = desk_from(ctx)
    copy = coordinator.send_test(desk, plp, number)
    where = "the outbox (var/outbox/)" if not desk.config.smtp_url else "the SMTP relay"
    click.echo(
        f"Test copy of bulletin {copy.number} ({', '.join(copy.languages)}) sent to "
        f"{copy.recipient} through {where}."
    )
    for path in copy.files:
        click.echo(f"  {relpath(Path(path))}")
    if copy.missing_pages:
        click.secho(
            f"Its links lead to {len(copy.missing_pages)} page(s) not on the site yet (e.g. "
            f"{copy.missing_pages[0]}): run `plp build` (and upload output/) before members "
            "get it.",
            fg="yellow",
        )
    click.echo(
        f"Review it; if it is right, approve exactly this content with "
        f"`plp bulletin approve {plp} {copy.number}`."
    )


@bulletin.command()
@click.argument("plp")
@click.argument("number", type=int)
@click.option(
    "--by",
    "approved_by",
    default="the coordinator",
    show_default=True,
    help="Who approves (kept with the approval).",
)
@click.pass_context
@guarded
def approve(ctx: click.Context, plp: str, number: int, approved_by: str) -> None:
    """Approve bulletin NUMBER of PLP exactly as drafted (bound to a hash of its content).

    Drafting again, or any change to its files, cancels the approval.
    """
    desk = desk_from(ctx)
    earlier = coordinator.current_approval(desk, plp, number)
    approval = coordinator.approve(desk, plp, number, approved_by)
    if earlier is not None:
        click.echo(
            f"(Already approved by {earlier.approved_by} on "
            f"{earlier.approved_at:%Y-%m-%d %H:%M} UTC; approved again.)"
        )
    click.echo(
        f"Bulletin {number} of PLP {plp} approved by {approval.approved_by} "
        f"(content {approval.content_hash[:12]}). Send it with `plp bulletin send {plp} {number}` "
        "or `plp publish`."
    )


@bulletin.command()
@click.argument("plp")
@click.argument("number", type=int)
@click.pass_context
@guarded
def send(ctx: click.Context, plp: str, number: int) -> None:
    """Send approved bulletin NUMBER to the PLP's active members, in their language.

    Safe to run again after an interruption: nobody receives it twice, nobody is skipped.
    Members the server did not accept yet stay deferred: run it again later (or `plp
    publish`). Exit code 3 when members are left failed, uncertain, skipped or deferred.
    """
    desk = desk_from(ctx)
    total = coordinator.recipients_count(desk, plp)
    try:
        with delivery_progress(total, f"{plp} n° {number}") as progress:
            report = coordinator.send(desk, plp, number, progress=progress)
    except coordinator.AlreadySent as done:
        click.echo(str(done))  # re-running is safe and not an error
        return
    click.echo(report.summary(coordinator.report_naming(desk, plp)))
    if not report.clean:
        click.echo(f"See who with `plp bulletin report {plp} {number}`.")
        ctx.exit(INCOMPLETE)


@bulletin.command()
@click.argument("plp")
@click.argument("number", type=int)
@click.pass_context
@guarded
def report(ctx: click.Context, plp: str, number: int) -> None:
    """List each member's delivery of bulletin NUMBER: sent, deferred, failed, uncertain,
    skipped, with addresses (private: for the coordinator, never published)."""
    lines = coordinator.delivery_lines(desk_from(ctx), plp, number)
    if not lines:
        click.echo(f"Bulletin {number} of PLP {plp} has not been sent to anyone yet.")
        return
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.status] = counts.get(line.status, 0) + 1
        detail = f"{line.code} " if line.code else ""
        detail += line.reason
        if line.next_attempt_at:
            detail += f" (next try {line.next_attempt_at:%Y-%m-%d %H:%M} UTC)"
        click.echo(f"{line.status:<10} {line.address}  {detail}".rstrip())
    click.echo(", ".join(f"{n} {status}" for status, n in counts.items()))


@bulletin.command()
@click.argument("plp")
@click.argument("number", type=int)
@click.option(
    "--delivered",
    multiple=True,
    metavar="ADDR",
    help="An uncertain member whose message the relay's log shows delivered (repeatable).",
)
@click.option(
    "--resend",
    multiple=True,
    metavar="ADDR",
    help="A failed, uncertain or skipped member to send to again (repeatable).",
)
@click.pass_context
@guarded
def resolve(
    ctx: click.Context, plp: str, number: int, delivered: tuple[str, ...], resend: tuple[str, ...]
) -> None:
    """Settle members of bulletin NUMBER by hand, after checking the mail relay's log.

    An uncertain member may or may not have received it: never resent on its own. Mark it
    --delivered, or --resend it (the next `plp bulletin send` does).
    """
    if not delivered and not resend:
        raise PlpError("name members with --delivered ADDR or --resend ADDR")
    changed = coordinator.resolve(desk_from(ctx), plp, number, delivered=delivered, resend=resend)
    click.echo(f"{changed} member(s) settled for bulletin {number} of PLP {plp}.")
    if resend:
        click.echo(f"Send to them with `plp bulletin send {plp} {number}`.")
