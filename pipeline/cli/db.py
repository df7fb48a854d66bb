"""`plp db upgrade`: bring the private database's schema up to date, saying what it did."""

from __future__ import annotations

import click

from .common import desk_from, guarded


@click.group()
def db() -> None:
    """The private database (SQLite under var/, or PostgreSQL with PLP_DATABASE_URL)."""


@db.command()
@click.pass_context
@guarded
def upgrade(ctx: click.Context) -> None:
    """Apply the pending schema steps and list them (every command also does this on opening
    the database; run it on its own before starting several senders or web services)."""
    store = desk_from(ctx).store
    for step in store.migrated:
        click.echo(f"Applied schema {step.version}: {step.summary}.")
    state = f"{store.backend.describe()}: schema {store.schema_version}"
    click.echo(f"{state}, up to date." if store.migrated else f"{state}, already up to date.")
