"""One site build: scope → pages, feeds, sitemap, assets → output/ (only changed bytes)."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from .. import markup
from ..config import Config
from ..markup import render_markdown
from . import urls
from .bulletins import WebBulletin
from .feeds import all_feeds
from .output import Output, RenderCache
from .pages import all_pages
from .render import Renderer
from .scope import Scope
from .sitemap import sitemap
from .views import Views


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the command line and the benchmark."""

    pages: int
    feeds: int
    files: int
    written: int
    unchanged: int
    removed: int
    languages: tuple[str, ...]
    plps: int
    messages: int
    seconds: float


class SiteBuild:
    """Everything one build needs; the Pelican generator calls `write` with its Jinja env."""

    def __init__(self, config: Config, scope: Scope, bulletins: list[WebBulletin]):
        self.config = config
        self.scope = scope
        self.bulletins = bulletins
        self.report: BuildReport | None = None

    def write(self, env: Environment) -> BuildReport:
        """Render and write the whole site into config.output_dir."""
        started = time.perf_counter()
        config, scope = self.config, self.scope
        output = Output(config.output_dir)
        cache = RenderCache(config.root / "cache" / "site" / "markdown.json", _renderer_version())
        views = Views(scope.content, scope.today, lambda src: cache.get(src, render_markdown))
        renderer = Renderer(env, scope, config.site_url, config.site_name)
        pages = list(all_pages(scope, views, self.bulletins, config.site_name))
        languages = set(scope.languages)
        for page in pages:
            head = page.path.split("/", 1)[0]
            lang = head if head in languages else scope.languages[0]
            output.write(page.path, renderer.render(page, lang))
        feeds = 0
        for path, data in all_feeds(scope, views, config.site_url, config.timezone):
            output.write(path, data)
            feeds += 1
        output.write(urls.SITEMAP, sitemap(pages, config.site_url))
        for asset in sorted((config.theme_dir / "static").rglob("*")):
            if asset.is_file():
                rel = asset.relative_to(config.theme_dir / "static").as_posix()
                output.write(urls.asset(rel), asset.read_bytes())
        removed = output.remove_stale()
        cache.save(prune=not scope.partial)
        self.report = BuildReport(
            pages=len(pages),
            feeds=feeds,
            files=output.total,
            written=output.written,
            unchanged=output.unchanged,
            removed=removed,
            languages=scope.languages,
            plps=len(scope.plps),
            messages=len(scope.messages),
            seconds=time.perf_counter() - started,
        )
        return self.report


def _renderer_version() -> str:
    """Fingerprint of the Markdown renderer: a change to it invalidates cached renderings."""
    return hashlib.sha256(Path(markup.__file__).read_bytes()).hexdigest()[:16]
