"""The configuration as a user meets it: README, pelicanconf.py, the environment, the CLI."""

from __future__ import annotations

import dataclasses
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from pipeline.cli import cli
from pipeline.config import Config, load_config
from pipeline.errors import ConfigError
from pipeline.mailing.dkim import DkimSigner
from pipeline.settings import SETTINGS
from tests.conftest import ROOT

SECRET = "s3cret-" + "k" * 40
PASSWORD = "hunter2-smtp-password"


@pytest.fixture
def project(tmp_path: Path):
    """project(pelicanconf text) -> a project folder holding that pelicanconf.py."""

    def make(conf: str = "") -> Path:
        root = tmp_path / "project"
        root.mkdir(exist_ok=True)
        (root / "pelicanconf.py").write_text(conf, encoding="utf-8")
        return root

    return make


def _pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


@pytest.fixture(scope="module")
def rsa_pem() -> bytes:
    return _pem(rsa.generate_private_key(public_exponent=65537, key_size=2048))


@pytest.fixture
def key_file(tmp_path, rsa_pem) -> Path:
    path = tmp_path / "dkim.pem"
    path.write_bytes(rsa_pem)
    return path


def problems_of(root: Path, env: dict[str, str]) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(root, env=env)
    return [str(p) for p in caught.value.problems]


# --- README.md's table and the schema ---------------------------------------------------------


