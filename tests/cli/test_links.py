"""Links in a bulletin resolve when it arrives: the pages it links to are on the site."""

from __future__ import annotations

import re

from .conftest import LEDEN_CSV, PLP


def links(message) -> set[str]:
    html = message.get_body(("html",)).get_content()
    return set(re.findall(r'href="http://localhost:8000/([^"#?]*)"', html))


def test_the_test_copy_says_where_it_is_and_what_to_build(project):
    assert project.plp("bulletin", "draft", PLP).exit_code == 0
    result = project.plp("bulletin", "test", PLP)
    assert result.exit_code == 0, result.output
    [eml] = [line.strip() for line in result.output.splitlines() if line.strip().endswith(".eml")]
    assert (project.root / eml).is_file()
    assert "page(s) not on the site yet" in result.output and "plp build" in result.output
    assert project.plp("build").exit_code == 0
    again = project.plp("bulletin", "test", PLP)
    assert "not on the site yet" not in again.output


def test_a_sent_bulletin_finds_every_page_it_links_to(project):
    project.write("leden.csv", LEDEN_CSV)
    assert project.plp("members", "import", "leden.csv", "--plp", PLP).exit_code == 0
    assert project.plp("bulletin", "draft", PLP).exit_code == 0
    assert project.plp("bulletin", "approve", PLP, "1").exit_code == 0
    assert not project.output.exists()  # nothing built yet
    sent = project.plp("bulletin", "send", PLP, "1")
    assert sent.exit_code == 0, sent.output
    message = next(iter(project.sent().values()))
    targets = {t for t in links(message) if "/messages/" in t or "/bulletins/" in t}
    assert any("/bulletins/1/" in t for t in targets) and any("/messages/" in t for t in targets)
    for target in targets:
        assert (project.output / target / "index.html").is_file(), target


def test_a_test_copy_says_it_is_one_in_the_coordinators_language(project):
    assert project.plp("bulletin", "draft", PLP).exit_code == 0
    assert project.plp("bulletin", "test", PLP).exit_code == 0
    [copy] = project.sent().values()
    assert str(copy["Subject"]).startswith("[Testexemplaar] ")
    text = copy.get_body(("plain",)).get_content()
    html = copy.get_body(("html",)).get_content()
    banner = "Testexemplaar voor de coördinator: de leden krijgen het zonder deze regel."
    assert text.startswith(f"*** {banner} ***") and banner in html
    greeting = next(line for line in text.splitlines() if line.startswith("Beste"))
    assert greeting == "Beste lid,"  # the neutral greeting, not the role's name
    # What members get carries none of it, and the approval still covers exactly that.
    project.write("leden.csv", LEDEN_CSV)
    assert project.plp("members", "import", "leden.csv", "--plp", PLP).exit_code == 0
    assert project.plp("bulletin", "approve", PLP, "1").exit_code == 0
    assert project.plp("bulletin", "send", PLP, "1").exit_code == 0
    members = [m for m in project.sent().values() if "Testexemplaar" not in str(m["Subject"])]
    assert len(members) == 5
    assert all(banner not in m.get_body(("plain",)).get_content() for m in members)
