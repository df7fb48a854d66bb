"""The coordinators' face of the web service: sign in by e-mail link, then each of their PLPs'
next bulletin, its send, its members and its audit log.

Each handler parses the request, calls the workflow layer (pipeline.coordinator.console and
.sessions) and renders a page; another PLP's URLs answer 404 like unknown ones.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from .. import urls
from ..coordinator import console, sessions
from ..coordinator.sending import delivery_lines
from ..errors import ContentError, PlpError, Problem
from ..i18n import N_, gettext_for
from ..model import Plp
from ..state.ledger import LedgerStatus
from ..tokens import LinkError
from .guard import SECURITY_HEADERS, client_key
from .pages import LANGUAGE_NAMES, reader_language

log = logging.getLogger("plp.web")
COOKIE = "plp_console"
HOME = f"{urls.WEB_CONSOLE}/"
PAGE_CSP = dict(SECURITY_HEADERS)[b"content-security-policy"].decode() + "; frame-src 'self'"
"""The PLP's page frames its previews (our origin only); everything else as the members'."""
PREVIEW_HEADERS = {
    # The bulletin's HTML is inline-styled e-mail: no script, no form, no same-origin access.
    "Content-Security-Policy": "sandbox; default-src 'none'; style-src 'unsafe-inline'; "
    "img-src https: data:; frame-ancestors 'self'",
    "X-Frame-Options": "SAMEORIGIN",
    "Cache-Control": "no-store",
}


PRIVACY = N_("remove it: messages never identify people (describe, don't name)")
NOTE_PROBLEMS = {
    "personal.plate": (N_("a licence plate: '{value}'"), PRIVACY),
    "personal.phone": (
        N_("a phone number: '{value}'"),
        N_(
            "only 101, 112 and the numbers in the registry may appear; remove it: messages "
            "never identify people (describe, don't name)"
        ),
    ),
    "personal.email": (
        N_("an e-mail address: '{value}'"),
        N_(
            "use a role address from the registry (zone or coordinator); remove it: messages "
            "never identify people"
        ),
    ),
    "urgency.marked": (
        N_("marked urgent ('{words}')"),
        N_(
            "plp carries non-urgent messages only: urgent alerts go by BE-Alert, SMS or voice "
            "message, and facts are reported to the police on 101 (112 in an emergency)"
        ),
    ),
    "text.control": (
        N_("an invisible control character ({chars})"),
        N_("delete it: retype the text around it (most editors do not show it)"),
    ),
    "text.reserved": (N_("it contains '{reserved}'"), N_("remove it: plp reserves it")),
    "text.resource": (
        N_("'{words}' reads as loading a resource, which the e-mail refuses"),
        N_("reword it (e.g. 'src: x' instead of 'src=x', 'url (' instead of 'url(')"),
    ),
    "image.alt": (
        N_("image '{source}' has no alt text"),
        N_("describe the image: ![what it shows](file.jpg)"),
    ),
    "image.alt_html": (
        N_("image has no alt text"),
        N_('add alt="what it shows" to the <img>'),
    ),
}
"""The note's problems by rule id, as the coordinator reads them (the CLI's are English)."""


STATE_WORDS = (
    # The ledger's, the members' and the audit log's words, as the templates show them.
    *(N_(w) for w in ("pending", "sending", "sent", "deferred", "failed", "uncertain")),
    *(N_(w) for w in ("skipped", "active", "unsubscribed", "bounced", "erased")),
    *(N_(w) for w in ("sign-in", "sign-out", "draft", "test-copy", "approve", "send-started")),
    *(N_(w) for w in ("send-finished", "import", "unsubscribe", "erase")),
)
"""Enum values (LedgerStatus, MemberStatus, AuditAction) the console translates by value."""


def note_problem(problem: Problem, _, *, numbered: bool = False) -> str:
    """One problem of the note in the coordinator's language, `line N: ` first if numbered."""
    known = NOTE_PROBLEMS.get(problem.rule)
    if known is None:  # a rule without a translation yet: its English words beat nothing
        text = f"{problem.message} — {problem.fix}"
    else:
        text = f"{_(known[0]).format(**dict(problem.params))} — {_(known[1])}"
    return (_("line {n}").format(n=problem.line) + ": " if numbered else "") + text


def state_of(request: Request):
    return request.app.state.web


def translator(request: Request):
    return gettext_for(reader_language(request), "web")


