"""The one typed configuration object: pelicanconf.py for settings, the environment for secrets."""

from __future__ import annotations

import os
import runpy
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from .errors import ConfigError, Problem

LANGUAGES = ("fr", "nl", "de", "en")


@dataclass(frozen=True)
class Config:
    """Every setting plp uses, validated once at load time."""

    root: Path
    """Project folder: holds pelicanconf.py, content/, theme/."""
    content_dir: Path
    output_dir: Path
    """The public site; safe to upload anywhere."""
    var_dir: Path
    """Private state (members, approvals, ledger, outbox); never published, never in git."""
    theme_dir: Path
    site_url: str
    """Absolute URL the site is served from, without trailing slash (feeds and e-mails need it)."""
    site_name: str = "PLP"
    sending_domain: str = "plp.example.org"
    """Domain of every From address (SPF/DKIM/DMARC align); never a coordinator mailbox."""
    unsubscribe_url: str = ""
    """One-click unsubscribe endpoint (RFC 8058); defaults to {site_url}/unsubscribe."""
    smtp_url: str | None = None
    """smtp://host:port (plain, local relay), smtp+starttls://… or smtps://…; None: the outbox."""
    smtp_username: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_concurrency: int = 4
    smtp_rate: float = 0.0
    """Messages per second at most; 0 means no limit."""
    smtp_timeout: float = 30.0
    max_attempts: int = 5
    """Attempts per member on temporary (4xx) failures before the delivery is recorded failed."""
    hard_bounce_limit: int = 3
    """Hard bounces (5xx) after which a member is marked bounced."""
    secret: str | None = field(default=None, repr=False)
    """Signs unsubscribe tokens; from PLP_SECRET, else generated once under var/."""
    dkim_key_path: Path | None = None
    dkim_selector: str | None = None
    languages: tuple[str, ...] = LANGUAGES
    timezone: str = "Europe/Brussels"
    today: date | None = None
    """Pins 'today' for reproducible builds and tests (PLP_TODAY); None means the real date."""

    def __post_init__(self) -> None:
        if not self.unsubscribe_url:  # derived, so every way of making a Config agrees
            object.__setattr__(self, "unsubscribe_url", f"{self.site_url}/unsubscribe")

    @property
    def members_db(self) -> Path:
        return self.var_dir / "members.sqlite"

    @property
    def outbox_dir(self) -> Path:
        return self.var_dir / "outbox"

    def current_date(self) -> date:
        """The date used for validity checks: PLP_TODAY when set, else today."""
        return self.today or date.today()


# pelicanconf.py names → Config fields (env names are PLP_<FIELD> upper-case).
_SETTINGS = {
    "SITEURL": "site_url",
    "SITENAME": "site_name",
    "PLP_SENDING_DOMAIN": "sending_domain",
    "PLP_UNSUBSCRIBE_URL": "unsubscribe_url",
    "PLP_SMTP_CONCURRENCY": "smtp_concurrency",
    "PLP_SMTP_RATE": "smtp_rate",
    "PLP_SMTP_TIMEOUT": "smtp_timeout",
    "PLP_MAX_ATTEMPTS": "max_attempts",
    "PLP_HARD_BOUNCE_LIMIT": "hard_bounce_limit",
    "PLP_DKIM_KEY": "dkim_key_path",
    "PLP_DKIM_SELECTOR": "dkim_selector",
    "TIMEZONE": "timezone",
}
_ENV = {
    "PLP_SITE_URL": "site_url",
    "PLP_SENDING_DOMAIN": "sending_domain",
    "PLP_UNSUBSCRIBE_URL": "unsubscribe_url",
    "PLP_SMTP_URL": "smtp_url",
    "PLP_SMTP_USERNAME": "smtp_username",
    "PLP_SMTP_PASSWORD": "smtp_password",
    "PLP_SMTP_CONCURRENCY": "smtp_concurrency",
    "PLP_SMTP_RATE": "smtp_rate",
    "PLP_SMTP_TIMEOUT": "smtp_timeout",
    "PLP_SECRET": "secret",
    "PLP_DKIM_KEY": "dkim_key_path",
    "PLP_DKIM_SELECTOR": "dkim_selector",
    "PLP_CONTENT_DIR": "content_dir",
    "PLP_OUTPUT_DIR": "output_dir",
    "PLP_VAR_DIR": "var_dir",
    "PLP_TODAY": "today",
}
_INTS = {"smtp_concurrency", "max_attempts", "hard_bounce_limit"}
_FLOATS = {"smtp_rate", "smtp_timeout"}
_PATHS = {"content_dir", "output_dir", "var_dir", "dkim_key_path"}


