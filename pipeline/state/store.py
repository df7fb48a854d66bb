"""The private state as one object: it owns the database connection and the whole schema, and
the rest of the code asks it in domain words through its views (members, approvals, ledger).

    with open_store(config) as store:
        store.members.count_active("bergveld-centrum")

A backend is a small interface (statements with `?` placeholders, transactions, migrations,
scrubbing), so a PostgreSQL backend can follow without touching the views or their callers.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from ..config import Config
from .approvals import Approvals
from .audit import Audit
from .console import SignIns
from .ledger import Ledger
from .members import Members
from .schema import MIGRATIONS, Migration
from .signups import Signups


class Backend(Protocol):
    """What a database engine gives the store."""

    name: str

    def execute(self, sql: str, params: Sequence = ()) -> Any:
        """Run one statement; the result iterates over rows and has `rowcount`, `lastrowid`."""
        ...

    def transaction(self) -> Any:
        """A context manager: all statements inside commit together, or none."""
        ...

    def migrate(self, migrations: Sequence[Migration]) -> int: ...

    def scrub(self) -> None:
        """Make deleted rows unrecoverable from the files (erasure)."""
        ...

    def close(self) -> None: ...


class Store:
    """Members, consent, sign-ups, approvals, the send ledger, the console's sign-ins and the audit
    log over one connection, shared by the sending threads under one lock."""

    def __init__(self, backend: Backend, config: Config):
        self.backend = backend
        self.schema_version = backend.migrate(MIGRATIONS)
        self._lock = threading.RLock()
        self._depth = 0  # transactions open on this connection (guarded by the lock)
        self.members = Members(self, config)
        self.approvals = Approvals(self)
        self.ledger = Ledger(self, config)
        self.signups = Signups(self)
        self.signins = SignIns(self)
        self.audit = Audit(self)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self.backend.close()

    def rows(self, sql: str, params: Sequence = ()) -> list:
        """Every row a query returns."""
        with self._lock:
            return self.backend.execute(sql, params).fetchall()

    def row(self, sql: str, params: Sequence = ()) -> Any | None:
        """The first row a query returns, or None."""
        with self._lock:
            return self.backend.execute(sql, params).fetchone()

    def write(self, sql: str, params: Sequence = ()) -> int:
        """One statement in its own transaction, committed on return; rows changed."""
        with self.transaction() as tx:
            return tx.execute(sql, params).rowcount

    def write_returning_id(self, sql: str, params: Sequence = ()) -> int:
        """One INSERT in its own transaction; the new row's id."""
        with self.transaction() as tx:
            return tx.execute(sql, params).lastrowid

    @contextmanager
    def transaction(self) -> Iterator[Backend]:
        """All or nothing; the yielded backend runs the statements of the transaction.

        A transaction opened inside another one (a view called within a larger change) is
        part of it: it commits or rolls back with the outer one.
        """
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.backend
                finally:
                    self._depth -= 1
                return
            with self.backend.transaction():
                self._depth = 1
                try:
                    yield self.backend
                finally:
                    self._depth = 0

    def scrub(self) -> None:
        """After an erasure: leave no copy of deleted data in the files."""
        with self._lock:
            self.backend.scrub()


def open_store(config: Config) -> Store:
    """The private state of this installation (SQLite under var/, the embedded default)."""
    from .sqlite import SqliteBackend

    return Store(SqliteBackend(config.members_db), config)
