"""One site build: scope → pages, feeds, sitemap, assets → output/ (only changed bytes)."""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from .. import i18n, markup, urls
from .. import views as shared_views
from ..config import Config
from ..markup import render_markdown
from .bulletins import WebBulletin
from .feeds import all_feeds, render_feed
from .fingerprint import Digests, Fingerprints, files_digest
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
    """Time in our generator (rendering and writing), without loading or Pelican."""
    phases: dict[str, float] = field(default_factory=dict)
    """Seconds per phase: load, markdown, contexts, fingerprints, jinja, feedgen, disk."""


class SiteBuild:
    """Everything one build needs; the Pelican generator calls `write` with its Jinja env."""

    def __init__(self, config: Config, scope: Scope, bulletins: list[WebBulletin]):
        self.config = config
        self.scope = scope
        self.bulletins = bulletins
        self.report: BuildReport | None = None

    def write(self, env: Environment, retain: tuple[str, ...] = ()) -> BuildReport:
        """Render and write the whole site into config.output_dir."""
        started = time.perf_counter()
        config, scope = self.config, self.scope
        spent: dict[str, float] = defaultdict(float)

        @contextmanager
        def phase(name: str) -> Iterator[None]:
            begin = time.perf_counter()
            try:
                yield
            finally:
                spent[name] += time.perf_counter() - begin

        def timed(name: str, func: Callable) -> Callable:
            def run(*args):
                with phase(name):
                    return func(*args)

            return run

        output = Output(config.output_dir, retain)
        try:
            write, keep = timed("disk", output.write), output.keep
            cache_dir = config.cache_dir / "site"
            cache = RenderCache(cache_dir / "markdown.json", _renderer_version())
            # Fingerprints describe the files of one output folder: one record per folder.
            folder = hashlib.sha1(str(config.output_dir.resolve()).encode()).hexdigest()[:12]
            known = Fingerprints(cache_dir / f"pages-{folder}.json", self._salt())
            digests = Digests()
            fingerprint = timed("fingerprints", lambda value: digests.of(value))
            unchanged = timed(
                "fingerprints", lambda path, key: known.unchanged(path, key, output.root)
            )
            markdown = timed("markdown", render_markdown)
            with phase("markdown"):
                cache.prefill((m.body for m in scope.messages), render_markdown)
            views = Views(scope.content, scope.today, lambda src: cache.get(src, markdown))
            renderer = Renderer(env, scope, config.site_url, config.site_name, config.web_url)
            render = timed("jinja", renderer.render)
            with phase("contexts"):
                pages = list(all_pages(scope, views, self.bulletins, config.site_name))
            languages = set(scope.languages)
            for page in pages:
                head = page.path.split("/", 1)[0]
                lang = head if head in languages else scope.languages[0]
                if unchanged(page.path, fingerprint((lang, page))):
                    keep(page.path)
                else:
                    write(page.path, render(page, lang))
            feeds, stale = 0, []
            with phase("contexts"):
                specs = list(all_feeds(scope, views))
            for spec in specs:
                feeds += 2
                key = fingerprint(spec)
                if all([unchanged(spec.rss, key), unchanged(spec.atom, key)]):
                    keep(spec.rss)
                    keep(spec.atom)
                else:
                    stale.append(spec)
            # Sequential on purpose: shipping the entries' HTML to worker processes cost more
            # (3.2 s) than building the national feeds here (1.7 s).
            for spec in stale:
                rss, atom = timed("feedgen", render_feed)(spec, config.site_url, config.timezone)
                write(spec.rss, rss)
                write(spec.atom, atom)
            write(urls.SITEMAP, sitemap(pages, config.site_url))
            for asset in sorted((config.theme_dir / "static").rglob("*")):
                if asset.is_file():
                    rel = asset.relative_to(config.theme_dir / "static").as_posix()
                    write(urls.asset(rel), asset.read_bytes())
            with phase("disk"):
                removed = output.commit()
        except BaseException:
            output.discard()  # a failed build leaves output/ as the last good one left it
            raise
        with phase("disk"):
            cache.save(prune=not scope.partial)
            known.save(keep_old=scope.partial)
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
            phases=dict(spent),
        )
        return self.report

    def _salt(self) -> str:
        """What every page depends on besides its context: code, theme, catalogs, settings."""
        site_code = Path(__file__).parent
        sources = [
            *site_code.glob("*.py"),
            *(self.config.theme_dir / "templates").rglob("*"),
            *i18n.LOCALE_DIR.rglob("*.po"),
            # Core modules pages are made with (urls and views left site/ for bulletins to share).
            *(Path(module.__file__) for module in (urls, shared_views, i18n, markup)),
        ]
        pages = sorted((p.key, p.lang) for p in self.scope.content.pages)
        settings = (
            self.config.site_url,
            self.config.site_name,
            self.config.web_url,
            self.config.timezone,
            pages,
        )
        return files_digest(p for p in sources if p.is_file()) + repr(settings)


def _renderer_version() -> str:
    """Fingerprint of the Markdown renderer: a change to it invalidates cached renderings."""
    return hashlib.sha256(Path(markup.__file__).read_bytes()).hexdigest()[:16]