def load_config(root: Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Read root/pelicanconf.py and the environment; report every bad value at once."""
    root = (root or Path.cwd()).resolve()
    env = os.environ if env is None else env
    conf_file = root / "pelicanconf.py"
    raw: dict[str, object] = {}
    origin: dict[str, str] = {}
    if conf_file.exists():
        try:
            module = runpy.run_path(str(conf_file))
        except Exception as exc:  # a user's file: report it, never a traceback
            line = getattr(exc, "lineno", 0) or 0
            raise ConfigError(
                [Problem(str(conf_file), line, f"cannot load: {exc}", "fix the Python syntax")]
            ) from None
        for name, key in _SETTINGS.items():
            if name in module and module[name] not in (None, ""):
                raw[key], origin[key] = module[name], f"pelicanconf.py {name}"
    for name, key in _ENV.items():
        if env.get(name):
            raw[key], origin[key] = env[name], f"environment variable {name}"

    problems: list[Problem] = []
    values: dict[str, object] = {}
    for key, value in raw.items():
        try:
            values[key] = _convert(key, value, root)
        except ValueError as exc:
            problems.append(Problem(origin[key], 0, f"bad value {value!r}: {exc}", _HINTS[key]))

    site_url = str(values.get("site_url", "http://localhost:8000")).rstrip("/")
    if urlsplit(site_url).scheme not in ("http", "https"):
        problems.append(
            Problem(
                origin.get("site_url", "SITEURL"),
                0,
                f"site URL {site_url!r} is not absolute",
                "set SITEURL (or PLP_SITE_URL) to e.g. https://plp.example.org",
            )
        )
    smtp = values.get("smtp_url")
    if smtp and urlsplit(str(smtp)).scheme not in ("smtp", "smtp+starttls", "smtps"):
        problems.append(
            Problem(
                origin["smtp_url"],
                0,
                f"unsupported SMTP URL {smtp!r}",
                "use smtp://host:port, smtp+starttls://host:587 or smtps://host:465",
            )
        )
    if problems:
        raise ConfigError(problems)
    values["site_url"] = site_url
    return Config(
        root=root,
        content_dir=Path(values.pop("content_dir", root / "content")),
        output_dir=Path(values.pop("output_dir", root / "output")),
        var_dir=Path(values.pop("var_dir", root / "var")),
        theme_dir=root / "theme",
        **values,
    )


_HINTS = {
    "smtp_concurrency": "use a whole number such as 4",
    "max_attempts": "use a whole number such as 5",
    "hard_bounce_limit": "use a whole number such as 3",
    "smtp_rate": "use messages per second, e.g. 50 (0 for no limit)",
    "smtp_timeout": "use seconds, e.g. 30",
    "today": "use YYYY-MM-DD",
}


def _convert(key: str, value: object, root: Path) -> object:
    if key in _INTS:
        number = int(str(value))
        if number < 1:
            raise ValueError("must be at least 1")
        return number
    if key in _FLOATS:
        number = float(str(value))
        if number < 0:
            raise ValueError("must not be negative")
        return number
    if key in _PATHS:
        path = Path(str(value))
        return path if path.is_absolute() else root / path
    if key == "today":
        return date.fromisoformat(str(value))
    return str(value)


for _key in (
    "site_url",
    "site_name",
    "sending_domain",
    "unsubscribe_url",
    "smtp_url",
    "smtp_username",
    "smtp_password",
    "secret",
    "dkim_selector",
    "timezone",
    "content_dir",
    "output_dir",
    "var_dir",
    "dkim_key_path",
):
    _HINTS.setdefault(_key, "check the value")
