"""Message and page files: `Key: value` metadata lines, a blank line, a Markdown body."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from .checks import (
    URGENT_FIX,
    Contacts,
    character_problems,
    check_message_text,
    check_page_text,
)
from .config import LANGUAGES
from .errors import Problem, relpath
from .model import Category, Message, Page, Source, Target, TargetKind

FILENAME = re.compile(r"^(?P<key>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?P<lang>[a-z]{2})\.md$")
META_LINE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z_-]*)\s*:\s*(?P<value>.*)$")

MESSAGE_FIELDS = {
    "title",
    "date",
    "category",
    "targets",
    "author",
    "summary",
    "valid-until",
    "urgency",
}
MESSAGE_REQUIRED = {"title", "date", "category", "targets", "author"}
PAGE_FIELDS = {"title", "summary"}


class _File:
    """One content file's metadata, body and the problems found reading it."""

    def __init__(self, path: Path):
        self.path = path
        self.shown = relpath(path)
        self.problems: list[Problem] = []
        self.meta: dict[str, str] = {}
        self.lines: dict[str, int] = {}
        self.body = ""
        self.body_line = 1

    def problem(self, line: int, message: str, fix: str) -> None:
        self.problems.append(Problem(self.shown, line, message, fix))

    def parse(self, allowed: set[str]) -> None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            line = self.path.read_bytes()[: exc.start].count(b"\n") + 1
            self.problem(line, "the file is not UTF-8", "save it as UTF-8 in your editor")
            return
        except IsADirectoryError:
            self.problem(0, "is a folder, not a file", "rename the folder: no .md at the end")
            return
        except OSError as exc:  # a symbolic link that loops or leads nowhere, no permission
            self.problem(
                0,
                f"cannot be read ({(exc.strerror or str(exc)).lower()})",
                "replace it with a plain UTF-8 file, or remove it",
            )
            return
        text = text.lstrip("\ufeff")
        self.problems += character_problems(text, self.shown)
        # Split on "\n" only, as the checks count lines: splitlines() would also break at
        # control characters and so shift every line number after one.
        lines = text.split("\n")
        if lines and not lines[-1]:
            lines.pop()
        number = 0
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                break
            match = META_LINE.match(line)
            if not match:
                self.problem(
                    number,
                    f"malformed metadata line {line[:40]!r}",
                    "write 'Key: value', then a blank line before the text",
                )
                continue
            key = match["key"].lower().replace("_", "-")
            if key not in allowed:
                self.problem(
                    number,
                    f"unknown field '{match['key']}'",
                    f"use one of: {', '.join(sorted(allowed))}",
                )
            elif key in self.meta:
                self.problem(number, f"field '{match['key']}' given twice", "keep one")
            self.meta[key] = match["value"].strip()
            self.lines[key] = number
        else:
            number = len(lines) + 1
        self.body_line = number + 1
        self.body = "\n".join(lines[number:])

    def require(self, required: set[str]) -> None:
        for key in sorted(required):
            if not self.meta.get(key):
                line = self.lines.get(key, 1)
                self.problem(
                    line,
                    f"missing field '{key.title()}'",
                    f"add a '{key.title()}: …' line at the top of the file",
                )


