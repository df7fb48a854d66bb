"""Which package may import which: the outputs share the core (urls, views), not each other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PIPELINE = Path(__file__).resolve().parents[1] / "pipeline"

FORBIDDEN = {
    "bulletin": ("pipeline.site", "pipeline.content", "pipeline.mailing"),
    "site": ("pipeline.mailing",),
    # Shared by every output, so they may depend on none of them.
    "urls.py": ("pipeline.site", "pipeline.bulletin", "pipeline.mailing", "pipeline.cli"),
    "views.py": ("pipeline.site", "pipeline.bulletin", "pipeline.mailing", "pipeline.cli"),
}


def imported(path: Path) -> set[str]:
    """Every pipeline module `path` imports, relative imports resolved."""
    package = ["pipeline", *path.relative_to(PIPELINE).parent.parts]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            if node.module:
                found.add(".".join([*base, node.module]))
            else:  # `from .. import urls` names modules
                found |= {".".join([*base, alias.name]) for alias in node.names}
    return {name for name in found if name.startswith("pipeline")}


@pytest.mark.parametrize("part", sorted(FORBIDDEN))
def test_no_output_imports_what_it_must_not(part):
    files = sorted((PIPELINE / part).rglob("*.py")) if (PIPELINE / part).is_dir() else []
    files = files or [PIPELINE / part]
    wrong = [
        f"{path.relative_to(PIPELINE.parent)} imports {name}"
        for path in files
        for name in sorted(imported(path))
        if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[part])
    ]
    assert not wrong, "\n".join(wrong)


def test_relative_imports_are_resolved():
    names = imported(PIPELINE / "site" / "views.py")
    assert {"pipeline.urls", "pipeline.views", "pipeline.model"} <= names
