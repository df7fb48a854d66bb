"""Each validation rule, with a bad input of its own: the message, the file and the line."""

from __future__ import annotations

import pytest

from pipeline.content import read_content
from pipeline.errors import Severity
from tests.conftest import message


def problems_for(content_tree, files):
    root = content_tree(files)
    _, problems = read_content(root / "content")
    return [p for p in problems if p.severity is Severity.ERROR], problems


def only(errors):
    assert len(errors) == 1, "\n".join(map(str, errors))
    return errors[0]


# The shared tree's dark-days.fr.md targets zone 5901, whose PLPs read only Dutch.
UNREAD = "reaches no active PLP in 'fr' (the PLPs it targets read nl)"


def test_sample_tree_is_clean(content_tree):
    errors, everything = problems_for(content_tree, {})
    assert errors == []
    assert [(p.path.split("/")[-1], p.message) for p in everything] == [("dark-days.fr.md", UNREAD)]


@pytest.mark.parametrize(
    ("file", "text", "line", "expect", "fix"),
    [
        ("x.nl.md", message(extra="Colour red\n"), 6, "malformed metadata line", "Key: value"),
        ("x.nl.md", message(extra="Colour: red\n"), 6, "unknown field 'Colour'", "use one of"),
        (
            "x.nl.md",
            message().replace("Category: prevention\n", ""),
            1,
            "missing field 'Category'",
            "add a 'Category: …' line",
        ),
        ("x.nl.md", message(date="2026-02-30"), 2, "impossible date '2026-02-30'", "YYYY-MM-DD"),
        ("x.nl.md", message(date="next week"), 2, "'next week' is not a date", "YYYY-MM-DD"),
        (
            "x.nl.md",
            message(category="gossip"),
            3,
            "unknown category 'gossip'",
            "prevention, modus-operandi",
        ),
        (
            "x.nl.md",
            message(targets="plp:bergveld-centrun"),
            4,
            "unknown plp 'bergveld-centrun'",
            "did you mean plp:bergveld-centrum?",
        ),
        ("x.nl.md", message(targets="zone:5999"), 4, "unknown zone '5999'", "zone"),
        (
            "x.nl.md",
            message(targets="commune:atlantis"),
            4,
            "unknown commune 'atlantis'",
            "commune",
        ),
        ("x.nl.md", message(targets="street:main"), 4, "unknown target 'street:main'", "zone:ID"),
        (
            "x.fr.md",
            message(targets="plp:heidebeek-zuid"),
            4,
            "targets PLP 'heidebeek-zuid' (languages: nl) but 'x' exists only in fr",
            "add a translation x.nl.md",
        ),
        ("x.nl.md", message(extra="Urgency: urgent\n"), 6, "urgent content is refused", "BE-Alert"),
        (
            "x.nl.md",
            message(date="2026-11-02", extra="Valid-Until: 2026-10-01\n"),
            6,
            "Valid-Until 2026-10-01 is before the Date 2026-11-02",
            "on or after",
        ),
        (
            "x.nl.md",
            message(body="Kijk:\n\n![](inbreker.jpg)"),
            9,
            "image 'inbreker.jpg' has no alt text",
            "describe the image",
        ),
        ("x.nl.md", message(body='Foto: <img src="a.jpg">'), 7, "image has no alt text", 'alt="'),
        (
            "x.nl.md",
            message(body="Regel een.\nDe wagen 1-ABC-234 reed weg."),
            8,
            "licence plate '1-ABC-234'",
            "never identify people",
        ),
        (
            "x.nl.md",
            message(body="Oude plaat ABC-123."),
            7,
            "licence plate 'ABC-123'",
            "never identify",
        ),
        (
            "x.nl.md",
            message(body="Bel Jan op 0470 12 34 56."),
            7,
            "phone number '0470 12 34 56'",
            "only 101, 112",
        ),
        (
            "x.nl.md",
            message(body="Of +32 470/12.34.56."),
            7,
            "phone number '+32 470/12.34.56'",
            "registry",
        ),
        (
            "x.nl.md",
            message(body="Mail jan.peeters@gmail.com."),
            7,
            "e-mail address 'jan.peeters@gmail.com'",
            "role address",
        ),
        (
            "x.nl.md",
            message(title="Auto 1-XYZ-987 gezien"),
            1,
            "licence plate '1-XYZ-987'",
            "never identify",
        ),
        ("bad name.nl.md", message(), 0, "file name is not KEY.LANG.md", "rename it"),
        ("x.xx.md", message(), 0, "unknown language 'xx'", "fr, nl, de, en"),
    ],
)
def test_each_rule_names_file_line_and_fix(content_tree, file, text, line, expect, fix):
    errors, _ = problems_for(content_tree, {f"messages/{file}": text})
    problem = only(errors)
    assert problem.path.endswith(f"content/messages/{file}")
    assert problem.line == line
    assert expect in problem.message
    assert fix in problem.fix
    assert str(problem).startswith(f"{problem.path}:{line}: " if line else problem.path)


