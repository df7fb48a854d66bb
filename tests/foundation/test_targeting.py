"""Targeting decides who gets what: zone, commune, national, named PLPs, languages, expiry."""

from __future__ import annotations

from datetime import date

from pipeline.content import load_content
from pipeline.targeting import Targeting
from tests.conftest import message


def targeting(content_tree, make_config, files=None):
    config = make_config(content_tree(files))
    return Targeting(load_content(config))


def keys(messages):
    return [m.key for m in messages]


def test_zone_target_reaches_every_active_plp_of_the_zone(content_tree, make_config):
    t = targeting(content_tree, make_config)
    assert [p.slug for p in t.plps_for("dark-days")] == ["bergveld-centrum", "heidebeek-zuid"]


def test_commune_target_skips_inactive_plps(content_tree, make_config):
    t = targeting(content_tree, make_config)
    assert [p.slug for p in t.plps_for("vans")] == ["florval-centre"]
    assert t.messages_for("florval-zoning", "fr") == []


def test_national_target_reaches_all_active_plps_in_their_languages(content_tree, make_config):
    t = targeting(content_tree, make_config)
    assert {p.slug for p in t.plps_for("holiday")} == {
        "bergveld-centrum",
        "heidebeek-zuid",
        "florval-centre",
    }
    # The bilingual PLP gets both versions, one per language.
    assert "holiday" in keys(t.messages_for("florval-centre", "fr"))
    assert "holiday" in keys(t.messages_for("florval-centre", "nl"))
    assert [m.lang for m in t.messages_for("bergveld-centrum", "nl") if m.key == "holiday"] == [
        "nl"
    ]


def test_named_plp_target(content_tree, make_config):
    t = targeting(content_tree, make_config)
    assert [p.slug for p in t.plps_for("meeting")] == ["heidebeek-zuid"]
    assert "meeting" not in keys(t.messages_for("bergveld-centrum", "nl"))


def test_a_plp_without_a_matching_language_gets_nothing(content_tree, make_config):
    t = targeting(
        content_tree,
        make_config,
        {"messages/fr-only.fr.md": message(title="Seulement FR", targets="zone:5901")},
    )
    assert t.plps_for("fr-only") == ()
    assert "fr-only" not in keys(t.messages_for("bergveld-centrum", "nl"))


def test_validity_dates(content_tree, make_config):
    t = targeting(
        content_tree,
        make_config,
        {
            "messages/future.nl.md": message(title="Later", date="2026-12-15"),
        },
    )
    inbox = keys(t.messages_for("bergveld-centrum", "nl", on=date(2026, 7, 1)))
    assert "holiday" in inbox and "future" not in inbox and "dark-days" not in inbox
    later = keys(t.messages_for("bergveld-centrum", "nl", on=date(2026, 12, 20)))
    assert "holiday" not in later  # expired on 2026-08-31
    assert later[:2] == ["future", "dark-days"]  # newest first
    # Without a date: everything ever targeted (the archive).
    assert set(keys(t.messages_for("bergveld-centrum", "nl"))) == {"future", "dark-days", "holiday"}


def test_union_of_targets(content_tree, make_config):
    t = targeting(
        content_tree,
        make_config,
        {
            "messages/mix.nl.md": message(targets="plp:heidebeek-zuid, commune:florval"),
        },
    )
    assert [p.slug for p in t.plps_for("mix")] == ["florval-centre", "heidebeek-zuid"]
