"""`plp bulletin draft/show/test/approve/send`: a coordinator's bulletin, step by step."""

from __future__ import annotations

import re

import pytest

from .conftest import (
    COORDINATOR,
    LEDEN,
    NOTE,
    PLP,
    make_project,
    ok,
    refused,
    with_members,
)

BULLETIN = f"var/bulletins/{PLP}/1"


@pytest.fixture(scope="module")
def drafted_once(tmp_path_factory):
    """Members imported and bulletin 1 drafted with the coordinator's note (built once)."""
    project = with_members(make_project(tmp_path_factory.mktemp("drafted") / "project"))
    project.write("mijn-woordje.md", NOTE)
    ok(project.plp("bulletin", "draft", PLP, "--note", "mijn-woordje.md"))
    return project


@pytest.fixture
def drafted(drafted_once, tmp_path):
    """A copy of the drafted project of one's own: tests may approve, send, redraft."""
    return drafted_once.copy(tmp_path / "drafted")


def files(folder) -> dict[str, bytes]:
    """Every file directly in a folder, by name, with its bytes."""
    if not folder.is_dir():
        return {}
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_draft_writes_html_text_and_eml_and_reports_their_sizes(project):
    with_members(project)
    out = ok(project.plp("bulletin", "draft", PLP))
    lines = out.splitlines()
    assert lines[0] == f"Draft of bulletin 1 for PLP {PLP} (2026-11-29):"
    sizes = re.fullmatch(
        r"  nl: 5 message\(s\) — html ([\d.]+) KB, txt ([\d.]+) KB, eml ([\d.]+) KB", lines[1]
    )
    assert sizes, lines[1]
    for suffix, shown in zip(("html", "txt", "eml"), sizes.groups(), strict=True):
        path = project.root / BULLETIN / f"nl.{suffix}"
        assert path.is_file() and f"{BULLETIN}/nl.{suffix}" in out
        assert float(shown) == round(path.stat().st_size / 1024, 1), suffix
    assert "subject: BIN Bergveld-Centrum — nieuwsbrief nr. 1" in out
    assert lines[-1] == f"Read it with `plp bulletin show {PLP}`."
    assert not project.outbox.exists()  # a draft reaches nobody


def test_draft_lang_writes_only_that_edition(project):
    out = ok(project.plp("bulletin", "draft", "bois-fleuri", "--lang", "nl"))
    assert "  nl: " in out and "  fr: " not in out
    written = files(project.var / "bulletins/bois-fleuri/1")
    assert {"nl.html", "nl.txt", "nl.eml"} <= set(written)
    assert not any(name.startswith("fr.") for name in written)


def test_show_prints_the_text_version_with_the_note(drafted):
    latest = ok(drafted.plp("bulletin", "show", PLP))
    assert latest == ok(drafted.plp("bulletin", "show", PLP, "1"))
    assert latest == (drafted.root / BULLETIN / "nl.txt").read_text(encoding="utf-8")
    assert "Op 12 december houden we onze nieuwjaarsdrink" in latest  # the note, as text
    assert "bel 101, of" in latest  # the reporting rule
    assert "Sterke stijging van woninginbraken in oktober" in latest  # a message


def test_test_copy_reaches_the_coordinator_only(drafted):
    out = ok(drafted.plp("bulletin", "test", PLP))
    assert f"Test copy of bulletin 1 (nl) sent to {COORDINATOR}" in out
    assert f"`plp bulletin approve {PLP} 1`" in out
    assert drafted.recipients() == [COORDINATOR]
    ok(drafted.plp("bulletin", "test", PLP, "1"))  # again, by number: the coordinator only
    assert set(drafted.recipients()) == {COORDINATOR}
    raw = b"".join(files(drafted.outbox).values())
    assert not [a for a in LEDEN if a.encode() in raw]


def test_approve_then_send_then_send_again(drafted):
    out = ok(drafted.plp("bulletin", "approve", PLP, "1"))
    assert re.fullmatch(
        rf"Bulletin 1 of PLP {PLP} approved by the coordinator \(content [0-9a-f]{{12}}\)\. "
        rf"Send it with `plp bulletin send {PLP} 1` or `plp publish`\.\n",
        out,
    )
    again = ok(drafted.plp("bulletin", "approve", PLP, "1", "--by", "An Peeters"))
    assert again.startswith("(Already approved by the coordinator on ")
    assert "approved by An Peeters" in again

    assert ok(drafted.plp("bulletin", "send", PLP, "1")) == (
        f"{PLP}/1: 5 sent, 0 failed, 0 uncertain, 0 skipped\n"
    )
    assert drafted.recipients() == sorted(LEDEN)  # one copy each, nobody else
    for message in drafted.sent().values():
        assert message["Subject"] == "BIN Bergveld-Centrum — nieuwsbrief nr. 1"
        assert message["Reply-To"].addresses[0].addr_spec == COORDINATOR
    delivered = files(drafted.outbox)

    rerun = ok(drafted.plp("bulletin", "send", PLP, "1"))
    assert f"bulletin 1 of PLP {PLP} was already sent on " in rerun and "nothing to do" in rerun
    assert files(drafted.outbox) == delivered
    refused(drafted.plp("bulletin", "approve", PLP, "1"), "was already sent")
    refused(drafted.plp("bulletin", "draft", PLP), "no new message for PLP", "since bulletin 1")


def test_approving_an_unknown_number_is_refused(drafted):
    refused(
        drafted.plp("bulletin", "approve", PLP, "7"),
        f"Error: PLP {PLP} has no bulletin 7 — run `plp bulletin draft {PLP}`",
    )
    refused(drafted.plp("bulletin", "send", PLP, "1"), "is not approved")  # 1 still is not


def test_send_without_approval_is_refused_and_sends_nothing(drafted):
    out = refused(drafted.plp("bulletin", "send", PLP, "1"))
    assert f"bulletin 1 of PLP {PLP} is not approved" in out
    assert f"`plp bulletin approve {PLP} 1`" in out
    assert drafted.sent() == {}


def test_drafting_again_after_approval_cancels_it(drafted):
    ok(drafted.plp("bulletin", "approve", PLP, "1"))
    redraft = ok(drafted.plp("bulletin", "draft", PLP))  # without the note this time
    assert redraft.startswith(f"Draft of bulletin 1 for PLP {PLP}")
    refused(
        drafted.plp("bulletin", "send", PLP, "1"),
        "changed since the coordinator approved it",
        "nothing was sent",
    )
    assert drafted.sent() == {}
    ok(drafted.plp("bulletin", "approve", PLP, "1"))
    assert "5 sent, 0 failed" in ok(drafted.plp("bulletin", "send", PLP, "1"))
    for message in drafted.sent().values():
        assert "nieuwjaarsdrink" not in message.get_body(("plain",)).get_content()
