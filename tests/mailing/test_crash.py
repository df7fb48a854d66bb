"""kill -9 at random points, then resume: nobody mailed twice, nobody skipped."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.mailing.delivery import in_flight_bound
from pipeline.state.ledger import LedgerStatus
from tests.postgres import both_backends  # noqa: F401 - runs each test on SQLite and PostgreSQL

from .conftest import PLP, SECRET, add_members, nobody_twice_nobody_lost

ROOT = Path(__file__).resolve().parents[2]
BID = f"{PLP}/9"
MEMBERS = 200
KILLS = 25
CONCURRENCY = 4


@pytest.mark.parametrize("greylist", [0.0, 0.2], ids=["plain", "greylisting"])
def test_killed_at_random_points_then_resumed(tmp_path, store, ledger, smtp_server, greylist):
    emails = add_members(store, MEMBERS)
    smtp_server.faults.greylist = greylist  # every member refused (451) for its first 0.2 s
    key_of = {email: store.pseudonym(email) for email in emails}
    # Paced so each run sends a few messages before it is killed: kills land mid-send.
    settings = {
        "root": str(tmp_path),
        "secret": SECRET,
        "smtp_url": smtp_server.url,
        "concurrency": CONCURRENCY,
        "rate": 150.0,
        "bulletin": BID,
        "plp": PLP,
        "database_url": store.config.database_url,
    }
    command = [sys.executable, "-m", "tests.mailing.send_child", json.dumps(settings)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    deadline = time.monotonic() + 90
    kills = 0
    in_flight: dict[str | None, int] = {}
    # Until enough kills, some of them after messages got through (greylisting delays those).
    while kills < KILLS or not smtp_server.messages:
        assert time.monotonic() < deadline, f"too slow (seed {seed}, {kills} kills)"
        child = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert child.stdout.readline() == b"started\n", child.stderr.read().decode()
        time.sleep(rng.choice([0.0, rng.uniform(0, 0.01), rng.uniform(0, 0.08)]))
        if child.poll() is None:
            child.kill()
            kills += 1
        child.wait()
        # What the dead sender held in flight: the rows the next run must call uncertain.
        for claimant, rows in ledger.in_flight(BID).items():
            in_flight[claimant] = rows
        child.stdout.close()
        child.stderr.close()
    assert 0 < len(smtp_server.messages) < MEMBERS, f"kills did not land mid-send (seed {seed})"

    # Runs until nobody is left deferred: the deferrals come due, a later run sends them.
    for _ in range(20):
        final = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=60)
        assert final.returncode == 0, final.stderr.decode()
        waiting = ledger.counts(BID)
        if not waiting[LedgerStatus.DEFERRED] and not waiting[LedgerStatus.PENDING]:
            break
        time.sleep(0.1)

    uncertain = nobody_twice_nobody_lost(ledger, BID, emails, key_of, smtp_server, seed)
    print(f"{kills} kills")
    # Uncertain are exactly the rows the killed senders held in flight: two per connection.
    assert len(uncertain) == sum(in_flight.values())
    assert max(in_flight.values(), default=0) <= in_flight_bound(CONCURRENCY)
