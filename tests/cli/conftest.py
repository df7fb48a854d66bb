"""A fresh project folder per test, driven only through the `plp` command line.

These tests see what a user sees: command output, exit codes and files on disk (`output/`,
`var/outbox/*.eml`, `var/bulletins/…`). They never import the library behind the CLI, so the
library can be refactored freely as long as the commands keep their promises (README.md).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pipeline.cli import cli, main
from tests.conftest import ROOT as REPO  # noqa: F401 - the CLI tests import it from here
from tests.conftest import TODAY, write_project

# The coordinator's members, as their spreadsheet saves them: `;`-separated, Dutch headers,
# one language left empty and one in capitals (both mean the PLP's language).
LEDEN_CSV = """\
Naam;E-mailadres;Taal;Toestemming
An Peeters;an.peeters@example.org;nl;12/03/2025
Jef Claes;jef.claes@example.net;nl;12/03/2025
Mieke Vermeulen;mieke@vermeulen.example.org;nl;2025-04-01
Luc Dubois;luc.dubois@example.net;NL;12/03/2025
Sofie Wouters;sofie@bergveld.test;;12/03/2025
"""
LEDEN = (
    "an.peeters@example.org",
    "jef.claes@example.net",
    "mieke@vermeulen.example.org",
    "luc.dubois@example.net",
    "sofie@bergveld.test",
)
PLP = "bergveld-centrum"  # Dutch-speaking, with five messages in force on TODAY
COORDINATOR = "bin.bergveld-centrum@bergveld.test"  # its role address in plps.yaml

# The coordinator's note: Markdown, no personal data, nothing urgent.
NOTE = """\
Beste buren,

De donkere dagen zijn er weer. Laat 's avonds een lamp branden en sluit uw tuinhuis af.
Op **12 december** houden we onze nieuwjaarsdrink in het buurthuis; iedereen is welkom.

Ziet u iets verdachts? Bel meteen de politie op 101, niet de coördinator.
"""

# RFC 2606 / RFC 6761 names: mail to them never reaches a person.
RESERVED = re.compile(r"@(?:[\w.-]+\.)?(?:example\.(?:org|net)|[\w-]+\.test)$", re.IGNORECASE)


@dataclass(frozen=True)
class Outcome:
    """What the console entry point left: its exit code and what it printed."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass(frozen=True)
