"""Bad input through the command line: exit 1 and one line saying how to fix it, never a
traceback. Run through the console entry point (`main()`), so exit codes are the shell's."""

from __future__ import annotations

import pytest

from .conftest import LEDEN_CSV, PLP

TYPO = "bergveld-centrun"
UNKNOWN = "Error: unknown PLP 'nowhere' — see content/registry/plps.yaml"


def case(args: tuple[str, ...], says: str, bug: str | None = None):
    """Arguments, and what the user must read on one line: what is wrong and how to fix it."""
    marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
    return pytest.param(args, says, marks=marks, id=" ".join(args))


HOSTILE = [
    case(("bulletin", "draft", "nowhere"), UNKNOWN),
    case(("bulletin", "show", "nowhere"), UNKNOWN),
    case(("bulletin", "test", "nowhere"), UNKNOWN),
    case(("bulletin", "send", "nowhere", "1"), UNKNOWN),
    case(("bulletin", "draft", TYPO), f"unknown PLP '{TYPO}' — did you mean bergveld-centrum"),
    case(
        ("bulletin", "approve", TYPO, "1"),
        f"unknown PLP '{TYPO}' — did you mean bergveld-centrum",
    ),
    case(("members", "list", "--plp", "nowhere"), "unknown PLP 'nowhere' — check the slug"),
    case(("members", "import", "leden.csv", "--plp", TYPO), "did you mean bergveld-centrum?"),
    case(
        ("build", "--plp", "nowhere"), "--plp nowhere: no such PLP — see content/registry/plps.yaml"
    ),
    case(("bulletin", "show", PLP), f"has no bulletin yet — run `plp bulletin draft {PLP}`"),
    case(("bulletin", "show", PLP, "9"), f"has no bulletin 9 — run `plp bulletin draft {PLP}`"),
    case(("bulletin", "test", PLP, "9"), f"has no bulletin 9 — run `plp bulletin draft {PLP}`"),
    case(("bulletin", "approve", PLP, "9"), f"has no bulletin 9 — run `plp bulletin draft {PLP}`"),
    case(("bulletin", "send", PLP, "9"), f"has no bulletin 9 — run `plp bulletin draft {PLP}`"),
    case(
        ("bulletin", "approve", PLP, "one"),
        "Invalid value for 'NUMBER': 'one' is not a valid integer",
    ),
    case(
        ("bulletin", "send", PLP, "1.5"), "Invalid value for 'NUMBER': '1.5' is not a valid integer"
    ),
    case(("bulletin", "show", PLP, "last"), "'last' is not a valid integer"),
    case(("bulletin", "draft", PLP, "--date", "29/11/2026"), "is not a date — use YYYY-MM-DD"),
    case(("bulletin", "draft", "heidebeek-zuid", "--lang", "fr"), "its languages are nl"),
    case(("members", "import", "ontbreekt.csv", "--plp", PLP), "'ontbreekt.csv' does not exist"),
    case(
        ("bulletin", "draft", PLP, "--note", "ontbreekt.md"),
        "Error: ontbreekt.md: no such note file — give the path of a Markdown file",
    ),
    case(
        ("members", "import", "leden.xlsx", "--plp", PLP),
        "leden.xlsx: this is a spreadsheet file (Excel/LibreOffice), not CSV — in your "
        "spreadsheet use File → Save as → CSV",
    ),
    case(
        ("bulletin", "draft", PLP, "--note", "woordje-latin1.md"),
        "Error: woordje-latin1.md: the note is not UTF-8 — save it as UTF-8",
    ),
    case(("members", "export"), "Error: give either an EMAIL or --plp SLUG — e.g. `plp members"),
    case(("members", "export", "jan@example.org", "--plp", PLP), "give either an EMAIL or --plp"),
    case(
        ("members", "unsubscribe", "--token", "garbage"),
        "Error: this unsubscribe link is not valid (altered, truncated or not ours) — copy the "
        "whole link from the e-mail",
    ),
    case(("members", "unsubscribe"), "Error: give either an EMAIL or --token T"),
    case(
        ("members", "forget", "niemand@example.org", "--yes"),
        "no member with address 'niemand@example.org' — nothing to erase",
    ),
    case(("members", "list"), "Missing option '--plp'"),
    case(("bogus",), "No such command 'bogus'"),
]


@pytest.fixture
def hostile_project(project):
    """A fresh project with the files the invocations name: a good sheet, and bad ones."""
    project.write("leden.csv", LEDEN_CSV)
    project.write("leden.xlsx", b"PK\x03\x04\x14\x00\x06\x00" + bytes(64))  # a zip, as Excel
    project.write(
        "woordje-latin1.md", "Beste buren, tot op de receptie in het café.\n".encode("cp1252")
    )
    return project


@pytest.mark.parametrize(("args", "says"), HOSTILE)
def test_bad_input_is_one_clear_line_and_exit_1(hostile_project, console, args, says):
    result = console(hostile_project, *args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""  # errors go to stderr
    lines = result.stderr.splitlines()
    assert [line for line in lines if says in line], (
        f"{says!r} not on one line of:\n{result.stderr}"
    )
    assert len([line for line in lines if line.startswith("Error:")]) <= 1
    # Nothing a user would see changed: no site, no draft, no mail.
    assert not hostile_project.output.exists()
    assert not (hostile_project.var / "bulletins").exists() and hostile_project.sent() == {}