def read_message(
    path: Path, contacts: Contacts | None = None
) -> tuple[Message | None, list[Problem]]:
    """Parse one message file and check its text; None when it cannot be used at all.

    A message with problems is still returned when it can be built, so the checks that need a
    Message (targets, translations) report in the same run: every problem at once.
    `contacts` are the registry's role contacts (None: a broken registry, phones and e-mails
    are not judged).
    """
    key, lang, f = _identify(path)
    f.parse(MESSAGE_FIELDS)
    if f.problems and not f.meta:
        return None, f.problems
    f.require(MESSAGE_REQUIRED)
    urgency = f.meta.get("urgency", "non-urgent").lower()
    if urgency != "non-urgent":
        f.problem(f.lines["urgency"], f"urgent content is refused (Urgency: {urgency})", URGENT_FIX)
    fields = {k: (f.lines[k], f.meta[k]) for k in ("title", "summary", "author") if f.meta.get(k)}
    f.problems += check_message_text(f.shown, fields, f.body_line, f.body, contacts)
    when = _datetime(f, "date")
    until = _datetime(f, "valid-until")
    if when and until and until.date() < when.date():
        f.problem(
            f.lines["valid-until"],
            f"Valid-Until {until:%Y-%m-%d} is before the Date {when:%Y-%m-%d}",
            "set Valid-Until on or after the Date",
        )
    category = None
    if f.meta.get("category"):
        try:
            category = Category(f.meta["category"].lower())
        except ValueError:
            f.problem(
                f.lines["category"],
                f"unknown category '{f.meta['category']}'",
                f"use one of: {', '.join(c.value for c in Category)}",
            )
    targets = _targets(f)
    if key is None or lang is None or when is None or category is None:
        return None, f.problems
    message = Message(
        key=key,
        lang=lang,
        title=f.meta.get("title", ""),
        date=when,
        category=category,
        targets=targets,
        author=f.meta.get("author", ""),
        body=f.body,
        summary=f.meta.get("summary") or None,
        valid_until=until.date() if until else None,
        source=Source(path, 1),
        body_line=f.body_line,
        lines=dict(f.lines),
    )
    return message, f.problems


def read_page(path: Path, contacts: Contacts | None = None) -> tuple[Page | None, list[Problem]]:
    """Parse one static page file and check its text (as a message's, urgency aside)."""
    key, lang, f = _identify(path)
    f.parse(PAGE_FIELDS)
    f.require({"title"})
    if f.problems or key is None or lang is None:
        return None, f.problems
    fields = {k: (f.lines[k], f.meta[k]) for k in ("title", "summary") if f.meta.get(k)}
    page = Page(key, lang, f.meta["title"], f.body, f.meta.get("summary") or None, Source(path, 1))
    return page, check_page_text(f.shown, fields, f.body_line, f.body, contacts)


def _identify(path: Path) -> tuple[str | None, str | None, _File]:
    f = _File(path)
    match = FILENAME.match(path.name)
    if not match:
        f.problem(
            0,
            "file name is not KEY.LANG.md",
            "rename it like dark-days-2026.fr.md (lower-case, digits, dashes)",
        )
        return None, None, f
    if match["lang"] not in LANGUAGES:
        f.problem(
            0,
            f"unknown language '{match['lang']}' in the file name",
            f"use one of: {', '.join(LANGUAGES)}",
        )
        return match["key"], None, f
    return match["key"], match["lang"], f


def _datetime(f: _File, key: str) -> datetime | None:
    raw = f.meta.get(key)
    if not raw:
        return None
    for fmt in ("%Y-%m-%d", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(raw, fmt)
        except ValueError:
            continue
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?", raw):
        message = f"impossible date '{raw}'"
    else:
        message = f"'{raw}' is not a date"
    f.problem(f.lines[key], message, "write the date as YYYY-MM-DD, e.g. 2026-11-02")
    return None


def _targets(f: _File) -> tuple[Target, ...]:
    raw = f.meta.get("targets", "")
    targets: list[Target] = []
    reported = len(f.problems)
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        kind, _, value = part.partition(":")
        try:
            target = Target(TargetKind(kind.strip().lower()), value.strip())
        except ValueError:
            f.problem(
                f.lines["targets"],
                f"unknown target '{part}'",
                "use all, zone:ID, commune:ID or plp:SLUG, separated by commas",
            )
            continue
        if (target.kind is TargetKind.ALL) != (not target.value):
            f.problem(
                f.lines["targets"],
                f"malformed target '{part}'",
                "write 'all' alone, or zone:ID, commune:ID, plp:SLUG",
            )
            continue
        targets.append(target)
    if raw.strip() and not targets and len(f.problems) == reported:
        f.problem(
            f.lines["targets"],
            f"Targets {raw.strip()!r} names no target: the message would reach nobody",
            "name who it is for: all, zone:ID, commune:ID or plp:SLUG",
        )
    return tuple(sorted(set(targets)))
