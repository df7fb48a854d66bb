"""The members' GDPR rights over the store: access (export everything held) and erasure."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from dataclasses import dataclass

from ..errors import PlpError
from . import db

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
_CONSENT_FIELDS = ("given_on", "method", "recorded_by", "text", "version", "recorded_at")


@dataclass(frozen=True)
class Erasure:
    """What forget() did: the memberships erased and the pseudonym the ledger still knows."""

    pseudonym: str
    plps: tuple[str, ...]


def person_records(conn: sqlite3.Connection, key: str) -> list[dict]:
    """Every membership of one address (by email key), each with its consent records."""
    rows = conn.execute("SELECT * FROM members WHERE email_key = ? ORDER BY id", (key,))
    return [_record(conn, row) for row in rows.fetchall()]


def plp_records(conn: sqlite3.Connection, plp: str) -> list[dict]:
    """Every member of a PLP (erased ones hold nothing personal and are left out)."""
    rows = conn.execute(
        "SELECT * FROM members WHERE plp = ? AND status != 'erased' ORDER BY id", (plp,)
    )
    return [_record(conn, row) for row in rows.fetchall()]


def deliveries(conn: sqlite3.Connection, member_key: str) -> list[dict]:
    """The bulletins the ledger holds for this pseudonym, if a ledger exists yet."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'deliveries'"
    ).fetchone()
    if not exists:
        return []
    rows = conn.execute(
        "SELECT bulletin_id, status, attempts, last_code, updated_at FROM deliveries"
        " WHERE member_key = ? ORDER BY created_at",
        (member_key,),
    )
    return [dict(row) for row in rows]


def render(records: list[dict], sent: list[dict], fmt: str) -> str:
    """The export as JSON (nested) or CSV (one row per membership and consent record)."""
    if fmt == "json":
        document = {"exported_at": db.now(), "members": records}
        if sent:
            document["deliveries"] = sent
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if fmt != "csv":
        raise PlpError(f"unknown export format {fmt!r} — use one of {', '.join(FORMATS)}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*_MEMBER_FIELDS, *(f"consent_{f}" for f in _CONSENT_FIELDS), "deliveries"])
    summary = "; ".join(f"{d['bulletin_id']} {d['status']} {d['updated_at']}" for d in sent)
    for record in records:
        for consent in record["consent"] or [dict.fromkeys(_CONSENT_FIELDS, "")]:
            writer.writerow(
                [
                    *(record[f] for f in _MEMBER_FIELDS),
                    *(consent[f] for f in _CONSENT_FIELDS),
                    summary,
                ]
            )
    return out.getvalue()


def erase(conn: sqlite3.Connection, member_ids: list[int]) -> None:
    """Delete name, address and consent of these memberships; leave a tombstone with the status."""
    with db.transaction(conn):
        for member_id in member_ids:
            conn.execute("DELETE FROM consents WHERE member_id = ?", (member_id,))
            # The row stays (no personal data) so its id is never given to someone else and the
            # PLP's counts stay true.
            conn.execute(
                "UPDATE members SET email = NULL, email_key = NULL, name = '', status = 'erased',"
                " status_reason = 'erased on request', updated = ? WHERE id = ?",
                (db.now(), member_id),
            )
    # secure_delete zeroed the freed cells; the checkpoint drops the old pages kept in the WAL.
    db.scrub_file(conn)


def _record(conn: sqlite3.Connection, row: sqlite3.Row) -> dict:
    consent = conn.execute(
        "SELECT given_on, method, recorded_by, text, version, recorded_at FROM consents"
        " WHERE member_id = ? ORDER BY recorded_at",
        (row["id"],),
    )
    record = {field: row[field] for field in _MEMBER_FIELDS}
    record["consent"] = [dict(c) for c in consent]
    return record