class Project:
    """A project folder (pelicanconf.py, content/, theme/) with its private state inside."""

    root: Path

    @property
    def output(self) -> Path:
        return self.root / "output"

    @property
    def var(self) -> Path:
        return self.root / "var"

    @property
    def outbox(self) -> Path:
        return self.var / "outbox"

    def env(self, **overrides: str) -> dict[str, str | None]:
        """The environment for a command: no PLP_* of the developer's, today pinned.

        None removes a variable: a developer's PLP_SMTP_URL must never make a test send mail.
        The root conftest already removes them before each test; this also removes those set
        during one (test_entry_point plays a developer's environment that way).
        """
        env: dict[str, str | None] = {name: None for name in os.environ if name.startswith("PLP_")}
        env.update(PLP_TODAY=TODAY.isoformat())
        env.update(PLP_VAR_DIR=str(self.var), PLP_OUTPUT_DIR=str(self.output))
        env.update(overrides)
        return env

    def plp(self, *args: str, input: str | None = None, **env: str) -> Result:
        """Run `plp --root ROOT ARGS…` in-process from the project folder, as a user would.

        An unexpected exception is not caught: a traceback fails the test loudly. Click's own
        usage errors exit 2 here; the console script turns them into 1 (see `console`).
        """
        with contextlib.chdir(self.root):
            return CliRunner().invoke(
                cli,
                ["--root", str(self.root), *args],
                input=input,
                env=self.env(**env),
                catch_exceptions=False,
            )

    def run(self, *args: str, script: bool = False, timeout: float = 120) -> Outcome:
        """Run `python -m pipeline` (or the installed `plp` script) as a separate process."""
        return Outcome(*finished(self.popen(*args, script=script), timeout))

    def popen(self, *args: str, script: bool = False) -> subprocess.Popen[str]:
        """Start `plp --root ROOT ARGS…` as a process (e.g. `serve`); the caller ends it."""
        command = [str(plp_script())] if script else [sys.executable, "-m", "pipeline"]
        env = {k: v for k, v in {**os.environ, **self.env()}.items() if v is not None}
        env["PYTHONUNBUFFERED"] = "1"  # lines appear as they are printed
        return subprocess.Popen(
            [*command, "--root", str(self.root), *args],
            cwd=self.root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def write(self, rel: str, text: str | bytes) -> Path:
        """Write a file in the project folder (a content file, a spreadsheet, a note)."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def sent(self) -> dict[str, EmailMessage]:
        """The messages in var/outbox/, by file name (none when nothing was delivered)."""
        if not self.outbox.is_dir():
            return {}
        return {
            path.name: BytesParser(policy=policy.default).parsebytes(path.read_bytes())
            for path in sorted(self.outbox.glob("*.eml"))
        }

    def recipients(self) -> list[str]:
        """The To address of every message in the outbox, sorted (one entry per message)."""
        return sorted(m["To"].addresses[0].addr_spec for m in self.sent().values())

    def copy(self, dest: Path) -> Project:
        """The same project, state included, in another folder (to share a slow setup)."""
        shutil.copytree(self.root, dest, symlinks=True)
        return Project(dest)


def finished(process: subprocess.Popen[str], timeout: float) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"plp did not finish in {timeout} s:\n{out}{err}")
    return process.returncode, out, err


def plp_script() -> Path:
    """The `plp` console script installed next to this Python (the venv's bin/)."""
    script = Path(sys.executable).parent / "plp"
    if not script.exists():
        pytest.skip(f"no plp console script beside {sys.executable} — pip install -e . first")
    return script


def make_project(folder: Path) -> Project:
    """A fresh project folder: the repository's settings, theme and sample content, no state."""
    return Project(write_project(folder, base="sample", theme=True))


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A fresh project folder in tmp_path, run with PLP_TODAY pinned and no developer PLP_*."""
    return make_project(tmp_path / "project")


@pytest.fixture
def console(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Run the console entry point `main()` in-process: exit codes exactly as a shell sees them.

    Much faster than a process, and still what the `plp` script runs; an unexpected exception
    propagates and fails the test.
    """

    def run(project: Project, *args: str) -> Outcome:
        with monkeypatch.context() as patch:
            for name, value in project.env().items():
                if value is None:
                    patch.delenv(name, raising=False)
                else:
                    patch.setenv(name, value)
            patch.chdir(project.root)
            patch.setattr(sys, "argv", ["plp", "--root", str(project.root), *args])
            capsys.readouterr()
            try:
                main()
                code = 0
            except SystemExit as done:
                code = done.code if isinstance(done.code, int) else int(done.code is not None)
            out, err = capsys.readouterr()
        return Outcome(code, out, err)

    return run


def ok(result: Result | Outcome) -> str:
    """The output of a command that must succeed; on failure, the output says why."""
    assert result.exit_code == 0, f"exit {result.exit_code}:\n{result.output}"
    assert "Traceback" not in result.output
    return result.output


def refused(result: Result | Outcome, *phrases: str) -> str:
    """The output of a command a user got wrong: exit 1, no traceback, the phrases said."""
    assert result.exit_code == 1, f"exit {result.exit_code}:\n{result.output}"
    assert "Traceback" not in result.output
    for phrase in phrases:
        assert phrase in result.output, f"{phrase!r} not in:\n{result.output}"
    return result.output


def with_members(project: Project, plp: str = PLP, sheet: str = LEDEN_CSV) -> Project:
    """Import the coordinator's spreadsheet (leden.csv) into a PLP."""
    project.write("leden.csv", sheet)
    ok(project.plp("members", "import", "leden.csv", "--plp", plp))
    return project


def sent_bulletin(project: Project) -> Project:
    """Members imported, bulletin 1 drafted with a note, approved and sent to them."""
    with_members(project)
    project.write("mijn-woordje.md", NOTE)
    ok(project.plp("bulletin", "draft", PLP, "--note", "mijn-woordje.md"))
    ok(project.plp("bulletin", "approve", PLP, "1"))
    ok(project.plp("bulletin", "send", PLP, "1"))
    return project
