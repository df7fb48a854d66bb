"""`plp build`: the public site and feeds in output/ (all PLPs, or a few with --plp)."""

from __future__ import annotations

import click

from .. import coordinator
from ..errors import relpath
from .common import desk_from, guarded


@click.command()
@click.option(
    "--plp",
    "plps",
    multiple=True,
    metavar="SLUG",
    help="Build only this PLP's site (repeatable): output/ then holds just its hub, messages "
    "and the pages they link to, e.g. for a coordinator hosting one PLP.",
)
@click.pass_context
@guarded
def build(ctx: click.Context, plps: tuple[str, ...]) -> None:
    """Check content/, then write the website, feeds and sitemap to output/.

    A content error stops the build with the same file:line report as `plp check`.
    """
    desk = desk_from(ctx)
    config = desk.config
    click.echo("Checking content/ and building the site…", err=True)  # a national build: ~10 s
    report = coordinator.build(desk, plps)
    click.echo(
        f"Built {_count(report.pages, 'page')} and {_count(report.feeds, 'feed')} for "
        f"{_count(report.plps, 'PLP')}, {_count(report.messages, 'message')} "
        f"({', '.join(report.languages)}) in "
        f"{relpath(config.output_dir)}: {report.written} written, {report.unchanged} unchanged, "
        f"{report.removed} removed, {report.seconds:.1f} s."
    )


def _count(number: int, noun: str) -> str:
    """`1 PLP`, `2 PLPs`: English CLI output, regular plurals only."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
