"""The shared backend: PostgreSQL through psycopg 3, for several processes and machines at once.

Chosen by PLP_DATABASE_URL. The views write SQLite's `?` placeholders; they are turned into
psycopg's `%s` here, once per statement text. Rows answer by position and by column name, as
sqlite3.Row does.

Erasure here (`scrub`) is `VACUUM FULL` of the tables an erasure changes: a plain VACUUM frees
the dead row versions but leaves their bytes in the pages (and in the indexes) until they are
reused, where the address could still be read from the files. VACUUM FULL rewrites those tables
and their indexes into new files and truncates the old ones, so no file of the database holds
the erased values any more (tests/mailing/test_delivery.py reads them to check). Its price is an
exclusive lock on members, consents and signups while it runs (about 0.5 s for 100,000 members
on the test machine), rare since erasures are. What it cannot promise: a row version that an
open transaction can still see is kept until that transaction ends; the freed disk blocks are
the filesystem's; the write-ahead log (pg_wal/, archived WAL, replicas) and backups keep copies
of the erased data until they rotate out, so the operator's retention periods are the
erasure's real delay.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import psycopg

from ..errors import PlpError
from ..settings import BY_FIELD
from .schema import Migration

SETTING = BY_FIELD["database_url"]

# The key of the advisory lock migrations run under, the same in every plp process.
MIGRATION_LOCK = zlib.crc32(b"plp schema migrations")

CONNECT_TIMEOUT = 10  # seconds; libpq's own default is to wait as long as TCP does

# The tables an erasure changes (members, their consents, sign-ups waiting for confirmation).
ERASED_TABLES = ("members", "consents", "signups")


class Row:
    """One row: row[0] and row["email"], iteration over values, keys() and dict(row)."""

    __slots__ = ("_index", "_values")

    def __init__(self, index: dict[str, int], values: Sequence[Any]):
        self._index = index
        self._values = values

    def __getitem__(self, key: int | str) -> Any:
        if isinstance(key, str):
            return self._values[self._index[key]]
        return self._values[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        return list(self._index)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._index, self._values, strict=True))!r})"


def _rows(cursor: psycopg.Cursor) -> Any:
    """psycopg's row factory: one name index per result, shared by its rows."""
    index = {column.name: i for i, column in enumerate(cursor.description or ())}
    return lambda values: Row(index, values)


_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|[?%]")


@lru_cache(maxsize=512)
def placeholders(sql: str) -> str:
    """SQLite's `?` as psycopg's `%s` and every `%` as `%%`; a `?` quoted or in a comment kept."""

    def swap(match: re.Match) -> str:
        token = match.group()
        if token == "?":
            return "%s"
        return token.replace("%", "%%")  # psycopg reads `%` even inside quotes

    return _TOKENS.sub(swap, sql)


def shown(url: str) -> str:
    """The setting and its URL as a message may show them: never the password."""
    return f"{SETTING.env} {SETTING.shown(url)}"


class PostgresBackend:
    """One connection to the shared database, used by the threads of one process in turn (the
    store's lock); several processes, on one machine or many, each hold their own."""

    name = "postgres"

    def __init__(self, url: str):
        self.url = url
        options = {} if "connect_timeout" in url else {"connect_timeout": CONNECT_TIMEOUT}
        try:
            # autocommit: a statement outside transaction() commits alone, as on SQLite, and
            # transaction() opens the only multi-statement transactions there are.
            self._conn = psycopg.connect(url, autocommit=True, row_factory=_rows, **options)
        except psycopg.Error as exc:
            raise PlpError(
                f"{shown(url)}: cannot connect to the private database "
                f"({_first_line(exc, url)}) — check the host, port, database name, user and "
                f"password in {SETTING.env}, and that PostgreSQL is running there"
            ) from None

    def execute(self, sql: str, params: Sequence = ()) -> psycopg.Cursor:
        """Run one statement (placeholders are `?`, as for SQLite)."""
        with self._lost():
            return self._conn.execute(placeholders(sql), params)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN … COMMIT, or ROLLBACK on any exception (all or nothing)."""
        with self._lost(), self._conn.transaction():
            yield

    @contextmanager
    def _lost(self) -> Iterator[None]:
        """A connection that broke (the server restarted, the network went) is the user's to
        fix, in one line; any other database error stays what it is, for the code to handle."""
        try:
            yield
        except psycopg.OperationalError as exc:
            if not self._conn.broken:
                raise
            raise PlpError(
                f"{shown(self.url)}: lost the connection to the private database "
                f"({_first_line(exc, self.url)}) — check that PostgreSQL is running, then run "
                "the command again (a send resumes where it stopped)"
            ) from None

    def version(self) -> int:
        """The schema version recorded (0: an empty database), without taking any lock."""
        exists = self._conn.execute("SELECT to_regclass('schema_version')").fetchone()[0]
        if exists is None:
            return 0
        return self._conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0

    def migrate(self, migrations: Sequence[Migration]) -> list[Migration]:
        """Bring the schema up to the last migration; the steps applied (none: up to date).

        All pending steps run in one transaction (PostgreSQL's DDL is transactional) under an
        advisory lock, so processes starting at once wait for the first one's migration
        instead of applying it twice.
        """
        latest = migrations[-1].version
        version = self.version()
        self._refuse_newer(version, latest)
        if version == latest:
            return []
        applied = []
        with self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                " summary TEXT NOT NULL, applied_at TEXT NOT NULL"
                " DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'))"
            )
            version = self.version()  # another process may have migrated while we waited
            self._refuse_newer(version, latest)
            for migration in migrations:
                if migration.version <= version:
                    continue
                self._conn.execute(migration.postgres)  # no parameters: a whole script at once
                self._conn.execute(
                    "INSERT INTO schema_version (version, summary) VALUES (%s, %s)",
                    (migration.version, migration.summary),
                )
                applied.append(migration)
        return applied

    def scrub(self) -> None:
        """Rewrite the tables an erasure changed (what it guarantees: the module's docstring)."""
        self._conn.execute(f"VACUUM FULL {', '.join(ERASED_TABLES)}")

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def describe(self) -> str:
        """Where the private state is, for messages: the URL without its password."""
        return f"PostgreSQL {SETTING.shown(self.url)}"

    def _refuse_newer(self, version: int, latest: int) -> None:
        if version > latest:
            raise PlpError(
                f"{shown(self.url)}: written by a newer plp (schema {version}, this one knows "
                f"{latest}) — upgrade plp before using this private state"
            )


def _first_line(exc: Exception, url: str) -> str:
    """libpq's message in one line, without the password should it ever quote the URL."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = lines[0] if lines else type(exc).__name__
    text = re.sub(r"\s+", " ", text.removeprefix("connection failed: "))
    try:
        password = psycopg.conninfo.conninfo_to_dict(url).get("password")
    except psycopg.Error:
        password = None
    return text.replace(str(password), "***") if password else text
