"""`plp web`: the members' web service and the coordinators' console."""

from __future__ import annotations

import logging

import click

from .common import config_from, guarded


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, help="Port to listen on.")
@click.pass_context
@guarded
def web(ctx: click.Context, host: str, port: int) -> None:
    """Serve the members' web service, the coordinators' console (/coordinator/) and output/
    (when built) on http://HOST:PORT.

    In production run it behind a reverse proxy that terminates HTTPS and set PLP_WEB_URL to
    its public address. The log names routes, never addresses or tokens. Ctrl+C stops.
    """
    import uvicorn

    from ..web import create_app

    config = config_from(ctx)
    app = create_app(config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    click.echo(f"plp web on http://{host}:{port}/ (public address {config.web_url}) — Ctrl+C")
    # No access log: uvicorn's names the path, which holds a token; Guard logs the route.
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="info")
