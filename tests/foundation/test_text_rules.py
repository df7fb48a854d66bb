"""Text that build, draft or publish would refuse is refused by `plp check`, with file:line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.content import read_content
from pipeline.errors import Severity
from tests.conftest import PLPS, ZONES, message

TITLE, SUMMARY, AUTHOR, BODY = 1, 6, 5, 8  # lines in message(extra="Summary: …\n")


def errors_for(content_tree, files):
    root = content_tree(files)
    _, problems = read_content(root / "content")
    return [p for p in problems if p.severity is Severity.ERROR]


def only(errors):
    assert len(errors) == 1, "\n".join(map(str, errors))
    return errors[0]


def with_summary(summary="Kort.", **fields):
    author = fields.pop("author", None)
    text = message(extra=f"Summary: {summary}\n", **fields)
    if author is not None:
        text = text.replace("Politiezone Kempenveld — preventiedienst", author)
    return text


@pytest.mark.parametrize(
    ("text", "line", "expect"),
    [
        (with_summary(title="Donkere\x01 dagen"), TITLE, "U+0001"),
        (with_summary(title="Donkere\x85dagen"), TITLE, "U+0085"),  # C1
        (with_summary("Kort\x7f."), SUMMARY, "U+007F"),
        (with_summary(author="Politie\x1bzone"), AUTHOR, "U+001B"),
        (with_summary(body="Sluit\x00 af."), BODY, "U+0000"),
        (with_summary(body="Sluit\ufffe af."), BODY, "U+FFFE"),
        (with_summary(body="Sluit\uffff af."), BODY, "U+FFFF"),
        (with_summary(body="Regel.\nSluit\u2028af."), BODY + 1, "U+2028 (line separator)"),
        (with_summary(body="Sluit \u202eaf."), BODY, "U+202E (right-to-left override)"),
    ],
)
def test_control_characters_in_any_field_are_refused(content_tree, text, line, expect):
    problem = only(errors_for(content_tree, {"messages/x.nl.md": text}))
    assert problem.line == line and expect in problem.message
    assert "invisible control character" in problem.message and "delete it" in problem.fix


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("names", '{nl: "BIN\\u0007 Bergveld"}'),
        ("names", '{nl: "BIN \\ud800Bergveld"}'),  # an unpaired surrogate, by YAML escape
        ("join", '"Welkom\\u009b bij ons."'),
    ],
)
def test_control_characters_in_the_registry_are_refused(content_tree, key, value):
    plps = PLPS.replace('  names: {nl: "BIN Heidebeek-Zuid"}\n', f"  {key}: {value}\n", 1)
    if key == "join":
        plps = plps.replace("  kind: rural\n", f"  kind: rural\n  join: {value}\n", 1)
    errors = errors_for(content_tree, {"registry/plps.yaml": plps})
    assert errors and all(p.path.endswith("registry/plps.yaml") for p in errors)
    # libyaml refuses a surrogate escape itself; the pure-Python loader leaves it to us.
    wanted = ("invisible control character", "invalid Unicode character escape")
    assert any(w in p.message and p.line >= 8 for p in errors for w in wanted), errors


@pytest.mark.parametrize(
    "title", ["<b></b>", "<!-- x -->", "<script>alert(1)</script>", "\u200b", "&nbsp;"]
)
def test_a_title_empty_once_sanitised_is_refused(content_tree, title):
    problem = only(errors_for(content_tree, {"messages/x.nl.md": message(title=title)}))
    assert problem.line == TITLE
    assert problem.message.startswith("Title has no visible text once markup is removed")
    assert "plain words" in problem.fix


@pytest.mark.parametrize(
    ("summary", "words"),
    [("Zet src=x aan", "src="), ("Kijk url( nu", "url("), ("background = rood", "background =")],
)
def test_words_the_bulletin_reads_as_a_resource_load_are_refused(content_tree, summary, words):
    problem = only(errors_for(content_tree, {"messages/x.nl.md": with_summary(summary)}))
    assert problem.line == SUMMARY
    assert f"'{words}' reads as loading a resource" in problem.message


def test_the_bulletin_placeholder_is_refused_however_it_is_typed(content_tree):
    for body in ("Adres: %%PLP_TO%%", "Adres: &#37;%PLP_TO%%", "Adres: %%PLP\\_TO%%"):
        problem = only(errors_for(content_tree, {"messages/x.nl.md": message(body=body)}))
        assert problem.line == 7 and "contains '%%PLP_'" in problem.message


@pytest.mark.parametrize(
    "name",
    ["BIN\tNoord", "BIN =?utf-8?b?QQ==?=", "BIN %0ANoord", "BIN &#10;Noord", "B" * 151],
)
def test_names_that_no_e_mail_header_can_hold_are_refused(content_tree, name):
    plps = PLPS.replace('"BIN Heidebeek-Zuid"}', f"{json.dumps(name)}}}", 1)
    problem = only(errors_for(content_tree, {"registry/plps.yaml": plps}))
    assert problem.path.endswith("registry/plps.yaml") and problem.line == 9
    assert problem.message.startswith("PLP name")


def test_harmless_words_still_pass(content_tree):
    text = with_summary("Bewaar data: nu. Zet de bron = de zone.", body="Data: 101 of 112.")
    assert errors_for(content_tree, {"messages/x.nl.md": text}) == []


@pytest.mark.parametrize(
    "command", [["check"], ["build"], ["bulletin", "draft", "bergveld-centrum"]]
)
def test_check_build_and_draft_refuse_the_same_way_without_a_traceback(
    content_tree, tmp_path, command
):
    root = content_tree(
        {
            "messages/x.nl.md": message(title="<b></b>", targets="plp:bergveld-centrum"),
            "registry/zones.yaml": ZONES.replace("Kempenveld", "Kempen\\u0001veld", 1),
        }
    )
    env = {"PLP_VAR_DIR": str(tmp_path / "var"), "PLP_OUTPUT_DIR": str(tmp_path / "out")}
    result = CliRunner().invoke(cli, ["--root", str(root), *command], env=env)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "content/messages/x.nl.md:1: Title has no visible text" in result.output
    assert "content/registry/zones.yaml:2: invisible control character U+0001" in result.output
    assert not (tmp_path / "out").exists()  # nothing half-built
