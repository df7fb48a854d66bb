"""deliver() against a real SMTP server on loopback, including every fault it must survive."""

from __future__ import annotations

import json
import sys
import time
from collections import Counter

import pytest

from pipeline.errors import DeliveryError, PlpError
from pipeline.mailing.delivery import SWITCH_INTERVAL, deliver
from pipeline.mailing.report import LISTED, DeliveryReport, Outcome, delivery_progress
from pipeline.mailing.smtp import SmtpMailer
from pipeline.state.ledger import LedgerStatus
from pipeline.state.members import NewMember
from tests.postgres import both_backends, stored_bytes  # noqa: F401 - SQLite and PostgreSQL

from .composer import make_composer
from .conftest import PLP, add_members, parse_strict

BID = f"{PLP}/7"


@pytest.fixture
def send(make_config, store, ledger, smtp_server):
    """send(**config overrides) -> DeliveryReport: the active nl members, through the server."""

    def run(compose=None, progress=None, **overrides):
        config = make_config(smtp_url=smtp_server.url, **overrides)
        mailer = SmtpMailer(config)
        try:
            return deliver(
                BID,
                store.active_members(PLP, "nl"),
                compose or make_composer(BID),
                mailer,
                ledger,
                config,
                progress,
                members=store,
            )
        finally:
            mailer.close()

    return run


def hard_bounces(store, email: str) -> int:
    return json.loads(store.export(email=email))["members"][0]["hard_bounces"]


def statuses(ledger) -> Counter:
    return Counter(entry.status for entry in ledger.entries(BID))


def test_every_member_gets_exactly_one_message(send, store, ledger, smtp_server):
    emails = add_members(store, 60)
    add_members(store, 0, lang="fr", extra=("fr@example.org",))  # another language: not sent
    add_members(store, 0, plp="other-plp", extra=("other@example.org",))  # another PLP
    seen = []
    report = send(smtp_concurrency=3)
    assert sorted(smtp_server.recipients()) == emails
    assert report.sent == 60 and statuses(ledger) == {LedgerStatus.SENT: 60}
    assert 1 < smtp_server.max_open_connections <= 3
    assert smtp_server.connections == smtp_server.max_open_connections  # reused, not reopened
    for message in smtp_server.messages:
        parsed = parse_strict(message.data)
        assert parsed["To"].addresses[0].addr_spec == message.recipient
        assert message.sender == "bounces@plp.example.org"
        assert b"\r\n.leading dot line\r\n" in message.data  # dot-stuffed on the wire only
    assert "60 sent, 0 failed, 0 uncertain, 0 skipped" in report.summary()
    # Sending a completed bulletin again sends nothing.
    again = deliver(
        BID,
        store.active_members(PLP, "nl"),
        make_composer(BID),
        SmtpMailer(store.config),
        ledger,
        store.config,
        progress=seen.append,
    )
    assert again.sent == 0 and again.earlier == {"sent": 60}
    assert len(smtp_server.messages) == 60 and seen == [LedgerStatus.SENT] * 60
    assert "already handled by an earlier run: 60 sent" in again.summary()


def test_421_at_connect_is_retried(send, store, ledger, smtp_server):
    emails = add_members(store, 5)
    smtp_server.faults.refuse_connections = 2
    report = send(smtp_concurrency=1)
    assert sorted(smtp_server.recipients()) == emails and report.sent == 5
    assert smtp_server.connections == 3


def test_server_that_never_answers_stops_the_run_and_loses_nothing(
    send, store, ledger, smtp_server
):
    emails = add_members(store, 40)
    smtp_server.faults.refuse_connections = 1000
    report = send(smtp_concurrency=2)
    # The circuit breaker: a handful of connection attempts, not one series per member.
    assert report.halted and "421 4.3.2 Too busy" in report.halted
    assert smtp_server.connections <= 12 and not report.complete and not report.clean
    # Nothing lost: each member deferred, or waiting untried.
    assert set(statuses(ledger)) <= {LedgerStatus.DEFERRED, LedgerStatus.PENDING}
    assert sum(statuses(ledger).values()) == 40
    assert "Stopped: the mail server could not be used" in report.summary()
    smtp_server.faults.refuse_connections = 0
    time.sleep(0.05)  # the deferred members come due
    report = send()
    assert sorted(smtp_server.recipients()) == emails and report.sent == 40
    assert report.complete and report.clean


def test_451_at_rcpt_is_retried_with_backoff(send, store, ledger, smtp_server):
    emails = add_members(store, 4)
    smtp_server.faults.tempfail_rcpt = 2
    report = send(max_attempts=3)
    assert sorted(smtp_server.recipients()) == emails and report.sent == 4
    assert {e.attempts for e in ledger.entries(BID)} == {3}


