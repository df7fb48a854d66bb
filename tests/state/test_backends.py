"""What must hold on SQLite and PostgreSQL alike: rows, SQL text, migrations under concurrency,
`plp db upgrade` and `plp check` through the CLI, erasure inside a transaction, the audit log."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.errors import PlpError
from pipeline.state import open_store
from pipeline.state.audit import AuditAction
from pipeline.state.schema import MIGRATIONS
from pipeline.state.store import open_backend
from tests.mailing.conftest import PLP, SECRET, add_members

PASSWORD = "s3cret-Db-pw"


@dataclass
class Outside:
    """The var/ of a test whose database is not the store fixture's (one URL given)."""

    var_dir: Path
    database_url: str | None = None


def plp(root, config, *args, database_url: str | None = None):
    """`plp --root ROOT ARGS…` with the test's private state (or another database URL)."""
    env = {
        "PLP_SECRET": SECRET,
        "PLP_VAR_DIR": str(config.var_dir),
        "PLP_DATABASE_URL": database_url or config.database_url or "",
    }
    return CliRunner().invoke(cli, ["--root", str(root), *args], env=env)


def test_rows_answer_by_position_and_by_name(state, tmp_path):
    add_members(state.members, 2, tmp=tmp_path)
    row = state.row("SELECT id, email, name FROM members ORDER BY id")
    assert (row[0], row["email"], row[2]) == (1, "m000@example.org", "Lid 0")
    assert dict(row) == {"id": 1, "email": "m000@example.org", "name": "Lid 0"}
    assert list(row) == [1, "m000@example.org", "Lid 0"]
    [(status, count)] = state.rows("SELECT status, count(*) FROM members GROUP BY status")
    assert (status, count) == ("active", 2)


def test_a_literal_percent_and_question_mark_in_sql_text_stay_text(state, tmp_path):
    add_members(state.members, 12, tmp=tmp_path)
    found = state.row(
        "SELECT count(*), '100% sure?' FROM members WHERE name LIKE '%1%' AND plp = ?", (PLP,)
    )
    assert tuple(found) == (3, "100% sure?")  # Lid 1, Lid 10, Lid 11


def test_stores_opened_at_once_on_an_empty_database_migrate_it_once(empty_config):
    # Each store is its own connection, as each process would be: they race to migrate.
    start, failures = threading.Barrier(6), []

    def open_one():
        start.wait()
        try:
            open_store(empty_config).close()
        except Exception as exc:
            failures.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with open_store(empty_config) as store:
        versions = [r[0] for r in store.rows("SELECT version FROM schema_version ORDER BY 1")]
    assert versions == [m.version for m in MIGRATIONS]


def test_opening_an_out_of_date_database_brings_it_up_to_date(empty_config, tmp_path):
    old = open_backend(empty_config)
    old.migrate(MIGRATIONS[:2])
    old.execute(
        "INSERT INTO members (plp, email, email_key, name, language, status, created, updated)"
        " VALUES (?, 'old@example.org', 'old@example.org', 'Old', 'nl', 'active', ?, ?)",
        (PLP, "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00"),
    )
    old.close()
    with open_store(empty_config) as store:
        assert [m.version for m in store.migrated] == [m.version for m in MIGRATIONS[2:]]
        assert [m.email for m in store.members.list(PLP)] == ["old@example.org"]
        add_members(store.members, 1, tmp=tmp_path)  # ids go on after the old rows
        assert [m.id for m in store.members.list(PLP)] == [1, 2]
    with open_store(empty_config) as again:
        assert again.migrated == []


def test_db_upgrade_applies_the_pending_steps_and_lists_them(content_tree, empty_config):
    root = content_tree()
    old = open_backend(empty_config)
    old.migrate(MIGRATIONS[:2])  # a database left by a plp of two schema steps
    old.close()
    result = plp(root, empty_config, "db", "upgrade")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:-1] == [f"Applied schema {m.version}: {m.summary}." for m in MIGRATIONS[2:]]
    assert lines[-1].endswith(f": schema {MIGRATIONS[-1].version}, up to date.")
    again = plp(root, empty_config, "db", "upgrade")
    assert again.output.endswith(f"schema {MIGRATIONS[-1].version}, already up to date.\n")
    assert plp(root, empty_config, "members", "list", "--plp", PLP).exit_code == 0


def test_check_says_where_the_private_state_is(content_tree, config):
    root = content_tree()
    if not config.database_url:  # plp check opens no SQLite file that is not there yet
        result = plp(root, config, "check")
        assert result.exit_code == 0, result.output
        assert "Private state: SQLite " in result.output and "not created yet" in result.output
        assert not config.members_db.exists()
        open_store(config).close()
    result = plp(root, config, "check")
    assert result.exit_code == 0, result.output
    kind = "PostgreSQL 'postgresql://postgres@/" if config.database_url else "SQLite /"
    assert f"Private state: {kind}" in result.output
    assert result.output.endswith(f": schema {MIGRATIONS[-1].version}, up to date.\n")


