"""The members' face of the web service: join (double opt-in), leave (RFC 8058), preferences.

Each handler parses the request, calls the workflow layer (pipeline.coordinator) and renders a
page; the rules (what a sign-up is, who may leave, what an erasure removes) live there.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import request_response

from .. import urls
from ..coordinator import preferences as prefs
from ..coordinator import subscriptions
from ..coordinator.preferences import Purpose
from ..errors import PlpError
from ..i18n import gettext_for
from ..tokens import LinkError
from .guard import client_key, same_origin
from .pages import LANGUAGE_NAMES, reader_language

ONE_CLICK = "One-Click"
ONE_CLICK_BODY = b"List-Unsubscribe=One-Click"
"""RFC 8058's body as nearly every mailbox provider posts it (URL-encoded, nothing else)."""
URLENCODED = "application/x-www-form-urlencoded"


def _web(request: Request):
    return request.app.state.web


async def _form(request: Request) -> dict[str, str]:
    """A member's form: a few fields. URL-encoded ones (browsers, most one-click POSTs) go
    through the standard library's parser, several times cheaper than the multipart parser on
    the path mailbox providers hit by the thousand; multipart (RFC 8058's SHOULD) through that."""
    if _content_type(request) == URLENCODED:
        try:
            text = (await request.body()).decode("utf-8")
            return dict(parse_qsl(text, keep_blank_values=True, max_num_fields=10))
        except (UnicodeDecodeError, ValueError):  # not text, or too many fields
            return {}
    form = await request.form(max_files=0, max_fields=10)
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _content_type(request: Request) -> str:
    return request.headers.get("content-type", "").partition(";")[0].strip().lower()


def _csrf_ok(request: Request, form: dict[str, str]) -> bool:
    return _web(request).pages.forms.valid(form.get("csrf", ""), request.url.path)


def _refused(request: Request, lang: str | None = None) -> HTMLResponse:
    return _web(request).pages.message(
        lang or reader_language(request),
        "This form has expired",
        _t(lang or reader_language(request))(
            "Nothing was changed. Go back, reload the page and try again."
        ),
        status_code=403,
    )


def _bad_link(request: Request, error: LinkError) -> HTMLResponse:
    lang = reader_language(request)
    _ = _t(lang)
    if error.expired:
        title, text, code = "This link has expired", _("Nothing was changed."), 410
    else:
        title, code = "This link is not valid", 400
        text = _(
            "Nothing was changed. Copy the whole link from the e-mail, or write to the "
            "coordinator of your PLP."
        )
    return _web(request).pages.message(lang, title, text, status_code=code)


def _t(lang: str):
    return gettext_for(lang, "web")


# --- joining ----------------------------------------------------------------------------------


async def subscribe_form(request: Request) -> Response:
    """GET /subscribe/{plp}: the join form (the hub carries the same one)."""
    web = _web(request)
    try:
        plp = await run_in_threadpool(web.desk.plp, request.path_params["plp"])
    except PlpError:
        return _not_found(request)
    lang = subscriptions.language_for(plp, request.query_params.get("lang"))
    return _subscribe_page(request, plp, lang)


def _subscribe_page(request, plp, lang, *, error: str = "", status_code: int = 200):
    _ = _t(lang)
    action = urls.WEB_SUBSCRIBE.format(plp=plp.slug)
    intro = _("Receive the prevention bulletins of {plp} by e-mail; membership is free.")
    return _web(request).pages.render(
        "subscribe",
        lang,
        "Join the PLP",
        status_code,
        paragraphs=[error, intro.format(plp=plp.name(lang))]
        if error
        else [intro.format(plp=plp.name(lang))],
        error=bool(error),
        action=action,
        csrf=_web(request).pages.csrf(action),
        languages=[(code, LANGUAGE_NAMES[code]) for code in plp.languages],
    )


