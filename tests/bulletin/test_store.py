"""Drafts under var/: files, numbering, replacement, sent state, hash, web versions."""

from __future__ import annotations

import email
import email.policy
import json

import pytest

from pipeline.bulletin.store import DraftStatus
from pipeline.bulletin.web import web_editions
from pipeline.errors import PlpError
from tests.conftest import TODAY

from .factories import message


def test_draft_writes_every_file_and_meta(project):
    draft = project.draft("rivebois-centre", note="Un **mot**.")
    assert (draft.plp, draft.number, draft.date, draft.status) == (
        "rivebois-centre",
        1,
        TODAY,
        DraftStatus.DRAFT,
    )
    assert draft.folder == project.config.var_dir / "bulletins" / "rivebois-centre" / "1"
    for lang in ("fr", "nl"):
        for suffix in ("html", "txt", "eml", "template", "web.html"):
            assert draft.path(lang, suffix).is_file()
        preview = email.message_from_bytes(
            draft.path(lang, "eml").read_bytes(), policy=email.policy.strict
        )
        assert preview["To"] == "member@example.org"
        assert b"%%PLP_" not in draft.path(lang, "eml").read_bytes()
        assert "%%PLP_" not in draft.html(lang) + draft.text(lang)
    meta = json.loads((draft.folder / "meta.json").read_text())
    assert meta["editions"]["fr"]["messages"] == [
        "burglary-trend.fr",
        "fake-police.fr",
        "dark-days.fr",
        "meeting.fr",
    ]
    assert meta["status"] == "draft" and meta["note"] == "Un **mot**."
    assert meta["content_hash"] == draft.content_hash
    assert project.store.get("rivebois-centre", 1) == draft
    assert not list(draft.folder.glob(".*"))  # no temporary file left behind


def test_redraft_replaces_the_unsent_draft_and_sent_moves_on(project):
    store = project.store
    first = project.draft("rivebois-centre")
    same = project.draft("rivebois-centre")
    assert same.number == 1 and same.content_hash == first.content_hash  # reproducible
    noted = project.draft("rivebois-centre", note="Nouveau mot")
    assert noted.number == 1 and noted.content_hash != first.content_hash
    store.mark_sent("rivebois-centre", 1)
    assert store.get("rivebois-centre", 1).status is DraftStatus.SENT
    with pytest.raises(
        PlpError, match="no new message for PLP rivebois-centre in fr, nl since bulletin 1"
    ):
        project.draft("rivebois-centre")
    project.write({"new.fr.md": message("Nouveau conseil", date="2026-11-28", summary="x")})
    second = project.draft("rivebois-centre")
    assert second.number == 2 and second.languages == ("fr",)
    assert second.edition("fr").message_ids == ("new.fr",)
    assert [d.number for d in store.sent("rivebois-centre")] == [1]
    assert store.latest("rivebois-centre").number == 2


def test_redraft_with_fewer_languages_drops_stale_files(project):
    project.draft("rivebois-centre")
    again = project.draft("rivebois-centre", langs=["fr"])
    assert again.languages == ("fr",)
    assert not (again.folder / "nl.html").exists()


def test_get_of_a_missing_bulletin_says_what_to_run(project):
    with pytest.raises(PlpError, match="run `plp bulletin draft rivebois-centre`"):
        project.store.get("rivebois-centre", 7)
    assert project.store.latest("rivebois-centre") is None


def test_hash_covers_every_template_and_the_note(project):
    draft = project.draft("rivebois-centre")
    from pipeline.bulletin.store import content_hash

    templates = {lang: draft.path(lang, "template").read_bytes() for lang in draft.languages}
    assert content_hash(templates, draft.note) == draft.content_hash
    templates["nl"] = templates["nl"].replace(b"Donkere", b"Lichte")
    assert content_hash(templates, draft.note) != draft.content_hash


def test_web_versions_of_sent_bulletins_hold_no_personal_field(project):
    store = project.store
    project.draft("rivebois-centre", note="Le mot du coordinateur.")
    project.draft("tannendorf")
    assert list(web_editions(store.sent())) == []  # drafts are not published
    store.mark_sent("rivebois-centre", 1)
    pages = list(web_editions(store.sent()))
    assert [(p.plp, p.number, p.lang) for p in pages] == [
        ("rivebois-centre", 1, "fr"),
        ("rivebois-centre", 1, "nl"),
    ]
    page = pages[0]
    assert page.subject == "PLP Rivebois-Centre — bulletin n° 1"
    assert "Le mot du coordinateur." in page.html_fragment
    assert "Hausse des cambriolages à Rivebois" in page.html_fragment
    for private in ("%%", "unsubscribe", "token", "Bonjour", "member@example.org"):
        assert private not in page.html_fragment


def test_an_oversized_bulletin_holds_messages_over_for_the_next_one(project):
    from .test_render import LONG_BODY

    project.write(
        {f"long-{i:02}.fr.md": message(f"Conseil {i}", body=LONG_BODY) for i in range(30)}
    )
    store = project.store
    first = project.draft("montgare-gare")
    edition = first.edition("fr")
    assert edition.held_over > 0
    assert len(first.html("fr").encode()) < 102 * 1024
    assert len(edition.message_ids) + edition.held_over == 33  # 30 + gare, dark-days, police
    store.mark_sent("montgare-gare", 1)
    second = project.draft("montgare-gare")
    assert set(second.edition("fr").message_ids).isdisjoint(edition.message_ids)
    assert len(second.edition("fr").message_ids) + second.edition("fr").held_over == (
        edition.held_over
    )


def test_current_hash_detects_a_changed_template(project):
    draft = project.draft("rivebois-centre")
    assert draft.current_hash() == draft.content_hash
    path = draft.path("fr", "template")
    path.write_bytes(path.read_bytes().replace(b"Rivebois", b"Riveb0is"))
    assert draft.current_hash() != draft.content_hash
