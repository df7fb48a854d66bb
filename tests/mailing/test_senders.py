"""Several senders on one bulletin, on PostgreSQL: they split the list, and killing any of them
at random never mails anyone twice nor skips anyone."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from pipeline.mailing.delivery import deliver, in_flight_bound
from pipeline.mailing.smtp import SmtpMailer
from pipeline.state.ledger import LedgerStatus

from .composer import make_composer
from .conftest import PLP, SECRET, add_members, nobody_twice_nobody_lost

ROOT = Path(__file__).resolve().parents[2]
BID = f"{PLP}/11"
SENDERS = 3
CONCURRENCY = 2  # connections per sender


@pytest.fixture
def database_url(postgres_url):
    """These tests need a database server: SQLite allows one sender a bulletin."""
    return postgres_url


def _command(tmp_path, smtp_server, store, rate: float) -> list[str]:
    settings = {
        "root": str(tmp_path),
        "secret": SECRET,
        "smtp_url": smtp_server.url,
        "concurrency": CONCURRENCY,
        "rate": rate,
        "bulletin": BID,
        "plp": PLP,
        "database_url": store.config.database_url,
    }
    return [sys.executable, "-m", "tests.mailing.send_child", json.dumps(settings)]


def _spawn(command) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _started(child: subprocess.Popen) -> subprocess.Popen:
    assert child.stdout.readline() == b"started\n", child.stderr.read().decode()
    return child


def _start(command) -> subprocess.Popen:
    return _started(_spawn(command))


def _finish(child: subprocess.Popen) -> str:
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err.decode()
    return out.decode()


def test_three_senders_split_one_bulletin_and_nobody_gets_it_twice(
    tmp_path, store, ledger, smtp_server
):
    emails = add_members(store, 150)
    # Paced (one alone would need 7 s) so that all three are up before the list is done.
    command = _command(tmp_path, smtp_server, store, rate=20.0)
    children = [_started(child) for child in [_spawn(command) for _ in range(SENDERS)]]
    outs = [_finish(child) for child in children]
    sent = [int(re.search(r"(\d+) sent", out).group(1)) for out in outs]
    received = Counter(smtp_server.recipients())
    assert sorted(received) == emails and max(received.values()) == 1
    assert sum(sent) == len(emails)
    assert all(n > 0 for n in sent), f"a sender got no share of the list: {sent}"
    assert ledger.counts(BID)[LedgerStatus.SENT] == len(emails)


def test_three_senders_killed_at_random_lose_nobody_and_mail_nobody_twice(
    tmp_path, store, ledger, smtp_server
):
    emails = add_members(store, 400)
    key_of = {email: store.pseudonym(email) for email in emails}
    # Paced so the bulletin takes seconds: the kills land while all three are sending.
    command = _command(tmp_path, smtp_server, store, rate=10.0)
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    children = [_started(child) for child in [_spawn(command) for _ in range(SENDERS)]]
    born = {child.pid: time.monotonic() for child in children}
    kills, held = 0, []  # rows in `sending` of each killed sender, just after its death
    deadline = time.monotonic() + 120
    while kills < 20:
        assert time.monotonic() < deadline, f"too slow (seed {seed}, {kills} kills)"
        time.sleep(rng.uniform(0.05, 0.4))
        alive = [c for c in children if c.poll() is None]
        if not alive:
            break  # the bulletin is done: no sender left to kill
        # Most of the time one that is sending by now; sometimes one still starting.
        grown = [c for c in alive if time.monotonic() - born[c.pid] > 1.0]
        victim = rng.choice(grown if grown and rng.random() < 0.8 else alive)
        victim.kill()
        victim.wait()
        kills += 1
        tag = f":{victim.pid}:"
        held += [n for who, n in ledger.in_flight(BID).items() if who and tag in who]
        victim.stdout.close()
        victim.stderr.close()
        replacement = _spawn(command)
        born[replacement.pid] = time.monotonic()
        children[children.index(victim)] = replacement
    assert kills >= 20, f"the bulletin ended after {kills} kills (seed {seed})"
    for child in children:
        _finish(child)
    # A last run settles what the last killed sender held, as the coordinator's next send would.
    _finish(_start(command))

    uncertain = nobody_twice_nobody_lost(ledger, BID, emails, key_of, smtp_server, seed)
    print(f"{kills} kills")
    # Uncertain: only what the killed senders held in flight, two rows a connection at most.
    assert max(held, default=0) <= in_flight_bound(CONCURRENCY)
    assert sum(held) <= len(uncertain) <= kills * in_flight_bound(CONCURRENCY)


def test_two_sends_of_one_bulletin_in_one_process_do_not_take_each_other_for_dead(
    make_config, store, ledger, smtp_server
):
    """plp web runs sends in threads over one database session: a sender that finishes must
    not settle the other's rows in flight as a dead sender's (PostgreSQL grants a session the
    locks it already holds)."""
    emails = add_members(store, 60)
    config = make_config(smtp_url=smtp_server.url, smtp_concurrency=2, smtp_rate=60.0)
    reports = []

    def run() -> None:
        mailer = SmtpMailer(config)
        try:
            recipients = store.active_members(PLP, "nl")
            reports.append(deliver(BID, recipients, make_composer(BID), mailer, ledger, config))
        finally:
            mailer.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(reports) == 2
    assert not any(report.uncertain for report in reports)
    received = Counter(smtp_server.recipients())
    assert sorted(received) == emails and max(received.values()) == 1
    assert ledger.counts(BID)[LedgerStatus.SENT] == len(emails)
