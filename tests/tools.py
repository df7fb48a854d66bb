"""The outside tools some tests drive (Debian's chromium, axe-core, the Nu Html Checker, Postfix,
PostgreSQL), found
one way. Without one, its tests skip with one line naming the install step — except in CI
(CI=true), where a missing tool is a failure: CI must never go green by skipping them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INSTALL = "bash .ci/run installs it (or: apt-get install chromium chromium-driver "
INSTALL += "default-jre-headless postfix postgresql; bash .ci/setup-axe)"

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def axe_js() -> Path:
    return Path(os.environ.get("AXE_CORE_JS", ROOT / "cache/npm/node_modules/axe-core/axe.min.js"))


def vnu_jar() -> Path:
    return Path(
        os.environ.get("VNU_JAR", ROOT / "cache/npm/node_modules/vnu-jar/build/dist/vnu.jar")
    )


def java() -> str | None:
    return shutil.which("java")


def postgres_bin() -> Path | None:
    """The folder of Debian's PostgreSQL server binaries (initdb, pg_ctl), the newest version."""
    found = sorted(
        (p for p in Path("/usr/lib/postgresql").glob("*/bin/initdb") if p.parts[-3].isdigit()),
        key=lambda p: int(p.parts[-3]),
    )
    return found[-1].parent if found else None


def need(*tools: str) -> None:
    """Skip (fail under CI) unless every named tool is here: chromium, axe, java, vnu, postfix,
    postgres."""
    found = {
        "chromium": CHROMIUM.exists() and CHROMEDRIVER.exists(),
        "axe": axe_js().is_file(),
        "java": java() is not None,
        "vnu": vnu_jar().is_file(),
        "postfix": shutil.which("postfix", path=f"{os.environ.get('PATH', '')}:/usr/sbin")
        is not None,
        "postgres": postgres_bin() is not None,
    }
    missing = [tool for tool in tools if not found[tool]]
    if not missing:
        return
    message = f"{', '.join(missing)} missing — {INSTALL}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
