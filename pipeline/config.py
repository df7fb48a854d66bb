"""The one typed configuration object, loaded from pelicanconf.py and the environment.

The settings themselves (names, types, defaults, meaning) are declared once, in settings.py.
"""

from __future__ import annotations

import difflib
import os
import runpy
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .errors import ConfigError, Problem
from .settings import BY_FIELD, DEFAULTS, SETTINGS, Setting

LANGUAGES = ("fr", "nl", "de", "en")
DKIM_MIN_KEY_BITS = 1024  # verifiers (dkimpy's default, RFC 8301) refuse shorter RSA keys
DKIM_KEY_HOWTO = (
    "generate one with `openssl genrsa -out dkim.pem 2048` (its public key goes in DNS)"
)


@dataclass(frozen=True)
class Config:
    """Every setting plp uses, validated once at load time (meanings: settings.py)."""

    root: Path
    """Project folder: holds pelicanconf.py, content/, theme/."""
    content_dir: Path
    output_dir: Path
    """The public site; safe to upload anywhere."""
    var_dir: Path
    """Private state (members, approvals, ledger, outbox); never published, never in git."""
    theme_dir: Path
    """Not a setting: plp's templates, always <root>/theme (Pelican's THEME may name a
    built-in theme, which has none of them)."""
    site_url: str
    site_name: str = DEFAULTS["site_name"]
    sending_domain: str = DEFAULTS["sending_domain"]
    web_url: str = DEFAULTS["web_url"]
    """The members' web service (`plp web`); links to it are built by pipeline.urls."""
    smtp_url: str | None = field(default=None, repr=False)  # may carry a password
    smtp_username: str | None = None
    database_url: str | None = field(default=None, repr=False)  # may carry a password
    smtp_password: str | None = field(default=None, repr=False)
    smtp_concurrency: int = DEFAULTS["smtp_concurrency"]
    smtp_rate: float = DEFAULTS["smtp_rate"]
    smtp_timeout: float = DEFAULTS["smtp_timeout"]
    smtp_messages_per_connection: int = DEFAULTS["smtp_messages_per_connection"]
    max_attempts: int = DEFAULTS["max_attempts"]
    retry_base: float = DEFAULTS["retry_base"]
    give_up_after: float = DEFAULTS["give_up_after"]
    hard_bounce_limit: int = DEFAULTS["hard_bounce_limit"]
    secret: str | None = field(default=None, repr=False)
    """Signs unsubscribe tokens; None: generated once under var/."""
    dkim_key_path: Path | None = None
    dkim_selector: str | None = None
    languages: tuple[str, ...] = LANGUAGES
    """Not a setting: the languages plp has translations for."""
    timezone: str = DEFAULTS["timezone"]
    today: date | None = None
    """None means the real date."""
    cache_dir: Path | None = None
    """Defaults to <root>/cache."""

    def __post_init__(self) -> None:
        # Derived here, so every way of making a Config agrees.
        if self.cache_dir is None:
            object.__setattr__(self, "cache_dir", self.root / DEFAULTS["cache_dir"])

    @property
    def members_db(self) -> Path:
        return self.var_dir / "members.sqlite"

    @property
    def outbox_dir(self) -> Path:
        return self.var_dir / "outbox"

    def current_date(self) -> date:
        """The date used for validity checks: PLP_TODAY when set, else today."""
        return self.today or date.today()