def page(request: Request, template: str, title: str, who=None, status_code=200, **context):
    web, lang = state_of(request), reader_language(request)
    signout = web.pages.csrf(bound(f"{urls.WEB_CONSOLE}/signout", who)) if who else ""
    response = web.pages.render(
        f"console/{template}", lang, title, status_code, who=who, signout_csrf=signout, **context
    )
    response.headers["Content-Security-Policy"] = PAGE_CSP
    return response


def bound(action: str, who: sessions.Coordinator | None) -> str:
    """A form's CSRF binding: its action and, once signed in, the session."""
    return f"{action}|{sessions.form_key(who)}" if who else action


async def _form(request: Request, files: int = 0) -> dict[str, str | UploadFile]:
    form = await request.form(max_files=files, max_fields=10)
    return dict(form.items())


def _csrf_ok(request: Request, form: dict, who=None) -> bool:
    token = form.get("csrf")
    action = bound(request.url.path, who)
    return isinstance(token, str) and state_of(request).pages.forms.valid(token, action)


def _refused(request: Request, who=None) -> Response:
    _ = translator(request)
    return page(
        request,
        "signin",
        "This form has expired",
        who,
        403,
        paragraphs=[_("Nothing was changed. Go back, reload the page and try again.")],
    )


def _not_found(request: Request) -> Response:
    _ = translator(request)
    return page(
        request, "signin", "Page not found", None, 404, paragraphs=[_("Check the address.")]
    )


async def _who(request: Request) -> sessions.Coordinator | None:
    cookie = request.cookies.get(COOKIE)
    return await run_in_threadpool(sessions.signed_in, state_of(request).desk, cookie)


Handler = Callable[..., Awaitable[Response]]


def for_plp(files: int = 0) -> Callable[[Handler], Handler]:
    """A console route of one PLP: signed in (else to the sign-in page), the PLP one of the
    coordinator's (else 404), and for a POST a valid CSRF token bound to the session."""

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def checked(request: Request) -> Response:
            who = await _who(request)
            if who is None:
                return RedirectResponse(HOME, 303)
            try:
                plp = who.plp(request.path_params["plp"])
            except sessions.NotYours:
                return _not_found(request)
            form: dict = {}
            if request.method == "POST":
                form = await _form(request, files)
                if not _csrf_ok(request, form, who):
                    return _refused(request, who)
            return await handler(request, who, plp, form)

        return checked

    return wrap


# --- signing in -------------------------------------------------------------------------------


async def home(request: Request) -> Response:
    """GET /coordinator/: the coordinator's PLPs, or the form asking for the role address."""
    who = await _who(request)
    _ = translator(request)
    if who is not None:
        return page(request, "signin", "Your PLPs", who)
    return _signin_form(request)


def _signin_form(request: Request, status_code: int = 200) -> Response:
    _ = translator(request)
    return page(
        request,
        "signin",
        "Coordinators' console",
        None,
        status_code,
        paragraphs=[_("Give the coordinator's address of your PLP: a sign-in link is sent to it.")],
        action=HOME,
        csrf=state_of(request).pages.csrf(HOME),
        ask_address=True,
        button=_("Send me a sign-in link"),
    )


async def request_link(request: Request) -> Response:
    """POST /coordinator/: the same answer for every address; 429 over a rate limit."""
    web, _ = state_of(request), translator(request)
    form = await _form(request)
    if not _csrf_ok(request, form):
        return _refused(request)
    if not web.link_limit.allow(client_key(request)):
        return _too_many(request)
    address = form.get("email", "")
    try:
        await run_in_threadpool(
            sessions.request_link,
            web.desk,
            address if isinstance(address, str) else "",
            reader_language(request),
        )
    except sessions.TooManyLinks:
        return _too_many(request)
    except PlpError as error:  # the relay refused it: say nothing else, or it would enumerate
        log.warning("sign-in link not sent: %s", error)
    return page(
        request,
        "signin",
        "Check your mailbox",
        paragraphs=[
            _(
                "If this address is a PLP's coordinator address, a sign-in link is on its way "
                "to it. It is valid 15 minutes and works once."
            )
        ],
    )


def _too_many(request: Request) -> Response:
    response = page(
        request,
        "signin",
        "Too many requests",
        None,
        429,
        paragraphs=[translator(request)("Please try again in an hour. Nothing was sent.")],
    )
    response.headers["Retry-After"] = "3600"
    return response


