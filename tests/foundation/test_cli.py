"""`plp check` end to end: exit codes and what the user reads."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from pipeline.cli import cli
from tests.conftest import ROOT, message


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_check_passes_on_sample_content_in_strict_mode():
    result = run("--root", str(ROOT), "check", "--strict")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: ")


def test_check_lists_every_problem_with_file_and_line(content_tree):
    root = content_tree(
        {
            "messages/a.nl.md": message(category="gossip"),
            "messages/b.nl.md": message(extra="Urgency: urgent\n"),
        }
    )
    result = run("--root", str(root), "check")
    assert result.exit_code == 1
    assert "content/messages/a.nl.md:3: unknown category 'gossip' — use one of:" in result.output
    assert "content/messages/b.nl.md:6: urgent content is refused" in result.output
    assert "101 (112 in an emergency)" in result.output
    assert "2 problem(s) to fix" in result.output
    assert "Traceback" not in result.output


def test_strict_turns_warnings_into_errors(content_tree):
    root = content_tree({"pages/about.de.md": None})
    assert run("--root", str(root), "check").exit_code == 0
    strict = run("--root", str(root), "check", "--strict")
    assert strict.exit_code == 1 and "page 'about.de.md' is missing" in strict.output


def test_bad_configuration_is_one_clear_line(content_tree):
    root = content_tree({})
    (root / "pelicanconf.py").write_text("SITEURL = 'not a url'\n")
    result = run("--root", str(root), "check")
    assert result.exit_code == 1
    assert "pelicanconf.py SITEURL: 'not a url' is not an absolute http(s) URL" in result.output


def test_console_script_runs_as_a_process(content_tree):
    root = content_tree({"messages/a.nl.md": message(date="2026-02-30")})
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "--root", str(root), "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "a.nl.md:2: impossible date '2026-02-30'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_every_command_has_help():
    for name, command in cli.commands.items():
        assert command.help, f"{name} is missing its help"
        assert run(name, "--help").exit_code == 0


def test_check_reports_an_unusable_dkim_key(content_tree, tmp_path):
    root = content_tree({})
    key = tmp_path / "dkim.pem"
    key.write_text("not a key")
    result = CliRunner().invoke(
        cli,
        ["--root", str(root), "check"],
        env={"PLP_DKIM_KEY": str(key), "PLP_DKIM_SELECTOR": "plp2026"},
    )
    assert result.exit_code == 1
    assert "dkim.pem: not a PEM private key — generate one with" in result.output
    assert "Traceback" not in result.output
