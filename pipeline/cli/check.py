"""`plp check`: validate content and configuration, reporting every problem at once."""

from __future__ import annotations

import sys

import click

from ..content import read_content
from ..errors import PlpError, Severity
from ..state import describe_state
from ..targeting import Targeting
from .common import config_from, guarded


@click.command()
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.pass_context
@guarded
def check(ctx: click.Context, strict: bool) -> None:
    """Validate content/ and the configuration; list every problem as file:line."""
    config = config_from(ctx)  # a bad setting or an unusable DKIM key stops here, listed
    content, problems = read_content(config.content_dir)
    errors = [p for p in problems if strict or p.severity is Severity.ERROR]
    for problem in problems:
        click.secho(str(problem), err=True, fg="red" if problem in errors else "yellow")
    try:  # reached, and not written by a newer plp; its schema is left as it is
        state, unusable = describe_state(config), None
    except PlpError as error:  # one line of its own, whatever else is wrong
        click.secho(f"Error: {error}", fg="red", err=True)
        unusable = error
    if errors:
        count = len(errors) + (unusable is not None)
        click.echo(f"{count} problem(s) to fix; nothing was changed.", err=True)
        sys.exit(1)
    if unusable:
        sys.exit(1)
    targeting = Targeting(content)
    today = config.current_date()
    reached = sum(1 for m in content.messages if m.in_force(today) and targeting.plps_for(m.key))
    active = sum(1 for plp in content.plps.values() if plp.active)
    inactive = len(content.plps) - active
    plps = f"{active} active PLPs" + (f" (and {inactive} inactive)" if inactive else "")
    click.echo(
        f"OK: {plps} in {len(content.zones)} police zones, "
        f"{len(content.messages)} messages ({reached} in force today), "
        f"{len(content.pages)} pages."
    )
    click.echo(f"Private state: {state}.")
