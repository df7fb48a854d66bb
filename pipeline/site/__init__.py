"""The public website and feeds: Pelican runs once, our generator renders our loaded content.

content = load_content(config)          # raises ContentError: the `plp check` problems
scope = make_scope(content, Targeting(content), today, only)
run_pelican(config, SiteBuild(config, scope, place_bulletins(config, scope, bulletins)))

The caller hands over the sent bulletins (`coordinator.site_bulletins`): the site never reads
private state.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable

from ..bulletin.web import WebBulletin
from ..config import Config
from ..content import load_content
from ..model import Content
from ..targeting import Targeting
from .builder import BuildReport, SiteBuild
from .bulletins import place_bulletins
from .scope import make_scope

__all__ = ["BuildReport", "build_site"]


def build_site(
    config: Config,
    only: Iterable[str] = (),
    content: Content | None = None,
    *,
    bulletins: Iterable[WebBulletin] = (),
) -> BuildReport:
    """Build output/ for every active PLP, or only the PLPs named in `only`.

    `content` is the already loaded and checked content, when the caller has it; `bulletins`
    the sent bulletins that get a page.
    """
    from .engine import run_pelican  # Pelican is imported only when a build runs

    started = time.perf_counter()
    content = content or load_content(config)
    scope = make_scope(content, Targeting(content), config.current_date(), only)
    build = SiteBuild(config, scope, place_bulletins(config, scope, bulletins))
    loaded = time.perf_counter()
    run_pelican(config, build)
    if build.report is None:  # a settings bug: the plugin was not loaded
        raise RuntimeError("Pelican did not run the PLP generator")
    pelican = time.perf_counter() - loaded - build.report.seconds
    phases = {"load": loaded - started, "pelican": pelican, **build.report.phases}
    return dataclasses.replace(build.report, phases=phases)
