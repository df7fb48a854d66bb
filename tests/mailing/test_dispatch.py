"""Through the coordinator, end to end on a real SMTP server: test copy, approval, send, publish."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import re
import shutil

import pytest
from click.testing import CliRunner

from pipeline import coordinator
from pipeline.bulletin.store import BulletinStore
from pipeline.cli import cli
from pipeline.errors import ContentError, DeliveryError, PlpError
from pipeline.state import open_store
from tests.conftest import ROOT, message

from .conftest import import_csv

PLP = "bergveld-centrum"
COORDINATOR = "bin.centrum@bergveld.test"
MEMBERS = "email;name;language\nann@example.org;Ann;nl\nbart@example.net;;nl\n"
OTHER_PLP = "email;language\nzoe@example.org;nl\n"


@pytest.fixture
def project(content_tree, make_config, smtp_server, tmp_path):
    """The small content tree, members in two PLPs, SMTP to the test server, a draft ready."""
    config = make_config(
        content_tree({}), smtp_url=smtp_server.url, web_url="https://members.plp.example.org"
    )
    with open_store(config) as state:
        for slug, sheet in ((PLP, MEMBERS), ("heidebeek-zuid", OTHER_PLP)):
            path = tmp_path / f"{slug}.csv"
            path.write_text(sheet, encoding="utf-8")
            import_csv(state.members, path, slug, ("nl",), "test", "consent v1")
    draft = run(coordinator.draft, config, PLP)
    return config, draft


def run(step, config, *args, **kwargs):
    """One step of the workflow as one command runs it: on a desk of its own."""
    with coordinator.Desk(config) as desk:
        return step(desk, *args, **kwargs)


def parsed(received):
    return email.message_from_bytes(received.data, policy=email.policy.strict)


def test_send_refuses_an_unapproved_bulletin_and_sends_nothing(project, smtp_server):
    config, draft = project
    with pytest.raises(DeliveryError, match=r"not approved — run `plp bulletin test"):
        run(coordinator.send, config, PLP, draft.number)
    assert smtp_server.messages == []


def test_test_copy_goes_to_the_coordinator_only(project, smtp_server):
    config, draft = project
    copy = run(coordinator.send_test, config, PLP)
    assert copy.recipient == COORDINATOR
    assert smtp_server.recipients() == [COORDINATOR]
    msg = parsed(smtp_server.messages[0])
    # Marked as a test copy, in the edition's language (issue 9: a test copy says it is one).
    assert msg["Subject"] == f"[Testexemplaar] {draft.editions[0].subject}"


def test_approved_bulletin_reaches_exactly_the_active_members_in_the_coordinators_name(
    project, smtp_server
):
    config, draft = project
    run(coordinator.approve, config, PLP, draft.number, "coordinator")
    report = run(coordinator.send, config, PLP, draft.number)
    assert report.sent == 2
    assert sorted(smtp_server.recipients()) == ["ann@example.org", "bart@example.net"]
    for received in smtp_server.messages:
        msg = parsed(received)
        assert msg.defects == []
        assert msg["From"].addresses[0].domain == config.sending_domain
        assert "Coördinator BIN Bergveld-Centrum" in msg["From"].addresses[0].display_name
        assert msg["Reply-To"].addresses[0].addr_spec == COORDINATOR
        assert msg["To"].addresses[0].addr_spec == received.recipient
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert re.fullmatch(r"<https?://\S+/unsubscribe/[\w.-]+>", msg["List-Unsubscribe"])
        assert msg["List-Id"].endswith(f"<{PLP}.{config.sending_domain}>")
        assert "112" in msg.get_body(("plain",)).get_content()


def test_sending_again_sends_nothing(project, smtp_server):
    config, draft = project
    run(coordinator.approve, config, PLP, draft.number, "coordinator")
    run(coordinator.send, config, PLP, draft.number)
    with pytest.raises(DeliveryError, match="already sent"):
        run(coordinator.send, config, PLP, draft.number)
    assert len(smtp_server.messages) == 2


def test_a_change_after_approval_cancels_it(project, smtp_server):
    config, draft = project
    run(coordinator.approve, config, PLP, draft.number, "coordinator")
    run(coordinator.draft, config, PLP, note="Vergadering op maandag.")
    with pytest.raises(DeliveryError, match="changed since coordinator approved it"):
        run(coordinator.send, config, PLP, draft.number)
    assert smtp_server.messages == []


def test_a_hand_edited_draft_is_refused(project, smtp_server):
    config, draft = project
    run(coordinator.approve, config, PLP, draft.number, "coordinator")
    template = draft.path("nl", "template")
    template.write_bytes(template.read_bytes().replace(b"Donkere dagen", b"Donkere nachten"))
    with pytest.raises(DeliveryError, match="changed since"):
        run(coordinator.send, config, PLP, draft.number)
    assert smtp_server.messages == []


def test_urgent_content_stops_the_send(project, smtp_server):
    config, draft = project
    run(coordinator.approve, config, PLP, draft.number, "coordinator")
    (config.content_dir / "messages" / "alarm.nl.md").write_text(
        message(extra="Urgency: urgent\n"), encoding="utf-8"
    )
    with pytest.raises(ContentError, match="urgent content is refused"):
        run(coordinator.send, config, PLP, draft.number)
    assert smtp_server.messages == []


def test_unsubscribe_link_in_the_mail_removes_the_member_from_the_next_send(project, smtp_server):
    config, draft = project
    run(coordinator.approve, config, PLP, draft.number, "coordinator")
    run(coordinator.send, config, PLP, draft.number)
    ann = next(m for m in smtp_server.messages if m.recipient == "ann@example.org")
    token = re.search(r"/unsubscribe/([\w.-]+)>", parsed(ann)["List-Unsubscribe"])[1]
    result = CliRunner().invoke(
        cli,
        ["--root", str(config.root), "members", "unsubscribe", "--token", token],
        env={"PLP_VAR_DIR": str(config.var_dir), "PLP_SECRET": config.secret},
    )
    assert result.exit_code == 0, result.output
    with open_store(config) as state:
        assert [r.email for r in state.members.active_members(PLP)] == ["bart@example.net"]


def test_publish_demo_on_the_sample_content(content_tree):
    """README's first command: sample members, approved bulletins, outbox, site with archives."""
    project = content_tree(base="sample", theme=True)
    runner = CliRunner()
    env = {"PLP_TODAY": "2026-11-29"}
    result = runner.invoke(cli, ["--root", str(project), "publish", "--demo"], env=env)
    assert result.exit_code == 0, result.output
    assert "approved on the coordinator's behalf" in result.output
    outbox = list((project / "var" / "outbox").glob("*.eml"))
    assert len(outbox) >= 12 * 5
    archives = list((project / "output").glob("*/plp/*/bulletins/1/index.html"))
    assert archives
    # No member address anywhere in the public output.
    addresses = {
        e for f in outbox for e in re.findall(rb"[\w.+-]+@example\.(?:org|net)", f.read_bytes())
    }
    assert addresses
    for page in (project / "output").rglob("*"):
        if page.is_file():
            data = page.read_bytes()
            assert not any(a in data for a in addresses), page
    # Publishing again sends nothing more.
    again = runner.invoke(cli, ["--root", str(project), "publish", "--demo"], env=env)
    assert again.exit_code == 0 and "No approved bulletin waiting" in again.output
    assert len(list((project / "var" / "outbox").glob("*.eml"))) == len(outbox)


