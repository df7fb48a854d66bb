"""The site's URL layout, in one place: pages, feeds, sitemap and bulletins all ask here."""

from __future__ import annotations

from .model import Category

# Every path is relative to output/ and names a file: pages are `…/index.html`, so the site also
# works opened from disk (file://), where a folder link would not find its index.
ROOT = "index.html"
SITEMAP = "sitemap.xml"
NOT_FOUND = "404.html"
"""What the web server answers for a missing page (nginx `error_page 404 /404.html;`)."""
ASSETS = "theme"
STATIC_PAGES = ("about", "report", "privacy")


def home(lang: str) -> str:
    """The language home."""
    return f"{lang}/index.html"


def directory(lang: str) -> str:
    """The PLP directory (search by commune or postcode)."""
    return f"{lang}/plp/index.html"


def hub(lang: str, slug: str) -> str:
    """A PLP's home in one of its languages."""
    return f"{lang}/plp/{slug}/index.html"


def plp_feed(lang: str, slug: str, kind: str = "rss") -> str:
    """feed.xml (RSS 2.0) or atom.xml beside the hub."""
    return f"{lang}/plp/{slug}/{'feed' if kind == 'rss' else 'atom'}.xml"


def bulletin(lang: str, slug: str, number: int) -> str:
    """The web version of a sent bulletin."""
    return f"{lang}/plp/{slug}/bulletins/{number}/index.html"


def message(lang: str, key: str) -> str:
    """One message in one language."""
    return f"{lang}/messages/{key}/index.html"


def category(lang: str, category: Category | str) -> str:
    """A category's archive page."""
    return f"{lang}/categories/{category}/index.html"


def category_feed(lang: str, category: Category | str, kind: str = "rss") -> str:
    """feed.xml or atom.xml beside a category page."""
    return f"{lang}/categories/{category}/{'feed' if kind == 'rss' else 'atom'}.xml"


def page(lang: str, key: str) -> str:
    """A static page (about, report, privacy)."""
    return f"{lang}/{key}/index.html"


def asset(name: str) -> str:
    """A file from theme/static."""
    return f"{ASSETS}/{name}"


def relative(target: str, source: str) -> str:
    """The link from page `source` to `target`, both relative to output/ (no `..` inside).

    Hand-rolled: posixpath.relpath resolves both against the working directory, and a
    national build asks this ~100,000 times (it was a fifth of the render time).
    """
    here = source.split("/")[:-1]
    there = target.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "../" * (len(here) - common) + "/".join(there[common:])


def absolute(site_url: str, path: str) -> str:
    """The public URL of an output file; folder indexes are shown as the folder (pretty URLs).

    What leaves the site (feeds, sitemap, e-mail) links with this, never with its own f-string,
    so a change of layout reaches every output at once.
    """
    if path == ROOT:
        return f"{site_url}/"
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return f"{site_url}/{path}"


# --- The members' web service (`plp web`) -------------------------------------------------------
# Not part of output/: its own base URL (Config.web_url), a path per endpoint, a token or a PLP
# slug in the path — never an address. The route table (pipeline/web/app.py) is built from the
# same patterns, so a link and the route it reaches cannot drift apart.

WEB_SUBSCRIBE = "/subscribe/{plp}"
WEB_CONFIRM = "/confirm/{token}"
WEB_UNSUBSCRIBE = "/unsubscribe/{token}"
WEB_PREFERENCES = "/preferences/{token}"
WEB_STATIC = "/static"
WEB_CONSOLE = "/coordinator"
WEB_SIGNIN = "/coordinator/signin/{token}"


def web(base: str, pattern: str, **values: str) -> str:
    """The public URL of one endpoint of the web service: `web(config.web_url, WEB_CONFIRM,
    token=t)`."""
    return base.rstrip("/") + pattern.format(**values)


def subscribe_url(base: str, plp: str) -> str:
    """Where a hub's join form posts."""
    return web(base, WEB_SUBSCRIBE, plp=plp)


def confirm_url(base: str, token: str) -> str:
    """The link of the confirmation e-mail (double opt-in)."""
    return web(base, WEB_CONFIRM, token=token)


def unsubscribe_url(base: str, token: str) -> str:
    """The one-click link of every bulletin (List-Unsubscribe, RFC 8058, and the footer)."""
    return web(base, WEB_UNSUBSCRIBE, token=token)


def preferences_url(base: str, token: str) -> str:
    """A member's own page: language, leave, download my data, erase me."""
    return web(base, WEB_PREFERENCES, token=token)


def signin_url(base: str, token: str) -> str:
    """A coordinator's one-time sign-in link."""
    return web(base, WEB_SIGNIN, token=token)
