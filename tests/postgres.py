"""A real PostgreSQL for the tests: one cluster per test session in a temporary folder, a fresh
database per test made from a migrated template (CREATE DATABASE … TEMPLATE: a file copy).

Debian's `postgresql` package provides the binaries (/usr/lib/postgresql/<version>/bin); the
system's own cluster is neither started nor touched. initdb refuses to run as root: as root, the
cluster belongs to the `postgres` system user (the package creates it; created here with
`useradd --system` if missing), otherwise to whoever runs the tests. It listens on no TCP port,
only on a unix socket inside its folder, trusts whoever can reach that socket, and runs with
fsync off: nothing in it has to survive the session.

    database_url      the fixture a test module imports from here (`both_backends`) to run its
                      tests twice, on SQLite (None) and on a fresh PostgreSQL database
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.tools import need, postgres_bin

PORT = 5432  # only names the socket file: the cluster listens on no TCP port
TEMPLATE = "plp_template"


def _owner() -> str | None:
    """The user the cluster runs as, when we are root (None: ourselves)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"],
            check=True,
        )
    return "postgres"


class Cluster:
    """initdb, pg_ctl start/stop; `url(name)` is a libpq URL to one of its databases."""

    def __init__(self, binaries: Path, *, durable: bool = False):
        self.bin = binaries
        self.durable = durable  # a benchmark's: fsync and synchronous commits, as in production
        self.owner = _owner()
        # Not under pytest's tmp_path (root's alone): the owner must reach the socket folder.
        self.folder = Path(tempfile.mkdtemp(prefix="plp-pg-"))
        self.data = self.folder / "data"
        self._names = itertools.count(1)
        if self.owner:
            shutil.chown(self.folder, self.owner)

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", self.owner, "--"] if self.owner else []
        done = subprocess.run([*prefix, *command], capture_output=True, text=True)
        if done.returncode:
            log = self.folder / "log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{command[0]} failed: {done.stderr or done.stdout}\n{tail}")

    def start(self) -> Cluster:
        self._run(
            str(self.bin / "initdb"),
            *("-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8"),
            *("--no-locale", "--no-sync", "--no-instructions"),
        )
        options = f"-c listen_addresses='' -k {self.folder} -p {PORT} -c max_connections=200"
        if not self.durable:  # nothing in a test's cluster has to survive the session
            options += " -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        log = str(self.folder / "log")
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", log, "-w", "-o", options, "start"
        )
        return self

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(
                str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"
            )
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def describe(self) -> str:
        settings = "fsync on, synchronous commits" if self.durable else "fsync off"
        return f"a private cluster in {self.folder} ({settings}), unix socket only"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@/{database}?host={self.folder}&port={PORT}"

    def admin(self, *statements: str) -> None:
        """Run statements as the superuser, outside any transaction (CREATE/DROP DATABASE)."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def migrated_template(self, config) -> None:
        """The template every test database is copied from, at the latest schema."""
        from pipeline.state import open_store

        self.admin(f"CREATE DATABASE {TEMPLATE}")
        open_store(dataclasses.replace(config, database_url=self.url(TEMPLATE))).close()

    def new_database(self, *, empty: bool = False) -> str:
        """A new database: a copy of the migrated template, or empty (no schema at all)."""
        name = f"plp_test_{next(self._names)}"
        self.admin(f"CREATE DATABASE {name}" + ("" if empty else f" TEMPLATE {TEMPLATE}"))
        return name

    def drop(self, name: str) -> None:
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def postgres_cluster(tmp_path_factory):
    """The session's cluster, started on first use (skips, or fails under CI, without it)."""
    need("postgres")
    from tests.conftest import project_config

    cluster = Cluster(postgres_bin()).start()
    try:
        scratch = tmp_path_factory.mktemp("pg-template")
        cluster.migrated_template(project_config(scratch, scratch))
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def postgres_url(postgres_cluster):
    """A fresh database at the latest schema, dropped after the test."""
    name = postgres_cluster.new_database()
    yield postgres_cluster.url(name)
    postgres_cluster.drop(name)


@pytest.fixture
def empty_config(config, request):
    """`config` with an empty private state: no file under var/, or an empty database."""
    if not config.database_url:
        return config
    cluster = request.getfixturevalue("postgres_cluster")
    name = cluster.new_database(empty=True)
    request.addfinalizer(lambda: cluster.drop(name))
    return dataclasses.replace(config, database_url=cluster.url(name))


@pytest.fixture(name="database_url", params=["sqlite", "postgres"])
def both_backends(request):
    """Run the test on each backend: None (SQLite under var/) or a PostgreSQL URL."""
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("postgres_url")


def stored_bytes(config) -> bytes:
    """Every byte the private state keeps in its files, to look for what an erasure removed:
    the SQLite file and its WAL, or the PostgreSQL database's own files once CHECKPOINT has
    written them (not pg_wal/, which keeps copies until it rotates: see README's PostgreSQL)."""
    if not config.database_url:
        files = [p for p in config.var_dir.iterdir() if p.name.startswith("members.sqlite")]
        return b"".join(p.read_bytes() for p in files)
    import psycopg

    with psycopg.connect(config.database_url, autocommit=True) as conn:
        conn.execute("CHECKPOINT")
        data = conn.execute("SHOW data_directory").fetchone()[0]
        oid = conn.execute(
            "SELECT oid FROM pg_database WHERE datname = current_database()"
        ).fetchone()[0]
    folder = Path(data) / "base" / str(oid)
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file())


sqlite_only = pytest.mark.parametrize("database_url", [None], ids=["sqlite"])
"""For a test of SQLite's own file (its WAL, its mode) in a module that runs on both."""