def test_role_contacts_are_allowed(content_tree):
    body = (
        "Bel 101 of 112, of de preventiedienst op +32 14 99 01 01 of 014/99.01.01. "
        "Mail preventie@pz-kempenveld.test, info@www.pz-kempenveld.test or "
        "bin.centrum@bergveld.test. Op 2026-11-02 tussen 2019-2026."
    )
    errors, _ = problems_for(content_tree, {"messages/x.nl.md": message(body=body)})
    assert errors == []


def test_every_problem_is_reported_at_once(content_tree):
    errors, _ = problems_for(
        content_tree,
        {
            "messages/a.nl.md": message(category="gossip"),
            "messages/b.nl.md": message(date="2026-13-01"),
            "registry/plps.yaml": "- slug: Bad Slug\n  names: {nl: X}\n  commune: nowhere\n"
            "  languages: [nl]\n  kind: castle\n"
            "  coordinator: {name: X, email: x@x.test}\n",
        },
    )
    messages = " | ".join(p.message for p in errors)
    for expect in (
        "unknown category",
        "impossible date",
        "'slug' has an invalid value",
        "unknown commune 'nowhere'",
        "unknown kind 'castle'",
    ):
        assert expect in messages


def test_translations_must_agree(content_tree):
    errors, _ = problems_for(
        content_tree,
        {
            "messages/dark-days.fr.md": message(
                title="Jours sombres", category="crime-trend", targets="all"
            ),
        },
    )
    assert {(p.path.split("/")[-1], p.line, p.message) for p in errors} == {
        ("dark-days.nl.md", 3, "Category differs from the fr version of 'dark-days'"),
        ("dark-days.nl.md", 4, "Targets differs from the fr version of 'dark-days'"),
    }


def test_duplicate_slugs(content_tree):
    plps = (content_tree({}) / "content/registry/plps.yaml").read_text()
    errors, _ = problems_for(
        content_tree,
        {
            "registry/plps.yaml": plps
            + plps.split("- slug: heidebeek-zuid")[0].replace(
                "- slug: bergveld-centrum", "- slug: bergveld-centrum", 1
            ),
            "messages/other/dark-days.nl.md": message(),
        },
    )
    found = {p.message for p in errors}
    assert "duplicate PLP slug 'bergveld-centrum'" in found
    assert "duplicate 'dark-days' in 'nl'" in found


def test_registry_yaml_syntax_error_names_line(content_tree):
    errors, _ = problems_for(content_tree, {"registry/zones.yaml": "- id: '5901'\n  names: [\n"})
    problem = only(errors)
    assert problem.path.endswith("registry/zones.yaml") and problem.line >= 2
    assert "invalid YAML" in problem.message


def test_missing_pages_warn_and_strict_turns_them_into_errors(content_tree):
    errors, everything = problems_for(content_tree, {"pages/privacy.de.md": None})
    assert errors == []
    assert {p.message for p in everything} == {"page 'privacy.de.md' is missing", UNREAD}


def test_non_utf8_message(content_tree):
    root = content_tree({})
    (root / "content/messages/latin.fr.md").write_bytes(message(title="Sécurité").encode("cp1252"))
    _, problems = read_content(root / "content")
    problem = only([p for p in problems if p.severity is Severity.ERROR])
    assert problem.line == 1 and "not UTF-8" in problem.message


def test_join_text_of_a_plp_is_checked_for_personal_data(content_tree):
    plps = (content_tree({}) / "content/registry/plps.yaml").read_text()
    plps = plps.replace("  kind: rural\n", "  kind: rural\n  join: 'Bel Marc: 0478 11 22 33'\n")
    errors, _ = problems_for(content_tree, {"registry/plps.yaml": plps})
    problem = only(errors)
    assert problem.path.endswith("registry/plps.yaml") and problem.line == 13  # the join line
    assert problem.message == "phone number '0478 11 22 33'"


def test_problems_in_the_header_do_not_hide_those_in_the_text(content_tree):
    text = message(category="gossip", targets="plp:nowhere", body="Wagen 1-ABC-234 gezien.")
    errors, _ = problems_for(content_tree, {"messages/x.nl.md": text})
    assert [(p.line, p.message) for p in errors] == [
        (3, "unknown category 'gossip'"),
        (7, "licence plate '1-ABC-234'"),
    ]
    text = message(
        extra="Valid-Until: 2026-01-01\n", targets="plp:nowhere", body="Mail x@gmail.com"
    )
    errors, _ = problems_for(content_tree, {"messages/x.nl.md": text})
    assert [(p.line, p.message.split(" '")[0]) for p in errors] == [
        (4, "unknown plp"),
        (6, "Valid-Until 2026-01-01 is before the Date 2026-11-02"),
        (8, "e-mail address"),
    ]


def test_a_broken_registry_does_not_blame_messages_for_role_addresses(content_tree):
    body = "Mail bin.centrum@bergveld.test of bel +32 14 99 01 01."
    errors, _ = problems_for(
        content_tree,
        {
            "registry/plps.yaml": "- slug: x\n  names: [nl\n",
            "messages/x.nl.md": message(body=body),
        },
    )
    problem = only(errors)
    assert problem.path.endswith("registry/plps.yaml") and "invalid YAML" in problem.message
