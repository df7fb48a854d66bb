"""What every command shares: loading the configuration and turning PlpError into exit 1."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..config import Config, load_config
from ..coordinator import Desk
from ..errors import ContentError, PlpError

INCOMPLETE = 3
"""Exit code of a send or publish that left members failed, uncertain, skipped or deferred
(1 is a user's error, 0 means everybody got it)."""


def fail(error: PlpError) -> None:
    """Print a user's error as one line per problem, never a traceback, and exit 1."""
    if isinstance(error, ContentError):
        for problem in error.problems:
            click.secho(str(problem), fg="red", err=True)
        click.echo(f"{len(error.problems)} problem(s) to fix; nothing was changed.", err=True)
    else:
        click.secho(f"Error: {error}", fg="red", err=True)
    sys.exit(1)


def guarded(command: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command; a PlpError becomes a clear message and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except PlpError as error:
            fail(error)

    return wrapper


def config_from(ctx: click.Context) -> Config:
    """The Config for this invocation, loaded once (from --root or the current folder)."""
    obj = ctx.ensure_object(dict)
    if "config" not in obj:
        config = load_config(Path(obj.get("root") or Path.cwd()))
        if not config.content_dir.is_dir():
            raise PlpError(
                f"no content/ here ({config.content_dir}) — run plp in a project folder "
                "(pelicanconf.py, content/, theme/), or name it with --root"
            )
        obj["config"] = config
    return obj["config"]


def desk_from(ctx: click.Context) -> Desk:
    """The workflow's resources for this command, closed when the command ends."""
    return ctx.with_resource(Desk(config_from(ctx)))
