"""Every text field is checked for personal data; the registry holds roles, never persons."""

from __future__ import annotations

import pytest

from pipeline.checks import WEBMAIL_DOMAINS, person_name
from pipeline.content import read_content
from pipeline.errors import Severity
from tests.conftest import PLPS, ROOT, ZONES, message


def errors_for(content_tree, files):
    root = content_tree(files)
    _, problems = read_content(root / "content")
    return [p for p in problems if p.severity is Severity.ERROR]


def only(errors):
    assert len(errors) == 1, "\n".join(map(str, errors))
    return errors[0]


def test_the_author_field_is_checked(content_tree):
    text = message().replace("Politiezone Kempenveld — preventiedienst", "Jan, 0470 12 34 56")
    problem = only(errors_for(content_tree, {"messages/x.nl.md": text}))
    assert problem.line == 5 and problem.message == "phone number '0470 12 34 56'"


def test_pages_are_checked(content_tree):
    page = "Title: Over ons\nSummary: Mail jan@gmail.com\n\nWagen 1-ABC-234.\n"
    errors = errors_for(content_tree, {"pages/about.nl.md": page})
    assert [(p.line, p.message) for p in errors] == [
        (2, "e-mail address 'jan@gmail.com'"),
        (4, "licence plate '1-ABC-234'"),
    ]


@pytest.mark.parametrize(
    ("old", "new", "line", "expect"),
    [
        (
            '{nl: "BIN Heidebeek-Zuid"}',
            '{nl: "BIN Heidebeek 1-ABC-234"}',
            9,
            "licence plate '1-ABC-234'",
        ),
        (
            '{name: "Coördinator BIN Heidebeek-Zuid"',
            '{name: "Coördinator BIN Heidebeek-Zuid (0470 12 34 56)"',
            13,
            "phone number '0470 12 34 56'",
        ),
        (
            "  kind: rural\n",
            "  kind: rural\n  join: 'Schrijf naar jan.peeters@gmail.com'\n",
            13,
            "e-mail address 'jan.peeters@gmail.com'",
        ),
    ],
)
def test_plp_names_coordinators_and_join_texts_are_checked(content_tree, old, new, line, expect):
    problem = only(errors_for(content_tree, {"registry/plps.yaml": PLPS.replace(old, new, 1)}))
    assert problem.path.endswith("registry/plps.yaml")
    assert (problem.line, problem.message) == (line, expect)


@pytest.mark.parametrize(
    ("old", "new", "line", "expect"),
    [
        ('{nl: "Politiezone Kempenveld"}', '{nl: "Politiezone 1-XYZ-987"}', 2, "'1-XYZ-987'"),
        ('{nl: "Heidebeek"}', '{nl: "Heidebeek 0478 11 22 33"}', 11, "'0478 11 22 33'"),
    ],
)
def test_zone_and_commune_names_are_checked(content_tree, old, new, line, expect):
    problem = only(errors_for(content_tree, {"registry/zones.yaml": ZONES.replace(old, new, 1)}))
    assert problem.path.endswith("registry/zones.yaml") and expect in problem.message
    assert problem.line == line


@pytest.mark.parametrize(
    "address",
    [
        "bin.zuid@gmail.com", "Bin.Zuid@Hotmail.be", "bin@outlook.com", "bin@live.be",
        "bin@yahoo.fr", "bin@icloud.com", "bin@skynet.be", "bin@telenet.be", "bin@proximus.be",
        "bin@gmx.de", "bin@web.de",
    ],
)  # fmt: skip
def test_a_coordinator_address_at_a_webmail_provider_is_refused(content_tree, address):
    plps = PLPS.replace("bin.zuid@heidebeek.test", address, 1)
    problem = only(errors_for(content_tree, {"registry/plps.yaml": plps}))
    assert problem.line == 13 and "private mailbox (webmail provider)" in problem.message
    assert "role address" in problem.fix


def test_a_zone_address_at_a_webmail_provider_is_refused(content_tree):
    zones = ZONES.replace("preventie@pz-kempenveld.test", "pz.kempenveld@gmail.com", 1)
    problem = only(errors_for(content_tree, {"registry/zones.yaml": zones}))
    assert problem.line == 5 and "private mailbox" in problem.message


def test_webmail_domains_are_a_named_constant():
    assert {"gmail.com", "hotmail.com", "skynet.be", "telenet.be", "web.de"} <= WEBMAIL_DOMAINS


@pytest.mark.parametrize(
    "display",
    ["Jan Peeters", "Marie-Claire Dubois", "Jan van den Broeck", "Coördinator Jan Peeters",
     "Hans Müller — PLP Tannendorf", "Sophie Lambert (coordination)"],
)  # fmt: skip
def test_a_person_s_name_where_a_role_is_expected_is_refused(content_tree, display):
    plps = PLPS.replace('"Coördinator BIN Heidebeek-Zuid"', f'"{display}"', 1)
    problem = only(errors_for(content_tree, {"registry/plps.yaml": plps}))
    assert problem.line == 13 and "looks like a person's name" in problem.message
    assert "name the role" in problem.fix


@pytest.mark.parametrize(
    "display",
    ["Coördinator BIN Heidebeek-Zuid", "Coordination PLP Florval-Centre", "Marc",
     "Marc — BIN Heidebeek-Zuid", "Koordination PLP Eichenfeld-Land", "Team Heidebeek-Zuid",
     "Secretariaat BIN Heidebeek", "Coördinatie BIN-Z Koopmansbrug / Coordination PLP Commerçants",
     "Preventiedienst Politiezone Kempenveld", "BIN Heidebeek-Zuid"],
)  # fmt: skip
def test_role_names_and_a_first_name_alone_pass(display):
    context = ["BIN Heidebeek-Zuid", "heidebeek-zuid", "Heidebeek", "Koopmansbrug", "Florval"]
    assert person_name(display, context) is None


def test_every_sample_coordinator_name_reads_as_a_role():
    content, _ = read_content(ROOT / "content")
    for plp in content.plps.values():
        commune = content.communes[plp.commune_id]
        context = [*plp.names.values(), plp.slug, *commune.names.values()]
        assert person_name(plp.coordinator.name, context) is None, plp.coordinator.name
