"""`plp publish --demo` names every PLP it could not draft for, and says why (exit 1 when it
was anything but "nothing new")."""

from __future__ import annotations

from pipeline.coordinator import demo
from pipeline.errors import PlpError


def test_a_plp_the_demo_cannot_draft_for_is_named_with_its_reason(project, monkeypatch):
    real = demo.draft_next

    def draft(desk, slug, *args, **kwargs):
        if slug == "bergveld-centrum":  # stands for any fault a real draft can meet
            raise PlpError("the note is not UTF-8 — save it as UTF-8")
        return real(desk, slug, *args, **kwargs)

    monkeypatch.setattr(demo, "draft_next", draft)
    result = project.plp("publish", "--demo")
    assert result.exit_code == 1, result.output
    assert "DEMO: bergveld-centrum could not be drafted: the note is not UTF-8" in result.output
    assert "DEMO: not drafted, see above: bergveld-centrum" in result.output
    assert "Bulletin 1 of florval-centre" in result.output  # the others went on


def test_nothing_new_is_said_and_is_no_failure(project):
    assert project.plp("publish", "--demo").exit_code == 0
    again = project.plp("publish", "--demo")
    assert again.exit_code == 0, again.output
    assert "DEMO: bergveld-centrum: no new message for PLP bergveld-centrum" in again.output
