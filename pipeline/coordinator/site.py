"""The public site as the workflow sees it: built from the content and the bulletins that went
out, and checked for the pages a bulletin links to."""

from __future__ import annotations

from collections.abc import Iterable

from .. import urls
from ..bulletin.store import Draft
from ..bulletin.web import WebBulletin, web_editions
from ..site import build_site
from ..site.builder import BuildReport
from .desk import Desk


def site_bulletins(desk: Desk) -> list[WebBulletin]:
    """The web versions of every bulletin that went out (the site never reads var/ itself)."""
    return list(web_editions(desk.bulletins.sent()))


def build(desk: Desk, only: Iterable[str] = ()) -> BuildReport:
    """Build output/ from the content and the bulletins that went out."""
    return build_site(desk.config, only, desk.content, bulletins=site_bulletins(desk))


def linked_pages(draft: Draft, *, web_version: bool = True) -> list[str]:
    """The pages under output/ that the bulletin's links point to."""
    pages = []
    for edition in draft.editions:
        pages += [urls.message(edition.lang, i.rpartition(".")[0]) for i in edition.message_ids]
        if web_version:
            pages.append(urls.bulletin(edition.lang, draft.plp, draft.number))
    return pages


def missing_pages(desk: Desk, draft: Draft, *, web_version: bool = True) -> list[str]:
    """Linked pages output/ does not hold yet: a reader clicking them would find nothing."""
    root = desk.config.output_dir
    return [
        page for page in linked_pages(draft, web_version=web_version) if not (root / page).is_file()
    ]
