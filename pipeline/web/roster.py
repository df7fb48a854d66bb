"""The coordinators' face, continued: a PLP's member list (import, search, unsubscribe, erase,
download) and its audit log. The checks of coordinators.for_plp guard every route."""

from __future__ import annotations

import contextlib

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..addresses import NEEDS_SMTPUTF8, SMTPUTF8_FIX
from ..coordinator import console
from ..errors import ContentError, PlpError, Problem
from ..i18n import N_
from ..model import Plp
from ..roster.importer import StatedConsentError, StatedProblem
from ..roster.spreadsheet import NO_CONSENT_COLUMN, NO_CONSENT_DATE
from .coordinators import (
    _not_found,
    actions_of,
    bound,
    csrfs,
    for_plp,
    page,
    state_of,
    translator,
)
from .guard import MAX_UPLOAD


@for_plp()
async def members_page(request: Request, who, plp: Plp, form, **shown) -> Response:
    """GET /coordinator/{plp}/members: counts, search, the list with its actions."""
    web, _ = state_of(request), translator(request)
    search = request.query_params.get("q", "")[:100]
    roster = await run_in_threadpool(console.roster, web.desk, plp, search)
    actions = actions_of(plp)

    def member_csrf(member_id: int, what: str) -> str:
        return web.pages.csrf(bound(f"{actions['members']}/{member_id}/{what}", who))

    return page(
        request,
        "members",
        "Members",
        who,
        shown.pop("status_code", 200),
        plp=plp,
        roster=roster,
        search=search,
        actions=actions,
        csrf=csrfs(request, who, actions),
        member_csrf=member_csrf,
        problems_title=_("Nothing was imported; correct these lines and upload the file again:"),
        **shown,
    )


@for_plp(files=1)
async def import_sheet(request: Request, who, plp: Plp, form) -> Response:
    """POST /coordinator/{plp}/members/import: all or nothing, the reasons by line number."""
    _ = translator(request)
    sheet = form.get("sheet")
    if not isinstance(sheet, UploadFile):
        return await members_page.__wrapped__(
            request, who, plp, {}, notice=_("Choose a file."), status_code=400
        )
    data = await sheet.read(MAX_UPLOAD + 1)
    stated = {name: _field(form, name) for name in ("consent_date", "consent_text")}
    try:
        report = await run_in_threadpool(
            console.import_upload,
            state_of(request).desk,
            plp,
            data,
            sheet.filename,
            who.address,
            **stated,
        )
    except StatedConsentError as error:
        notice = _(_STATED[error.problem]).format(value=error.value[:40])
        return await members_page.__wrapped__(
            request, who, plp, {}, notice=notice, stated=stated, status_code=400
        )
    except ContentError as error:
        problems = [_problem_line(_, p) for p in error.problems]
        return await members_page.__wrapped__(
            request, who, plp, {}, problems=problems, stated=stated, status_code=400
        )
    except PlpError as error:
        return await members_page.__wrapped__(
            request, who, plp, {}, notice=str(error), status_code=400
        )
    text = _("{n} member(s) imported; {d} already on the list.").format(
        n=report.imported, d=len(report.duplicates)
    )
    return await members_page.__wrapped__(request, who, plp, {}, notice=text)


# The stated consent's fields, named as the form labels them.
_STATED = {
    StatedProblem.NOT_A_DATE: N_("Consent date: {value} is not a date; write it as YYYY-MM-DD."),
    StatedProblem.IN_THE_FUTURE: N_(
        "Consent date: {value} is in the future; give the day the members agreed."
    ),
    StatedProblem.NO_TEXT: N_("Consent wording: give the wording the members agreed to."),
}
# The import's refusals that concern what this form offers, in the console's words.
_PROBLEMS = {
    NO_CONSENT_DATE: N_(
        "add the date this person agreed (DD/MM/YYYY) in the consent column, or give one date "
        "and its wording for the whole sheet in the form"
    ),
    NO_CONSENT_COLUMN: N_(
        "add a column with the date each person agreed, or give one date and its wording for "
        "the whole sheet in the form"
    ),
    NEEDS_SMTPUTF8: SMTPUTF8_FIX,  # the CLI's words, translated in web.po
}


def _problem_line(_, p: Problem) -> str:
    """One refused line as the console shows it (translated where the console words it)."""
    where = _("line {n}").format(n=p.line) + ": " if p.line else ""
    if p.message in _PROBLEMS:
        return f"{where}{_(p.message)} — {_(_PROBLEMS[p.message])}"
    return f"{where}{p.message} — {p.fix}"


def _field(form, name: str) -> str:
    value = form.get(name)
    return value[:1000] if isinstance(value, str) else ""


def _member_id(request: Request) -> int:
    return request.path_params["member"]


@for_plp()
async def unsubscribe(request: Request, who, plp: Plp, form) -> Response:
    """POST /coordinator/{plp}/members/{member}/unsubscribe."""
    with contextlib.suppress(PlpError):  # erased meanwhile: the list shows what is left
        await run_in_threadpool(
            console.unsubscribe_member,
            state_of(request).desk,
            plp,
            _member_id(request),
            who.address,
        )
    return RedirectResponse(actions_of(plp)["members"], 303)


@for_plp()
async def erase_page(request: Request, who, plp: Plp, form) -> Response:
    """GET /coordinator/{plp}/members/{member}/erase: what goes, and one button to confirm
    (erasing cannot be undone: never a single click from the list)."""
    try:
        member = await run_in_threadpool(
            console.member_of, state_of(request).desk, plp, _member_id(request)
        )
    except PlpError:
        return _not_found(request)
    action = request.url.path
    return page(
        request,
        "erase",
        "Erase a member",
        who,
        plp=plp,
        member=member,
        action=action,
        csrf=state_of(request).pages.csrf(bound(action, who)),
        actions=actions_of(plp),
    )


@for_plp()
async def erase(request: Request, who, plp: Plp, form) -> Response:
    """POST /coordinator/{plp}/members/{member}/erase: name, address and consent, for good."""
    with contextlib.suppress(PlpError):
        await run_in_threadpool(
            console.erase_member, state_of(request).desk, plp, _member_id(request), who.address
        )
    return RedirectResponse(actions_of(plp)["members"], 303)


@for_plp()
async def download(request: Request, who, plp: Plp, form) -> Response:
    """GET /coordinator/{plp}/members.csv: the list for Belgian Excel (`;`, UTF-8 BOM)."""
    data = await run_in_threadpool(console.members_csv, state_of(request).desk, plp)
    return Response(
        data,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{plp.slug}-members.csv"',
            "Cache-Control": "no-store",
        },
    )


@for_plp()
async def audit(request: Request, who, plp: Plp, form) -> Response:
    """GET /coordinator/{plp}/audit: who did what, when (never a member's address)."""
    entries = await run_in_threadpool(console.audit_log, state_of(request).desk, plp)
    return page(request, "audit", "Audit log", who, plp=plp, entries=entries)
