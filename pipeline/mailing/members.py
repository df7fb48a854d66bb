"""Members of a PLP and their consent: the private list a coordinator keeps (SQLite, var/)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

import idna
from email_validator import EmailNotValidError

from ..config import Config
from ..errors import PlpError
from . import db, importer, privacy
from .importer import ImportReport
from .spreadsheet import checked_address, read_sheet
from .tokens import email_key, load_secret, pseudonym

PAGE = 500  # members fetched per query while streaming a send list

_SCHEMA = """
CREATE TABLE IF NOT EXISTS members (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: a token names a member id forever
    plp TEXT NOT NULL,
    email TEXT,                            -- normalised; NULL once erased
    email_key TEXT,                        -- case-folded, for uniqueness; NULL once erased
    name TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL,
    status TEXT NOT NULL,
    status_reason TEXT NOT NULL DEFAULT '',
    hard_bounces INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS members_plp_email ON members (plp, email_key)
    WHERE email_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS members_email ON members (email_key);
CREATE TABLE IF NOT EXISTS consents (
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    given_on TEXT,                         -- as the sheet says; NULL when it does not say
    method TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    text TEXT NOT NULL,
    version TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS consents_member ON consents (member_id);
"""


class MemberStatus(StrEnum):
    ACTIVE = "active"
    UNSUBSCRIBED = "unsubscribed"
    BOUNCED = "bounced"
    ERASED = "erased"


@dataclass(frozen=True)
class Member:
    """One person's membership of one PLP."""

    id: int
    plp: str
    email: str
    name: str
    language: str
    status: MemberStatus
    created: datetime


@dataclass(frozen=True)
class Recipient:
    """An active member in a send list; the pseudonym keys the ledger instead of the address."""

    member_id: int
    plp: str
    email: str
    name: str
    language: str
    pseudonym: str

    @property
    def ascii_email(self) -> str | None:
        """The address in ASCII (an IDN domain as xn--…), or None if it needs SMTPUTF8."""
        local, _, domain = self.email.rpartition("@")
        if not local.isascii():
            return None
        return (
            f"{local}@{idna.encode(domain, uts46=True).decode()}"
            if not domain.isascii()
            else self.email
        )


class MemberStore:
    """The member list over SQLite; safe to share between threads."""

    def __init__(self, config: Config):
        self.config = config
        self._secret = load_secret(config)
        self._conn = db.connect(config.members_db, threads=True)
        self._conn.executescript(_SCHEMA)
        self._lock = threading.RLock()

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()

    def import_csv(
        self,
        path: Path,
        plp: str,
        languages_allowed: tuple[str, ...] | list[str],
        recorded_by: str,
        consent_text: str | None,
        *,
        consent_method: str | None = None,
        today: date | None = None,
    ) -> ImportReport:
        """Import a spreadsheet all or nothing; ContentError lists every rejected row."""
        languages = tuple(languages_allowed)
        sheet = read_sheet(path, languages, today or self.config.current_date())
        with self._lock, db.transaction(self._conn) as conn:
            return importer.insert_sheet(
                conn, sheet, plp, path, recorded_by, consent_text, consent_method
            )

    def list(self, plp: str) -> list[Member]:
        """The PLP's members (all but erased ones), oldest first."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT * FROM members WHERE plp = ? AND status != 'erased' ORDER BY id", (plp,)
            )
            return [_member(row) for row in rows]

    def find(self, email: str, plp: str | None = None) -> list[Member]:
        """Every membership of this address (in one PLP if given)."""
        key = email_key(normalise(email))
        with self._lock:
            rows = self._conn.execute(
                "SELECT * FROM members WHERE email_key = ? AND (? IS NULL OR plp = ?) ORDER BY id",
                (key, plp, plp),
            )
            return [_member(row) for row in rows]

    def get(self, member_id: int) -> Member | None:
        """A member by id, or None (also once erased)."""
        with self._lock:
            row = self._conn.execute(
                "SELECT * FROM members WHERE id = ? AND status != 'erased'", (member_id,)
            ).fetchone()
        return _member(row) if row else None

    def count_active(self, plp: str, lang: str | None = None) -> int:
        """How many members a send list would hold."""
        with self._lock:
            return self._conn.execute(
                "SELECT count(*) FROM members WHERE plp = ? AND status = 'active'"
                " AND (? IS NULL OR language = ?)",
                (plp, lang, lang),
            ).fetchone()[0]

    def active_members(self, plp: str, lang: str | None = None) -> Iterator[Recipient]:
        """Stream the PLP's active members in a language, a page at a time (never all at once)."""
        last = 0
        while True:
            # Keyset pages hold no read transaction open during a long send.
            with self._lock:
                rows = self._conn.execute(
                    "SELECT id, plp, email, name, language FROM members WHERE plp = ?"
                    " AND status = 'active' AND (? IS NULL OR language = ?) AND id > ?"
                    " ORDER BY id LIMIT ?",
                    (plp, lang, lang, last, PAGE),
                ).fetchall()
            if not rows:
                return
            for row in rows:
                yield Recipient(
                    row["id"],
                    row["plp"],
                    row["email"],
                    row["name"],
                    row["language"],
                    pseudonym(self._secret, row["email"]),
                )
            last = rows[-1]["id"]

    def pseudonym(self, email: str) -> str:
        """The ledger's key for an address."""
        return pseudonym(self._secret, normalise(email))

    def unsubscribe(
        self, email: str, plp: str | None = None, *, how: str = "by the coordinator"
    ) -> int:
        """Unsubscribe an address (from one PLP or all); returns how many memberships changed."""
        found = self.find(email, plp)
        if not found:
            where = f" in PLP {plp!r}" if plp else ""
            raise PlpError(
                f"no member with address {email!r}{where} — check the spelling, "
                "or list the members with `plp members list --plp SLUG`"
            )
        return sum(self._set_status(m.id, MemberStatus.UNSUBSCRIBED, how) for m in found)

    def unsubscribe_member(self, member_id: int, plp: str, *, how: str = "one-click link") -> bool:
        """Apply an unsubscribe token's (member id, plp); False when already done."""
        member = self.get(member_id)
        if member is None or member.plp != plp:
            raise PlpError(
                "this unsubscribe link names nobody on the list (already erased?) — nothing to do"
            )
        return self._set_status(member_id, MemberStatus.UNSUBSCRIBED, how)

    def record_hard_bounce(self, member_id: int) -> MemberStatus:
        """Count a hard bounce; at config.hard_bounce_limit the member becomes bounced."""
        with self._lock, db.transaction(self._conn) as conn:
            conn.execute(
                "UPDATE members SET hard_bounces = hard_bounces + 1, updated = ? WHERE id = ?",
                (db.now(), member_id),
            )
            conn.execute(
                "UPDATE members SET status = 'bounced', status_reason = ?"
                " WHERE id = ? AND status = 'active' AND hard_bounces >= ?",
                (
                    f"{self.config.hard_bounce_limit} hard bounce(s)",
                    member_id,
                    self.config.hard_bounce_limit,
                ),
            )
            row = conn.execute("SELECT status FROM members WHERE id = ?", (member_id,)).fetchone()
        return MemberStatus(row[0]) if row else MemberStatus.ERASED

    def export(self, *, plp: str | None = None, email: str | None = None, fmt: str = "json") -> str:
        """Everything stored about one address (right of access) or about a PLP's members."""
        with self._lock:
            if email is not None:
                records = privacy.person_records(self._conn, email_key(normalise(email)))
                if not records:
                    raise PlpError(f"nothing is stored about {email!r}")
                deliveries = privacy.deliveries(self._conn, self.pseudonym(email))
            else:
                records, deliveries = privacy.plp_records(self._conn, plp or ""), []
        return privacy.render(records, deliveries, fmt)

    def forget(self, email: str) -> privacy.Erasure:
        """Erase an address in every PLP: name, address, consent; the ledger keeps a pseudonym."""
        found = self.find(email)
        if not found:
            raise PlpError(f"no member with address {email!r} — nothing to erase")
        with self._lock:
            privacy.erase(self._conn, [m.id for m in found])
        return privacy.Erasure(self.pseudonym(email), tuple(sorted(m.plp for m in found)))

    def _set_status(self, member_id: int, status: MemberStatus, reason: str) -> bool:
        with self._lock, db.transaction(self._conn) as conn:
            changed = conn.execute(
                "UPDATE members SET status = ?, status_reason = ?, updated = ?"
                " WHERE id = ? AND status NOT IN (?, 'erased')",
                (status, reason, db.now(), member_id, status),
            ).rowcount
        return changed > 0


def normalise(email: str) -> str:
    """An address as stored (email-validator's normal form), or PlpError if it is not one."""
    try:
        return checked_address(email.strip())
    except EmailNotValidError as exc:
        raise PlpError(f"{email!r} is not an e-mail address: {exc}") from None


def _member(row) -> Member:
    return Member(
        row["id"],
        row["plp"],
        row["email"] or "",
        row["name"],
        row["language"],
        MemberStatus(row["status"]),
        datetime.fromisoformat(row["created"]),
    )
