"""Which messages a bulletin holds: new, in force, in the language, for this PLP, in order."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.bulletin.assembly import assemble
from pipeline.errors import PlpError
from tests.conftest import TODAY

from .factories import message


def ids(bulletin, lang="fr"):
    return [m.key for m in bulletin.edition(lang).messages]


def test_order_is_warnings_and_modus_operandi_first_then_newest(project):
    bulletin = assemble(project.content(), "rivebois-centre", number=1, on=TODAY)
    assert ids(bulletin) == ["burglary-trend", "fake-police", "dark-days", "meeting"]
    assert bulletin.languages == ("fr", "nl")
    assert ids(bulletin, "nl") == ["dark-days"]


def test_same_category_newest_first(project):
    project.write({"newer.fr.md": message("Plus récent", date="2026-11-28", summary="x")})
    bulletin = assemble(project.content(), "rivebois-centre", number=1, on=TODAY)
    assert ids(bulletin)[2:4] == ["newer", "dark-days"]


def test_already_sent_messages_are_excluded(project):
    bulletin = assemble(
        project.content(),
        "rivebois-centre",
        number=2,
        on=TODAY,
        already_sent={"dark-days.fr", "meeting.fr"},
    )
    assert ids(bulletin) == ["burglary-trend", "fake-police"]
    assert ids(bulletin, "nl") == ["dark-days"]  # sent in French only


def test_expired_and_future_messages_are_excluded(project):
    keys = ids(assemble(project.content(), "rivebois-centre", number=1, on=TODAY))
    assert "summer" not in keys  # valid until 2026-08-31
    assert "future" not in keys  # dated 2026-12-15
    summer = assemble(project.content(), "rivebois-centre", number=1, on=date(2026, 7, 1))
    assert "summer" in ids(summer)


def test_other_language_and_other_plp_are_excluded(project):
    bulletin = assemble(project.content(), "rivebois-centre", number=1, on=TODAY)
    everything = {m.id for e in bulletin.editions for m in e.messages}
    assert "winter.de" not in everything  # German: the PLP has no German members
    assert "gare.fr" not in everything  # targets another PLP
    german = assemble(project.content(), "tannendorf", number=1, on=TODAY)
    assert german.languages == ("de",)
    assert [m.id for m in german.edition("de").messages] == ["winter.de"]


def test_lang_option_restricts_the_editions(project):
    bulletin = assemble(project.content(), "rivebois-centre", number=1, on=TODAY, langs=["nl"])
    assert bulletin.languages == ("nl",)
    with pytest.raises(PlpError, match="languages are fr, nl"):
        assemble(project.content(), "rivebois-centre", number=1, on=TODAY, langs=["de"])


def test_nothing_new_is_an_error_never_an_empty_bulletin(project):
    content = project.content()
    sent = {"gare.fr", "fake-police.fr"}
    # montgare-gare still gets the national dark-days message; once it is sent, nothing is left
    left = assemble(content, "montgare-gare", number=4, on=TODAY, already_sent=sent)
    assert ids(left) == ["dark-days"]
    sent |= {"dark-days.fr"}
    with pytest.raises(PlpError) as error:
        assemble(content, "montgare-gare", number=4, on=TODAY, already_sent=sent, previous=3)
    assert "no new message for PLP montgare-gare in fr since bulletin 3" in str(error.value)
    assert "nothing to send" in str(error.value)


def test_unknown_plp_suggests_close_names_and_inactive_is_refused(project):
    with pytest.raises(PlpError, match="did you mean rivebois-centre"):
        assemble(project.content(), "rivebois-centr", number=1, on=TODAY)
    with pytest.raises(PlpError, match="inactive"):
        assemble(project.content(), "montgare-zoning", number=1, on=TODAY)


def test_note_opens_the_bulletin_and_blank_note_is_none(project):
    bulletin = assemble(project.content(), "tannendorf", number=1, on=TODAY, note="  Hallo!  ")
    assert bulletin.note == "Hallo!"
    blank = assemble(project.content(), "tannendorf", number=1, on=TODAY, note=" \n ")
    assert blank.note is None
