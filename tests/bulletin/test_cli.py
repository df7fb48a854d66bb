"""`plp bulletin draft` and `show` end to end (CliRunner), with one-line errors."""

from __future__ import annotations

from click.testing import CliRunner

from pipeline.cli.bulletin import bulletin


def run(project, *args):
    result = CliRunner().invoke(bulletin, list(args), obj={"config": project.config})
    return result.exit_code, result.output


def test_draft_prints_paths_and_a_summary_then_show_prints_the_text(project, tmp_path):
    note = tmp_path / "note.md"
    note.write_text("Merci à **tous** !", encoding="utf-8")
    code, out = run(project, "draft", "rivebois-centre", "--note", str(note))
    assert code == 0, out
    assert "Draft of bulletin 1 for PLP rivebois-centre (2026-11-29)" in out
    assert "fr: 4 message(s)" in out and "nl: 1 message(s)" in out
    assert "KB" in out and "fr.eml" in out and "content hash:" in out
    code, out = run(project, "show", "rivebois-centre")
    assert code == 0 and "Hausse des cambriolages à Rivebois" in out and "Merci à tous" in out
    code, out = run(project, "show", "rivebois-centre", "1", "--lang", "nl")
    assert code == 0 and "Donkere dagen" in out


def test_lang_and_date_options(project):
    code, out = run(project, "draft", "rivebois-centre", "--lang", "fr", "--date", "2026-07-01")
    assert code == 0, out
    assert "fr: 1 message(s)" in out and "nl:" not in out and "(2026-07-01)" in out


def test_errors_are_one_line_and_exit_1(project):
    code, out = run(project, "draft", "rivebois-centr")
    assert code == 1 and "did you mean rivebois-centre" in out and "Traceback" not in out
    code, out = run(project, "draft", "rivebois-centre", "--note", "missing.md")
    assert code == 1 and "missing.md: no such note file" in out
    code, out = run(project, "show", "tannendorf")
    assert code == 1 and "run `plp bulletin draft tannendorf`" in out
    code, out = run(project, "show", "nowhere")
    assert code == 1 and "unknown PLP 'nowhere'" in out
    code, out = run(project, "draft", "rivebois-centre", "--date", "2026-13-01")
    assert code == 2 and "YYYY-MM-DD" in out
    run(project, "draft", "tannendorf")
    project.store.mark_sent("tannendorf", 1)
    code, out = run(project, "draft", "tannendorf")
    assert code == 1 and "no new message for PLP tannendorf in de since bulletin 1" in out


def test_every_command_has_help():
    for command in bulletin.commands.values():
        assert command.help, command.name
