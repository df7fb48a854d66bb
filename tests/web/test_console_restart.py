"""A send started from the console when `plp web` is killed mid-send (SIGKILL: no shutdown, no
cleanup), into a real SMTP sink slow enough that the kill lands between two messages; after a
restart the coordinator presses Send again and the delivery resumes: nobody at the sink twice,
nobody skipped (each member received, or left uncertain for the coordinator to check)."""

from __future__ import annotations

import re
import time
from collections import Counter

import pytest

from pipeline.coordinator import bulletin_id
from pipeline.state import open_store
from pipeline.state.ledger import LedgerStatus

from ..mailing.smtp_server import FaultyServer
from .console_fixtures import PLP_A, PUBLIC, csrf, relaying_console, send_finished

MEMBERS = 24
BASE = f"/coordinator/{PLP_A}"


@pytest.fixture(name="sink")
def sink_fixture():
    server = FaultyServer().start()
    server.faults.delay = 0.15  # a slow relay: a few messages a second, the kill lands mid-send
    yield server
    server.stop()


@pytest.fixture(name="console")
def console_fixture(tmp_path, sink):
    svc = relaying_console(tmp_path, sink, 2, MEMBERS)
    svc.plp("bulletin", "draft", PLP_A)
    svc.start()
    yield svc
    if svc.process and svc.process.poll() is None:
        svc.stop()


def _wait_for(condition, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def test_a_console_send_killed_with_plp_web_resumes_after_a_restart_with_no_duplicate(
    console, sink
):
    client = console.client("192.0.2.20")
    path = console.operator_link(PLP_A).removeprefix(PUBLIC)
    signed = client.post(path, data={"csrf": csrf(client.get(path).text)})
    assert signed.status_code == 303
    page = client.get(f"{BASE}/")
    hash_ = re.search(r'name="hash" value="([^"]+)"', page.text)[1]
    approved = client.post(
        f"{BASE}/approve",
        data={"csrf": csrf(page.text, f"{BASE}/approve"), "number": "1", "hash": hash_},
    )
    assert "Approved by" in approved.text
    started = client.post(
        f"{BASE}/send",
        data={"csrf": csrf(approved.text, f"{BASE}/send"), "number": "1"},
        follow_redirects=False,
    )
    assert started.status_code == 303

    with open_store(console.config) as store:
        addresses = {m.email for m in store.members.list(PLP_A)}
    assert len(addresses) == MEMBERS

    def under_way() -> bool:
        if len(sink.messages) >= 3:
            return True
        progress = client.get(f"{BASE}/send").text
        assert 'http-equiv="refresh"' in progress, progress  # stopped early: it says why
        return False

    _wait_for(under_way, "the send never reached the sink")
    again = client.post(  # pressed twice: the running send is the one shown, no second one
        f"{BASE}/send", data={"csrf": csrf(approved.text, f"{BASE}/send"), "number": "1"}
    )
    assert again.status_code == 303
    console.process.kill()  # SIGKILL: the send thread dies with the process, mid-send
    console.process.wait(10)
    at_kill = len(sink.messages)
    assert at_kill < MEMBERS, "the send finished before the kill: make the sink slower"

    sink.faults.delay = 0.0
    console.start()
    # The session survives the restart (it lives in the store, like the ledger).
    page = client.get(f"{BASE}/")
    assert page.status_code == 200 and "Sending started" in page.text
    resumed = client.post(
        f"{BASE}/send", data={"csrf": csrf(page.text, f"{BASE}/send"), "number": "1"}
    )
    assert resumed.status_code == 303
    report = send_finished(client, f"{BASE}/send")
    assert "Not finished" not in report

    received = Counter(sink.recipients())
    assert max(received.values()) == 1, "somebody got the bulletin twice"
    assert len(received) > at_kill  # the restart did send the rest
    with open_store(console.config) as store:
        rows = {e.member_key: e.status for e in store.ledger.entries(bulletin_id(PLP_A, 1))}
        key = {a: store.members.pseudonym(a) for a in addresses}
    assert set(rows.values()) <= {LedgerStatus.SENT, LedgerStatus.UNCERTAIN}
    uncertain = {a for a in addresses if rows[key[a]] is LedgerStatus.UNCERTAIN}
    sent = {a for a in addresses if rows[key[a]] is LedgerStatus.SENT}
    assert sent <= set(received), "a member marked sent never reached the sink"
    assert set(received) | uncertain == addresses, "somebody was skipped"
    for address in uncertain:  # the report names the addresses to look at
        assert address in report
    print(f"{at_kill} at the sink when killed, {len(uncertain)} uncertain, {len(received)} in all")