async def signin_page(request: Request) -> Response:
    """GET /coordinator/signin/{token}: one button (mail scanners fetch links: no change)."""
    _ = translator(request)
    return page(
        request,
        "signin",
        "Coordinators' console",
        paragraphs=[_("Press the button to sign in.")],
        action=request.url.path,
        csrf=state_of(request).pages.csrf(request.url.path),
        button=_("Sign in"),
    )


async def signin(request: Request) -> Response:
    """POST /coordinator/signin/{token}: use the link once; the session cookie; to the PLPs."""
    web = state_of(request)
    form = await _form(request)
    if not _csrf_ok(request, form):
        return _refused(request)
    try:
        cookie, _signed = await run_in_threadpool(
            sessions.sign_in, web.desk, request.path_params["token"]
        )
    except LinkError:
        _ = translator(request)
        return page(
            request,
            "signin",
            "This link is not valid",
            None,
            400,
            paragraphs=[_("It has expired or was used already. Ask for a new one.")],
            action=HOME,
            csrf=web.pages.csrf(HOME),
            ask_address=True,
            button=_("Send me a sign-in link"),
        )
    response = RedirectResponse(HOME, 303)
    response.set_cookie(
        COOKIE,
        cookie,
        max_age=int(sessions.SESSION_LIFETIME.total_seconds()),
        path=urls.WEB_CONSOLE,
        secure=web.desk.config.web_url.startswith("https://"),
        httponly=True,
        samesite="strict",
    )
    return response


async def signout(request: Request) -> Response:
    """POST /coordinator/signout: the session ends and unused links die with it."""
    who = await _who(request)
    form = await _form(request)
    if who is not None:
        if not _csrf_ok(request, form, who):
            return _refused(request, who)
        await run_in_threadpool(sessions.sign_out, state_of(request).desk, request.cookies[COOKIE])
    response = RedirectResponse(HOME, 303)
    response.delete_cookie(COOKIE, path=urls.WEB_CONSOLE)
    return response


# --- the next bulletin ------------------------------------------------------------------------


def actions_of(plp: Plp) -> dict[str, str]:
    base = f"{urls.WEB_CONSOLE}/{plp.slug}"
    return {
        "draft": f"{base}/draft",
        "test": f"{base}/test",
        "approve": f"{base}/approve",
        "send": f"{base}/send",
        "preview": f"{base}/preview/",
        "members": f"{base}/members",
        "import": f"{base}/members/import",
        "download": f"{base}/members.csv",
    }


def csrfs(request: Request, who, actions: dict[str, str]) -> dict[str, str]:
    forms = state_of(request).pages
    return {name: forms.csrf(bound(path, who)) for name, path in actions.items()}


@for_plp()
async def plp_page(request: Request, who, plp: Plp, form, **shown) -> Response:
    """GET /coordinator/{plp}/: the next bulletin as members get it, and what to do with it."""
    desk, lang = state_of(request).desk, reader_language(request)
    _ = translator(request)
    view = await run_in_threadpool(console.overview, desk, plp)
    actions = actions_of(plp)
    context = {"current_hash": "", "status_line": "", "approval_line": ""}
    if view.draft is not None:
        d = view.draft
        context["current_hash"] = await run_in_threadpool(d.current_hash)
        context["status_line"] = {
            "draft": _("Draft: not sent yet."),
            "sending": _("Sending started: members not reached yet get it when it is resumed."),
            "sent": _("Sent."),
        }[d.status]
        if view.approval is not None:
            line = (
                _("Approved by {who} on {when} UTC.")
                if view.approval_matches
                else _("Approved by {who} on {when} UTC, but it changed since: approve it again.")
            )
            context["approval_line"] = line.format(
                who=view.approval.approved_by, when=f"{view.approval.approved_at:%Y-%m-%d %H:%M}"
            )
    note = shown.pop("note", None)
    return page(
        request,
        "plp",
        plp.name(lang),
        who,
        shown.pop("status_code", 200),
        plp=plp,
        view=view,
        note=(view.draft.note or "") if note is None and view.draft else (note or ""),
        can_send=console.sendable(view),
        actions=actions,
        csrf=csrfs(request, who, actions),
        languages=LANGUAGE_NAMES,
        problems_title=_("The note was not accepted; nothing was drafted:"),
        **context,
        **shown,
    )


async def _again(request, who, plp, **shown) -> Response:
    return await plp_page.__wrapped__(request, who, plp, {}, **shown)


