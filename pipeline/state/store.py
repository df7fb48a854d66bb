"""The private state as one object: it owns the database connection and the whole schema, and
the rest of the code asks it in domain words through its views (members, approvals, ledger).

    with open_store(config) as store:
        store.members.count_active("bergveld-centrum")

A backend is a small interface (statements with `?` placeholders, transactions, migrations,
scrubbing): SQLite under var/ (the embedded default, sqlite.py) or PostgreSQL when
PLP_DATABASE_URL names one (postgres.py), behind the same views and their callers.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from ..config import Config
from ..errors import PlpError
from .approvals import Approvals
from .audit import Audit
from .console import SignIns
from .ledger import Ledger
from .members import Members
from .schema import MIGRATIONS, Migration, returned_id
from .signups import Signups


class Backend(Protocol):
    """What a database engine gives the store."""

    name: str
    """"sqlite" or "postgres": for the few choices that differ (e.g. how senders share work)."""

    def execute(self, sql: str, params: Sequence = ()) -> Any:
        """Run one statement; the result iterates over rows (by index and by column name) and
        has `rowcount`. A new row's id comes from `INSERT … RETURNING id`."""
        ...

    def transaction(self) -> Any:
        """A context manager: all statements inside commit together, or none."""
        ...

    def version(self) -> int:
        """The schema version the database records (0: empty)."""
        ...

    def migrate(self, migrations: Sequence[Migration]) -> list[Migration]:
        """Apply the pending steps, never one twice when processes start at once; refuse a
        database of a newer plp (PlpError). Returns the steps applied."""
        ...

    def scrub(self) -> None:
        """Make deleted rows unrecoverable from the files (erasure), as far as the engine can."""
        ...

    def describe(self) -> str:
        """Where the state is, for messages (never a password)."""
        ...

    def close(self) -> None: ...


class Store:
    """Members, consent, sign-ups, approvals, the send ledger, the console's sign-ins and the audit
    log over one connection, shared by the sending threads under one lock."""

    def __init__(self, backend: Backend, config: Config):
        self.backend = backend
        try:
            self.migrated = backend.migrate(MIGRATIONS)  # what `plp db upgrade` reports
        except BaseException:
            backend.close()
            raise
        self.schema_version = MIGRATIONS[-1].version
        self._lock = threading.RLock()
        self._depth = 0  # transactions open on this connection (guarded by the lock)
        self._scrub_after_commit = False
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
        """One `INSERT … RETURNING id` in its own transaction; the new row's id."""
        with self.transaction() as tx:
            return returned_id(tx.execute(sql, params))

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
            if self._scrub_after_commit:
                self._scrub_after_commit = False
                self.backend.scrub()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Inside a transaction: on an exception, undo what this block did (and re-raise),
        keeping the rest of the transaction."""
        with self.transaction() as tx:
            tx.execute("SAVEPOINT plp_write")
            try:
                yield
            except BaseException:
                tx.execute("ROLLBACK TO SAVEPOINT plp_write")
                tx.execute("RELEASE SAVEPOINT plp_write")
                raise
            tx.execute("RELEASE SAVEPOINT plp_write")

    def scrub(self) -> None:
        """After an erasure: leave no copy of deleted data in the files (as far as the
        backend can); inside a transaction, once it has committed (VACUUM needs that)."""
        with self._lock:
            if self._depth:
                self._scrub_after_commit = True
            else:
                self.backend.scrub()


def open_backend(config: Config) -> Backend:
    """A connection to this installation's private state, its schema untouched: PostgreSQL
    when PLP_DATABASE_URL is set, else SQLite under var/ (the embedded default)."""
    if config.database_url:
        from .postgres import PostgresBackend  # psycopg only for those who use it

        return PostgresBackend(config.database_url)
    from .sqlite import SqliteBackend

    return SqliteBackend(config.members_db)


def open_store(config: Config) -> Store:
    """The private state of this installation, its schema brought up to date."""
    return Store(open_backend(config), config)


def describe_state(config: Config) -> str:
    """`plp check`'s line about the private state: where it is and its schema version; a
    database that cannot be reached, or was written by a newer plp, is a PlpError."""
    if not config.database_url and not config.members_db.exists():
        return f"SQLite {config.members_db}: not created yet (the first command that needs it does)"
    backend = open_backend(config)
    try:
        version, latest = backend.version(), MIGRATIONS[-1].version
        where = backend.describe()
    finally:
        backend.close()
    if version > latest:
        raise PlpError(
            f"{where}: written by a newer plp (schema {version}, this one knows {latest})"
            " — upgrade plp before using this private state"
        )
    if version < latest:
        steps = latest - version
        return f"{where}: schema {version}, {steps} step(s) behind — run `plp db upgrade`"
    return f"{where}: schema {version}, up to date"
