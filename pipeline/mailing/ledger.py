"""The send ledger: a row per (bulletin, member pseudonym); nobody mailed twice, nobody skipped."""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from ..config import Config
from ..errors import DeliveryError
from . import db

_SCHEMA = """
CREATE TABLE IF NOT EXISTS deliveries (
    bulletin_id TEXT NOT NULL,          -- "plp-slug/7"
    member_key TEXT NOT NULL,           -- the member's pseudonym, never the address
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_code INTEGER,
    last_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (bulletin_id, member_key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS deliveries_member ON deliveries (member_key);
"""


class LedgerStatus(StrEnum):
    PENDING = "pending"  # known, not handed to the mailer yet (or waiting for a retry)
    SENDING = "sending"  # handed to the mailer; the outcome is not committed yet
    SENT = "sent"  # the server accepted the message
    FAILED = "failed"  # refused for good (5xx), or temporary failures until max_attempts
    UNCERTAIN = "uncertain"  # may or may not have arrived: for review, never resent blindly
    SKIPPED = "skipped"  # not sent, with a reason (e.g. the message could not be composed)


INTERRUPTED = "the sending process stopped while this message was in flight"

# A row in one of these states is never handed to a mailer again.
FINAL = frozenset({LedgerStatus.SENT, LedgerStatus.FAILED, LedgerStatus.UNCERTAIN})


@dataclass(frozen=True)
class Entry:
    """One ledger row."""

    bulletin_id: str
    member_key: str
    status: LedgerStatus
    attempts: int
    last_code: int | None
    last_reason: str
    created_at: datetime
    updated_at: datetime


class Ledger:
    """The deliveries table; one connection shared by the sending threads under a lock."""

    def __init__(self, config: Config):
        self._locks_dir = config.var_dir / "locks"
        self._conn = db.connect(config.members_db, threads=True)
        self._conn.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()

    @contextmanager
    def lock(self, bulletin_id: str) -> Iterator[None]:
        """Hold the bulletin for this process; DeliveryError if another process is sending it."""
        self._locks_dir.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha256(bulletin_id.encode()).hexdigest()[:24]
        # flock dies with its process, so a killed send never leaves a stale lock behind.
        with open(self._locks_dir / f"{name}.lock", "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise DeliveryError(
                    f"bulletin {bulletin_id} is being sent by another process — wait for it to "
                    "finish (it resumes where it stopped if you run the send again later)"
                ) from None
            handle.truncate(0)
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def recover(self, bulletin_id: str) -> list[str]:
        """Rows a stopped run left in `sending` become `uncertain`; returns their member keys."""
        with self._lock, db.transaction(self._conn) as conn:
            keys = [
                row[0]
                for row in conn.execute(
                    "SELECT member_key FROM deliveries WHERE bulletin_id = ? AND status = ?",
                    (bulletin_id, LedgerStatus.SENDING),
                )
            ]
            conn.execute(
                "UPDATE deliveries SET status = 'uncertain', last_reason = ?, updated_at = ?"
                " WHERE bulletin_id = ? AND status = 'sending'",
                (INTERRUPTED, db.now(), bulletin_id),
            )
        return keys

    def entry(self, bulletin_id: str, member_key: str) -> Entry | None:
        """The row for this member, or None."""
        with self._lock:
            row = self._conn.execute(
                "SELECT * FROM deliveries WHERE bulletin_id = ? AND member_key = ?",
                (bulletin_id, member_key),
            ).fetchone()
        return _entry(row) if row else None

    def mark_sending(self, bulletin_id: str, member_key: str) -> None:
        """Commit `sending` just before the message itself goes out (the DATA command)."""
        self._write(bulletin_id, member_key, LedgerStatus.SENDING, None, "", 0)

    def finish(
        self,
        bulletin_id: str,
        member_key: str,
        status: LedgerStatus,
        code: int | None = None,
        reason: str = "",
        *,
        attempt: bool = True,
    ) -> None:
        """Record an outcome, committed at once; attempt=False when the member was not tried."""
        self._write(bulletin_id, member_key, status, code, reason[:500], int(attempt))

    def _write(self, bulletin_id, member_key, status, code, reason, attempts) -> None:
        stamp = db.now()
        with self._lock, db.transaction(self._conn) as conn:
            conn.execute(
                "INSERT INTO deliveries VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (bulletin_id, member_key) DO UPDATE SET status = excluded.status,"
                " attempts = attempts + excluded.attempts, last_code = excluded.last_code,"
                " last_reason = excluded.last_reason, updated_at = excluded.updated_at",
                (bulletin_id, member_key, status, attempts, code, reason, stamp, stamp),
            )

    def entries(self, bulletin_id: str, status: LedgerStatus | None = None) -> Iterator[Entry]:
        """Stream the rows of a bulletin (in one status if given), a page at a time."""
        last = ""
        while True:
            with self._lock:
                rows = self._conn.execute(
                    "SELECT * FROM deliveries WHERE bulletin_id = ? AND (? IS NULL OR status = ?)"
                    " AND member_key > ? ORDER BY member_key LIMIT 1000",
                    (bulletin_id, status, status, last),
                ).fetchall()
            if not rows:
                return
            yield from (_entry(row) for row in rows)
            last = rows[-1]["member_key"]

    def counts(self, bulletin_id: str) -> dict[LedgerStatus, int]:
        """How many rows of the bulletin are in each status."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT status, count(*) FROM deliveries WHERE bulletin_id = ? GROUP BY status",
                (bulletin_id,),
            )
            found = {LedgerStatus(status): n for status, n in rows}
        return {status: found.get(status, 0) for status in LedgerStatus}


def _entry(row) -> Entry:
    return Entry(
        row["bulletin_id"],
        row["member_key"],
        LedgerStatus(row["status"]),
        row["attempts"],
        row["last_code"],
        row["last_reason"],
        datetime.fromisoformat(row["created_at"]),
        datetime.fromisoformat(row["updated_at"]),
    )
