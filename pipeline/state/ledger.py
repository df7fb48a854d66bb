"""The send ledger: a row per (bulletin, member pseudonym); nobody mailed twice, nobody skipped."""

from __future__ import annotations

import fcntl
import hashlib
import os
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
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

_LIVE: set[str] = set()  # the senders running in this process (plp web may run several)
SEED_ROWS = 500  # rows an INSERT when a bulletin's list is seeded (5 parameters each)

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


@dataclass(frozen=True)
class Claimed:
    """A row this sender claimed (reserved under its name) and must settle or release."""

    member_key: str
    attempts: int
    created_at: datetime
    status: LedgerStatus = LedgerStatus.PENDING  # what it was when claimed


@dataclass(frozen=True)
class Settlement:
    """The outcome of one claimed row, written with the next claim (or at the end)."""

    member_key: str
    status: LedgerStatus
    code: int | None = None
    reason: str = ""
    attempted: bool = True
    due: datetime | None = None  # deferred: when it is tried next


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

    @property
    def shared(self) -> bool:
        """Whether several senders may work on one bulletin at once (a database server)."""
        return self._store.backend.name == "postgres"

    @contextmanager
    def sender(self, bulletin_id: str) -> Iterator[str]:
        """This process as a sender of the bulletin; yields its name for the rows it claims.

        On SQLite one sender at a time (a file lock: BulletinLocked for a second one); on
        PostgreSQL any number, each holding a session lock under its name while it lives, so
        the others can tell its rows in flight from a dead sender's.
        """
        name = f"{os.uname().nodename}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        if not self.shared:
            with self.lock(bulletin_id):
                yield name
            return
        self._store.row("SELECT pg_advisory_lock(?)", (_lock_key(name),))
        _LIVE.add(name)
        try:
            yield name
        finally:
            _LIVE.discard(name)
            self._store.row("SELECT pg_advisory_unlock(?)", (_lock_key(name),))

    def recover(self, bulletin_id: str, me: str | None = None) -> list[str]:
        """A dead sender's rows: those in `sending` become `uncertain` (they may have gone
        out), those it had only claimed go back to the queue. Returns the uncertain keys.

        On SQLite the caller holds the bulletin's lock, so every other sender is dead; on
        PostgreSQL a sender is dead once its session lock can be taken.
        """
        keys: list[str] = []
        with self._store.transaction() as tx:
            claimants = [
                row[0]
                for row in tx.execute(
                    "SELECT DISTINCT claimed_by FROM deliveries WHERE bulletin_id = ?"
                    " AND (status = ? OR claimed_by IS NOT NULL)",
                    (bulletin_id, LedgerStatus.SENDING),
                )
            ]
            for claimant in claimants:
                if claimant == me or (claimant is not None and not self._gone(tx, claimant)):
                    continue
                match = "claimed_by IS NULL" if claimant is None else "claimed_by = ?"
                whose = () if claimant is None else (claimant,)
                keys += [
                    row[0]
                    for row in tx.execute(
                        "UPDATE deliveries SET status = ?, last_reason = ?, updated_at = ?,"
                        f" claimed_by = NULL WHERE bulletin_id = ? AND status = ? AND {match}"
                        " RETURNING member_key",
                        (
                            LedgerStatus.UNCERTAIN,
                            INTERRUPTED,
                            now(),
                            bulletin_id,
                            LedgerStatus.SENDING,
                            *whose,
                        ),
                    )
                ]
                if claimant is not None:
                    tx.execute(
                        "UPDATE deliveries SET claimed_by = NULL WHERE bulletin_id = ?"
                        " AND claimed_by = ?",
                        (bulletin_id, claimant),
                    )
        return keys

    def _gone(self, tx, claimant: str) -> bool:
        if not self.shared:
            return True
        if claimant in _LIVE:  # a send of this process: its own session holds the lock, and
            return False  # PostgreSQL grants a session a lock it already has
        key = _lock_key(claimant)
        if not tx.execute("SELECT pg_try_advisory_lock(?)", (key,)).fetchone()[0]:
            return False  # its session still holds it: alive
        tx.execute("SELECT pg_advisory_unlock(?)", (key,))
        return True

    def seed(self, bulletin_id: str, keys: Iterable[str]) -> None:
        """A `pending` row for every member key the bulletin has none for yet."""
        stamp = now()
        pending = list(keys)
        for at in range(0, len(pending), SEED_ROWS):
            chunk = pending[at : at + SEED_ROWS]
            # Many rows a statement: one round trip per chunk on a database server.
            values = ", ".join("(?, ?, ?, ?, ?)" for _ in chunk)
            params = [
                p for key in chunk for p in (bulletin_id, key, LedgerStatus.PENDING, stamp, stamp)
            ]
            with self._store.transaction() as tx:
                tx.execute(
                    "INSERT INTO deliveries (bulletin_id, member_key, status, created_at,"
                    f" updated_at) VALUES {values}"
                    " ON CONFLICT (bulletin_id, member_key) DO NOTHING",
                    params,
                )

    def forget_unsent(self, bulletin_id: str, keys: Sequence[str]) -> None:
        """Drop the waiting rows of members who left the list: nothing is owed to them."""
        with self._store.transaction() as tx:
            for key in keys:
                tx.execute(
                    "DELETE FROM deliveries WHERE bulletin_id = ? AND member_key = ?"
                    " AND status IN (?, ?) AND claimed_by IS NULL",  # not another sender's
                    (bulletin_id, key, LedgerStatus.PENDING, LedgerStatus.DEFERRED),
                )

    def requeue_skipped(self, bulletin_id: str, keys: Sequence[str]) -> None:
        """Skipped rows (the message could not be composed) become pending for a new run."""
        with self._store.transaction() as tx:
            for key in keys:
                tx.execute(
                    "UPDATE deliveries SET status = ?, updated_at = ? WHERE bulletin_id = ?"
                    " AND member_key = ? AND status = ?",
                    (LedgerStatus.PENDING, now(), bulletin_id, key, LedgerStatus.SKIPPED),
                )

    def batch(self):
        """One commit for the calls made inside (claim, mark, settle, release)."""
        return self._store.transaction()

    def claim(
        self, bulletin_id: str, me: str, limit: int, *, skip: Sequence[str] = ()
    ) -> list[Claimed]:
        """Take up to `limit` open rows (deferred and due first, then pending) under this
        sender's name; they stay as they are until `mark_sending`.

        Rows another sender is claiming are skipped, not waited for (FOR UPDATE SKIP
        LOCKED), so several senders split the bulletin and never take the same row.
        """
        lock = " FOR UPDATE SKIP LOCKED" if self.shared else ""
        avoid = f" AND member_key NOT IN ({', '.join('?' * len(skip))})" if skip else ""
        due = datetime.now(UTC).isoformat(timespec="milliseconds")
        claimed: list[Claimed] = []
        with self._store.transaction() as tx:
            for status, when in (
                (LedgerStatus.DEFERRED, " AND next_attempt_at <= ?"),
                (LedgerStatus.PENDING, ""),
            ):
                wanted = limit - len(claimed)
                if wanted <= 0:
                    break
                extra = (due,) if when else ()
                # Two statements, not UPDATE … IN (SELECT … LIMIT … SKIP LOCKED): PostgreSQL may
                # run such a subquery once per row it updates, and the LIMIT then means nothing.
                keys = [
                    row[0]
                    for row in tx.execute(
                        "SELECT member_key FROM deliveries WHERE bulletin_id = ? AND status = ?"
                        f" AND claimed_by IS NULL{when}{avoid} LIMIT ?{lock}",
                        (bulletin_id, status, *extra, *skip, wanted),
                    )
                ]
                if not keys:
                    continue
                rows = tx.execute(
                    "UPDATE deliveries SET claimed_by = ? WHERE bulletin_id = ? AND member_key"
                    f" IN ({', '.join('?' * len(keys))}) RETURNING member_key, attempts,"
                    " created_at",
                    (me, bulletin_id, *keys),
                ).fetchall()
                claimed += [
                    Claimed(row[0], row[1], datetime.fromisoformat(row[2]), status) for row in rows
                ]
        return claimed

    def mark_claimed_sending(self, bulletin_id: str, me: str, keys: Sequence[str]) -> None:
        """Committed before these messages leave: if the sender dies, they are "maybe sent"."""
        if not keys:
            return
        marks = ", ".join("?" * len(keys))
        with self._store.transaction() as tx:
            tx.execute(
                "UPDATE deliveries SET status = ?, updated_at = ? WHERE bulletin_id = ?"
                f" AND claimed_by = ? AND member_key IN ({marks})",
                (LedgerStatus.SENDING, now(), bulletin_id, me, *keys),
            )

    def release(self, bulletin_id: str, me: str, rows: Sequence[Claimed]) -> None:
        """Claimed rows this sender will not try (marked or not): back to the queue as they
        were when claimed."""
        with self._store.transaction() as tx:
            for row in rows:
                tx.execute(
                    "UPDATE deliveries SET status = ?, claimed_by = NULL WHERE bulletin_id = ?"
                    " AND member_key = ? AND claimed_by = ?",
                    (row.status, bulletin_id, row.member_key, me),
                )

    def settle(self, bulletin_id: str, me: str, settled: Sequence[Settlement]) -> None:
        """Write the outcomes of rows this sender claimed, in one commit."""
        if settled:
            with self._store.transaction() as tx:
                self._settle(tx, bulletin_id, me, settled)

    def _settle(self, tx, bulletin_id: str, me: str, settled: Sequence[Settlement]) -> None:
        stamp = now()
        for s in settled:
            due = s.due.isoformat(timespec="milliseconds") if s.due else None
            # Only a row still claimed by this sender: a row settled by someone else stays so.
            tx.execute(
                "UPDATE deliveries SET status = ?, attempts = attempts + ?, last_code = ?,"
                " last_reason = ?, updated_at = ?, next_attempt_at = ?, claimed_by = NULL"
                " WHERE bulletin_id = ? AND member_key = ? AND claimed_by = ?",
                (
                    s.status,
                    int(s.attempted),
                    s.code,
                    s.reason[:500],
                    stamp,
                    due,
                    bulletin_id,
                    s.member_key,
                    me,
                ),
            )

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

    def in_flight(self, bulletin_id: str) -> dict[str | None, int]:
        """Rows in `sending`, by the sender that claimed them."""
        rows = self._store.rows(
            "SELECT claimed_by, count(*) FROM deliveries WHERE bulletin_id = ? AND status = ?"
            " GROUP BY claimed_by",
            (bulletin_id, LedgerStatus.SENDING),
        )
        return {claimant: n for claimant, n in rows}

    def counts(self, bulletin_id: str) -> dict[LedgerStatus, int]:
        """How many rows of the bulletin are in each status."""
        rows = self._store.rows(
            "SELECT status, count(*) FROM deliveries WHERE bulletin_id = ? GROUP BY status",
            (bulletin_id,),
        )
        found = {LedgerStatus(status): n for status, n in rows}
        return {status: found.get(status, 0) for status in LedgerStatus}


def _lock_key(claimant: str) -> int:
    """A sender's name as a PostgreSQL advisory lock key (a signed 64-bit integer)."""
    return int.from_bytes(hashlib.sha256(claimant.encode()).digest()[:8], "big", signed=True)


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
