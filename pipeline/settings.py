"""Every plp setting, declared once: where it may come from, its type, default and meaning.

`load_config` (pipeline/config.py) reads this table; README.md's Configuration table is checked
against it by tests/foundation/test_config.py.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Converter = Callable[[object], object]
"""Turns a value from pelicanconf.py or the environment into the field's value; a ValueError
says what is wrong in words that follow the value ("'zero' is not a whole number")."""


@dataclass(frozen=True)
class Setting:
    """One setting: the Config field it fills and the names a user gives it by."""

    field: str
    doc: str
    """One line: what it means (README's "meaning" column)."""
    convert: Converter
    default: Any = None
    pelican: str | None = None
    """Name in pelicanconf.py, or None: only the environment gives it."""
    env: str | None = None
    hint: str = "check the value"
    """How to fix a bad value."""
    secret: bool = False
    """Only the environment may give it, and it is never shown (problems, repr)."""
    default_doc: str = ""
    """The default in words, when the value alone would mislead (derived or generated)."""

    def __post_init__(self) -> None:
        if self.secret and self.pelican:  # pelicanconf.py is shared and kept in git
            raise ValueError(f"secret setting {self.field} cannot come from pelicanconf.py")

    def shown(self, value: object) -> str:
        """The value as a problem message may quote it: never a secret, nor a URL's password."""
        return "the value" if self.secret else repr(_without_password(str(value)))

    def describe_default(self) -> str:
        """The default as README.md shows it."""
        if self.default_doc:
            return self.default_doc
        if self.default is None:
            return "none"
        if isinstance(self.default, Path):
            return f"`{self.default}/`"
        if isinstance(self.default, float):
            return f"`{self.default:g}`"
        return f"`{self.default}`"


def text(value: object) -> str:
    return str(value).strip()


def long_text(minimum: int) -> Converter:
    def convert(value: object) -> str:
        if len(str(value).strip()) < minimum:
            raise ValueError(f"is shorter than {minimum} characters")
        return str(value).strip()

    return convert


def whole(minimum: int) -> Converter:
    def convert(value: object) -> int:
        # int() would also take True, 2.9 (truncated) and "1_000"
        if isinstance(value, bool) or not re.fullmatch(r"[+-]?[0-9]+", str(value).strip()):
            raise ValueError("is not a whole number")
        if int(str(value)) < minimum:
            raise ValueError(f"is less than {minimum}")
        return int(str(value))

    return convert


def number(*, positive: bool = False) -> Converter:
    def convert(value: object) -> float:
        try:
            result = float(str(value))
        except ValueError:
            raise ValueError("is not a number") from None
        if not math.isfinite(result):
            raise ValueError("is not a finite number")
        if positive and result <= 0:
            raise ValueError("is not more than 0")
        if result < 0:
            raise ValueError("is negative")
        return result

    return convert


def web_url(value: object) -> str:
    url = str(value).strip().rstrip("/")
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("is not an absolute http(s) URL")
    return url


def smtp_url(value: object) -> str:
    url = str(value).strip()
    if url.partition("://")[0] not in ("smtp", "smtp+starttls", "smtps"):
        raise ValueError("is not an SMTP URL")
    return url


_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"


def domain(value: object) -> str:
    name = str(value).strip()
    if not re.fullmatch(rf"{_LABEL}(?:\.{_LABEL})+", name):
        raise ValueError("is not a domain name")
    return name


def dkim_selector(value: object) -> str:
    name = str(value).strip()
    if not re.fullmatch(rf"{_LABEL}(?:\.{_LABEL})*", name):
        raise ValueError("is not a DKIM selector (letters, digits, hyphens, dots)")
    return name


def time_zone(value: object) -> str:
    try:
        ZoneInfo(str(value).strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("is not a known time zone") from None
    return str(value).strip()


def day(value: object) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError("is not a date") from None


def path(value: object) -> Path:
    """A folder or file; load_config resolves a relative one against the project root."""
    return Path(str(value).strip()).expanduser()


def database_url(value: object) -> str:
    url = str(value).strip()
    scheme, sep, _ = url.partition("://")
    if scheme not in ("postgresql", "postgres") or not sep:
        raise ValueError("is not a PostgreSQL URL")
    return url


def _without_password(value: str) -> str:
    try:
        parts = urlsplit(value)
        password = parts.password
    except ValueError:
        return value
    if not password:
        return value
    return value.replace(f":{password}@", ":***@", 1)


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "site_url",
        "absolute URL the site is served from (feeds and e-mails link to it)",
        web_url,
        "http://localhost:8000",
        pelican="SITEURL",
        env="PLP_SITE_URL",
        hint="use an absolute URL such as https://plp.example.org",
    ),
    Setting(
        "site_name",
        "the site's name, in page titles, feeds and e-mails",
        text,
        "PLP",
        pelican="SITENAME",
        env="PLP_SITE_NAME",
    ),
    Setting(
        "sending_domain",
        "domain of every `From` address (set up SPF/DKIM/DMARC for it); "
        "replies go to the coordinator",
        domain,
        "plp.example.org",
        pelican="PLP_SENDING_DOMAIN",
        env="PLP_SENDING_DOMAIN",
        hint="use the bare domain, e.g. bulletins.plp.example.org",
    ),
    Setting(
        "web_url",
        "public base URL of the members' web service (subscribe, confirm, one-click "
        "unsubscribe, preferences): "
        "every bulletin and hub links to it",
        web_url,
        "http://127.0.0.1:8080",
        pelican="PLP_WEB_URL",
        env="PLP_WEB_URL",
        hint="use an absolute URL such as https://members.plp.example.org",
    ),
    # Names a server and may carry a password, like the relay: the environment only.
    Setting(
        "database_url",
        "keep the private state in PostgreSQL instead of SQLite: "
        "`postgresql://user:password@host:5432/plp` (see PostgreSQL below)",
        database_url,
        env="PLP_DATABASE_URL",
        hint="use postgresql://user:password@host:5432/database",
        default_doc="none: SQLite in `var/members.sqlite`",
    ),
    # The relay and its login belong to one machine, and the URL may carry a password:
    # the environment only.
    Setting(
        "smtp_url",
        "deliver through SMTP instead of the outbox: `smtp://host:25` (local relay), "
        "`smtp+starttls://host:587`, `smtps://host:465`",
        smtp_url,
        env="PLP_SMTP_URL",
        hint="use smtp://host:port, smtp+starttls://host:587 or smtps://host:465",
        default_doc="none: messages go to `var/outbox/`",
    ),
    Setting("smtp_username", "SMTP login name", text, env="PLP_SMTP_USERNAME"),
    Setting("smtp_password", "SMTP password", text, env="PLP_SMTP_PASSWORD", secret=True),
    Setting(
        "smtp_concurrency",
        "SMTP connections at once",
        whole(1),
        4,
        pelican="PLP_SMTP_CONCURRENCY",
        env="PLP_SMTP_CONCURRENCY",
        hint="use a whole number such as 4",
    ),
    Setting(
        "smtp_rate",
        "messages per second at most (0: no limit)",
        number(),
        0.0,
        pelican="PLP_SMTP_RATE",
        env="PLP_SMTP_RATE",
        hint="use messages per second, e.g. 50 (0 for no limit)",
    ),
    Setting(
        "smtp_timeout",
        "seconds to wait for the SMTP server before the attempt counts as failed",
        number(positive=True),
        30.0,
        pelican="PLP_SMTP_TIMEOUT",
        env="PLP_SMTP_TIMEOUT",
        hint="use seconds, e.g. 30",
    ),
    Setting(
        "smtp_messages_per_connection",
        "messages sent on one SMTP connection before opening a fresh one (0: no limit; "
        "for relays that refuse more after N)",
        whole(0),
        0,
        pelican="PLP_SMTP_MESSAGES_PER_CONNECTION",
        env="PLP_SMTP_MESSAGES_PER_CONNECTION",
        hint="use a whole number such as 100, or 0 for no limit",
    ),
    Setting(
        "max_attempts",
        "tries of a member within one send on temporary (4xx) failures, before it is left "
        "deferred for a later send",
        whole(1),
        3,
        pelican="PLP_MAX_ATTEMPTS",
        env="PLP_MAX_ATTEMPTS",
        hint="use a whole number such as 3",
    ),
    Setting(
        "retry_base",
        "seconds before the first retry of a deferred member; later tries wait longer "
        "(×2 within a send, then 5 and 15 min, 1, 2, 4 h with the default)",
        number(positive=True),
        30.0,
        pelican="PLP_RETRY_BASE",
        env="PLP_RETRY_BASE",
        hint="use seconds, e.g. 30",
    ),
    Setting(
        "give_up_after",
        "hours after its first try that a deferred member is recorded failed "
        "(an MTA's queue lifetime)",
        number(positive=True),
        72.0,
        pelican="PLP_GIVE_UP_AFTER",
        env="PLP_GIVE_UP_AFTER",
        hint="use hours, e.g. 72",
    ),
    Setting(
        "hard_bounce_limit",
        "hard bounces (5xx) after which a member is marked bounced",
        whole(1),
        3,
        pelican="PLP_HARD_BOUNCE_LIMIT",
        env="PLP_HARD_BOUNCE_LIMIT",
        hint="use a whole number such as 3",
    ),
    Setting(
        "secret",
        "key that signs the links of e-mails and forms (unsubscribe, confirm, preferences)",
        long_text(32),
        env="PLP_SECRET",
        secret=True,
        hint="use 32 random characters or more: "
        "`python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`",
        default_doc="generated once in `var/secret`",
    ),
    Setting(
        "dkim_key_path",
        "DKIM private key (PEM file) that signs every message; needs `PLP_DKIM_SELECTOR`",
        path,
        pelican="PLP_DKIM_KEY",
        env="PLP_DKIM_KEY",
        default_doc="none: messages are not signed",
    ),
    Setting(
        "dkim_selector",
        "DKIM selector, published in DNS as `selector._domainkey.<sending domain>`",
        dkim_selector,
        pelican="PLP_DKIM_SELECTOR",
        env="PLP_DKIM_SELECTOR",
        hint="use the selector of the DNS record, e.g. plp2026",
    ),
    Setting(
        "timezone",
        "time zone of the dates in feeds",
        time_zone,
        "Europe/Brussels",
        pelican="TIMEZONE",
        env="PLP_TIMEZONE",
        hint="use an IANA name such as Europe/Brussels",
    ),
    # Pinned in pelicanconf.py, the date would freeze the published site: the environment only.
    Setting(
        "today",
        "pins today's date (`YYYY-MM-DD`) for reproducible builds",
        day,
        env="PLP_TODAY",
        hint="use YYYY-MM-DD",
        default_doc="the real date",
    ),
    # PATH and OUTPUT_PATH are Pelican's own names: plp reads the folders Pelican is told about.
    Setting(
        "content_dir",
        "where content is read",
        path,
        Path("content"),
        pelican="PATH",
        env="PLP_CONTENT_DIR",
    ),
    Setting(
        "output_dir",
        "where the public site is written (a build removes what it did not write)",
        path,
        Path("output"),
        pelican="OUTPUT_PATH",
        env="PLP_OUTPUT_DIR",
    ),
    Setting(
        "var_dir",
        "private state (members, approvals, ledger, outbox); never published, never in git",
        path,
        Path("var"),
        pelican="PLP_VAR_DIR",
        env="PLP_VAR_DIR",
    ),
    Setting(
        "cache_dir",
        "render caches, safe to delete",
        path,
        Path("cache"),
        pelican="PLP_CACHE_DIR",
        env="PLP_CACHE_DIR",
    ),
)

BY_FIELD = {setting.field: setting for setting in SETTINGS}
DEFAULTS = {setting.field: setting.default for setting in SETTINGS}
