"""What used to pass in silence is a problem: blank alt text, no body, no target, no reader,
and files under content/ that are not files."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
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


@pytest.mark.parametrize(
    "body",
    [
        "Kijk:\n\n![][foto]\n\n[foto]: inbreker.jpg",
        "Kijk:\n\n![ ][foto]\n\n[foto]: inbreker.jpg",
        "Kijk:\n\n![ ](inbreker.jpg)",
        "Kijk:\n\n![&nbsp;](inbreker.jpg)",
        "Kijk:\n\n![**](inbreker.jpg)",
        'Kijk:\n\n<img src="a.jpg" alt="">',
        'Kijk:\n\n<img src="a.jpg" alt=" ">',
        'Kijk:\n\n<img src="a.jpg" alt>',
    ],
)
def test_images_with_blank_alt_text_are_refused(content_tree, body):
    errors, _ = problems_for(content_tree, {"messages/x.nl.md": message(body=body)})
    problem = only(errors)
    assert problem.line == 9 and "has no alt text" in problem.message


@pytest.mark.parametrize(
    "body",
    [
        "![Een open raam][foto]\n\n[foto]: raam.jpg",
        "![raam]\n\n[raam]: raam.jpg",  # a shortcut reference: its label is the alt text
        "![Een raam](raam.jpg 'titel')",
        "<img alt=raam src=raam.jpg>",
    ],
)
def test_images_with_alt_text_pass(content_tree, body):
    errors, _ = problems_for(content_tree, {"messages/x.nl.md": message(body=body)})
    assert errors == []


@pytest.mark.parametrize("body", ["", "   \n\n", "<!-- later -->", "<script>x()</script>"])
def test_a_message_with_no_body_is_refused(content_tree, body):
    errors, _ = problems_for(content_tree, {"messages/x.nl.md": message(body=body)})
    problem = only(errors)
    assert problem.line == 7 and problem.message == "the message has no text"


@pytest.mark.parametrize("targets", [",", " , ,"])
def test_targets_naming_no_target_are_refused(content_tree, targets):
    errors, _ = problems_for(content_tree, {"messages/x.nl.md": message(targets=targets)})
    problem = only(errors)
    assert problem.line == 4 and "names no target" in problem.message


def test_a_message_no_plp_reads_in_its_language_is_reported(content_tree):
    # zone 5902 has one active PLP, which reads fr and nl: a German version reaches nobody.
    files = {
        "messages/vans.de.md": message(
            title="Diebstahl aus Lieferwagen",
            category="modus-operandi",
            targets="commune:florval",
            date="2026-10-10",
        )
    }
    errors, everything = problems_for(content_tree, files)
    assert errors == []
    warning = next(p for p in everything if p.path.endswith("vans.de.md"))
    assert warning.severity is Severity.WARNING and warning.line == 4
    assert warning.message == "reaches no active PLP in 'de' (the PLPs it targets read fr, nl)"
    root = content_tree(files)
    strict = CliRunner().invoke(cli, ["--root", str(root), "check", "--strict"])
    assert strict.exit_code == 1 and "vans.de.md:4: warning: reaches no active PLP" in strict.output


def _odd_files(root):
    messages = root / "content/messages"
    (messages / "folder.nl.md").mkdir()
    (messages / "loop.nl.md").symlink_to(messages / "loop.nl.md")
    (messages / "gone.nl.md").symlink_to(messages / "nowhere.nl.md")


def test_folders_and_broken_links_named_md_are_reported(content_tree):
    root = content_tree({})
    _odd_files(root)
    _, problems = read_content(root / "content")
    found = {p.path.rsplit("/", 1)[-1]: p for p in problems if p.severity is Severity.ERROR}
    assert found["folder.nl.md"].message == "is a folder, not a file"
    assert "symbolic links" in found["loop.nl.md"].message
    assert "no such file" in found["gone.nl.md"].message
    assert all(p.line == 0 for p in found.values())


def test_odd_files_end_in_a_report_not_a_traceback(content_tree):
    root = content_tree({})
    _odd_files(root)
    (root / "content/registry/zones.yaml").unlink()
    (root / "content/registry/zones.yaml").mkdir()
    result = CliRunner().invoke(cli, ["--root", str(root), "check"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "registry/zones.yaml: is a folder, not a file" in result.output
    assert "messages/folder.nl.md: is a folder, not a file" in result.output
