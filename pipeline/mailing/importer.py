"""Add a checked spreadsheet to the member list in one transaction, with a consent record each."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, relpath
from ..i18n import N_, gettext_for
from . import db
from .spreadsheet import Sheet
from .tokens import email_key

DEFAULT_CONSENT = N_("I agree to receive this PLP's prevention bulletins by e-mail.")
"""What members agreed to unless the coordinator gives the wording; stored translated."""


def default_consent(lang: str) -> str:
    """The default consent wording in a member's language (fr, nl, de, en)."""
    return gettext_for(lang, "bulletin")(DEFAULT_CONSENT)


@dataclass(frozen=True)
class ImportReport:
    """What an import did: rows added, duplicates left out, spreadsheet columns not kept."""

    path: str
    plp: str
    imported: int
    duplicates: tuple[Problem, ...]
    ignored_columns: tuple[str, ...]

    def summary(self) -> str:
        """Lines for the coordinator."""
        lines = [f"{self.path}: {self.imported} member(s) imported into {self.plp}"]
        lines += [f"  skipped duplicate — {p.path}:{p.line}: {p.message}" for p in self.duplicates]
        if self.ignored_columns:
            lines.append(f"  columns not kept (not needed): {', '.join(self.ignored_columns)}")
        return "\n".join(lines)


def insert_sheet(
    conn: sqlite3.Connection,
    sheet: Sheet,
    plp: str,
    path: Path,
    recorded_by: str,
    consent_text: str | None,
    consent_method: str | None,
) -> ImportReport:
    """Insert the sheet's new members (inside the caller's transaction); known ones are left.

    The consent record keeps the wording each member agreed to: `consent_text` when given,
    else the default wording in the member's language.
    """
    method = consent_method or f"member list kept by the coordinator ({path.name})"
    duplicates = list(sheet.duplicates)
    imported, stamp = 0, db.now()
    for row in sheet.rows:
        existing = conn.execute(
            "SELECT status FROM members WHERE plp = ? AND email_key = ?",
            (plp, email_key(row.email)),
        ).fetchone()
        if existing:
            # Never re-subscribe someone who left: only they can ask to come back.
            message = f"{row.email} is already a member ({existing[0]})"
            duplicates.append(Problem(relpath(path), row.line, message, "left unchanged"))
            continue
        member_id = conn.execute(
            "INSERT INTO members (plp, email, email_key, name, language, status, created,"
            " updated) VALUES (?, ?, ?, ?, ?, 'active', ?, ?)",
            (plp, row.email, email_key(row.email), row.name, row.language, stamp, stamp),
        ).lastrowid
        given_on = row.consent_date and row.consent_date.isoformat()
        text = consent_text if consent_text is not None else default_consent(row.language)
        conn.execute(
            "INSERT INTO consents VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                member_id,
                given_on,
                row.consent_method or method,
                recorded_by,
                text,
                hashlib.sha256(text.encode()).hexdigest()[:12],
                stamp,
            ),
        )
        imported += 1
    return ImportReport(
        relpath(path), plp, imported, tuple(sorted(duplicates)), sheet.ignored_columns
    )
