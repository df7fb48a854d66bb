"""The send ledger: a row per (bulletin, member pseudonym); nobody mailed twice, nobody skipped."""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from ..config import Config
from ..errors import DeliveryError
from .schema import now

if TYPE_CHECKING:
    from .store import Store


class BulletinLocked(DeliveryError):
    """Another process is sending this bulletin right now."""


class LedgerStatus(StrEnum):
    PENDING = "pending"  # known, not handed to the mailer yet
    SENDING = "sending"  # handed to the mailer; the outcome is not committed yet
    SENT = "sent"  # the server accepted the message
    DEFERRED = "deferred"  # not accepted this time (4xx, server away): tried again when due
    FAILED = "failed"  # refused for good (5xx), or deferred until the give-up age
    UNCERTAIN = "uncertain"  # may or may not have arrived: for review, never resent blindly
    SKIPPED = "skipped"  # not sent, with a reason (e.g. the message could not be composed)


INTERRUPTED = "the sending process stopped while this message was in flight"

# A row in one of these states is never handed to a mailer again (unless resolved by hand).
FINAL = frozenset({LedgerStatus.SENT, LedgerStatus.FAILED, LedgerStatus.UNCERTAIN})
# A bulletin is sent once no row is in one of these.
OPEN = frozenset({LedgerStatus.PENDING, LedgerStatus.SENDING, LedgerStatus.DEFERRED})


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
    next_attempt_at: datetime | None = None
    """When a deferred row is due."""


class Ledger:
    """The deliveries table: one row per (bulletin, member pseudonym)."""

    def __init__(self, store: Store, config: Config):
        self._store = store
        self._locks_dir = config.var_dir / "locks"

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
                raise BulletinLocked(
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
        with self._store.transaction() as tx:
            keys = [
                row[0]
                for row in tx.execute(
                    "SELECT member_key FROM deliveries WHERE bulletin_id = ? AND status = ?",
                    (bulletin_id, LedgerStatus.SENDING),
                )
            ]
            tx.execute(
                "UPDATE deliveries SET status = ?, last_reason = ?, updated_at = ?"
                " WHERE bulletin_id = ? AND status = ?",
                (LedgerStatus.UNCERTAIN, INTERRUPTED, now(), bulletin_id, LedgerStatus.SENDING),
            )
        return keys

    def entry(self, bulletin_id: str, member_key: str) -> Entry | None:
        """The row for this member, or None."""
        row = self._store.row(
            "SELECT * FROM deliveries WHERE bulletin_id = ? AND member_key = ?",
            (bulletin_id, member_key),
        )
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

    def defer(
        self,
        bulletin_id: str,
        member_key: str,
        due: datetime,
        code: int | None,
        reason: str,
        *,
        attempt: bool = True,
    ) -> None:
        """Record a temporary failure: the row is tried again once `due` (UTC) has come."""
        self._write(
            bulletin_id,
            member_key,
            LedgerStatus.DEFERRED,
            code,
            reason[:500],
            int(attempt),
            due.isoformat(timespec="milliseconds"),
        )

    def resolve(self, bulletin_id: str, member_key: str, status: LedgerStatus, why: str) -> bool:
        """Settle a row by hand (an operator read the relay's log); False if there is none."""
        changed = self._store.write(
            "UPDATE deliveries SET status = ?, last_reason = ?, next_attempt_at = NULL,"
            " updated_at = ? WHERE bulletin_id = ? AND member_key = ?",
            (status, why[:500], now(), bulletin_id, member_key),
        )
        return changed > 0

    def next_due(self, bulletin_id: str) -> datetime | None:
        """When the earliest deferred row of the bulletin is due, or None."""
        row = self._store.row(
            "SELECT min(next_attempt_at) FROM deliveries WHERE bulletin_id = ? AND status = ?",
            (bulletin_id, LedgerStatus.DEFERRED),
        )
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def _write(self, bulletin_id, member_key, status, code, reason, attempts, due=None) -> None:
        stamp = now()
        self._store.write(
            "INSERT INTO deliveries (bulletin_id, member_key, status, attempts, last_code,"
            " last_reason, created_at, updated_at, next_attempt_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (bulletin_id, member_key) DO UPDATE SET status = excluded.status,"
            " attempts = deliveries.attempts + excluded.attempts,"
            " last_code = excluded.last_code, last_reason = excluded.last_reason,"
            " updated_at = excluded.updated_at, next_attempt_at = excluded.next_attempt_at",
            (bulletin_id, member_key, status, attempts, code, reason, stamp, stamp, due),
        )

    def entries(self, bulletin_id: str, status: LedgerStatus | None = None) -> Iterator[Entry]:
        """Stream the rows of a bulletin (in one status if given), a page at a time."""
        last = ""
        while True:
            rows = self._store.rows(
                "SELECT * FROM deliveries WHERE bulletin_id = ?"
                " AND (CAST(? AS TEXT) IS NULL OR status = ?)"
                " AND member_key > ? ORDER BY member_key LIMIT 1000",
                (bulletin_id, status, status, last),
            )
            if not rows:
                return
            yield from (_entry(row) for row in rows)
            last = rows[-1]["member_key"]

    def counts(self, bulletin_id: str) -> dict[LedgerStatus, int]:
        """How many rows of the bulletin are in each status."""
        rows = self._store.rows(
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
        datetime.fromisoformat(row["next_attempt_at"]) if row["next_attempt_at"] else None,
    )