async def subscribe(request: Request) -> Response:
    """POST /subscribe/{plp}: the same answer whatever the address; 429 over a rate limit."""
    web = _web(request)
    form = await _form(request)
    try:
        plp = await run_in_threadpool(web.desk.plp, request.path_params["plp"])
    except PlpError:
        return _not_found(request)
    lang = subscriptions.language_for(plp, form.get("language"))
    _ = _t(lang)
    # The hub's static form cannot carry a fresh token: its browser's Origin header vouches.
    if not (_csrf_ok(request, form) or same_origin(request, web.origins)):
        return _refused(request, lang)
    if not web.subscribe_limit.allow(client_key(request)):
        return _too_many(request, lang)
    try:
        await run_in_threadpool(
            subscriptions.subscribe,
            web.desk,
            plp.slug,
            form.get("email", ""),
            form.get("name", ""),
            lang,
        )
    except subscriptions.UndeliverableAddress:
        error = _(
            "This address has accents or other non-ASCII letters before the @, which our "
            "e-mails cannot reach yet: use another address."
        )
        return _subscribe_page(request, plp, lang, error=error, status_code=400)
    except subscriptions.InvalidAddress:
        error = _("This is not an e-mail address: check it and try again.")
        return _subscribe_page(request, plp, lang, error=error, status_code=400)
    except subscriptions.TooManySignups:
        return _too_many(request, lang)
    return web.pages.message(
        lang,
        "Check your mailbox",
        _(
            "If the address is right, an e-mail is on its way to it. Open its link within 48 "
            "hours to confirm; until then, nothing is sent to you."
        ),
    )


def _too_many(request: Request, lang: str) -> Response:
    response = _web(request).pages.message(
        lang,
        "Too many requests",
        _t(lang)("Please try again in an hour. Nothing was sent."),
        status_code=429,
    )
    response.headers["Retry-After"] = "3600"
    return response


async def confirm_page(request: Request) -> Response:
    """GET /confirm/{token}: the consent text and one button (a GET never changes state)."""
    web = _web(request)
    try:
        found = await run_in_threadpool(
            subscriptions.pending, web.desk, request.path_params["token"]
        )
    except LinkError as error:
        return _bad_link(request, error)
    lang = found.signup.language
    _ = _t(lang)
    return web.pages.render(
        "confirm",
        lang,
        "Confirm your membership",
        paragraphs=[_("One last step to join {plp}:").format(plp=found.plp.name(lang))],
        consent_text=found.consent_text,
        action=request.url.path,
        csrf=web.pages.csrf(request.url.path),
    )


async def confirm(request: Request) -> Response:
    """POST /confirm/{token}: the member becomes active, with the consent they were shown."""
    web = _web(request)
    form = await _form(request)
    if not _csrf_ok(request, form):
        return _refused(request)
    try:
        member = await run_in_threadpool(
            subscriptions.confirm, web.desk, request.path_params["token"]
        )
    except LinkError as error:
        return _bad_link(request, error)
    lang = member.language
    _ = _t(lang)
    token = await run_in_threadpool(prefs.preferences_token, web.desk, member)
    return web.pages.render(
        "button",
        lang,
        "Welcome",
        paragraphs=[_("You are now a member: the next bulletin will reach you.")],
        links=[
            (
                _("Your preferences and your data"),
                urls.preferences_url(web.desk.config.web_url, token),
            )
        ],
    )


# --- leaving (RFC 8058) -----------------------------------------------------------------------


async def unsubscribe_page(request: Request) -> Response:
    """GET /unsubscribe/{token}: one "leave" button; mail scanners fetch links, so no change."""
    web = _web(request)
    try:
        found = await run_in_threadpool(
            prefs.member_for, web.desk, Purpose.UNSUBSCRIBE, request.path_params["token"]
        )
    except LinkError as error:
        return _bad_link(request, error)
    return _leave_page(request, found, done=not found.active)


