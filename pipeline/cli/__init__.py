"""The `plp` command line: a thin layer over the pipeline library."""

from __future__ import annotations

import sys

import click

from .. import __version__
from .build import build
from .bulletin import bulletin
from .check import check
from .coordinator import coordinator
from .db import db
from .members import members
from .publish import publish
from .serve import serve
from .web import web


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True),
    default=None,
    help="Project folder holding pelicanconf.py and content/ (default: current folder).",
)
@click.version_option(__version__, prog_name="plp")
@click.pass_context
def cli(ctx: click.Context, root: str | None) -> None:
    """Publish non-urgent prevention messages for Local Prevention Partnerships (PLP/BIN).

    Facts and suspicious behaviour are never reported through plp: call the police on 101,
    or 112 in an emergency.
    """
    ctx.ensure_object(dict)["root"] = root


for command in (check, build, serve, web, bulletin, members, coordinator, publish, db):
    cli.add_command(command)


def main() -> None:
    """Console entry point: a user's mistake, even in the command line itself, exits with 1."""
    try:
        cli.main(prog_name="plp", standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:  # usage errors too (click's own exit code is 2)
        error.show()
        sys.exit(1)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
