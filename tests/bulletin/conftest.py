"""Bulletin fixtures: a temporary project with a small content tree and its Config."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import coordinator
from pipeline.bulletin.store import BulletinStore

from .factories import content_tree, load, make_config


class Project:
    """A temporary project: write messages, load content, draft bulletins."""

    def __init__(self, root: Path):
        self.root = root
        content_tree(root)
        self.config = make_config(root)
        self.store = BulletinStore(self.config)

    def write(self, messages: dict[str, str | None]) -> None:
        for name, text in messages.items():
            path = self.root / "content" / "messages" / name
            if text is None:
                path.unlink(missing_ok=True)
            else:
                path.write_text(text, encoding="utf-8")

    def content(self):
        return load(self.config)

    def draft(self, plp: str, **options):
        """Draft the PLP's next bulletin from the content as it is now (as the CLI does)."""
        with coordinator.Desk(self.config, content=self.content()) as desk:
            return coordinator.draft(desk, plp, **options)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path / "project")
