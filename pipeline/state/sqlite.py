"""The embedded backend: one SQLite file under var/, in WAL mode, erasing without a trace."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..errors import PlpError
from .schema import Migration

# kill -9 safety needs only what the OS already holds (WAL + NORMAL survives a process crash);
# surviving a power cut would need FULL, at the price of one fsync per ledger commit.
SYNCHRONOUS = "NORMAL"

BUSY_TIMEOUT = 30  # seconds a connection waits for another one's write lock


class SqliteBackend:
    """One connection to the private database file, shared by the threads of one process."""

    name = "sqlite"

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # isolation_level=None: transactions are opened by us (BEGIN IMMEDIATE), so a commit
        # happens exactly where the code says, which the ledger's guarantees rely on.
        try:
            conn = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise PlpError(f"{path}: cannot open the private database ({exc})") from None
        path.chmod(0o600)  # before the WAL exists: SQLite gives it the database file's mode
        conn.row_factory = sqlite3.Row
        _wal(conn)
        conn.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
        # Erasure must leave no trace of an address in the file: zero freed cells and pages.
        conn.execute("PRAGMA secure_delete=ON")
        conn.execute("PRAGMA foreign_keys=ON")
        self._conn = conn

    def execute(self, sql: str, params: Sequence = ()) -> sqlite3.Cursor:
        """Run one statement (placeholders are `?`)."""
        return self._conn.execute(sql, params)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception (all or nothing)."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def version(self) -> int:
        """The schema version recorded (0: an empty database)."""
        found = self._conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        ).fetchone()
        return self._version() if found else 0

    def migrate(self, migrations: Sequence[Migration]) -> list[Migration]:
        """Bring the schema up to the last migration, each step in its own transaction (under
        SQLite's write lock, so two processes never apply one twice); the steps applied."""
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
            " summary TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)"
        )
        latest = migrations[-1].version
        version = self._version()
        if version > latest:
            raise PlpError(
                f"{self.path}: written by a newer plp (schema {version}, this one knows "
                f"{latest}) — upgrade plp before using this private state"
            )
        applied = []
        for migration in migrations:
            if migration.version <= version:
                continue
            with self.transaction():
                # Another process may have migrated while we waited for the write lock.
                if self._version() >= migration.version:
                    continue
                for statement in _statements(migration.sqlite):
                    self._conn.execute(statement)
                self._conn.execute(
                    "INSERT INTO schema_version (version, summary) VALUES (?, ?)",
                    (migration.version, migration.summary),
                )
            applied.append(migration)
        return applied

    def scrub(self) -> None:
        """Fold the WAL back into the database and empty it, so deleted data leaves no copy."""
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def describe(self) -> str:
        """Where the private state is, for messages."""
        return f"SQLite {self.path}"

    def _version(self) -> int:
        row = self._conn.execute("SELECT max(version) FROM schema_version").fetchone()
        return row[0] or 0


def _wal(conn: sqlite3.Connection) -> None:
    """Switch a file to WAL. On a new file, processes starting at once race for the switch,
    which SQLite answers "database is locked" without waiting: try again (another one's switch
    counts, the mode is the file's), for as long as a busy connection would wait."""
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _statements(script: str) -> Iterator[str]:
    """The statements of a script, one at a time (executescript would commit on its own)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer
            buffer = ""
    if buffer.strip():
        yield buffer