def load_config(root: Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Read root/pelicanconf.py, then the environment (which wins); report every bad value."""
    root = (root or Path.cwd()).resolve()
    env = os.environ if env is None else env
    conf = _read_pelicanconf(root / "pelicanconf.py")
    problems = _misplaced_names(conf)
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}  # only for values a user gave
    for setting in SETTINGS:
        raw, origin = _given(setting, conf, env)
        if origin is None:
            value = setting.default
        else:
            try:
                value = setting.convert(raw)
            except ValueError as exc:
                message = f"{setting.shown(raw)} {exc}"
                problems.append(Problem(origin, 0, message, setting.hint))
                continue  # relations below skip what could not be read
            origins[setting.field] = origin
        if isinstance(value, Path) and not value.is_absolute():
            value = root / value
        values[setting.field] = value
    problems += _dkim_problems(values, origins)
    problems += _folder_problems(root, values, origins)
    if problems:
        raise ConfigError(problems)
    return Config(root=root, theme_dir=root / "theme", **values)


def _read_pelicanconf(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        return runpy.run_path(str(path))
    except Exception as exc:  # a user's file: report it, never a traceback
        line = getattr(exc, "lineno", 0) or 0
        raise ConfigError(
            [Problem(str(path), line, f"cannot load: {exc}", "fix the Python syntax")]
        ) from None


def _given(
    setting: Setting, conf: Mapping[str, Any], env: Mapping[str, str]
) -> tuple[object, str | None]:
    """(raw value, where it came from), or (None, None); empty values count as unset."""
    if setting.env and env.get(setting.env, "").strip():
        return env[setting.env], f"environment variable {setting.env}"
    if setting.pelican and conf.get(setting.pelican) not in (None, ""):
        return conf[setting.pelican], f"pelicanconf.py {setting.pelican}"
    return None, None


def _misplaced_names(conf: Mapping[str, Any]) -> list[Problem]:
    """PLP_ names in pelicanconf.py that plp would ignore: a secret, or a typo."""
    read = {s.pelican for s in SETTINGS if s.pelican}
    by_env = {s.env: s for s in SETTINGS if s.env}
    problems = []
    for name in sorted(n for n in conf if n.startswith("PLP_") and n not in read):
        where, setting = f"pelicanconf.py {name}", by_env.get(name)
        if setting and setting.secret:
            message = "a secret in pelicanconf.py, which is shared and kept in git"
            fix = f"delete it there; set the environment variable {name} instead"
            problems.append(Problem(where, 0, message, fix))
        elif setting:
            message = "only read from the environment"
            problems.append(Problem(where, 0, message, f"set the environment variable {name}"))
        else:
            close = difflib.get_close_matches(name, sorted(read), n=1)
            fix = f"did you mean {close[0]}?" if close else "see Configuration in README.md"
            problems.append(Problem(where, 0, "unknown plp setting", fix))
    return problems


def _dkim_problems(values: Mapping[str, Any], origins: Mapping[str, str]) -> list[Problem]:
    """A DKIM key must come with its selector and be usable, or no message could be sent."""
    if "dkim_key_path" not in values or "dkim_selector" not in values:
        return []  # one of them is already reported as a bad value
    key, selector = values["dkim_key_path"], values["dkim_selector"]
    if key and not selector:
        fix = "set PLP_DKIM_SELECTOR to the selector published in DNS, or unset PLP_DKIM_KEY"
        return [Problem(origins["dkim_key_path"], 0, "a DKIM key is set but no selector", fix)]
    if selector and not key:
        fix = f"set PLP_DKIM_KEY to the private key file; {DKIM_KEY_HOWTO}"
        return [Problem(origins["dkim_selector"], 0, "a DKIM selector is set but no key", fix)]
    if not key:
        return []
    wrong = _unusable_key(key)
    return [Problem(origins["dkim_key_path"], 0, f"{key}: {wrong[0]}", wrong[1])] if wrong else []


def _unusable_key(path: Path) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) when the file is not an RSA private key DKIM can use."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        pem = path.read_bytes()
    except FileNotFoundError:
        return "no such DKIM key file", f"check PLP_DKIM_KEY, or {DKIM_KEY_HOWTO}"
    except OSError as exc:
        return f"cannot read the DKIM key ({exc.strerror})", "let plp's user read the file"
    try:
        key = load_pem_private_key(pem, password=None)
    except TypeError:
        unlock = "remove it: `openssl rsa -in dkim.pem -out dkim-open.pem` (then chmod 600)"
        return "the DKIM key is protected by a password", unlock
    except (ValueError, UnsupportedAlgorithm):
        return "not a PEM private key", DKIM_KEY_HOWTO
    if not isinstance(key, rsa.RSAPrivateKey):
        return f"not an RSA key ({type(key).__name__})", f"DKIM signs with RSA: {DKIM_KEY_HOWTO}"
    if key.key_size < DKIM_MIN_KEY_BITS:
        short = f"a {key.key_size}-bit key is too short (at least {DKIM_MIN_KEY_BITS})"
        return short, DKIM_KEY_HOWTO
    return None


# A build removes from output_dir every file it did not write, and output_dir is published:
# nothing else may live there, and the site may not be written among private state.
_KEPT_OUT = {
    "var_dir": "the private state",
    "cache_dir": "the render cache",
    "content_dir": "the content",
}
_SIDE_BY_SIDE = "keep them side by side, e.g. PLP_OUTPUT_DIR=output and PLP_VAR_DIR=var"


def _folder_problems(root: Path, values: Mapping[str, Any], origins: Mapping[str, str]):
    """Folders that would let a build delete or publish what it must not."""
    if any(name not in values for name in (*_KEPT_OUT, "output_dir")):
        return []  # already reported as a bad value
    folders = {name: values[name].resolve() for name in (*_KEPT_OUT, "output_dir")}
    out = folders["output_dir"]

    def where(name: str) -> str:
        return f"{BY_FIELD[name].env} {folders[name]}"

    def origin(*names: str) -> str:
        # Blame what the user set last: the environment overrides pelicanconf.py.
        given = sorted(
            (origins[name] for name in names if name in origins),
            key=lambda where: not where.startswith("environment"),
        )
        return given[0] if given else f"default {BY_FIELD[names[0]].env}"

    problems = []
    for name, what in _KEPT_OUT.items():
        if _within(folders[name], out):
            message = f"{what} ({where(name)}) is inside the published site ({where('output_dir')})"
            problems.append(Problem(origin(name, "output_dir"), 0, message, _SIDE_BY_SIDE))
    if _within(out, folders["var_dir"]) and out != folders["var_dir"]:
        message = f"the published site ({where('output_dir')}) is inside the private state"
        problems.append(Problem(origin("output_dir", "var_dir"), 0, message, _SIDE_BY_SIDE))
    if _within(root, out):
        message = f"the project folder {root} is inside the published site ({where('output_dir')})"
        problems.append(Problem(origin("output_dir"), 0, message, _SIDE_BY_SIDE))
    return problems


def _within(folder: Path, parent: Path) -> bool:
    return folder == parent or parent in folder.parents
