"""Delivery that never silently gives up on a member, against relays that behave like real ones:
greylisting, per-connection limits, drops, a server that is down."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from pipeline.mailing.delivery import deliver
from pipeline.mailing.smtp import SmtpMailer
from pipeline.state.ledger import LedgerStatus
from tests.postgres import both_backends  # noqa: F401 - runs each test on SQLite and PostgreSQL

from .composer import make_composer
from .conftest import PLP, add_members
from .smtp_server import FaultyServer

BID = f"{PLP}/3"


@pytest.fixture
def send(make_config, store, ledger, smtp_server):
    """send(**config overrides) -> DeliveryReport, one run through the test server."""

    def run(server=None, **overrides):
        config = make_config(smtp_url=(server or smtp_server).url, **overrides)
        mailer = SmtpMailer(config)
        try:
            members = store.active_members(PLP, "nl")
            return deliver(BID, members, make_composer(BID), mailer, ledger, config, members=store)
        finally:
            mailer.close()

    return run


def statuses(ledger) -> Counter:
    return Counter(entry.status for entry in ledger.entries(BID))


def test_greylisting_longer_than_a_run_defers_then_the_next_run_delivers_all(
    send, store, ledger, smtp_server
):
    emails = add_members(store, 12)
    smtp_server.faults.greylist = 1.0  # longer than this run's tries (at 0, 0.05, 0.15 s)
    first = send(max_attempts=3, retry_base=0.05)
    assert first.sent == 0 and first.deferred == 12 and not first.complete
    assert first.failed == () and first.uncertain == ()
    assert statuses(ledger) == {LedgerStatus.DEFERRED: 12}
    assert first.next_due is not None
    again = send(max_attempts=3, retry_base=0.05)  # nothing due for 0.5 s: returns at once
    assert again.sent == 0 and smtp_server.messages == []
    time.sleep(1.0)
    last = send(max_attempts=3, retry_base=0.05)
    assert sorted(smtp_server.recipients()) == emails and last.complete and last.clean
    assert statuses(ledger) == {LedgerStatus.SENT: 12}


def test_a_short_greylisting_is_waited_out_within_the_run_sleeping_not_spinning(
    send, store, ledger, smtp_server
):
    emails = add_members(store, 4)
    smtp_server.faults.greylist = 0.3
    cpu = time.process_time()
    report = send(max_attempts=3, retry_base=0.2, smtp_concurrency=1)  # tries at 0, .2, .6 s
    spent = time.process_time() - cpu
    assert sorted(smtp_server.recipients()) == emails and report.clean
    # The run waited about half a second for the deferrals: asleep, not polling.
    assert spent < 0.25, f"{spent:.2f} s of CPU while waiting"


def test_452_after_n_messages_on_a_connection_goes_on_over_fresh_connections(
    send, store, ledger, smtp_server
):
    emails = add_members(store, 23)
    smtp_server.faults.rcpt_limit = 5
    report = send(smtp_concurrency=2)
    assert sorted(smtp_server.recipients()) == emails and report.clean
    assert smtp_server.connections >= 5  # 23 messages, 5 per connection
    assert {e.attempts for e in ledger.entries(BID)} == {1}  # not counted as failures


def test_421_after_n_messages_reconnects(send, store, ledger, smtp_server):
    emails = add_members(store, 10)
    smtp_server.faults.close_after = 3
    report = send(smtp_concurrency=1)
    assert sorted(smtp_server.recipients()) == emails and report.clean


def test_a_per_connection_limit_setting_opens_fresh_connections_itself(send, store, smtp_server):
    emails = add_members(store, 9)
    report = send(smtp_concurrency=1, smtp_messages_per_connection=4)
    assert sorted(smtp_server.recipients()) == emails and report.clean
    assert smtp_server.connections == 3


def test_drop_after_the_final_dot_is_uncertain_and_never_resent(send, store, ledger, smtp_server):
    emails = add_members(store, 3)
    smtp_server.faults.drop_after_data = {emails[0]}
    report = send(smtp_concurrency=1)
    assert len(report.uncertain) == 1 and report.sent == 2 and not report.clean
    smtp_server.faults.drop_after_data = set()
    assert send().sent == 0
    assert Counter(smtp_server.recipients())[emails[0]] == 1


def test_a_server_that_is_down_gets_bounded_attempts_and_loses_nobody(
    send, store, ledger, make_config
):
    add_members(store, 30)
    server = FaultyServer().start()
    url = server.url
    server.stop()  # nothing listens there any more: connections are refused
    down = type("Down", (), {"url": url})()
    report = send(server=down, smtp_concurrency=4)
    assert report.halted and "could not be used" in report.halted
    assert report.sent == 0 and not report.clean
    rows = statuses(ledger)
    assert set(rows) <= {LedgerStatus.DEFERRED, LedgerStatus.PENDING}
    assert sum(rows.values()) == 30  # every member still owed the message …
    assert rows[LedgerStatus.DEFERRED] < 30  # … stopped early: the rest never tried


def test_members_listed_after_a_halt_are_delivered_by_the_next_run(
    send, store, ledger, smtp_server
):
    emails = add_members(store, 30)
    smtp_server.faults.refuse_connections = 8
    first = send(smtp_concurrency=2)
    assert first.halted
    time.sleep(0.05)
    second = send(smtp_concurrency=2)
    assert sorted(smtp_server.recipients()) == emails and second.clean
