"""Load everything under content/ into one `Content`, or report every problem at once."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from .checks import allowed_contacts, check_content
from .config import Config
from .errors import ContentError, Problem, Severity, relpath
from .messages import read_message, read_page
from .model import Content, Message, Page
from .registry import read_plps, read_zones


def read_content(content_dir: Path) -> tuple[Content, list[Problem]]:
    """Best-effort load: the content that could be read and every problem (errors and warnings)."""
    problems: list[Problem] = []
    zones, found = read_zones(content_dir / "registry" / "zones.yaml")
    problems += found
    # An unreadable zones file would make every reference look wrong: report it alone.
    zones_ok = not found
    communes = {c.id: c for z in zones.values() for c in z.communes}
    plps, found = read_plps(content_dir / "registry" / "plps.yaml", communes if zones_ok else None)
    problems += found
    registry_ok = zones_ok and not found
    contacts = allowed_contacts(zones, plps) if registry_ok else None
    messages = _read_all(
        content_dir / "messages", partial(read_message, contacts=contacts), problems
    )
    pages = _read_all(content_dir / "pages", partial(read_page, contacts=contacts), problems)
    content = Content(zones, communes, plps, tuple(messages), tuple(pages))
    problems += check_content(content, check_references=registry_ok)
    return content, sorted(problems)  # by file, then line: the order a user fixes them in


def load_content(config: Config, *, strict: bool = False) -> Content:
    """Load content/; raise ContentError listing every error (and warnings when strict)."""
    content, problems = read_content(config.content_dir)
    blocking = [p for p in problems if strict or p.severity is Severity.ERROR]
    if blocking:
        raise ContentError(blocking)
    return content


def _read_all(folder: Path, reader, problems: list[Problem]) -> list[Message] | list[Page]:
    items = []
    seen: dict[tuple[str, str], Path] = {}
    for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
        item, found = reader(path)
        problems += found
        if item is None:
            continue
        if (item.key, item.lang) in seen:
            problems.append(
                Problem(
                    relpath(path),
                    0,
                    f"duplicate '{item.key}' in '{item.lang}'",
                    f"{relpath(seen[item.key, item.lang])} has the same name: rename one",
                )
            )
            continue
        seen[item.key, item.lang] = path
        items.append(item)
    return items
