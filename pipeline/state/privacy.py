"""The members' GDPR rights: what an export holds and looks like, what an erasure leaves."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import PlpError
from ..i18n import N_, gettext_for
from .schema import now

if TYPE_CHECKING:
    from .store import Store

FORMATS = ("json", "csv")
_MEMBER_FIELDS = (
    "email",
    "plp",
    "name",
    "language",
    "status",
    "status_reason",
    "hard_bounces",
    "created",
    "updated",
)
_CONSENT_FIELDS = (
    "given_on",
    "method",
    "recorded_by",
    "text",
    "version",
    "language",
    "recorded_at",
)


@dataclass(frozen=True)
class Erasure:
    """What forget() did: the memberships erased and the pseudonym the ledger still knows."""

    pseudonym: str
    plps: tuple[str, ...]


# CSV headers as the coordinator's spreadsheet shows them, translated (plp.po).
HEADERS = {
    "email": N_("E-mail address"),
    "plp": N_("PLP"),
    "name": N_("Name"),
    "language": N_("Language"),
    "status": N_("Status"),
    "status_reason": N_("Status reason"),
    "hard_bounces": N_("Hard bounces"),
    "created": N_("Member since"),
    "updated": N_("Last change"),
    "consent_given_on": N_("Consent given on"),
    "consent_method": N_("How consent was given"),
    "consent_recorded_by": N_("Consent recorded by"),
    "consent_text": N_("Consent text"),
    "consent_version": N_("Consent version"),
    "consent_recorded_at": N_("Consent recorded at"),
    "consent_language": N_("Consent language"),
    "deliveries": N_("Bulletins"),
}


def render(records: list[dict], fmt: str, *, sent: list[dict] | None = None, lang=None) -> str:
    """The export as JSON (nested; `sent`: one person's deliveries) or as CSV that Belgian
    spreadsheets open as they are: `;`, UTF-8 with BOM, headers in `lang`, one row per
    membership and consent record."""
    if fmt == "json":
        document = {"exported_at": now(), "members": records}
        if sent:
            document["deliveries"] = sent
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if fmt != "csv":
        raise PlpError(f"unknown export format {fmt!r} — use one of {', '.join(FORMATS)}")
    _ = gettext_for(lang or "en")
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 only with its BOM
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    columns = [*_MEMBER_FIELDS, *(f"consent_{f}" for f in _CONSENT_FIELDS), "deliveries"]
    writer.writerow([_(HEADERS[column]) for column in columns])
    for record in records:
        summary = ", ".join(
            f"{d['bulletin_id']} {d['status']} {d['updated_at'][:10]}"
            for d in record.get("deliveries", ())
        )
        for consent in record["consent"] or [dict.fromkeys(_CONSENT_FIELDS, "")]:
            cells = [
                *(record[f] for f in _MEMBER_FIELDS),
                *(consent[f] for f in _CONSENT_FIELDS),
                summary,
            ]
            writer.writerow([_inert(cell) for cell in cells])
    return out.getvalue()


def _inert(cell: object) -> object:
    """A cell a spreadsheet shows as text, never runs as a formula (CSV injection): a name
    like `=HYPERLINK(…)` or `@SUM(…)` gets a leading apostrophe."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


def record(store: Store, row) -> dict:
    """One membership with its consent records, as the export shows it."""
    consent = store.rows(
        "SELECT given_on, method, recorded_by, text, version, language, recorded_at FROM consents"
        " WHERE member_id = ? ORDER BY recorded_at",
        (row["id"],),
    )
    result = {field: row[field] for field in _MEMBER_FIELDS}
    result["consent"] = [dict(c) for c in consent]
    return result