def test_451_beyond_one_run_leaves_members_deferred_not_failed(send, store, ledger, smtp_server):
    add_members(store, 2)
    smtp_server.faults.tempfail_rcpt = 99
    report = send(max_attempts=3)
    assert smtp_server.messages == [] and report.failed == () and report.deferred == 2
    assert set(smtp_server.rcpt_attempts.values()) == {3}  # max_attempts tries in one run
    assert not report.complete and report.next_due is not None
    assert "Deferred: 2 member(s) not accepted yet; the next try is due" in report.summary()
    assert statuses(ledger) == {LedgerStatus.DEFERRED: 2}


def test_451_past_the_give_up_age_is_failed(send, store, ledger, smtp_server):
    add_members(store, 2)
    smtp_server.faults.tempfail_rcpt = 99
    report = send(max_attempts=3, give_up_after=0.00001)  # hours: 36 ms
    assert smtp_server.messages == [] and len(report.failed) == 2
    assert all(o.code == 451 and "gave up after" in o.reason for o in report.failed)
    assert report.complete and not report.clean


def test_550_is_failed_not_retried_and_bounces_the_member(send, store, ledger, smtp_server):
    emails = add_members(store, 3)
    smtp_server.faults.reject_rcpt = {emails[1]}
    report = send()
    assert sorted(smtp_server.recipients()) == [emails[0], emails[2]]
    assert smtp_server.rcpt_attempts[emails[1]] == 1
    [failed] = report.failed
    assert failed.code == 550 and emails[1] not in failed.reason  # the ledger holds no address
    assert hard_bounces(store, emails[1]) == 1
    assert "Failed (not retried" in report.summary()


def test_554_at_data_is_failed_and_not_a_bounce(send, store, ledger, smtp_server):
    emails = add_members(store, 2)
    smtp_server.faults.reject_data = {emails[0]}
    report = send()
    assert smtp_server.recipients() == [emails[1]]
    assert [o.code for o in report.failed] == [554]
    assert hard_bounces(store, emails[0]) == 0


def test_connection_dropped_during_data_is_retried_and_delivered_once(
    send, store, ledger, smtp_server
):
    """The final "." never went out: the server cannot have the message (RFC 5321)."""
    emails = add_members(store, 3)
    smtp_server.faults.drop_during_data_once = {emails[1]}
    report = send(smtp_concurrency=1)
    assert sorted(smtp_server.recipients()) == emails and report.uncertain == ()
    assert report.sent == 3 and report.clean
    assert send().sent == 0 and Counter(smtp_server.recipients())[emails[1]] == 1


def test_connection_dropped_after_data_is_uncertain_and_no_duplicate(
    send, store, ledger, smtp_server
):
    emails = add_members(store, 3)
    smtp_server.faults.drop_after_data = {emails[0]}
    report = send(smtp_concurrency=1)
    assert sorted(smtp_server.recipients()) == emails  # it did arrive …
    assert len(report.uncertain) == 1 and report.sent == 2  # … but nobody could know
    send()
    assert Counter(smtp_server.recipients())[emails[0]] == 1


def test_server_slower_than_the_timeout(send, store, ledger, smtp_server):
    emails = add_members(store, 2)
    smtp_server.faults.slow_data = {emails[0]: 1.0}
    report = send(smtp_timeout=0.3, smtp_concurrency=1)
    assert len(report.uncertain) == 1 and report.sent == 1
    assert "no answer after the message was sent" in report.uncertain[0].reason


def test_slow_greeting_counts_as_unavailable(send, store, ledger, smtp_server):
    add_members(store, 1)
    smtp_server.faults.slow_greeting = 1.0
    report = send(smtp_timeout=0.2, max_attempts=2)
    assert statuses(ledger) == {LedgerStatus.DEFERRED: 1} and report.deferred == 1
    assert smtp_server.messages == []


def test_idle_connection_closed_by_the_server_is_reopened(send, store, ledger, smtp_server):
    emails = add_members(store, 6)
    smtp_server.faults.hang_up_every = 2
    report = send(smtp_concurrency=1)
    assert sorted(smtp_server.recipients()) == emails and report.sent == 6
    assert all(e.attempts == 1 for e in ledger.entries(BID))


def test_rate_limit(send, store, smtp_server):
    add_members(store, 10)
    start = time.monotonic()
    send(smtp_rate=50.0, smtp_concurrency=4)
    assert time.monotonic() - start >= 9 / 50