def test_a_database_of_a_newer_plp_stops_check_and_every_command_in_one_line(
    content_tree, config, state
):
    root = content_tree()
    state.write("INSERT INTO schema_version (version, summary) VALUES (999, 'future')")
    for args in (["check"], ["db", "upgrade"], ["members", "list", "--plp", PLP]):
        result = plp(root, config, *args)
        assert result.exit_code == 1, result.output
        [line] = [x for x in result.output.splitlines() if ": warning: " not in x]
        assert "written by a newer plp (schema 999" in line and "upgrade plp" in line
        assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "url, reason",
    [
        (f"postgresql://plp:{PASSWORD}@127.0.0.1:9/plp", "Connection refused"),
        (f"postgresql://plp:{PASSWORD}@127.0.0.1:notaport/plp", "invalid"),
    ],
    ids=["unreachable", "misspelt"],
)
def test_an_unreachable_database_is_one_line_naming_the_setting_never_the_password(
    content_tree, tmp_path, url, reason
):
    root, config = content_tree(), Outside(tmp_path / "var")
    for args in (["check"], ["db", "upgrade"], ["members", "list", "--plp", PLP]):
        result = plp(root, config, *args, database_url=url)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output and PASSWORD not in result.output
        [line] = [x for x in result.output.splitlines() if ": warning: " not in x]
        assert line.startswith("Error: PLP_DATABASE_URL 'postgresql://plp:***@127.0.0.1:")
        assert "cannot connect to the private database" in line and reason in line
        assert line.endswith("and that PostgreSQL is running there")


def test_a_database_that_does_not_exist_is_named(content_tree, tmp_path, postgres_cluster):
    url = postgres_cluster.url("plp_nowhere")
    result = plp(content_tree(), Outside(tmp_path / "var"), "check", database_url=url)
    assert result.exit_code == 1
    assert 'database "plp_nowhere" does not exist' in result.output, result.output


def test_an_erasure_inside_a_larger_transaction_scrubs_once_it_commits(state, tmp_path):
    emails = add_members(state.members, 2, tmp=tmp_path)
    [member] = state.members.find(emails[0])
    with state.transaction():  # VACUUM cannot run inside one: it waits for the commit
        assert state.members.erase_membership(member.id, PLP)
        state.audit.add(PLP, "role@plp.test", AuditAction.ERASE, f"member {member.id}")
    assert state.members.find(emails[0]) == []
    assert [m.email for m in state.members.list(PLP)] == [emails[1]]


def test_the_audit_log_refuses_change_on_both_backends(state):
    state.audit.add(PLP, "role@plp.test", AuditAction.APPROVE, "bulletin 1")
    for statement in ("UPDATE audit SET actor = 'someone else'", "DELETE FROM audit"):
        with pytest.raises((sqlite3.IntegrityError, psycopg.Error), match="append-only"):
            state.write(statement)
    assert [e.actor for e in state.audit.entries(PLP)] == ["role@plp.test"]


def test_a_failed_statement_undoes_its_transaction_and_the_store_goes_on(state, tmp_path):
    add_members(state.members, 1, tmp=tmp_path)
    with pytest.raises((sqlite3.IntegrityError, psycopg.Error)), state.transaction() as tx:
        tx.execute("UPDATE members SET name = 'changed'")
        tx.execute(
            "INSERT INTO members (id, plp, language, status, created, updated)"
            " VALUES (1, 'x', 'nl', 'active', '', '')"
        )  # the same id: refused
    assert [m.name for m in state.members.list(PLP)] == ["Lid 0"]
    with pytest.raises(PlpError):
        state.members.unsubscribe("nobody@example.org")


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_connection_lost_mid_command_is_one_line_and_nothing_half_done(
    postgres_cluster, state, tmp_path
):
    add_members(state.members, 2, tmp=tmp_path)
    pid = state.row("SELECT pg_backend_pid()")[0]
    lost = pytest.raises(PlpError, match="lost the connection to the private database")
    with lost as caught, state.transaction() as tx:
        tx.execute("UPDATE members SET name = 'half'")
        postgres_cluster.admin(f"SELECT pg_terminate_backend({pid})")  # as a restart would
        tx.execute("UPDATE members SET status = 'x'")
    assert "\n" not in str(caught.value) and str(caught.value).startswith("PLP_DATABASE_URL")
    with open_store(state.members.config) as again:
        assert {m.name for m in again.members.list(PLP)} == {"Lid 0", "Lid 1"}
