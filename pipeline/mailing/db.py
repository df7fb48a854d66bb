"""The private SQLite file under var/ shared by members, consent, approvals and the ledger."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

# kill -9 safety needs only what the OS already holds (WAL + NORMAL survives a process crash);
# surviving a power cut would need FULL, at the price of one fsync per ledger commit.
SYNCHRONOUS = "NORMAL"


def connect(path: Path, *, threads: bool = False) -> sqlite3.Connection:
    """Open the members database (creating its folder), in WAL mode with secure deletion."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # isolation_level=None: we open transactions ourselves (BEGIN IMMEDIATE), so a commit
    # happens exactly where the code says, which the ledger's guarantees rely on.
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=not threads)
    path.chmod(0o600)  # before the WAL exists: SQLite gives it the database file's mode
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
    # Erasure must leave no trace of an address in the file: zero freed cells and pages.
    conn.execute("PRAGMA secure_delete=ON")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception (all or nothing)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def scrub_file(conn: sqlite3.Connection) -> None:
    """Fold the WAL back into the database and empty it, so deleted data leaves no copy."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def now() -> str:
    """The current UTC time as ISO 8601, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()
