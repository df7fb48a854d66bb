"""The schema of the private state, as numbered migrations: a database is brought up to date
when it is opened, and one written by a newer plp is refused rather than misread.

Statuses are not spelled here: the views pass their `StrEnum` values as parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class Migration:
    """One step of the schema; `sqlite` is its statements separated by `;`."""

    version: int
    summary: str
    sqlite: str


MIGRATIONS: tuple[Migration, ...] = (
    # Version 1 is the schema the first releases created table by table: IF NOT EXISTS lets it
    # adopt their files as they are.
    Migration(
        1,
        "members, consent records, approvals, the send ledger",
        """
        CREATE TABLE IF NOT EXISTS members (
            id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: a token names an id forever
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
        CREATE TABLE IF NOT EXISTS approvals (
            id INTEGER PRIMARY KEY AUTOINCREMENT,  -- every approval is kept; the latest counts
            plp TEXT NOT NULL,
            number INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            approved_by TEXT NOT NULL,
            approved_at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS approvals_bulletin ON approvals (plp, number, id);
        CREATE TABLE IF NOT EXISTS deliveries (
            bulletin_id TEXT NOT NULL,             -- "plp-slug/7"
            member_key TEXT NOT NULL,              -- the member's pseudonym, never the address
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_code INTEGER,
            last_reason TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (bulletin_id, member_key)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS deliveries_member ON deliveries (member_key)
        """,
    ),
    Migration(
        2,
        "deferred deliveries: when each is tried next",
        # No comment inside: SQLite splices the column's text into the stored CREATE TABLE.
        "ALTER TABLE deliveries ADD COLUMN next_attempt_at TEXT",
    ),
    Migration(
        3,
        "sign-ups waiting for their confirmation (double opt-in); the language of a consent",
        """
        CREATE TABLE signups (
            id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: a confirmation link names it
            plp TEXT NOT NULL,
            email TEXT NOT NULL,                   -- normalised
            email_key TEXT NOT NULL,               -- case-folded
            name TEXT NOT NULL DEFAULT '',
            language TEXT NOT NULL,
            created TEXT NOT NULL,
            expires TEXT NOT NULL                  -- purged once passed, confirmed or not
        );
        CREATE INDEX signups_email ON signups (email_key, created);
        CREATE INDEX signups_expires ON signups (expires);
        ALTER TABLE consents ADD COLUMN language TEXT
        """,
    ),
    Migration(
        4,
        "the coordinators' console: sign-in links, sessions, the audit log",
        """
        CREATE TABLE signin_links (
            nonce TEXT PRIMARY KEY,                -- named by the signed link; used once
            address_key TEXT NOT NULL,             -- keyed pseudonym of the address asked for
            created TEXT NOT NULL,
            expires TEXT NOT NULL,
            used_at TEXT,                          -- NULL until used (or voided by sign-out)
            mailed INTEGER NOT NULL                -- 1: e-mailed on request (rate-limited)
        );
        CREATE INDEX signin_links_address ON signin_links (address_key, created);
        CREATE TABLE console_sessions (
            id_hash TEXT PRIMARY KEY,              -- sha256 of the cookie: a leak opens nothing
            address TEXT NOT NULL,                 -- the PLPs' role address, not a member's
            created TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            expires TEXT NOT NULL                  -- the absolute end, whatever the activity
        );
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            plp TEXT NOT NULL,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,                   -- a role address or the operator, never a member
            action TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX audit_plp ON audit (plp, id);
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END
        """,
    ),
    Migration(
        5,
        "several senders on one bulletin: who claimed a row in flight; open rows found by index",
        # claimed_by: the sender holding the row, so a dead sender's rows can be told from a
        # live one's. The index (covering: the key rides along) keeps a claim O(batch) however
        # many rows are already sent; without all four columns SQLite scans the primary key.
        """
        ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
        CREATE INDEX deliveries_open
            ON deliveries (bulletin_id, status, claimed_by, next_attempt_at)
        """,
    ),
)


def now() -> str:
    """The current UTC time as ISO 8601, to the second: how every table stores time."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()