def _leave_page(request: Request, found, *, done: bool) -> Response:
    web = _web(request)
    lang = found.member.language
    _ = _t(lang)
    plp_name = found.plp.name(lang)
    again = urls.subscribe_url(web.desk.config.web_url, found.plp.slug) + f"?lang={lang}"
    if done:
        return web.pages.render(
            "button",
            lang,
            "You have left the PLP",
            paragraphs=[_("You will receive no more bulletins from {plp}.").format(plp=plp_name)],
            links=[(_("Changed your mind? Join again"), again)],
        )
    return web.pages.render(
        "button",
        lang,
        "Leave the PLP",
        paragraphs=[_("Stop receiving the bulletins of {plp}?").format(plp=plp_name)],
        action=request.url.path,
        csrf=web.pages.csrf(request.url.path),
        button=_("Leave"),
    )


class FixedAnswer:
    """A plain-text answer made once and sent as often as asked: the one-click POST's, which
    mailbox providers fire by the thousand (a Response object, its headers and its encoding
    each time would cost more than the rest of the route's work in this thread)."""

    def __init__(self, text: str, status: int = 200):
        self.status, self.body = status, text.encode()
        self.headers = [
            (b"content-length", str(len(self.body)).encode()),
            (b"content-type", b"text/plain; charset=utf-8"),
        ]

    async def __call__(self, scope, receive, send) -> None:
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        await send({"type": "http.response.body", "body": self.body})


UNSUBSCRIBED = FixedAnswer("Unsubscribed.\n")
NOT_VALID = FixedAnswer("This unsubscribe link is not valid.\n", 400)


class OneClick:
    """POST /unsubscribe/{token} as a bare ASGI app: RFC 8058's exact body, URL-encoded, is
    answered here without a Request object or the form parser (after a national send mailbox
    providers fire thousands a second); any other body goes to `unsubscribe` as it came."""

    def __init__(self):
        self.fallback = request_response(unsubscribe)

    async def __call__(self, scope, receive, send) -> None:
        body, more = b"", True
        while more and len(body) <= len(ONE_CLICK_BODY):
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away: nothing to answer
            body += message.get("body", b"")
            more = message.get("more_body", False)
        if more or body != ONE_CLICK_BODY or _scope_content_type(scope) != URLENCODED:
            await self.fallback(scope, _replay(body, more, receive), send)
            return
        web = scope["app"].state.web
        try:
            await web.writes.run(
                prefs.leave, web.desk, Purpose.UNSUBSCRIBE, scope["path_params"]["token"]
            )
        except LinkError:
            await NOT_VALID(scope, receive, send)
            return
        await UNSUBSCRIBED(scope, receive, send)


def _scope_content_type(scope) -> str:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return value.decode("latin-1").partition(";")[0].strip().lower()
    return ""


def _replay(body: bytes, more: bool, receive):
    """A receive that gives back what was read already, then the rest of the request."""
    sent = False

    async def replay():
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": more}

    return replay


async def unsubscribe(request: Request) -> Response | FixedAnswer:
    """POST /unsubscribe/{token} (through OneClick): `List-Unsubscribe=One-Click` in any
    encoding (a mailbox provider) leaves at once — 200, no cookie, no redirect; the page's
    button (with its CSRF token) too."""
    web = _web(request)
    form = await _form(request)
    one_click = form.get("List-Unsubscribe") == ONE_CLICK
    if not one_click and not _csrf_ok(request, form):
        return _refused(request)
    try:
        found = await web.writes.run(
            prefs.leave, web.desk, Purpose.UNSUBSCRIBE, request.path_params["token"]
        )
    except LinkError as error:
        if one_click:
            return NOT_VALID
        return _bad_link(request, error)
    if one_click:
        return UNSUBSCRIBED
    return _leave_page(request, found, done=True)


# --- preferences ------------------------------------------------------------------------------


def _actions(path: str) -> dict[str, str]:
    return {name: f"{path}/{name}" for name in ("language", "leave", "data", "erase")}


async def preferences_page(request: Request, *, notice: str = "") -> Response:
    """GET /preferences/{token}: the member's own page (the one page showing their address)."""
    web = _web(request)
    try:
        found = await run_in_threadpool(
            prefs.member_for, web.desk, Purpose.PREFERENCES, request.path_params["token"]
        )
    except LinkError as error:
        return _bad_link(request, error)
    return _preferences(request, found, notice)


