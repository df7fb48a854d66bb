"""README.md's console examples run as shown, on a fresh project, so they can never drift.

A `$ plp …` line is a command (a trailing `# comment` is the shell's); the lines below it, up
to the next `$`, are exactly what it prints (stdout and stderr, as a terminal shows them), with:
- `…` alone on a line: any number of lines left out;
- ` …` ending a line: the line goes on;
- sizes (`24.0 KB`), dates (`2026-11-29`) and hashes (12+ hex digits) may differ.
Counts are compared as they are: the README shows what a fresh project with these files gives.
"""

from __future__ import annotations

import re
import shlex

from .conftest import LEDEN_CSV, NOTE, REPO

# Files the examples name, as a coordinator would write them.
COORDINATOR_FILES = {"leden.csv": LEDEN_CSV, "mijn-woordje.md": NOTE}
PROBLEM_MESSAGE = """\
Title: Inbraken in de Kerkstraat
Date: 2026-11-20
Category: gossip
Targets: plp:bergveld-centrum
Summary: Drie inbraken in één week, telkens langs de achterdeur.
Author: Politiezone Zandheuvel — preventiedienst

Deze week werd drie keer ingebroken in de Kerkstraat, telkens langs de achterdeur.

## Wat zagen de buren?

Een grijze bestelwagen met nummerplaat 1-ABC-234 stond er elke avond geparkeerd.
"""

VARIABLE = re.compile(r"(\d+(?:\.\d+)? KB)|(\d{4}-\d{2}-\d{2})|([0-9a-f]{12,})")
GENERAL = (r"\d+(?:\.\d+)? KB", r"\d{4}-\d{2}-\d{2}", r"[0-9a-f]{12,}")


def console_example(intro: str) -> list[tuple[list[str], list[str]]]:
    """The ```console block following `intro` in README.md: (plp arguments, shown output)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    after = text[text.index(intro) :]
    block = re.search(r"^```console\n(.*?)^```$", after, re.MULTILINE | re.DOTALL)
    assert block, f"no console block after {intro!r} in README.md"
    steps: list[tuple[list[str], list[str]]] = []
    for line in block.group(1).splitlines():
        if line.startswith("$ "):
            words = shlex.split(line[2:], comments=True)
            assert words[0] == "plp", line
            steps.append((words[1:], []))
        else:
            assert steps, f"output before any command: {line!r}"
            steps[-1][1].append(line)
    return steps


def shown_as(lines: list[str]) -> re.Pattern[str]:
    """A pattern for a command's whole output, from the lines README.md shows for it."""
    parts = []
    for line in lines:
        if line.strip() == "…":
            parts.append(r"(?:[^\n]*\n)*?")
            continue
        continues = line.endswith(" …")
        literal = line[:-2] if continues else line
        pattern = ""
        at = 0
        for found in VARIABLE.finditer(literal):
            pattern += re.escape(literal[at : found.start()]) + GENERAL[found.lastindex - 1]
            at = found.end()
        pattern += re.escape(literal[at:]) + (r" [^\n]*" if continues else "")
        parts.append(pattern + r"\n")
    return re.compile("".join(parts))


def assert_shown(args: list[str], shown: list[str], output: str) -> None:
    printed = output or "(nothing)\n"
    expected = "\n".join(shown) or "(nothing)"
    assert shown_as(shown).fullmatch(output), (
        f"`plp {shlex.join(args)}` printed:\n{printed}but README.md shows:\n{expected}"
    )


def test_the_coordinators_example_runs_verbatim(project):
    steps = console_example("A coordinator's bulletin, from draft to members")
    assert [args[:2] for args, _ in steps] == [
        ["members", "import"],
        ["bulletin", "draft"],
        ["bulletin", "test"],
        ["bulletin", "approve"],
        ["bulletin", "send"],
    ]
    for name, text in COORDINATOR_FILES.items():
        project.write(name, text)
    for args, shown in steps:
        result = project.plp(*args)
        assert result.exit_code == 0, f"`plp {shlex.join(args)}` failed:\n{result.output}"
        assert_shown(args, shown, result.output)
    assert len(project.sent()) == 1 + 5  # the coordinator's test copy, then each member's


def test_the_import_example_runs_verbatim(project):
    steps = console_example("Import refuses what plp could not honour later, by line:")
    assert [args[:4] for args, _ in steps] == [["members", "import", "leden.csv", "--plp"]] * 2
    undated = LEDEN_CSV.replace("nl;2025-04-01", "nl;")  # Mieke's row, line 4, has no date
    assert undated != LEDEN_CSV
    project.write("leden.csv", undated)
    (refused, shown), (stated, shown_after) = steps
    result = project.plp(*refused)
    assert result.exit_code == 1, result.output
    assert_shown(refused, shown, result.output)
    result = project.plp(*stated)
    assert result.exit_code == 0, result.output
    assert_shown(stated, shown_after, result.output)


def test_the_problem_example_runs_verbatim(project):
    steps = console_example("A message with problems:")
    assert [args for args, _ in steps] == [["check"]]
    project.write("content/messages/burglary.nl.md", PROBLEM_MESSAGE)
    [(args, shown)] = steps
    result = project.plp(*args)
    assert result.exit_code == 1, result.output
    assert_shown(args, shown, result.output)


def test_the_shown_output_is_compared_strictly():
    """The comparison itself: counts must match, and leaving lines out needs a `…`."""
    pattern = shown_as(["Draft of bulletin 1 (2026-11-29):", "  nl: html 24.0 KB", "…", "end …"])
    assert pattern.fullmatch("Draft of bulletin 1 (2026-12-01):\n  nl: html 9.5 KB\nx\ny\nend z\n")
    assert not pattern.fullmatch("Draft of bulletin 3 (2026-11-29):\n  nl: html 24.0 KB\nend\n")
    assert not shown_as(["a"]).fullmatch("a\nb\n")
    assert shown_as([]).fullmatch("") and not shown_as([]).fullmatch("printed\n")
