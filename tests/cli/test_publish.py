"""`plp publish [--demo]`: the main job — check, build, send every approved bulletin."""

from __future__ import annotations

import re

import pytest

from .conftest import LEDEN, PLP, RESERVED, make_project, ok, refused, with_members

ACTIVE_PLPS = 12  # the sample registry's active PLPs (one of its 13 is inactive)


@pytest.fixture(scope="module")
def demo_once(tmp_path_factory):
    """`plp publish --demo` run once on a fresh sample project; its output, and the project."""
    project = make_project(tmp_path_factory.mktemp("demo") / "project")
    return project, ok(project.plp("publish", "--demo"))


def test_demo_builds_the_site_and_says_it_approves_on_the_coordinators_behalf(demo_once):
    project, out = demo_once
    assert out.startswith("DEMO mode: sample members on reserved domains")
    approved = re.findall(
        r"^DEMO: bulletin 1 of ([\w-]+) \(.*\) approved on the coordinator's behalf$",
        out,
        re.MULTILINE,
    )
    assert len(approved) == ACTIVE_PLPS and PLP in approved
    assert re.search(r"^Site: \d+ pages and \d+ feeds in ", out, re.MULTILINE)
    assert out.rstrip().endswith("Delivered into the outbox: var/outbox/ (one .eml each).")
    assert (project.output / "index.html").is_file()
    for slug in approved:  # each delivered bulletin has its page in the PLP's archive
        assert list(project.output.glob(f"*/plp/{slug}/bulletins/1/index.html")), slug


def test_demo_delivers_each_bulletin_to_reserved_addresses_only(demo_once):
    project, out = demo_once
    counts = re.findall(
        r"^Bulletin 1 of ([\w-]+): \1/1: (\d+) sent, 0 failed, 0 uncertain, 0 skipped$",
        out,
        re.MULTILINE,
    )
    assert len(counts) == ACTIVE_PLPS
    recipients = project.recipients()
    assert len(recipients) == sum(int(n) for _, n in counts) > 0
    assert [a for a in recipients if not RESERVED.search(a)] == []
    assert len(set(recipients)) == len(recipients)  # one message per member
    leaks = [
        f"{path.relative_to(project.root)}: {address}"
        for path in project.output.rglob("*")
        if path.is_file()
        for address in set(recipients)
        if address.encode() in path.read_bytes()
    ]
    assert leaks == []


def test_demo_again_sends_nothing_twice(demo_once, tmp_path):
    project = demo_once[0].copy(tmp_path / "again")
    before = {name: (project.outbox / name).read_bytes() for name in project.sent()}
    out = ok(project.plp("publish", "--demo"))
    assert "No approved bulletin waiting to be sent." in out and " sent, " not in out
    assert {name: (project.outbox / name).read_bytes() for name in project.sent()} == before


def test_demo_refuses_to_send_through_an_smtp_relay(project):
    refused(
        project.plp("publish", "--demo", PLP_SMTP_URL="smtp://127.0.0.1:9"),
        "the demo delivers into the outbox only — unset PLP_SMTP_URL",
    )
    assert project.sent() == {} and not project.output.exists()


def test_publish_sends_only_approved_bulletins(project):
    with_members(project)
    project.write(
        "zuid.csv", "Naam;E-mailadres;Taal;Toestemming\nJoris;joris@heidebeek.test;nl;3/5/2025\n"
    )
    ok(project.plp("members", "import", "zuid.csv", "--plp", "heidebeek-zuid"))
    ok(project.plp("bulletin", "draft", PLP))
    ok(project.plp("bulletin", "draft", "heidebeek-zuid"))
    nothing = ok(project.plp("publish"))
    assert "No approved bulletin waiting to be sent." in nothing and project.sent() == {}
    assert (project.output / "nl/plp" / PLP / "index.html").is_file()  # the site is built

    ok(project.plp("bulletin", "approve", PLP, "1"))
    out = ok(project.plp("publish"))
    assert f"Bulletin 1 of {PLP}: {PLP}/1: 5 sent, 0 failed, 0 uncertain, 0 skipped" in out
    assert "heidebeek-zuid" not in out and "DEMO" not in out
    assert project.recipients() == sorted(LEDEN)  # the unapproved PLP's member got nothing
    assert (project.output / "nl/plp" / PLP / "bulletins/1/index.html").is_file()
    assert not (project.output / "nl/plp/heidebeek-zuid/bulletins/1").exists()

    again = ok(project.plp("publish"))
    assert "No approved bulletin waiting to be sent." in again
    assert project.recipients() == sorted(LEDEN)


def test_publish_holds_a_bulletin_changed_since_its_approval(project):
    with_members(project)
    ok(project.plp("bulletin", "draft", PLP))
    ok(project.plp("bulletin", "approve", PLP, "1"))
    project.write("mijn-woordje.md", "Beste buren, tot op de nieuwjaarsdrink.\n")
    ok(project.plp("bulletin", "draft", PLP, "--note", "mijn-woordje.md"))
    out = ok(project.plp("publish"))
    assert (
        f"Not sent: bulletin 1 of {PLP} changed since it was approved — review it and run "
        f"`plp bulletin approve {PLP} 1`." in out
    )
    assert project.sent() == {}
