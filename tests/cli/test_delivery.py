"""`plp bulletin send / report / resolve` and `plp publish` against a relay that misbehaves:
exit codes tell the truth, deferred members are picked up later, uncertain ones settled by hand."""

from __future__ import annotations

import time

import pytest

from tests.mailing.smtp_server import FaultyServer

from .conftest import LEDEN, LEDEN_CSV, PLP

WEB = "https://plp.example.be"  # real mail never links to localhost


@pytest.fixture
def relay():
    server = FaultyServer().start()
    yield server
    server.stop()


@pytest.fixture
def approved(project, relay):
    """The sample project with members and bulletin 1 approved, sending through `relay`."""
    project.write("leden.csv", LEDEN_CSV)
    env = relay_env(relay)
    assert project.plp("members", "import", "leden.csv", "--plp", PLP, **env).exit_code == 0
    assert project.plp("bulletin", "draft", PLP, **env).exit_code == 0
    assert project.plp("bulletin", "approve", PLP, "1", **env).exit_code == 0
    return project


def relay_env(relay, **more: str) -> dict[str, str]:
    return {
        "PLP_SMTP_URL": relay.url,
        "PLP_SITE_URL": WEB,
        "PLP_WEB_URL": "https://service.plp.example.be",
        "PLP_RETRY_BASE": "0.05",
        "PLP_SMTP_TIMEOUT": "2",
        **more,
    }


def test_greylisted_members_are_deferred_exit_3_then_delivered_by_the_next_send(approved, relay):
    relay.faults.greylist = 1.0
    env = relay_env(relay, PLP_MAX_ATTEMPTS="2")
    first = approved.plp("bulletin", "send", PLP, "1", **env)
    assert first.exit_code == 3, first.output
    assert "0 sent" in first.output and "5 deferred" in first.output
    assert "the next try is due" in first.output and "plp bulletin report" in first.output
    report = approved.plp("bulletin", "report", PLP, "1", **env)
    assert report.exit_code == 0 and report.output.count("deferred ") == 5
    assert all(address in report.output for address in LEDEN)
    assert "451" in report.output and "next try" in report.output
    # Drafting again now must not replace what is half sent: it is bulletin 2's business.
    assert "draft the next one" in approved.plp("bulletin", "approve", PLP, "1", **env).output
    time.sleep(1.1)
    second = approved.plp("publish", **env)  # the main job resumes it once they are due
    assert second.exit_code == 0, second.output
    assert sorted(m.recipient for m in relay.messages) == sorted(LEDEN)
    assert "already sent" in approved.plp("bulletin", "send", PLP, "1", **env).output


def test_an_uncertain_member_is_reported_and_resolved_both_ways(approved, relay):
    relay.faults.drop_after_data = {LEDEN[0], LEDEN[1]}
    env = relay_env(relay)
    sent = approved.plp("bulletin", "send", PLP, "1", **env)
    assert sent.exit_code == 3 and "2 uncertain" in sent.output
    report = approved.plp("bulletin", "report", PLP, "1", **env).output
    assert f"uncertain  {LEDEN[0]}" in report and f"uncertain  {LEDEN[1]}" in report
    relay.faults.drop_after_data = set()
    settled = approved.plp(
        "bulletin", "resolve", PLP, "1", "--delivered", LEDEN[0], "--resend", LEDEN[1], **env
    )
    assert settled.exit_code == 0 and "2 member(s) settled" in settled.output
    again = approved.plp("bulletin", "send", PLP, "1", **env)
    assert again.exit_code == 0, again.output
    received = [m.recipient for m in relay.messages]
    assert received.count(LEDEN[0]) == 1  # marked delivered: never sent again
    assert received.count(LEDEN[1]) == 2  # the coordinator asked for it, knowingly
    report = approved.plp("bulletin", "report", PLP, "1", **env).output
    assert "5 sent" in report


def test_resolve_refuses_what_it_cannot_settle(approved, relay):
    env = relay_env(relay)
    assert approved.plp("bulletin", "send", PLP, "1", **env).exit_code == 0
    wrong = approved.plp("bulletin", "resolve", PLP, "1", "--delivered", LEDEN[0], **env)
    assert wrong.exit_code == 1 and "is sent" in wrong.output and "only uncertain" in wrong.output
    nobody = approved.plp("bulletin", "resolve", PLP, "1", "--resend", "x@example.org", **env)
    assert nobody.exit_code == 1 and "has no delivery" in nobody.output
    bare = approved.plp("bulletin", "resolve", PLP, "1", **env)
    assert bare.exit_code == 1 and "--delivered ADDR or --resend ADDR" in bare.output


def test_a_relay_that_is_down_stops_early_exit_3_and_nothing_is_lost(approved, relay):
    url = relay.url
    relay.stop()
    env = relay_env(relay, PLP_SMTP_URL=url)
    down = approved.plp("bulletin", "send", PLP, "1", **env)
    assert down.exit_code == 3, down.output
    assert "Stopped: the mail server could not be used" in down.output
    assert "Traceback" not in down.output


def test_publish_goes_on_past_a_bulletin_another_sender_holds(approved, relay):
    import fcntl
    import hashlib

    env = relay_env(relay)
    locks = approved.var / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(f"{PLP}/1".encode()).hexdigest()[:24]
    with open(locks / f"{name}.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a sender in another process
        busy = approved.plp("publish", **env)
    assert busy.exit_code == 3 and "Left alone: bulletin 1 of bergveld-centrum" in busy.output
    assert "another process" in busy.output and relay.messages == []
    done = approved.plp("publish", **env)
    assert done.exit_code == 0 and len(relay.messages) == len(LEDEN)


def test_a_send_to_a_plp_without_members_is_refused(project, relay):
    env = relay_env(relay)
    assert project.plp("bulletin", "draft", PLP, **env).exit_code == 0
    assert project.plp("bulletin", "approve", PLP, "1", **env).exit_code == 0
    empty = project.plp("bulletin", "send", PLP, "1", **env)
    assert empty.exit_code == 1 and "no active member yet" in empty.output
    assert relay.messages == []
