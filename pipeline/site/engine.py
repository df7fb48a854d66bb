"""Running Pelican once, with pelicanconf.py and the settings that make it build our site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import Pelican
from pelican.log import console
from pelican.settings import read_settings

from ..config import Config
from ..errors import PlpError
from . import plugin
from .builder import SiteBuild

# Pelican reads no content itself: messages come from our loaded Content (one parse, one
# model), its feeds are off (feedgen writes ours) and its direct templates (index, tags,
# archives…) are off: none of them belongs in our URL layout.
ENGINE_SETTINGS: dict[str, Any] = {
    "ARTICLE_PATHS": [],
    "PAGE_PATHS": [],
    "STATIC_PATHS": [],
    "THEME_STATIC_PATHS": [],  # theme assets are copied by the build, only when changed
    "DIRECT_TEMPLATES": [],
    "PAGINATED_TEMPLATES": {},
    "TAG_SAVE_AS": "",
    "TAGS_SAVE_AS": "",
    "CATEGORY_SAVE_AS": "",
    "CATEGORIES_SAVE_AS": "",
    "AUTHOR_SAVE_AS": "",
    "AUTHORS_SAVE_AS": "",
    "ARCHIVES_SAVE_AS": "",
    "YEAR_ARCHIVE_SAVE_AS": "",
    "MONTH_ARCHIVE_SAVE_AS": "",
    "DAY_ARCHIVE_SAVE_AS": "",
    "FEED_ATOM": None,
    "FEED_RSS": None,
    "FEED_ALL_ATOM": None,
    "FEED_ALL_RSS": None,
    "CATEGORY_FEED_ATOM": None,
    "CATEGORY_FEED_RSS": None,
    "TAG_FEED_ATOM": None,
    "TAG_FEED_RSS": None,
    "TRANSLATION_FEED_ATOM": None,
    "TRANSLATION_FEED_RSS": None,
    "AUTHOR_FEED_ATOM": None,
    "AUTHOR_FEED_RSS": None,
    "DELETE_OUTPUT_DIRECTORY": False,  # we remove stale files ourselves, keeping unchanged ones
    "CACHE_CONTENT": False,
    "LOAD_CONTENT_CACHE": False,
    "OUTPUT_SOURCES": False,
    "TEMPLATE_PAGES": {},
}


def pelican_settings(config: Config, build: SiteBuild) -> dict[str, Any]:
    """pelicanconf.py, then the paths from Config and the engine settings above."""
    conf = config.root / "pelicanconf.py"
    jinja = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True, "extensions": []}
    override = {
        **ENGINE_SETTINGS,
        "PATH": str(config.content_dir),
        "OUTPUT_PATH": str(config.output_dir),
        "THEME": str(config.theme_dir),
        "SITEURL": config.site_url,
        "PLUGINS": [plugin],
        "JINJA_ENVIRONMENT": jinja,
        plugin.BUILD_SETTING: build,
    }
    return read_settings(str(conf) if conf.exists() else None, override=override)


def run_pelican(config: Config, build: SiteBuild) -> None:
    """One Pelican run; its own summary line ("0 articles") would only confuse, so it is muted."""
    if not (config.theme_dir / "templates").is_dir():
        raise PlpError(
            f"no theme here ({config.theme_dir}) — a project needs plp's theme/ folder beside "
            "content/: copy it from plp's source"
        )
    Path(config.output_dir).mkdir(parents=True, exist_ok=True)
    settings = pelican_settings(config, build)
    quiet, console.quiet = console.quiet, True
    try:
        Pelican(settings).run()
    finally:
        console.quiet = quiet