def test_internationalised_addresses(send, store, smtp_server):
    add_members(store, 0, extra=("anne@exämple.example.net",))
    # Import refuses a non-ASCII local part (the bulletin composer cannot carry one); the
    # mailer still speaks SMTPUTF8 to a relay that offers it, for mail composed with one.
    store.add(PLP, [NewMember("zoë@example.org", "Zoë", "nl", "ok", "v1", "test", "test")])
    report = send()
    assert report.sent == 2
    assert sorted(smtp_server.recipients()) == [
        "anne@xn--exmple-cua.example.net",
        "zoë@example.org",
    ]
    for message in smtp_server.messages:
        if message.recipient.isascii():
            parse_strict(message.data)
        else:  # SMTPUTF8: the headers are UTF-8 on the wire, beyond what email.parser decodes
            assert "<zoë@example.org>\r\n" in message.data.decode("utf-8")


def test_a_message_that_cannot_be_composed_is_skipped_then_sent(send, store, ledger, smtp_server):
    emails = add_members(store, 3)
    good = make_composer(BID)

    def picky(recipient):
        if recipient.email == emails[1]:
            raise PlpError("the name would break the To header")
        return good(recipient)

    report = send(compose=picky)
    assert [o.reason for o in report.skipped] == ["the name would break the To header"]
    assert send().sent == 1
    assert sorted(smtp_server.recipients()) == emails


def test_a_second_run_of_the_same_bulletin_is_refused_on_sqlite_only(send, store, ledger):
    add_members(store, 1)
    if not ledger.shared:  # SQLite: one sender a bulletin, held by a file lock
        with ledger.lock(BID), pytest.raises(DeliveryError, match="another process"):
            send()
    else:  # a database server: senders share the bulletin (tests/mailing/test_senders.py)
        with ledger.lock(BID):
            assert send().sent == 1


def test_an_address_echoed_by_the_server_is_not_kept_after_erasure(
    send, store, config, smtp_server
):
    email = "quirinus.vandamme@example.org"
    add_members(store, 2, extra=(email,))
    smtp_server.faults.reject_rcpt = {email}  # the 550 reply quotes the address
    assert [o.code for o in send().failed] == [550]
    store.forget(email)
    assert b"quirinus" not in stored_bytes(config).lower()


def test_progress_is_reported_once_per_member(send, store, smtp_server):
    emails = add_members(store, 5)
    smtp_server.faults.reject_rcpt = {emails[0]}
    seen: list[LedgerStatus] = []
    with delivery_progress(5, "non-terminal") as progress:
        progress(LedgerStatus.SENT)  # silent when stderr is not a terminal
    with delivery_progress(5, f"Sending {BID}", force=True) as progress:
        report = send(progress=lambda status: (seen.append(status), progress(status)))
    assert report.sent == 4 and Counter(seen) == {LedgerStatus.SENT: 4, LedgerStatus.FAILED: 1}


def test_a_long_summary_lists_the_first_outcomes_and_counts_the_rest():
    outcomes = tuple(Outcome(f"{i:064x}", i, 550, "no such user") for i in range(LISTED + 3))
    text = DeliveryReport(BID, sent=1, failed=outcomes).summary()
    assert text.startswith(f"{BID}: 1 sent, {LISTED + 3} failed, 0 uncertain, 0 skipped")
    assert "member 0 (000000000000…): 550 no such user" in text
    assert "… and 3 more (see the ledger)" in text


def test_a_message_left_in_flight_by_a_dead_run_is_reported_not_resent(
    send, store, ledger, smtp_server
):
    emails = add_members(store, 3)
    [victim] = store.find(emails[1])
    ledger.mark_sending(BID, store.pseudonym(emails[1]))  # what a kill -9 after DATA leaves
    report = send()
    assert sorted(smtp_server.recipients()) == [emails[0], emails[2]]
    [outcome] = report.uncertain
    assert outcome.member_id == victim.id and "stopped while" in outcome.reason
    assert statuses(ledger) == {LedgerStatus.SENT: 2, LedgerStatus.UNCERTAIN: 1}


def test_one_mailer_reuses_its_connections_across_bulletins(
    make_config, store, ledger, smtp_server
):
    add_members(store, 8)
    config = make_config(smtp_url=smtp_server.url, smtp_concurrency=2)
    mailer = SmtpMailer(config)
    for number in (1, 2, 3):
        bid = f"{PLP}/{number}"
        report = deliver(bid, store.active_members(PLP), make_composer(bid), mailer, ledger, config)
        assert report.sent == 8
    mailer.close()
    assert len(smtp_server.messages) == 24 and smtp_server.connections <= 2


def test_a_send_leaves_the_process_gil_switch_interval_as_it_found_it(send, store, smtp_server):
    """Sending shortens it for its threads; plp web, which also serves pages, gets it back."""
    add_members(store, 3)
    before = sys.getswitchinterval()
    seen = []
    report = send(progress=lambda status: seen.append(sys.getswitchinterval()))
    assert report.sent == 3 and max(seen) <= SWITCH_INTERVAL
    assert sys.getswitchinterval() == before