def readme_rows() -> dict[str, tuple[str, ...]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = tuple(cell.strip() for cell in line.strip().strip("|").split("|"))
        name = re.fullmatch(r"`(PLP_\w+)`", cells[0])
        if line.startswith("|") and name:
            rows[name[1]] = cells[1:]
    return rows


def test_readme_lists_every_environment_variable_of_the_schema():
    missing = {s.env for s in SETTINGS if s.env} - set(readme_rows())
    assert not missing, f"add these to README.md's Configuration table: {sorted(missing)}"


def test_readme_lists_no_variable_the_schema_does_not_read():
    unknown = set(readme_rows()) - {s.env for s in SETTINGS if s.env}
    assert not unknown, f"plp does not read these, remove them from README.md: {sorted(unknown)}"


@pytest.mark.parametrize("setting", [s for s in SETTINGS if s.env], ids=lambda s: s.env)
def test_readme_row_says_what_the_schema_says(setting):
    pelican = f"`{setting.pelican}`" if setting.pelican else "—"
    expected = (pelican, setting.doc, setting.describe_default())
    assert readme_rows().get(setting.env) == expected


# --- every setting is honoured ----------------------------------------------------------------

# A valid value for each environment variable, and what the Config field then holds
# (a callable of the project root for paths). Each setting in the schema needs one here.
EXAMPLES = {
    "PLP_SITE_URL": ("https://plp.example.be/", "https://plp.example.be"),
    "PLP_SITE_NAME": ("BIN Bergveld", "BIN Bergveld"),
    "PLP_SENDING_DOMAIN": ("mail.example.be", "mail.example.be"),
    "PLP_WEB_URL": ("https://leden.example.be/", "https://leden.example.be"),
    "PLP_SMTP_URL": ("smtps://relay.example.be:465", "smtps://relay.example.be:465"),
    "PLP_DATABASE_URL": (
        "postgresql://plp@db.example.be/plp",
        "postgresql://plp@db.example.be/plp",
    ),
    "PLP_SMTP_USERNAME": ("plp", "plp"),
    "PLP_SMTP_PASSWORD": (PASSWORD, PASSWORD),
    "PLP_SMTP_CONCURRENCY": ("9", 9),
    "PLP_SMTP_RATE": ("12.5", 12.5),
    "PLP_SMTP_TIMEOUT": ("7", 7.0),
    "PLP_MAX_ATTEMPTS": ("8", 8),
    "PLP_SMTP_MESSAGES_PER_CONNECTION": ("50", 50),
    "PLP_RETRY_BASE": ("0.5", 0.5),
    "PLP_GIVE_UP_AFTER": ("12", 12.0),
    "PLP_HARD_BOUNCE_LIMIT": ("2", 2),
    "PLP_SECRET": (SECRET, SECRET),
    "PLP_DKIM_KEY": ("dkim.pem", lambda root: root / "dkim.pem"),
    "PLP_DKIM_SELECTOR": ("plp2026", "plp2026"),
    "PLP_TIMEZONE": ("Europe/Berlin", "Europe/Berlin"),
    "PLP_TODAY": ("2027-01-31", date(2027, 1, 31)),
    "PLP_CONTENT_DIR": ("elsewhere/content", lambda root: root / "elsewhere/content"),
    "PLP_OUTPUT_DIR": ("/srv/plp/site", lambda root: Path("/srv/plp/site")),
    "PLP_VAR_DIR": ("private", lambda root: root / "private"),
    "PLP_CACHE_DIR": ("../cache-plp", lambda root: root / "../cache-plp"),
}


def _given(root: Path, name: str, rsa_pem: bytes) -> dict[str, str]:
    """The example for `name`, with a usable key and a selector if it is a DKIM setting."""
    (root / "dkim.pem").write_bytes(rsa_pem)
    dkim = {"PLP_DKIM_KEY": str(root / "dkim.pem"), "PLP_DKIM_SELECTOR": "s1"}
    return {**(dkim if name.startswith("PLP_DKIM_") else {}), name: EXAMPLES[name][0]}


def _expected(root: Path, name: str):
    value = EXAMPLES[name][1]
    return value(root) if callable(value) else value


@pytest.mark.parametrize("setting", [s for s in SETTINGS if s.env], ids=lambda s: s.env)
def test_every_environment_variable_is_honoured(setting, project, rsa_pem):
    assert setting.env in EXAMPLES, f"add an example value for {setting.env} to EXAMPLES"
    root = project()
    config = load_config(root, env=_given(root, setting.env, rsa_pem))
    assert getattr(config, setting.field) == _expected(root, setting.env)
    assert getattr(config, setting.field) != setting.default  # the example proves something


@pytest.mark.parametrize("setting", [s for s in SETTINGS if s.pelican], ids=lambda s: s.pelican)
def test_every_pelicanconf_setting_is_honoured(setting, project, rsa_pem):
    root = project()
    given = _given(root, setting.env, rsa_pem)
    by_env = {s.env: s.pelican for s in SETTINGS}
    conf = "".join(f"{by_env[name]} = {value!r}\n" for name, value in given.items())
    root = project(conf)
    config = load_config(root, env={})
    assert getattr(config, setting.field) == _expected(root, setting.env)


def test_every_pelicanconf_name_can_also_come_from_the_environment():
    assert all(s.env for s in SETTINGS if s.pelican)


def test_the_environment_beats_pelicanconf(project):
    root = project("PLP_MAX_ATTEMPTS = 7\nSITEURL = 'https://conf.example.be'\n")
    assert load_config(root, env={}).max_attempts == 7
    config = load_config(root, env={"PLP_MAX_ATTEMPTS": "9", "PLP_SITE_URL": "https://env.be"})
    assert (config.max_attempts, config.site_url) == (9, "https://env.be")


def test_an_empty_variable_counts_as_unset(project):
    root = project("PLP_MAX_ATTEMPTS = 7\n")
    assert load_config(root, env={"PLP_MAX_ATTEMPTS": ""}).max_attempts == 7


def test_defaults_fill_what_nobody_set(tmp_path):
    config = load_config(tmp_path, env={})
    assert config.max_attempts == 3 and config.site_url == "http://localhost:8000"
    assert config.cache_dir == tmp_path.resolve() / "cache"
    assert config.var_dir == tmp_path.resolve() / "var"


def test_the_sample_pelicanconf_loads_and_its_values_arrive():
    config = load_config(ROOT, env={})
    assert config.sending_domain == "bulletins.plp.example.org"
    assert config.site_name == "PLP — BIN"


# --- every bad value at once, each with its source --------------------------------------------


def test_every_bad_value_is_reported_at_once_with_its_source(project):
    root = project("PLP_HARD_BOUNCE_LIMIT = 'many'\nPLP_SMTP_RATE = -1\n")
    env = {"PLP_MAX_ATTEMPTS": "zero", "PLP_TODAY": "tomorrow", "PLP_SMTP_URL": "http://relay"}
    problems = problems_of(root, env)
    assert len(problems) == 5, problems
    expected = [
        "environment variable PLP_MAX_ATTEMPTS: 'zero' is not a whole number — use a whole",
        "environment variable PLP_SMTP_URL: 'http://relay' is not an SMTP URL — use smtp://",
        "environment variable PLP_TODAY: 'tomorrow' is not a date — use YYYY-MM-DD",
        "pelicanconf.py PLP_HARD_BOUNCE_LIMIT: 'many' is not a whole number — use",
        "pelicanconf.py PLP_SMTP_RATE: '-1' is negative — use messages per second",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), (start, problems)


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("PLP_MAX_ATTEMPTS", "0", "is less than 1"),
        ("PLP_MAX_ATTEMPTS", "2.5", "is not a whole number"),
        ("PLP_SMTP_CONCURRENCY", "-3", "is less than 1"),
        ("PLP_SMTP_TIMEOUT", "0", "is not more than 0"),
        ("PLP_SMTP_RATE", "nan", "is not a finite number"),
        ("PLP_SITE_URL", "plp.example.org", "is not an absolute http(s) URL"),
        ("PLP_WEB_URL", "/members", "is not an absolute http(s) URL"),
        ("PLP_SENDING_DOMAIN", "me@example.org", "is not a domain name"),
        ("PLP_TIMEZONE", "Mars/Olympus", "is not a known time zone"),
    ],
)
def test_a_bad_value_is_refused(project, name, value, says):
    (problem,) = problems_of(project(), {name: value})
    assert problem.startswith(f"environment variable {name}: {value!r} {says} — ")