@for_plp()
async def preview(request: Request, who, plp: Plp, form) -> Response:
    """GET /coordinator/{plp}/preview/{lang}: one edition's HTML, for the sandboxed frame."""
    try:
        html = await run_in_threadpool(
            console.preview_html, state_of(request).desk, plp, request.path_params["lang"]
        )
    except PlpError:
        return _not_found(request)
    return HTMLResponse(html, headers=PREVIEW_HEADERS)


@for_plp()
async def redraft(request: Request, who, plp: Plp, form) -> Response:
    """POST /coordinator/{plp}/draft: draft again with the note (its problems inline)."""
    note = form.get("note", "")
    note = note if isinstance(note, str) else ""
    _ = translator(request)
    try:
        made = await run_in_threadpool(
            console.redraft, state_of(request).desk, plp, note, who.address
        )
    except ContentError as error:
        problems = [note_problem(p, _, numbered="\n" in note.strip()) for p in error.problems]
        return await _again(request, who, plp, note=note, problems=problems, status_code=400)
    except PlpError as error:
        return await _again(request, who, plp, note=note, notice=str(error), status_code=400)
    return await _again(request, who, plp, notice=_("Bulletin {n} drafted.").format(n=made.number))


@for_plp()
async def test_copy(request: Request, who, plp: Plp, form) -> Response:
    """POST /coordinator/{plp}/test: the test copy, to the role address only."""
    _ = translator(request)
    try:
        copy = await run_in_threadpool(console.test_copy, state_of(request).desk, plp, who.address)
    except PlpError as error:
        return await _again(request, who, plp, notice=str(error), status_code=400)
    text = _("Test copy sent to {address}.").format(address=copy.recipient)
    return await _again(request, who, plp, notice=text)


def _number(form: dict) -> int:
    value = form.get("number", "")
    return int(value) if isinstance(value, str) and value.isdigit() else 0


@for_plp()
async def approve(request: Request, who, plp: Plp, form) -> Response:
    """POST /coordinator/{plp}/approve: approve exactly the content the page showed."""
    _ = translator(request)
    shown = form.get("hash", "")
    try:
        await run_in_threadpool(
            console.approve_shown,
            state_of(request).desk,
            plp,
            _number(form),
            shown if isinstance(shown, str) else "",
            who.address,
        )
    except PlpError as error:
        return await _again(request, who, plp, notice=str(error), status_code=409)
    return await _again(request, who, plp, notice=_("Approved."))


@for_plp()
async def send(request: Request, who, plp: Plp, form) -> Response:
    """POST /coordinator/{plp}/send: start (or resume) the delivery in the background."""
    web = state_of(request)
    view = await run_in_threadpool(console.overview, web.desk, plp)
    if view.draft is None or view.draft.number != _number(form) or not console.sendable(view):
        _ = translator(request)
        text = _("Nothing to send: it was sent already, or it is not approved as it is now.")
        return await _again(request, who, plp, notice=text, status_code=409)
    web.sends.start(plp.slug, view.draft.number, who.address)
    return RedirectResponse(f"{urls.WEB_CONSOLE}/{plp.slug}/send", 303)


@for_plp()
async def send_page(request: Request, who, plp: Plp, form) -> Response:
    """GET /coordinator/{plp}/send: progress (refreshing itself while it runs), then the report."""
    web, _ = state_of(request), translator(request)
    view = await run_in_threadpool(console.overview, web.desk, plp)
    if view.draft is None:
        return _not_found(request)
    number = view.draft.number
    run = web.sends.get(plp.slug, number)
    running = run is not None and run.running
    counts = [(str(status), n) for status, n in view.ledger.items() if n]
    if running:
        paragraphs = [
            _("Sending… {done} of {total} done.").format(done=run.done, total=view.recipients)
        ]
        groups = []
    else:
        lines = await run_in_threadpool(delivery_lines, web.desk, plp.slug, number)
        groups = [
            (str(status), [line for line in lines if line.status is status])
            for status in LedgerStatus
            if status is not LedgerStatus.SENT and any(line.status is status for line in lines)
        ]
        paragraphs = [run.error] if run is not None and run.error else []
        if view.draft.status == "sending":
            paragraphs.append(_("Not finished: send again to resume; nobody gets it twice."))
    return page(
        request,
        "send",
        _("Delivery of bulletin {n}").format(n=number),
        who,
        plp=plp,
        refresh=2 if running else 0,
        paragraphs=paragraphs,
        counts=counts,
        groups=groups,
    )
