"""The test vocabulary every folder shares: one content tree, one config, one golden file.

    content_tree({...}, base="small" | "bulletin" | "sample", theme=False) -> project folder
    make_config(root=None, **field_overrides)                            -> Config
    database_url   None (SQLite under var/); a module that imports `both_backends` from
                   tests/postgres.py runs its tests on SQLite and on a real PostgreSQL
    golden(name, actual)        compares `actual` with golden/<name> beside the test module

Plain functions behind the first two (`write_project`, `project_config`) serve module- and
session-scoped fixtures. `pytest --update-golden` (or PLP_UPDATE_GOLDEN=1) rewrites the golden
files a run compares. No test ever sees a developer's PLP_* variables.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import shlex
import shutil
import sys
import textwrap
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pytest

from pipeline.config import Config, load_config
from pipeline.state import open_store
from tests.postgres import postgres_cluster, postgres_url  # noqa: F401 - shared fixtures

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 29)  # the sample content gives every active PLP a bulletin on this day
SITE_URL = "https://plp.example.org"
SECRET = "test-secret-" + "x" * 40

# What a test pins whatever the project's pelicanconf.py says: the date, a site URL on a reserved
# domain (real sending refuses links to localhost), a fixed secret, and SMTP timings short
# enough for fault-injection tests. Everything else comes from pelicanconf.py, or plp's defaults.
PINNED = {
    "today": TODAY,
    "site_url": SITE_URL,
    "secret": SECRET,
    "smtp_timeout": 2.0,
    "max_attempts": 3,
    "retry_base": 0.01,
}

# ----------------------------------------------------------------------------------------------
# The small tree (base="small"): two zones, four PLPs (one inactive), messages of each kind.

ZONES = """\
- id: "5901"
  names: {nl: "Politiezone Kempenveld"}
  phone: "+32 14 99 01 01"
  website: "https://www.pz-kempenveld.test"
  email: "preventie@pz-kempenveld.test"
  communes:
    - id: bergveld
      names: {nl: "Bergveld"}
      postcodes: ["2399", "2398"]
    - id: heidebeek
      names: {nl: "Heidebeek"}
      postcodes: ["2397"]
- id: "5902"
  names: {fr: "Zone de police Val-Florval"}
  phone: "+32 81 99 02 02"
  website: "https://www.police-valflorval.test"
  communes:
    - id: florval
      names: {fr: "Florval"}
      postcodes: ["5099"]
"""

PLPS = """\
- slug: bergveld-centrum
  names: {nl: "BIN Bergveld-Centrum"}
  commune: bergveld
  postcodes: ["2399"]
  languages: [nl]
  kind: residential
  coordinator: {name: "Coördinator BIN Bergveld-Centrum", email: "bin.centrum@bergveld.test"}
- slug: heidebeek-zuid
  names: {nl: "BIN Heidebeek-Zuid"}
  commune: heidebeek
  languages: [nl]
  kind: rural
  coordinator: {name: "Coördinator BIN Heidebeek-Zuid", email: "bin.zuid@heidebeek.test"}
- slug: florval-centre
  names: {fr: "PLP Florval-Centre", nl: "BIN Florval-Centrum"}
  commune: florval
  languages: [fr, nl]
  kind: self-employed
  coordinator: {name: "Coordination PLP Florval-Centre", email: "plp.centre@florval.test"}
- slug: florval-zoning
  names: {fr: "PLP Florval-Zoning"}
  commune: florval
  languages: [fr]
  kind: industrial
  status: inactive
  coordinator: {name: "Coordination PLP Zoning", email: "plp.zoning@florval.test"}
