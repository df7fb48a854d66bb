"""`plp bulletin send` through a real Postfix, as the README tells a deployment to run it:
PLP_SMTP_URL points at Postfix, which queues and relays on (here to a loopback sink). What
Postfix itself answers at RCPT — a 4xx deferral, a 5xx refusal — reaches the coordinator's report
and the next send; what goes wrong further on is Postfix's queue's business, not a lost member."""

from __future__ import annotations

import email
import email.policy
import re
import time

import dkim
import pytest

from tests.mailing.conftest import dkim_key  # noqa: F401 - a fixture
from tests.mailing.postfix import Postfix, available
from tests.mailing.smtp_server import FaultyServer
from tests.tools import need

from .conftest import LEDEN, LEDEN_CSV, PLP
from .test_delivery import relay_env


@pytest.fixture
def sink():
    server = FaultyServer().start()
    yield server
    server.stop()


@pytest.fixture
def postfix(sink):
    need("postfix")
    if not available():
        pytest.skip("Postfix's master must run as root")
    relay = Postfix(sink.port).start()
    yield relay
    relay.stop()


@pytest.fixture
def approved(project, postfix):
    project.write("leden.csv", LEDEN_CSV)
    env = relay_env(postfix)
    assert project.plp("members", "import", "leden.csv", "--plp", PLP, **env).exit_code == 0
    assert project.plp("bulletin", "draft", PLP, **env).exit_code == 0
    assert project.plp("bulletin", "approve", PLP, "1", **env).exit_code == 0
    return project


def arrived(sink: FaultyServer, count: int, seconds: float = 20) -> list[str]:
    """The recipients at the sink once `count` messages are there (Postfix relays on its own)."""
    deadline = time.monotonic() + seconds
    while len(sink.messages) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.3)  # a duplicate would arrive now
    return sorted(m.recipient for m in sink.messages)


def test_every_member_reaches_the_sink_through_postfix_once_and_intact(
    approved,
    postfix,
    sink,
    dkim_key,  # noqa: F811 - the fixture imported above
):
    key, record = dkim_key
    signing = {"PLP_DKIM_KEY": str(key), "PLP_DKIM_SELECTOR": "plp2026"}
    sent = approved.plp("bulletin", "send", PLP, "1", **relay_env(postfix, **signing))
    assert sent.exit_code == 0, sent.output
    assert "5 sent" in sent.output
    assert arrived(sink, len(LEDEN)) == sorted(LEDEN)
    assert len(postfix.delivered()) == len(LEDEN)
    for received in sink.messages:
        message = email.message_from_bytes(received.data, policy=email.policy.default)
        assert message["To"].addresses[0].addr_spec == received.recipient
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        # Postfix adds its trace header and changes nothing that was signed.
        assert "relay.plp.test" in message["Received"]
        assert dkim.verify(received.data, dnsfunc=lambda name, timeout=5: record)
    again = approved.plp("bulletin", "send", PLP, "1", **relay_env(postfix))
    assert "already sent" in again.output and arrived(sink, len(LEDEN)) == sorted(LEDEN)


def test_a_deferral_from_postfix_is_reported_and_delivered_by_the_next_send(
    approved, postfix, sink
):
    late = LEDEN[2]
    postfix.set_access({late: "450 4.2.0 Mailbox busy, try again later"})
    env = relay_env(postfix, PLP_MAX_ATTEMPTS="1")
    first = approved.plp("bulletin", "send", PLP, "1", **env)
    assert first.exit_code == 3, first.output
    assert "4 sent" in first.output and "1 deferred" in first.output
    report = approved.plp("bulletin", "report", PLP, "1", **env).output
    assert re.search(rf"deferred +{re.escape(late)} .*450", report), report
    assert late not in arrived(sink, 4)
    postfix.set_access({})
    time.sleep(1.1)  # the deferred member is due again
    second = approved.plp("bulletin", "send", PLP, "1", **env)
    assert second.exit_code == 0, second.output
    assert arrived(sink, len(LEDEN)) == sorted(LEDEN)  # the late one once, nobody twice


def test_a_refusal_from_postfix_fails_that_member_only(approved, postfix, sink):
    gone = LEDEN[0]
    postfix.set_access({gone: "550 5.1.1 No such user here"})
    sent = approved.plp("bulletin", "send", PLP, "1", **relay_env(postfix))
    assert sent.exit_code == 3, sent.output
    assert "4 sent" in sent.output and "1 failed" in sent.output
    report = approved.plp("bulletin", "report", PLP, "1", **relay_env(postfix)).output
    assert re.search(rf"failed +{re.escape(gone)} .*550", report), report
    assert arrived(sink, 4) == sorted(set(LEDEN) - {gone})


def test_trouble_beyond_postfix_is_queued_by_postfix_not_lost(approved, postfix, sink):
    # The next hop greylists: Postfix has already said 250 to plp, so it is Postfix that retries.
    sink.faults.greylist = 1.5
    sent = approved.plp("bulletin", "send", PLP, "1", **relay_env(postfix))
    assert sent.exit_code == 0 and "5 sent" in sent.output
    assert arrived(sink, len(LEDEN), seconds=30) == sorted(LEDEN)
    assert any("status=deferred" in line for line in postfix.log.read_text().splitlines())
