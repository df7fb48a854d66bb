"""`plp build` end to end, as a coordinator or the publishing job runs it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import urls
from pipeline.cli.build import build


@pytest.fixture
def project(content_tree) -> Path:
    """A copy of the repository's project folder: settings, theme and sample content."""
    return content_tree(base="sample", theme=True)


def run(project: Path, *args: str):
    env = {"PLP_TODAY": "2026-11-29", "PLP_SITE_URL": "https://plp.example.org"}
    return CliRunner().invoke(build, list(args), obj={"root": str(project)}, env=env)


def test_build_writes_the_site_and_reports_it(project):
    result = run(project)
    assert result.exit_code == 0, result.output
    assert "Built " in result.output and "feeds" in result.output
    out = project / "output"
    assert (out / "index.html").is_file() and (out / "sitemap.xml").is_file()
    assert (out / urls.hub("nl", "bergveld-centrum")).is_file()
    again = run(project)
    assert again.exit_code == 0 and " 0 written" in again.output  # nothing changed, no write


def test_a_broken_message_fails_the_build_with_file_and_line(project):
    broken = project / "content" / "messages" / "broken.fr.md"
    broken.write_text(
        "Title: Cassé\nDate: 2026-11-31\nCategory: prevention\nTargets: all\nAuthor: Police\n\n"
        "Texte.\n",
        encoding="utf-8",
    )
    result = run(project)
    assert result.exit_code == 1
    assert "broken.fr.md:2" in result.output and "2026-11-31" in result.output
    assert not (project / "output" / "index.html").exists()  # no site without the message


def test_build_plp_builds_only_that_plps_site(project):
    result = run(project, "--plp", "heidebeek-zuid")
    assert result.exit_code == 0, result.output
    assert " for 1 PLP, " in result.output  # singular: not "1 PLPs"
    out = project / "output"
    hubs = {p.parent.name for p in out.glob("*/plp/*/index.html")}
    assert hubs == {"heidebeek-zuid"}
    directory = (out / urls.directory("nl")).read_text(encoding="utf-8")
    assert "heidebeek-zuid/index.html" in directory and "bergveld-centrum" not in directory
    assert not (out / "fr").exists()  # the PLP is Dutch-speaking only


def test_build_plp_is_repeatable_and_rejects_unknown_slugs(project):
    result = run(project, "--plp", "heidebeek-zuid", "--plp", "florval-centre")
    assert result.exit_code == 0, result.output
    assert " for 2 PLPs, " in result.output
    hubs = {p.parent.name for p in (project / "output").glob("*/plp/*/index.html")}
    assert hubs == {"heidebeek-zuid", "florval-centre"}
    wrong = run(project, "--plp", "heidebeek-zud")
    assert wrong.exit_code == 1 and "did you mean heidebeek-zuid" in wrong.output


def test_build_has_help():
    result = CliRunner().invoke(build, ["--help"])
    assert result.exit_code == 0 and "--plp" in result.output