"""


def message(
    title="Donkere dagen",
    date="2026-11-02",
    category="prevention",
    targets="zone:5901",
    extra="",
    body="Doe het licht aan. Bel 101, of 112.",
):
    """The text of a message file; `extra` adds metadata lines."""
    head = f"Title: {title}\nDate: {date}\nCategory: {category}\nTargets: {targets}\n"
    head += "Author: Politiezone Kempenveld — preventiedienst\n" + extra
    return head + "\n" + body + "\n"


MESSAGES = {
    "messages/dark-days.nl.md": message(),
    "messages/dark-days.fr.md": message(title="Jours sombres", body="Allumez. Appelez le 101."),
    "messages/national/holiday.fr.md": message(
        title="Vacances", targets="all", date="2026-06-01", extra="Valid-Until: 2026-08-31\n"
    ),
    "messages/national/holiday.nl.md": message(
        title="Vakantie", targets="all", date="2026-06-01", extra="Valid-Until: 2026-08-31\n"
    ),
    "messages/florval/vans.fr.md": message(
        title="Vols dans les camionnettes",
        category="modus-operandi",
        targets="commune:florval",
        date="2026-10-10",
    ),
    "messages/heidebeek/meeting.nl.md": message(
        title="Algemene vergadering",
        category="plp-life",
        targets="plp:heidebeek-zuid",
        date="2026-11-20",
    ),
}
PAGES = {
    f"pages/{key}.{lang}.md": f"Title: {key} {lang}\n\nText.\n"
    for key in ("about", "report", "privacy")
    for lang in ("fr", "nl", "de")
}


# ----------------------------------------------------------------------------------------------
# Factories.

Files = Mapping[str, str | bytes | None]


def base_files(base: str) -> tuple[dict[str, str], str]:
    """(content files by path under content/, text of pelicanconf.py) of a base tree."""
    ours = (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
    if base == "small":
        return {"registry/zones.yaml": ZONES, "registry/plps.yaml": PLPS, **MESSAGES, **PAGES}, ours
    if base == "bulletin":
        # Imported here: tests/bulletin/factories.py holds that tree's texts, nothing else.
        from tests.bulletin import factories as tree

        files = {"registry/zones.yaml": tree.ZONES, "registry/plps.yaml": tree.PLPS}
        files |= {f"pages/{name}": text for name, text in tree.PAGES.items()}
        files |= {f"messages/{name}": text for name, text in tree.MESSAGES.items()}
        return files, tree.PELICANCONF
    if base == "sample":
        content = ROOT / "content"
        files = {
            path.relative_to(content).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(content.rglob("*"))
            if path.is_file()
        }
        return files, ours
    raise ValueError(f"unknown base tree {base!r}: small, bulletin or sample")


def write_project(
    folder: Path, files: Files | None = None, *, base: str = "small", theme: bool = False
) -> Path:
    """Write a project folder: the `base` tree's content/ with `files` replaced or added.

    Keys are paths under content/; None removes a file. `pelicanconf.py` is the repository's
    (the bulletin tree has its own); `theme=True` copies theme/ too, for a test that edits it.
    """
    tree, settings = base_files(base)
    chosen = {**tree, **(files or {})}
    for rel, text in chosen.items():
        path = folder / "content" / rel
        if text is None:
            path.unlink(missing_ok=True)  # also when an earlier call in this test wrote it
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pelicanconf.py").write_text(settings, encoding="utf-8")
    if theme:
        shutil.copytree(ROOT / "theme", folder / "theme", dirs_exist_ok=True)
    return folder


def project_config(root: Path, scratch: Path, **overrides) -> Config:
    """The Config of the project in `root`, as `plp` loads it, with the PINNED test values.

    var/, output/ and cache/ go in `scratch`, never in `root` (which may be the repository).
    The theme is the project's own theme/ when it has one, else the repository's. Keyword
    arguments replace any field last.
    """
    loaded = load_config(root, env={})
    values = {f.name: getattr(loaded, f.name) for f in dataclasses.fields(Config)}
    own_theme = loaded.root / "theme"
    values.update(
        PINNED,
        theme_dir=own_theme if own_theme.is_dir() else ROOT / "theme",
        output_dir=scratch / "output",
        var_dir=scratch / "var",
        cache_dir=scratch / "cache",
    )
    values.update(overrides)
    return Config(**values)


@pytest.fixture
def content_tree(tmp_path: Path):
    """content_tree(files=None, *, base="small", theme=False) -> a project folder in tmp_path.

    base: "small" (the tree above), "bulletin" (tests/bulletin/factories.py) or "sample" (the
    repository's content/). Calling it again rewrites the same folder.
    """

    def make(files: Files | None = None, *, base: str = "small", theme: bool = False) -> Path:
        return write_project(tmp_path / "site", files, base=base, theme=theme)

    return make


@pytest.fixture
def database_url() -> str | None:
    """The private state's database: SQLite under var/ unless a module asks for both."""
    return None


@pytest.fixture
def make_config(tmp_path: Path, database_url):
    """make_config(root=None, **field_overrides) -> the Config of `root` (default: tmp_path).

    Pinned for tests (see PINNED), with var/, output/ and cache/ in tmp_path, the private
    state in `database_url`'s backend.
    """

    def make(root: Path | None = None, **overrides) -> Config:
        overrides.setdefault("database_url", database_url)
        return project_config(root or tmp_path, tmp_path, **overrides)

    return make


@pytest.fixture
def config(make_config) -> Config:
    """A bare project in tmp_path: no content, nothing but the pinned defaults."""
    return make_config()


@pytest.fixture
def state(config):
    """The private state of `config`, closed after the test."""
    with open_store(config) as opened:
        yield opened


@pytest.fixture
def store(state):
    """The member list of that state."""
    return state.members


@pytest.fixture
def ledger(state):
    """The delivery ledger of that state."""
    return state.ledger


@pytest.fixture(autouse=True)
def _no_plp_environment(monkeypatch):
    # A developer's PLP_SMTP_URL must never make a test send real mail, nor a PLP_TODAY or
    # PLP_VAR_DIR change what a test reads; CliRunner's env= only adds to os.environ.
    for name in [n for n in os.environ if n.startswith("PLP_")]:
        monkeypatch.delenv(name)


# ----------------------------------------------------------------------------------------------
# Golden files.

UPDATE_GOLDEN = pytest.StashKey[bool]()
DIFF_LINES = 40  # enough to see what changed; the whole file is one `git diff` away


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the golden files the selected tests compare (also: PLP_UPDATE_GOLDEN=1)",
    )


