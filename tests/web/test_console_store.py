"""The console's private state: an append-only audit log, links used once, sessions that end."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import psycopg
import pytest

from pipeline.state import open_store
from pipeline.state.audit import AuditAction
from tests.postgres import both_backends  # noqa: F401 - runs each test on SQLite and PostgreSQL

TTL = timedelta(minutes=15)


@pytest.fixture
def store(make_config):
    with open_store(make_config(secret="s" * 40)) as opened:
        yield opened


def test_the_audit_log_is_append_only(store):
    store.audit.add("plp-a", "role@plp.test", AuditAction.APPROVE, "bulletin 1")
    store.audit.add("plp-b", "other@plp.test", AuditAction.SEND_STARTED, "bulletin 4")
    [entry] = store.audit.entries("plp-a")
    assert (entry.actor, entry.action, entry.detail) == ("role@plp.test", "approve", "bulletin 1")
    for statement in ("UPDATE audit SET actor = 'someone else'", "DELETE FROM audit"):
        with pytest.raises((sqlite3.IntegrityError, psycopg.Error), match="append-only"):
            store.write(statement)
    assert len(store.audit.entries("plp-a")) == 1


def test_a_link_is_used_once_by_its_own_address_and_sign_out_voids_the_others(store):
    signins = store.signins
    signins.add_link("n1", "key-a", TTL, mailed=True)
    signins.add_link("n2", "key-a", TTL, mailed=False)
    signins.add_link("n3", "key-a", -TTL, mailed=True)  # expired
    assert not signins.use_link("n1", "key-b")
    assert signins.use_link("n1", "key-a")
    assert not signins.use_link("n1", "key-a")
    assert not signins.use_link("n3", "key-a")
    assert signins.recent_requests("key-a", timedelta(hours=1)) == 2  # operators' not counted
    signins.void_links("key-a")
    assert not signins.use_link("n2", "key-a")


def test_a_session_ends_when_idle_too_long_at_its_absolute_end_or_at_sign_out(store):
    signins = store.signins
    signins.open_session("live", "role@plp.test", timedelta(hours=8))
    assert signins.session("live", timedelta(minutes=30)).address == "role@plp.test"
    assert signins.session("live", timedelta(seconds=-1)) is None  # idle: and now gone
    assert signins.session("live", timedelta(minutes=30)) is None
    signins.open_session("short", "role@plp.test", timedelta(seconds=-1))
    assert signins.session("short", timedelta(minutes=30)) is None
    signins.open_session("out", "role@plp.test", timedelta(hours=8))
    signins.close_session("out")
    assert signins.session("out", timedelta(minutes=30)) is None
