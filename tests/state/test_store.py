"""The one private-state store: one connection, the whole schema, versioned migrations; each
test runs on SQLite and on PostgreSQL (tests/state/conftest.py) unless it is about SQLite's file."""

from __future__ import annotations

import sqlite3
import stat

import psycopg
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.errors import PlpError
from pipeline.state import open_store
from pipeline.state import sqlite as sqlite_backend
from pipeline.state.ledger import LedgerStatus
from pipeline.state.members import MemberStatus
from pipeline.state.schema import MIGRATIONS
from tests.mailing.conftest import PLP, SECRET, add_members, write_registry
from tests.postgres import sqlite_only

# The tables of the first releases, as they created them one by one (no schema version).
OLD_SCHEMA = """
CREATE TABLE members (id INTEGER PRIMARY KEY AUTOINCREMENT, plp TEXT NOT NULL, email TEXT,
    email_key TEXT, name TEXT NOT NULL DEFAULT '', language TEXT NOT NULL, status TEXT NOT NULL,
    status_reason TEXT NOT NULL DEFAULT '', hard_bounces INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL, updated TEXT NOT NULL);
CREATE TABLE consents (member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    given_on TEXT, method TEXT NOT NULL, recorded_by TEXT NOT NULL, text TEXT NOT NULL,
    version TEXT NOT NULL, recorded_at TEXT NOT NULL);
INSERT INTO members VALUES (1, 'bergveld-centrum', 'old@example.org', 'old@example.org', 'Old',
    'nl', 'active', '', 0, '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00');
"""


TABLES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table'",
    "postgres": "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
}


def test_a_new_store_has_the_whole_schema_at_the_latest_version(config):
    with open_store(config) as store:
        assert store.schema_version == MIGRATIONS[-1].version
        tables = {r[0] for r in store.rows(TABLES[store.backend.name])}
        versions = [r["version"] for r in store.rows("SELECT version FROM schema_version")]
    expected = {"members", "consents", "approvals", "deliveries", "signups", "audit"}
    assert expected | {"signin_links", "console_sessions", "schema_version"} <= tables
    assert versions == [m.version for m in MIGRATIONS]


@sqlite_only
def test_the_sqlite_file_is_the_owners_alone(config):
    open_store(config).close()
    assert stat.S_IMODE(config.members_db.stat().st_mode) == 0o600


@sqlite_only
def test_a_database_of_the_first_releases_is_adopted_with_its_members(config):
    config.members_db.parent.mkdir(parents=True)
    with sqlite3.connect(config.members_db) as old:
        old.executescript(OLD_SCHEMA)
    with open_store(config) as store:
        assert [m.email for m in store.members.list(PLP)] == ["old@example.org"]
        assert store.ledger.counts("x/1")[LedgerStatus.SENT] == 0  # the new tables exist
        assert store.schema_version == MIGRATIONS[-1].version
    with open_store(config) as again:  # opening twice migrates once
        versions = again.rows("SELECT version FROM schema_version")
    assert [v[0] for v in versions] == [m.version for m in MIGRATIONS]


def test_a_database_from_a_newer_plp_is_refused_not_misread(config):
    with open_store(config) as store:
        store.write("INSERT INTO schema_version (version, summary) VALUES (999, 'future')")
    with pytest.raises(PlpError, match=r"newer plp .schema 999.* upgrade plp"):
        open_store(config)


def test_the_views_share_one_connection_and_one_transaction(config, tmp_path):
    with open_store(config) as store:
        add_members(store.members, 3, tmp=tmp_path)
        with pytest.raises(RuntimeError), store.transaction() as tx:
            tx.execute("UPDATE members SET name = 'changed'")
            store.ledger.finish("bergveld-centrum/1", "k" * 64, LedgerStatus.SENT, 250)
            raise RuntimeError("all or nothing")
        # Both the member change and the ledger row were rolled back together.
        assert {m.name for m in store.members.list(PLP)} == {"Lid 0", "Lid 1", "Lid 2"}
        assert store.ledger.entry("bergveld-centrum/1", "k" * 64) is None


def test_statuses_in_sql_come_from_the_enums():
    from pathlib import Path

    folder = Path(sqlite_backend.__file__).parent
    source = "\n".join(p.read_text(encoding="utf-8") for p in folder.glob("*.py"))
    for status in (*MemberStatus, *LedgerStatus):
        assert f"'{status}'" not in source, f"the literal '{status}' is spelled in SQL"


def test_a_command_opens_the_database_once(tmp_path, monkeypatch, database_url):
    """`plp members import` then `list`: each command opens the private database once."""
    write_registry(tmp_path, {PLP: ["nl"]})
    (tmp_path / "leden.csv").write_text(
        "email;taal;toestemming\nan@example.org;nl;2025-01-15\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    opened = []
    engine = psycopg if database_url else sqlite3
    real = engine.connect

    def counting(*args, **kwargs):
        opened.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "connect", counting)
    env = {"PLP_SECRET": SECRET, "PLP_DATABASE_URL": database_url or ""}
    for args in (["import", "leden.csv", "--plp", PLP], ["list", "--plp", PLP]):
        opened.clear()
        result = CliRunner().invoke(cli, ["members", *args], env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert len(opened) == 1, opened
