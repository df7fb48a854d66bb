"""`plp members …`: import, list, export, unsubscribe and erase the members of a PLP."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from ..config import Config
from ..errors import ContentError, PlpError
from ..mailing.importer import DEFAULT_CONSENT
from ..mailing.mailer import OutboxMailer
from ..mailing.members import MemberStore
from ..mailing.privacy import FORMATS
from ..mailing.tokens import UnsubscribeTokens
from ..registry import read_plps
from .common import config_from, guarded


@contextmanager
def _store(ctx: click.Context) -> Iterator[tuple[Config, MemberStore]]:
    config = config_from(ctx)
    store = MemberStore(config)
    try:
        yield config, store
    finally:
        store.close()


def _plp_languages(config: Config, slug: str) -> tuple[str, ...]:
    """The languages of a PLP, from the registry (no need to read every message)."""
    plps, problems = read_plps(config.content_dir / "registry" / "plps.yaml", None)
    if problems:
        raise ContentError(problems)
    if slug not in plps:
        close = difflib.get_close_matches(slug, list(plps), n=3, cutoff=0.8)
        hint = f"did you mean {', '.join(close)}?" if close else "check the slug in plps.yaml"
        raise PlpError(f"unknown PLP {slug!r} — {hint}")
    return plps[slug].languages


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
) -> None:
    """Import the members spreadsheet FILE (CSV) into a PLP, all or nothing.

    Column names in French, Dutch or English (e-mail / courriel / e-mailadres, nom / naam,
    langue / taal, date du consentement / toestemming); ';' or ',' separated; UTF-8 or
    Windows-1252. Every rejected row is listed with its line; then nothing is imported.
    """
    with _store(ctx) as (config, store):
        languages = _plp_languages(config, plp)
        try:
            report = store.import_csv(
                file, plp, languages, recorded_by, consent_text, consent_method=consent_method
            )
        except ContentError as exc:
            # Every rejected row, then (from `guarded`) "N problem(s) to fix; nothing was changed".
            raise ContentError(exc.problems) from None
    click.echo(report.summary())


@members.command("list")
@click.option("--plp", "plp", required=True, metavar="SLUG", help="The PLP to list.")
@click.pass_context
@guarded
def list_(ctx: click.Context, plp: str) -> None:
    """List a PLP's members (erased ones are gone)."""
    with _store(ctx) as (config, store):
        _plp_languages(config, plp)
        found = store.list(plp)
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
    if (email is None) == (plp is None):
        raise PlpError(
            "give either an EMAIL or --plp SLUG — e.g. `plp members export "
            "jan@example.org` or `plp members export --plp bergveld-centrum`"
        )
    with _store(ctx) as (_, store):
        text = store.export(plp=plp, email=email, fmt=fmt)
    if output is None:
        click.echo(text, nl=False)
        return
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
        out.write(text)
    click.echo(f"Wrote {output}")


@members.command("unsubscribe")
@click.argument("email", required=False)
@click.option("--token", metavar="T", help="Apply the token of a member's unsubscribe link.")
@click.option("--plp", "plp", metavar="SLUG", help="Only from this PLP (default: all of them).")
@click.pass_context
@guarded
def unsubscribe(ctx: click.Context, email: str | None, token: str | None, plp: str | None) -> None:
    """Unsubscribe EMAIL, or whoever an unsubscribe link's --token names."""
    if (email is None) == (token is None):
        raise PlpError("give either an EMAIL or --token T")
    with _store(ctx) as (config, store):
        if token is not None:
            member_id, token_plp = UnsubscribeTokens.from_config(config).read_token(token, plp)
            changed = store.unsubscribe_member(member_id, token_plp)
            who = f"member {member_id} of {token_plp}"
        else:
            changed = store.unsubscribe(email, plp)
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
    with _store(ctx) as (config, store):
        found = store.find(email)
        if not found:
            raise PlpError(f"no member with address {email!r} — nothing to erase")
        plps = ", ".join(sorted({m.plp for m in found}))
        if not yes:
            click.confirm(f"Erase {email} from {plps}? This cannot be undone", abort=True)
        erasure = store.forget(email)
        removed = 0
        if config.outbox_dir.exists():
            removed = OutboxMailer(config.outbox_dir).discard(erasure.pseudonym)
    click.echo(f"Erased {email} from {plps}; {removed} message(s) removed from the outbox.")
