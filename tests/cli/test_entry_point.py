"""`plp` as a process (the console script and `python -m pipeline`), and the test fixture's own
promise: a developer's environment never leaks into a test."""

from __future__ import annotations

from .conftest import COORDINATOR, PLP, REPO, ok, refused


def test_the_console_script_exits_0_on_success_and_1_on_a_users_error(project):
    result = project.run("check", script=True)
    assert result.exit_code == 0 and result.stdout.startswith("OK: 12 active PLPs"), result.output
    result = project.run("bulletin", "show", "nowhere", script=True)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == "Error: unknown PLP 'nowhere' — see content/registry/plps.yaml\n"


def test_usage_errors_exit_1_not_2(project):
    result = project.run("bulletin", "approve", PLP, "one")
    assert result.exit_code == 1, result.output
    assert "Error: Invalid value for 'NUMBER': 'one' is not a valid integer." in result.stderr
    assert "Try 'plp bulletin approve --help' for help." in result.stderr
    assert "Traceback" not in result.output


def test_a_question_left_unanswered_aborts_with_exit_1(project):
    project.write(
        "leden.csv", "Naam;E-mailadres;Toestemming\nAn Peeters;an.peeters@example.org;1/9/2025\n"
    )
    ok(project.plp("members", "import", "leden.csv", "--plp", PLP))
    result = project.run("members", "forget", "an.peeters@example.org")  # stdin: end of file
    assert result.exit_code == 1 and result.stderr.rstrip().endswith("Aborted.")
    assert "an.peeters@example.org" in ok(project.plp("members", "list", "--plp", PLP))


def test_a_developers_plp_variables_never_reach_a_test(project, monkeypatch, tmp_path):
    elsewhere = tmp_path / "developer"
    monkeypatch.setenv("PLP_SMTP_URL", "smtp://127.0.0.1:9")  # would fail: nothing listens
    monkeypatch.setenv("PLP_VAR_DIR", str(elsewhere / "var"))
    monkeypatch.setenv("PLP_OUTPUT_DIR", str(elsewhere / "output"))
    monkeypatch.setenv("PLP_TODAY", "2027-06-01")
    ok(project.plp("bulletin", "draft", PLP))
    assert "through the outbox (var/outbox/)" in ok(project.plp("bulletin", "test", PLP))
    assert project.recipients() == [COORDINATOR]
    process = project.run("bulletin", "show", PLP)
    assert process.exit_code == 0 and "29 november 2026" in process.stdout
    assert not elsewhere.exists()
    # A variable a test sets on purpose does apply.
    refused(project.plp("publish", "--demo", PLP_SMTP_URL="smtp://127.0.0.1:9"), "PLP_SMTP_URL")


def test_outside_a_project_says_where_to_run(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "no content/ here" in result.stderr and "--root" in result.stderr


def test_serve_on_a_busy_port_is_one_line_and_exit_1(project):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = project.run("serve", "--port", str(port), timeout=120)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"cannot serve on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr
