"""`plp web`: the members' and coordinators' web service as one Starlette app — the route table
below is the whole of it; handlers are in one module per audience (members.py; coordinators.py
with roster.py)."""

from __future__ import annotations

import gc
from contextlib import asynccontextmanager
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import urls
from ..config import Config
from ..coordinator import Desk
from ..coordinator.sends import Sends
from ..coordinator.subscriptions import purge_expired
from . import coordinators as co
from . import members, roster
from .guard import Guard, RateLimit, origin_of
from .pages import Pages
from .writes import Writes

SUBSCRIBES_PER_CLIENT = (10, 3600.0)
"""Sign-ups one client address may post per hour (the per-address limit is the workflow's)."""

LINKS_PER_CLIENT = (10, 3600.0)
"""Sign-in links one client address may ask for per hour (per address: the workflow's)."""

P = urls.WEB_PREFERENCES
C = urls.WEB_CONSOLE
PLP = f"{C}/{{plp}}"

ROUTES = [
    # First: the router tries the routes in turn, and after a national send this one is most
    # of the traffic (mailbox providers' RFC 8058 one-click POSTs).
    Route(urls.WEB_UNSUBSCRIBE, members.OneClick(), methods=["POST"]),
    Route(urls.WEB_SUBSCRIBE, members.subscribe_form, methods=["GET"]),
    Route(urls.WEB_SUBSCRIBE, members.subscribe, methods=["POST"]),
    Route(urls.WEB_CONFIRM, members.confirm_page, methods=["GET"]),
    Route(urls.WEB_CONFIRM, members.confirm, methods=["POST"]),
    Route(urls.WEB_UNSUBSCRIBE, members.unsubscribe_page, methods=["GET"]),
    Route(P, members.preferences_page, methods=["GET"]),
    Route(f"{P}/language", members.change_language, methods=["POST"]),
    Route(f"{P}/leave", members.leave, methods=["POST"]),
    Route(f"{P}/data", members.download, methods=["POST"]),
    Route(f"{P}/erase", members.erase_page, methods=["GET"]),
    Route(f"{P}/erase", members.erase, methods=["POST"]),
    # The coordinators' console: every {plp} route answers 404 for a PLP not the signed-in one's.
    Route(f"{C}/", co.home, methods=["GET"]),
    Route(f"{C}/", co.request_link, methods=["POST"]),
    Route(urls.WEB_SIGNIN, co.signin_page, methods=["GET"]),
    Route(urls.WEB_SIGNIN, co.signin, methods=["POST"]),
    Route(f"{C}/signout", co.signout, methods=["POST"]),
    Route(f"{PLP}/", co.plp_page, methods=["GET"]),
    Route(f"{PLP}/preview/{{lang}}", co.preview, methods=["GET"]),
    Route(f"{PLP}/draft", co.redraft, methods=["POST"]),
    Route(f"{PLP}/test", co.test_copy, methods=["POST"]),
    Route(f"{PLP}/approve", co.approve, methods=["POST"]),
    Route(f"{PLP}/send", co.send_page, methods=["GET"]),
    Route(f"{PLP}/send", co.send, methods=["POST"]),
    Route(f"{PLP}/members", roster.members_page, methods=["GET"]),
    Route(f"{PLP}/members/import", roster.import_sheet, methods=["POST"]),
    Route(f"{PLP}/members/{{member:int}}/unsubscribe", roster.unsubscribe, methods=["POST"]),
    Route(f"{PLP}/members/{{member:int}}/erase", roster.erase_page, methods=["GET"]),
    Route(f"{PLP}/members/{{member:int}}/erase", roster.erase, methods=["POST"]),
    Route(f"{PLP}/members.csv", roster.download, methods=["GET"]),
    Route(f"{PLP}/audit", roster.audit, methods=["GET"]),
]


@dataclass
class WebState:
    """What every request works with: one desk (content, store, mailer), pages, limits, and
    the console's sends running in this process."""

    desk: Desk
    pages: Pages
    subscribe_limit: RateLimit
    origins: tuple[str, ...]
    """Origins a join form may be posted from without a token: the site's and ours."""
    link_limit: RateLimit
    sends: Sends
    writes: Writes
    """Short store writes (leaving, a language), many to a commit."""


def create_app(config: Config, *, serve_site: bool | None = None) -> Starlette:
    """The ASGI app. serve_site (default: when output/ exists) also serves the built site."""
    desk = Desk(config)
    state = WebState(
        desk,
        Pages(config),
        RateLimit(*SUBSCRIBES_PER_CLIENT),
        (origin_of(config.site_url), origin_of(config.web_url)),
        RateLimit(*LINKS_PER_CLIENT),
        # A send has its own connection and mailer; the content is the one already loaded.
        Sends(lambda: Desk(config, content=desk.content)),
        Writes(lambda: desk.store),
    )
    routes = [
        *ROUTES,
        Mount(urls.WEB_STATIC, app=StaticFiles(directory=config.theme_dir / "static")),
    ]
    if serve_site is None:
        serve_site = config.output_dir.is_dir()
    if serve_site:
        routes.append(Mount("/", app=StaticFiles(directory=config.output_dir, html=True)))

    @asynccontextmanager
    async def lifespan(app):
        desk.content  # noqa: B018 — load and check the content before the first request
        purge_expired(desk)
        # What is loaded by now (content, templates, catalogs) lives as long as the process:
        # out of the collector's sight, a full collection no longer walks it mid-burst.
        gc.freeze()
        yield
        state.writes.close()
        desk.close()

    app = Starlette(routes=routes, middleware=[Middleware(Guard)], lifespan=lifespan)
    app.state.web = state
    return app
