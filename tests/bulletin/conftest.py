"""Bulletin fixtures: a temporary project on the bulletin tree, with its Config and store."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import coordinator
from pipeline.bulletin.store import BulletinStore
from pipeline.config import Config
from pipeline.content import load_content


class Project:
    """A temporary project: write messages, load content, draft bulletins."""

    def __init__(self, root: Path, config: Config):
        self.root = root
        self.config = config
        self.store = BulletinStore(config)

    def write(self, messages: dict[str, str | None]) -> None:
        """Write (or, for None, delete) files of content/messages/, by name."""
        for name, text in messages.items():
            path = self.root / "content" / "messages" / name
            if text is None:
                path.unlink(missing_ok=True)
            else:
                path.write_text(text, encoding="utf-8")

    def content(self):
        return load_content(self.config)

    def draft(self, plp: str, **options):
        """Draft the PLP's next bulletin from the content as it is now (as the CLI does)."""
        with coordinator.Desk(self.config, content=self.content()) as desk:
            return coordinator.draft(desk, plp, **options)


@pytest.fixture
def project(content_tree, make_config) -> Project:
    root = content_tree(base="bulletin")
    return Project(root, make_config(root))