def test_pelicanconf_names_plp_would_ignore_are_problems(project):
    root = project(f"PLP_MAX_ATTEMPT = 3\nPLP_SMTP_PASSWORD = {PASSWORD!r}\nPLP_TODAY = 'x'\n")
    problems = problems_of(root, {})
    typo = "pelicanconf.py PLP_MAX_ATTEMPT: unknown plp setting — did you mean PLP_MAX_ATTEMPTS?"
    assert typo in problems
    assert any(p.startswith("pelicanconf.py PLP_SMTP_PASSWORD: a secret in") for p in problems)
    assert any(p.startswith("pelicanconf.py PLP_TODAY: only read from the env") for p in problems)
    assert PASSWORD not in "\n".join(problems)


# --- secrets are never shown ------------------------------------------------------------------


def test_secrets_come_from_the_environment_only_and_stay_out_of_repr():
    hidden = {f.name for f in dataclasses.fields(Config) if not f.repr}
    for setting in SETTINGS:
        if setting.secret:
            assert setting.pelican is None and setting.field in hidden


def test_a_secret_is_never_quoted(project):
    short, url = "too-short-secret", f"http://plp:{PASSWORD}@relay.example.be"
    database = f"mysql://plp:{PASSWORD}@db.example.be/plp"
    env = {"PLP_SECRET": short, "PLP_SMTP_URL": url, "PLP_DATABASE_URL": database}
    problems = "\n".join(problems_of(project(), env))
    assert "PLP_SECRET: the value is shorter than 32 characters" in problems
    assert "'http://plp:***@relay.example.be' is not an SMTP URL" in problems
    assert "'mysql://plp:***@db.example.be/plp' is not a PostgreSQL URL" in problems
    assert short not in problems and PASSWORD not in problems


def test_repr_of_a_config_shows_no_secret(project):
    env = {
        "PLP_SECRET": SECRET,
        "PLP_SMTP_PASSWORD": PASSWORD,
        "PLP_SMTP_URL": f"smtps://plp:{PASSWORD}-url@relay.example.be",
        "PLP_DATABASE_URL": f"postgresql://plp:{PASSWORD}-db@db.example.be/plp",
    }
    shown = repr(load_config(project(), env=env))
    assert "max_attempts=3" in shown
    assert SECRET not in shown and PASSWORD not in shown


# --- DKIM -------------------------------------------------------------------------------------


def _dkim_problems(root: Path, key: Path | str | None, selector: str | None = "plp2026"):
    env = {"PLP_DKIM_KEY": str(key) if key else "", "PLP_DKIM_SELECTOR": selector or ""}
    return problems_of(root, env)


def test_a_usable_dkim_key_loads_and_signs(project, key_file):
    config = load_config(project(), env={"PLP_DKIM_KEY": str(key_file), "PLP_DKIM_SELECTOR": "s"})
    assert config.dkim_key_path == key_file and config.dkim_selector == "s"
    assert DkimSigner.from_config(config) is not None


def test_a_missing_dkim_key_file(project, tmp_path):
    (problem,) = _dkim_problems(project(), tmp_path / "nowhere.pem")
    assert problem.startswith(f"environment variable PLP_DKIM_KEY: {tmp_path}/nowhere.pem: ")
    assert "no such DKIM key file" in problem and "openssl genrsa -out dkim.pem 2048" in problem


def test_an_unreadable_dkim_key(project, tmp_path):
    folder = tmp_path / "a-folder.pem"  # unreadable as a file, even for root
    folder.mkdir()
    (problem,) = _dkim_problems(project(), folder)
    assert "cannot read the DKIM key" in problem


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"not a key", "not a PEM private key — generate one with `openssl genrsa"),
        (b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "not a PEM private"),
        (_pem(ec.generate_private_key(ec.SECP256R1())), "not an RSA key"),
    ],
    ids=["garbage", "broken-pem", "ec-key"],
)
def test_a_dkim_key_that_cannot_sign(project, tmp_path, content, says):
    key = tmp_path / "dkim.pem"
    key.write_bytes(content)
    (problem,) = _dkim_problems(project(), key)
    assert problem.startswith("environment variable PLP_DKIM_KEY: ") and says in problem


def test_a_password_protected_dkim_key(project, tmp_path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    locked = tmp_path / "locked.pem"
    locked.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"pw"),
        )
    )
    (problem,) = _dkim_problems(project(), locked)
    assert "protected by a password — remove it: `openssl rsa" in problem


