"""`plp check [--strict]` and `plp build [--plp SLUG]…`, as a project's maintainer runs them."""

from __future__ import annotations

from .conftest import LEDEN, PLP, ok, refused, sent_bulletin

BROKEN = """\
Title: Inbraken in het centrum
Date: 2026-11-20
Category: gossip
Targets: plp:bergveld-centrum
Author: Politiezone Zandheuvel — preventiedienst

Een wagen met nummerplaat 1-ABC-234 reed meermaals door de straat.
"""


def test_check_passes_on_the_sample_content_and_writes_nothing(project):
    out = ok(project.plp("check"))
    assert out.startswith("OK: 12 active PLPs (and 1 inactive) in 4 police zones, 39 messages")
    assert sorted(p.name for p in project.root.iterdir()) == ["content", "pelicanconf.py", "theme"]


def test_check_lists_every_problem_as_path_and_line_and_changes_nothing(project):
    project.write("content/messages/5901-zandheuvel/inbraken.nl.md", BROKEN)
    out = refused(project.plp("check"))
    assert out.splitlines() == [
        "content/messages/5901-zandheuvel/inbraken.nl.md:3: unknown category 'gossip' — use one "
        "of: prevention, modus-operandi, crime-trend, police-feedback, plp-life",
        "content/messages/5901-zandheuvel/inbraken.nl.md:7: licence plate '1-ABC-234' — remove "
        "it: messages never identify people (describe, don't name)",
        "2 problem(s) to fix; nothing was changed.",
    ]
    assert not project.output.exists() and not project.var.exists()


def test_strict_turns_a_warning_into_a_failure(project):
    (project.root / "content/pages/about.de.md").unlink()
    out = ok(project.plp("check"))
    assert "warning: page 'about.de.md' is missing" in out and "OK: " in out
    out = refused(project.plp("check", "--strict"), "page 'about.de.md' is missing")
    assert out.splitlines()[-1] == "1 problem(s) to fix; nothing was changed."


def test_build_writes_pages_and_feeds_with_no_member_address(project):
    sent_bulletin(project)  # members and a sent bulletin exist: the site must not leak them
    out = ok(project.plp("build"))
    assert "Built " in out and " feeds for 12 PLPs" in out and " 0 removed" in out
    hub = project.output / "nl/plp" / PLP
    for page in ("index.html", "feed.xml", "atom.xml", "bulletins/1/index.html"):
        assert (hub / page).is_file(), page
    assert (project.output / "index.html").is_file()
    assert (project.output / "sitemap.xml").is_file()
    assert "<rss" in (hub / "feed.xml").read_text(encoding="utf-8")
    leaks = [
        f"{path.relative_to(project.root)}: {address}"
        for path in project.output.rglob("*")
        if path.is_file()
        for address in LEDEN
        if address.encode() in path.read_bytes()
    ]
    assert leaks == []
    again = ok(project.plp("build"))
    assert " 0 written" in again  # nothing changed, nothing rewritten


def test_build_plp_writes_only_those_plps(project):
    out = ok(project.plp("build", "--plp", PLP, "--plp", "florval-centre"))
    assert "for 2 PLPs" in out
    assert (project.output / "nl/plp" / PLP / "index.html").is_file()
    assert (project.output / "fr/plp/florval-centre/feed.xml").is_file()
    assert not (project.output / "nl/plp/heidebeek-zuid").exists()
    assert not (project.output / "de/plp/waldbrueck-dorf").exists()


def test_a_broken_message_stops_the_build_before_writing(project):
    project.write("content/messages/5901-zandheuvel/inbraken.nl.md", BROKEN)
    refused(project.plp("build"), "inbraken.nl.md:3: unknown category 'gossip'")
    assert not project.output.exists()
