"""The whole `plp` command tree: every command has help, and README.md names exactly these.

README.md is the contract: a command it names must exist, and a command that exists must be in
its Commands table (one row may name several: `plp members list/export/unsubscribe/forget`).
"""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from pipeline.cli import cli

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def walk(group: click.Group, path: tuple[str, ...] = ()):
    """(path, command) for every command and group under `group`, depth first."""
    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from walk(command, (*path, name))


TREE = dict(walk(cli))
LEAVES = {path for path, command in TREE.items() if not isinstance(command, click.Group)}


def named(words: list[str]) -> set[tuple[str, ...]]:
    """The command paths `plp WORDS…` names: words are followed down the tree while they name
    a subcommand; `a/b` names both. A word that should name a subcommand and does not is
    kept, so that the path fails to exist."""
    paths: set[tuple[str, ...]] = set()

    def follow(group: click.Group, path: tuple[str, ...], rest: list[str]) -> None:
        if not rest or rest[0].startswith("-"):
            paths.add(path)
            return
        for name in rest[0].split("/"):
            command = group.commands.get(name)
            if isinstance(command, click.Group):
                follow(command, (*path, name), rest[1:])
            else:  # a command, or a name the tree does not have
                paths.add((*path, name))

    follow(cli, (), words)
    return paths


def code_snippets(markdown: str) -> list[str]:
    """Every line of a fenced code block, and every inline code span, of a Markdown text."""
    fences = re.compile(r"^```[^\n]*\n(.*?)^```$", re.MULTILINE | re.DOTALL)
    snippets = [line for block in fences.findall(markdown) for line in block.splitlines()]
    snippets += re.findall(r"`([^`\n]+)`", fences.sub("", markdown))
    return snippets


def readme_commands() -> set[tuple[str, ...]]:
    """Every command a `plp …` in README.md's code names (the table, the examples, the text)."""
    invocations = re.compile(r"(?<![\w./-])(?:\S*/)?plp((?: +[^\s`|#]+)+)")
    found = set()
    for snippet in code_snippets(README):
        for words in invocations.findall(snippet):
            found |= named(words.split())
    return found


def commands_table() -> set[tuple[str, ...]]:
    """The commands README.md's Commands table names, one row possibly naming several."""
    section = README[README.index("## Commands") :]
    section = section[: section.index("\n## ", 1)]
    rows = re.findall(r"^\| `plp ([^`]+)` \|", section, re.MULTILINE)
    assert rows, "no Commands table in README.md"
    return {path for row in rows for path in named(row.split())}


@pytest.mark.parametrize("path", [(), *TREE], ids=lambda path: " ".join(("plp", *path)))
def test_every_command_and_group_has_help(path):
    command = TREE.get(path, cli)
    assert command.help and command.help.strip(), f"plp {' '.join(path)} has no help text"
    assert command.get_short_help_str(limit=80).strip()
    result = CliRunner().invoke(cli, [*path, "--help"], prog_name="plp", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: {' '.join(('plp', *path))} [OPTIONS]")
    assert command.help.split()[0] in result.output


def test_every_command_readme_names_exists():
    missing = sorted(" ".join(path) for path in readme_commands() if path not in TREE)
    assert missing == [], "README.md names commands plp does not have"


def test_the_commands_table_names_every_command():
    table = commands_table()
    assert sorted(" ".join(path) for path in LEAVES - table) == [], "not in README.md's table"
    assert sorted(" ".join(path) for path in table - LEAVES) == [], "in the table, not in plp"


def test_the_readme_parsing_sees_the_commands_it_should():
    """The parsing itself: the table's one-row-for-four, the examples, and no false names."""
    assert {("members", n) for n in ("list", "export", "unsubscribe", "forget")} <= commands_table()
    assert named(["bulletin", "draft", "bergveld-centrum", "--note", "x.md"]) == {
        ("bulletin", "draft")
    }
    assert named(["bulletin", "dratf"]) == {("bulletin", "dratf")}  # kept, so it fails
    assert named(["--version"]) == {()}
    found = readme_commands()
    assert {("publish",), ("check",), ("members", "unsubscribe"), ("bulletin", "send")} <= found