def test_real_mail_never_links_to_localhost(project, smtp_server):
    config, _ = project
    local = dataclasses.replace(config, site_url="http://localhost:8000")
    with pytest.raises(DeliveryError, match="only works on this computer — set PLP_SITE_URL"):
        run(coordinator.send_test, local, PLP)
    run(coordinator.approve, local, PLP, 1, "coordinator")
    with pytest.raises(DeliveryError, match="only works on this computer"):
        run(coordinator.send, local, PLP, 1)
    assert smtp_server.messages == []


def test_a_note_with_personal_data_is_refused_before_drafting(project):
    config, draft = project
    note = "Merci à Claire (GSM 0478 11 22 33, claire.m@gmail.com) qui a vu la 1-DEF-456 !"
    with pytest.raises(ContentError) as caught:
        run(coordinator.draft, config, PLP, note=note, note_name="mot.md")
    found = sorted(p.message.split(" '")[0] for p in caught.value.problems)
    assert found == ["e-mail address", "licence plate", "phone number"]
    assert all(p.path == "mot.md" for p in caught.value.problems)
    assert BulletinStore(config).get(PLP, draft.number).note is None  # the draft is untouched


def test_cli_send_twice_is_safe_and_a_sent_bulletin_gets_no_test_copy(project, smtp_server):
    config, draft = project
    shutil.copytree(ROOT / "theme", config.root / "theme")  # send builds the site first
    run(coordinator.approve, config, PLP, draft.number, "coordinator")
    env = {
        "PLP_VAR_DIR": str(config.var_dir),
        "PLP_SECRET": config.secret,
        "PLP_SMTP_URL": smtp_server.url,
        "PLP_SITE_URL": config.site_url,
        "PLP_WEB_URL": config.web_url,
        "PLP_TODAY": "2026-11-29",
    }
    args = ["--root", str(config.root), "bulletin"]
    first = CliRunner().invoke(cli, [*args, "send", PLP, str(draft.number)], env=env)
    assert first.exit_code == 0 and "2 sent" in first.output
    again = CliRunner().invoke(cli, [*args, "send", PLP, str(draft.number)], env=env)
    assert again.exit_code == 0, again.output
    assert "already sent" in again.output
    test = CliRunner().invoke(cli, [*args, "test", PLP, str(draft.number)], env=env)
    assert test.exit_code == 1 and "draft the next one" in test.output
    assert len(smtp_server.messages) == 2


