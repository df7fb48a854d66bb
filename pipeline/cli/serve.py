"""`plp serve`: preview the site locally, rebuilding when content/ or theme/ changes."""

from __future__ import annotations

import click

from .. import coordinator
from ..errors import PlpError
from ..site.serve import start_server, watch
from .common import config_from, guarded


@click.command()
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.option("--plp", "plps", multiple=True, metavar="SLUG", help="Only these PLPs.")
@click.pass_context
@guarded
def serve(ctx: click.Context, port: int, plps: tuple[str, ...]) -> None:
    """Build, serve output/ on http://127.0.0.1:PORT and rebuild on every change (Ctrl+C stops).

    The first build must succeed; later content errors are shown and the last good site stays.
    """
    config = config_from(ctx)

    def build():
        # A fresh desk each time: the content and the sent bulletins are read anew.
        with coordinator.Desk(config) as desk:
            return coordinator.build(desk, plps)

    report = build()
    click.echo(f"Built {report.pages} pages in {report.seconds:.1f} s.")
    try:
        server = start_server(config.output_dir, "127.0.0.1", port)
    except OSError as exc:
        raise PlpError(
            f"cannot serve on 127.0.0.1:{port} ({exc.strerror}) — stop what runs there, or "
            "choose another port with --port"
        ) from None
    click.echo(f"Serving {config.output_dir} on http://127.0.0.1:{port}/ — Ctrl+C to stop.")

    def rebuild() -> None:
        try:
            again = build()
        except PlpError as error:
            click.secho(f"Not rebuilt:\n{error}", fg="red", err=True)
            return
        click.echo(f"Rebuilt: {again.written} file(s) changed in {again.seconds:.1f} s.")

    try:
        watch([config.content_dir, config.theme_dir], rebuild)
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.shutdown()
