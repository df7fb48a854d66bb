"""`plp coordinator …`: the coordinators' console seen from the shell (sign-in links)."""

from __future__ import annotations

import click

from ..coordinator import sessions
from .common import desk_from, guarded


@click.group()
def coordinator() -> None:
    """The coordinators' console of `plp web`: sign-in links for operators."""


@coordinator.command()
@click.argument("email")
@click.pass_context
@guarded
def link(ctx: click.Context, email: str) -> None:
    """Print a one-time sign-in link to the console for EMAIL, a PLP's coordinator address.

    Valid 15 minutes and once; hand it only to the person who reads that address.
    """
    desk = desk_from(ctx)
    url = sessions.operator_link(desk, email)
    names = ", ".join(plp.slug for plp in sessions.plps_of(desk, email))
    click.echo(url)
    click.echo(f"Signs in {email} for {names}; valid 15 minutes, once.", err=True)