def test_a_dkim_key_needs_its_selector_and_the_reverse(project, key_file):
    (no_selector,) = _dkim_problems(project(), key_file, selector=None)
    assert no_selector.startswith("environment variable PLP_DKIM_KEY: a DKIM key is set but no")
    assert "set PLP_DKIM_SELECTOR" in no_selector
    (no_key,) = _dkim_problems(project(), None)
    assert no_key.startswith("environment variable PLP_DKIM_SELECTOR: a DKIM selector is set")
    assert "openssl genrsa -out dkim.pem 2048" in no_key


def test_dkim_problems_in_pelicanconf_name_it(project, tmp_path):
    root = project(f"PLP_DKIM_KEY = {str(tmp_path / 'gone.pem')!r}\nPLP_DKIM_SELECTOR = 's'\n")
    (problem,) = problems_of(root, {})
    assert problem.startswith("pelicanconf.py PLP_DKIM_KEY: ") and "no such DKIM key" in problem


# --- private state is never published ---------------------------------------------------------


@pytest.mark.parametrize(
    "env",
    [
        {"PLP_OUTPUT_DIR": "site", "PLP_VAR_DIR": "site/private"},
        {"PLP_OUTPUT_DIR": "site", "PLP_VAR_DIR": "site"},
        {"PLP_OUTPUT_DIR": "site", "PLP_VAR_DIR": "elsewhere/../site/var"},  # resolved first
        {"PLP_OUTPUT_DIR": "var/site"},
        {"PLP_OUTPUT_DIR": "."},
    ],
    ids=["var-inside", "var-equal", "var-inside-after-resolving", "output-inside-var", "root"],
)
def test_private_state_inside_the_published_site_is_refused(project, env):
    problems = problems_of(project(), env)
    assert any("private state" in p and "published site" in p for p in problems), problems
    assert all("keep them side by side" in p for p in problems)


def test_a_folder_problem_names_the_setting_the_user_changed(project):
    root = project((ROOT / "pelicanconf.py").read_text())  # it declares PATH and OUTPUT_PATH
    problems = problems_of(root, {"PLP_OUTPUT_DIR": "."})
    assert len(problems) == 4  # content, private state, cache and the project itself
    assert all(p.startswith("environment variable PLP_OUTPUT_DIR: ") for p in problems)


def test_the_cache_inside_the_published_site_is_refused(project):
    (problem,) = problems_of(project(), {"PLP_CACHE_DIR": "output/.cache"})
    assert problem.startswith("environment variable PLP_CACHE_DIR: the render cache (")


def test_folders_side_by_side_are_fine(project, tmp_path):
    env = {"PLP_OUTPUT_DIR": str(tmp_path / "site"), "PLP_VAR_DIR": str(tmp_path / "site-var")}
    assert load_config(project(), env=env).var_dir == tmp_path / "site-var"


# --- through the CLI --------------------------------------------------------------------------


@pytest.fixture
def cli_project(content_tree) -> Path:
    return content_tree(base="sample")


def test_check_reports_a_bad_environment_value_without_a_traceback(cli_project):
    result = CliRunner().invoke(
        cli, ["--root", str(cli_project), "check"], env={"PLP_MAX_ATTEMPTS": "zero"}
    )
    assert result.exit_code == 1
    assert (
        "environment variable PLP_MAX_ATTEMPTS: 'zero' is not a whole number — "
        "use a whole number such as 3" in result.output
    )
    assert "1 problem(s) to fix" in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)


def test_check_reports_every_bad_value_and_a_dkim_key_together(cli_project, tmp_path):
    env = {"PLP_MAX_ATTEMPTS": "zero", "PLP_DKIM_KEY": str(tmp_path / "none.pem")}
    result = CliRunner().invoke(cli, ["--root", str(cli_project), "check"], env=env)
    assert result.exit_code == 1
    assert "environment variable PLP_MAX_ATTEMPTS: 'zero'" in result.output
    assert "environment variable PLP_DKIM_KEY: a DKIM key is set but no selector" in result.output
    assert "2 problem(s) to fix" in result.output


def test_check_passes_with_a_usable_dkim_key(cli_project, key_file):
    env = {"PLP_DKIM_KEY": str(key_file), "PLP_DKIM_SELECTOR": "plp2026"}
    result = CliRunner().invoke(cli, ["--root", str(cli_project), "check"], env=env)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: ")


def test_build_keeps_its_render_cache_in_the_cache_folder(cli_project, tmp_path):
    shutil.copytree(ROOT / "theme", cli_project / "theme")
    env = {"PLP_CACHE_DIR": str(tmp_path / "render-cache"), "PLP_TODAY": "2026-11-29"}
    result = CliRunner().invoke(cli, ["--root", str(cli_project), "build"], env=env)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "render-cache" / "site" / "markdown.json").is_file()
    assert not (cli_project / "cache").exists()