def pytest_configure(config: pytest.Config) -> None:
    # Read once, now: the autouse fixture above removes every PLP_* variable before each test.
    wanted = config.getoption("--update-golden") or os.environ.get("PLP_UPDATE_GOLDEN") == "1"
    config.stash[UPDATE_GOLDEN] = wanted


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """golden(name, actual): `actual` must equal golden/<name> beside the test module.

    With --update-golden the file is rewritten instead; a missing one is written and the test
    fails, so that a new golden file is always looked at before it is committed.
    """
    update = request.config.stash[UPDATE_GOLDEN]

    def check(name: str, actual: str) -> None:
        path = request.path.parent / "golden" / name
        shown = _shown(path, request.config.rootpath)
        if update or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            if not update:
                pytest.fail(f"{shown} was missing: written now; check it and commit it", False)
            return
        expected = path.read_text(encoding="utf-8")
        if actual != expected:
            command = _update_command(request.node.nodeid, request.config.rootpath)
            pytest.fail(
                f"{shown} differs from the output (- golden, + actual):\n"
                f"{_short_diff(expected, actual, shown)}\n"
                f"If the change is intended, update the file and review it with `git diff`:\n"
                f"    {command}",
                pytrace=False,
            )

    return check


def _short_diff(expected: str, actual: str, name: str) -> str:
    """The first DIFF_LINES lines of a unified diff; long lines (MJML's HTML) cut at tags.

    Line numbers in the hunk headers count those cut lines.
    """

    def lines(text: str) -> list[str]:
        out = []
        for line in text.splitlines():
            out += line.replace("><", ">\n<").splitlines() if len(line) > 200 else [line]
        return out

    diff = list(
        difflib.unified_diff(lines(expected), lines(actual), name, "actual", n=2, lineterm="")
    )
    more = len(diff) - DIFF_LINES
    clipped = [line if len(line) <= 200 else line[:199] + "…" for line in diff[:DIFF_LINES]]
    return "\n".join(clipped + ([f"… {more} more diff lines"] if more > 0 else []))


def _shown(path: Path, rootpath: Path) -> str:
    return str(path.relative_to(rootpath)) if path.is_relative_to(rootpath) else str(path)


def _update_command(nodeid: str, rootpath: Path) -> str:
    """The command that rewrites this test's golden files, run from the project folder."""
    pytest_script = Path(sys.executable).parent / "pytest"
    runner = str(pytest_script) if pytest_script.exists() else f"{sys.executable} -m pytest"
    runner = runner.replace(f"{rootpath}{os.sep}", "")  # .venv/bin/pytest, as README runs it
    where = "" if Path.cwd() == rootpath else f"cd {shlex.quote(str(rootpath))} && "
    return f"{where}{runner} --update-golden {shlex.quote(nodeid)}"