def _preferences(request: Request, found, notice: str = "") -> Response:
    web = _web(request)
    lang = found.member.language
    _ = _t(lang)
    base = urls.WEB_PREFERENCES.format(token=request.path_params["token"])
    actions = _actions(base)
    plp_name = found.plp.name(lang)
    status = _("active") if found.active else _("not receiving the bulletins")
    return web.pages.render(
        "preferences",
        lang,
        "Your preferences",
        paragraphs=[p for p in (_(notice) if notice else "", plp_name) if p],
        notice=bool(notice),
        member=found.member,
        status=status,
        active=found.active,
        languages=[(code, LANGUAGE_NAMES[code]) for code in found.plp.languages],
        actions=actions,
        csrf={name: web.pages.csrf(path) for name, path in actions.items()},
        subscribe_url=urls.subscribe_url(web.desk.config.web_url, found.plp.slug) + f"?lang={lang}",
    )


async def _checked(request: Request) -> tuple[dict[str, str], Response | None]:
    form = await _form(request)
    return form, None if _csrf_ok(request, form) else _refused(request)


async def change_language(request: Request) -> Response:
    """POST /preferences/{token}/language."""
    form, refused = await _checked(request)
    if refused:
        return refused
    try:
        found = await _web(request).writes.run(
            prefs.change_language,
            _web(request).desk,
            request.path_params["token"],
            form.get("language", ""),
        )
    except LinkError as error:
        return _bad_link(request, error)
    except PlpError:
        return _refused(request)
    return _preferences(request, found, "Saved.")


async def leave(request: Request) -> Response:
    """POST /preferences/{token}/leave."""
    _, refused = await _checked(request)
    if refused:
        return refused
    try:
        found = await _web(request).writes.run(
            prefs.leave, _web(request).desk, Purpose.PREFERENCES, request.path_params["token"]
        )
    except LinkError as error:
        return _bad_link(request, error)
    return _preferences(request, found, "You will receive no more bulletins.")


async def download(request: Request) -> Response:
    """POST /preferences/{token}/data: everything stored about the address, as JSON."""
    _, refused = await _checked(request)
    if refused:
        return refused
    try:
        data = await run_in_threadpool(
            prefs.export_mine, _web(request).desk, request.path_params["token"]
        )
    except LinkError as error:
        return _bad_link(request, error)
    return Response(
        data,
        media_type="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="my-plp-data.json"',
            "Cache-Control": "no-store",
        },
    )


async def erase_page(request: Request) -> Response:
    """GET /preferences/{token}/erase: what erasing means, and the one button that does it."""
    web = _web(request)
    try:
        found = await run_in_threadpool(
            prefs.member_for, web.desk, Purpose.PREFERENCES, request.path_params["token"]
        )
    except LinkError as error:
        return _bad_link(request, error)
    lang = found.member.language
    _ = _t(lang)
    return web.pages.render(
        "button",
        lang,
        "Erase my data",
        paragraphs=[
            _(
                "Your address, your name and your consent are removed from every PLP, with the "
                "copies of the bulletins sent to you. This cannot be undone."
            )
        ],
        action=request.url.path,
        csrf=web.pages.csrf(request.url.path),
        button=_("Erase my data"),
    )


async def erase(request: Request) -> Response:
    """POST /preferences/{token}/erase: the same erasure as `plp members forget`."""
    _, refused = await _checked(request)
    if refused:
        return refused
    web = _web(request)
    try:
        found = await run_in_threadpool(
            prefs.member_for, web.desk, Purpose.PREFERENCES, request.path_params["token"]
        )
        await run_in_threadpool(prefs.erase_me, web.desk, request.path_params["token"])
    except LinkError as error:
        return _bad_link(request, error)
    lang = found.member.language
    return web.pages.message(
        lang, "Your data is erased", _t(lang)("Nothing about you is kept any more.")
    )


def _not_found(request: Request) -> Response:
    lang = reader_language(request)
    return _web(request).pages.message(
        lang, "Page not found", _t(lang)("Check the address of the page."), status_code=404
    )
