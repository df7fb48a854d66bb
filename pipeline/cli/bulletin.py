"""`plp bulletin …`: draft a PLP's next bulletin and show it (test, approve, send come later)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..bulletin.assembly import find_plp
from ..bulletin.store import BulletinStore
from ..content import load_content
from ..errors import PlpError, relpath
from .common import config_from, guarded


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


@bulletin.command()
@click.argument("plp")
@click.option("--lang", "langs", multiple=True, help="Only this language (repeatable).")
@click.option("--note", "note_file", help="A Markdown file: the coordinator's note opening it.")
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
    config = config_from(ctx)
    note = None
    if note_file:
        path = Path(note_file)
        if not path.is_file():
            raise PlpError(f"{note_file}: no such note file — give the path of a Markdown file")
        try:
            note = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise PlpError(f"{note_file}: the note is not UTF-8 — save it as UTF-8") from None
    content = load_content(config)
    made = BulletinStore(config).draft(content, plp, langs=langs or None, note=note, on=on)
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
    config = config_from(ctx)
    store = BulletinStore(config)
    if number is None:
        latest = store.latest(plp)
        if latest is None:
            find_plp(load_content(config), plp)  # an unknown PLP says so, with suggestions
            raise PlpError(f"PLP {plp} has no bulletin yet — run `plp bulletin draft {plp}`")
        number = latest.number
    found = store.get(plp, number)
    click.echo(found.text(lang or found.languages[0]), nl=False)
