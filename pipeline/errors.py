"""Errors a user can act on: each names where the problem is and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in content or configuration, located by file and line."""

    path: str
    line: int
    message: str
    fix: str
    severity: Severity = Severity.ERROR
    rule: str = field(default="", compare=False)
    """A stable id of the rule broken (e.g. "personal.plate"), for a translated message."""
    params: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    """The values the translated message names (e.g. (("value", "1-ABC-234"),))."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{where}: {prefix}{self.message} — {self.fix}"


class PlpError(Exception):
    """Root of the errors a user can fix; the CLI prints them as one line and exits 1."""


class ContentError(PlpError):
    """Content or configuration holds problems; carries every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ConfigError(ContentError):
    """The configuration (pelicanconf.py or the environment) is wrong."""


class DeliveryError(PlpError):
    """A bulletin cannot be delivered as asked (not approved, changed since approval, …)."""


def relpath(path: Path, root: Path | None = None) -> str:
    """Show a path relative to the working directory (or root) when it is inside it."""
    return _relpath(path, root or Path.cwd())


@cache  # resolving paths is a system call each; content files are named again and again
def _relpath(path: Path, base: Path) -> str:
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a symbolic link that loops: resolve its folder only
        resolved = path.parent.resolve() / path.name
    try:
        return str(resolved.relative_to(base.resolve()))
    except ValueError:
        return str(path)