def test_the_demo_leaves_real_members_and_waiting_drafts_alone(project, tmp_path):
    config, draft = project  # bergveld-centrum: a coordinator's draft, not approved
    said: list[str] = []
    outbox = dataclasses.replace(config, smtp_url=None)
    sheet = tmp_path / "real.csv"
    sheet.write_text("email;language\nreal.person@gmail.com;nl\n", encoding="utf-8")
    with open_store(outbox) as state:
        import_csv(state.members, sheet, "heidebeek-zuid", ("nl",), "coordinator", "consent v1")
    run(coordinator.prepare_demo, outbox, said.append)
    assert "DEMO: bergveld-centrum has a draft waiting for its coordinator — left alone" in said
    assert "DEMO: heidebeek-zuid has real members — left alone" in said
    assert BulletinStore(outbox).get(PLP, draft.number).content_hash == draft.content_hash
    with pytest.raises(PlpError, match="unset PLP_SMTP_URL"):
        run(coordinator.prepare_demo, config, said.append)


def test_with_a_dkim_key_every_copy_is_signed_and_verifies(project, smtp_server, dkim_key):
    import dkim

    config, draft = project
    key, record = dkim_key
    signed = dataclasses.replace(config, dkim_key_path=key, dkim_selector="plp2026")
    run(coordinator.send_test, signed, PLP)
    run(coordinator.approve, signed, PLP, draft.number, "coordinator")
    run(coordinator.send, signed, PLP, draft.number)
    assert len(smtp_server.messages) == 3

    def dns(name, timeout=5):
        assert name == f"plp2026._domainkey.{config.sending_domain}.".encode()
        return record

    for received in smtp_server.messages:
        assert received.data.startswith(b"DKIM-Signature:")
        assert dkim.verify(received.data, dnsfunc=dns)
