"""`plp members …`: import, list, export, unsubscribe and erase the members of a PLP."""

from __future__ import annotations

import os
from pathlib import Path

import click

from .. import coordinator
from ..errors import ContentError, PlpError
from ..roster.importer import DEFAULT_CONSENT, StatedConsentError, StatedProblem
from ..state.privacy import FORMATS
from .common import desk_from, guarded


@click.group()
def members() -> None:
    """Keep a PLP's member list: import, list, export, unsubscribe, erase.

    Members are personal data: they stay in var/ (never in content/ or output/).
    """


@members.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--plp", "plp", required=True, metavar="SLUG", help="The PLP they join.")
@click.option(
    "--recorded-by",
    default="the coordinator",
    show_default=True,
    help="Who collected the consent (kept with each member).",
)
@click.option(
    "--consent-text",
    metavar="TEXT",
    help="The wording the members agreed to (kept with each member, with its version). "
    f"Default: {DEFAULT_CONSENT!r}, stored in each member's language (fr, nl, de, en).",
)
@click.option(
    "--consent-date",
    metavar="YYYY-MM-DD",
    help="When the members whose row gives no consent date agreed, stated by you for the "
    "whole sheet (needs --consent-text); their consent records say it was stated by the "
    "coordinator at import. Without it such rows are refused.",
)
@click.option(
    "--consent-method",
    metavar="TEXT",
    help="How they agreed, e.g. 'paper form at the general meeting'.",
)
@click.pass_context
@guarded
def import_(
    ctx: click.Context,
    file: Path,
    plp: str,
    recorded_by: str,
    consent_text: str | None,
    consent_method: str | None,
    consent_date: str | None,
) -> None:
    """Import the members spreadsheet FILE (CSV) into a PLP, all or nothing.

    Column names in French, Dutch or English (e-mail / courriel / e-mailadres, nom / naam,
    langue / taal, date du consentement / toestemming); ';' or ',' separated; UTF-8 or
    Windows-1252. Each row needs the date its person agreed, unless --consent-date and
    --consent-text state it for the sheet. Every rejected row is listed with its line; then
    nothing is imported.
    """
    try:
        report = coordinator.import_members(
            desk_from(ctx), file, plp, recorded_by, consent_text, consent_method, consent_date
        )
    except StatedConsentError as exc:
        raise PlpError(_STATED[exc.problem].format(value=exc.value)) from None
    except ContentError as exc:
        # Every rejected row, then (from `guarded`) "N problem(s) to fix; nothing was changed".
        raise ContentError(exc.problems) from None
    click.echo(report.summary())


_STATED = {
    StatedProblem.NOT_A_DATE: "--consent-date {value!r} is not a date — write it as YYYY-MM-DD, "
    "e.g. --consent-date 2025-03-14",
    StatedProblem.IN_THE_FUTURE: "--consent-date {value} is in the future — give the day the "
    "members agreed",
    StatedProblem.NO_TEXT: "--consent-date needs the wording they agreed to — add "
    '--consent-text "…"',
}


@members.command("list")
@click.option("--plp", "plp", required=True, metavar="SLUG", help="The PLP to list.")
@click.pass_context
@guarded
def list_(ctx: click.Context, plp: str) -> None:
    """List a PLP's members (erased ones are gone)."""
    found = coordinator.list_members(desk_from(ctx), plp)
    if not found:
        click.echo(
            f"No members in {plp} yet — import them with `plp members import FILE --plp {plp}`."
        )
        return
    width = max(len(m.email) for m in found)
    for m in found:
        click.echo(f"{m.id:>6}  {m.email:<{width}}  {m.language}  {m.status:<12}  {m.name}")
    active = sum(m.status == "active" for m in found)
    click.echo(f"{len(found)} member(s), {active} active")


@members.command("export")
@click.argument("email", required=False)
@click.option("--plp", "plp", metavar="SLUG", help="Export every member of this PLP instead.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (private: mode 600) instead of the terminal.",
)
@click.pass_context
@guarded
def export(
    ctx: click.Context, email: str | None, plp: str | None, fmt: str, output: Path | None
) -> None:
    """Export everything stored about EMAIL (right of access), or about a PLP's members."""
    text = coordinator.export(desk_from(ctx), email=email, plp=plp, fmt=fmt)
    if output is None:
        click.echo(text, nl=False)
        return
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # an existing file keeps its mode otherwise (e.g. readable by all)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
        out.write(text)
    click.echo(f"Wrote {output}")


@members.command("unsubscribe")
@click.argument("email", required=False)
@click.option(
    "--token",
    metavar="T",
    help="Apply a member's unsubscribe link: its token, or the whole link they forwarded.",
)
@click.option("--plp", "plp", metavar="SLUG", help="Only from this PLP (default: all of them).")
@click.pass_context
@guarded
def unsubscribe(ctx: click.Context, email: str | None, token: str | None, plp: str | None) -> None:
    """Unsubscribe EMAIL, or whoever an unsubscribe link's --token names."""
    if (email is None) == (token is None):
        raise PlpError("give either an EMAIL or --token T")
    desk = desk_from(ctx)
    if token is not None:
        member_id, token_plp, changed = coordinator.unsubscribe_token(desk, token, plp)
        who = f"member {member_id} of {token_plp}"
    else:
        changed = coordinator.unsubscribe(desk, email, plp)
        who = email
    click.echo(f"Unsubscribed {who}." if changed else f"{who} was already unsubscribed.")


@members.command("forget")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
@guarded
def forget(ctx: click.Context, email: str, yes: bool) -> None:
    """Erase EMAIL for good (right to erasure): name, address and consent, in every PLP.

    The send ledger keeps only a pseudonym, so a resumed send still never mails them again.
    """
    desk = desk_from(ctx)
    plps = coordinator.memberships(desk, email)
    if not plps:
        raise PlpError(f"no member with address {email!r} — nothing to erase")
    if not yes and not click.confirm(
        f"Erase {email} from {', '.join(plps)}? This cannot be undone"
    ):
        click.echo("Nothing was erased.")  # a considered no is not an error
        return
    erased = coordinator.forget(desk, email)
    click.echo(
        f"Erased {email} from {', '.join(erased.plps)}; "
        f"{erased.outbox_copies} message(s) removed from the outbox."
    )
