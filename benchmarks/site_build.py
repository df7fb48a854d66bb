"""Site build benchmark on the national data set, beside stock Pelican on the same messages.

Usage: python -m benchmarks.site_build [--plp SLUG] [--skip-pelican]

Every build runs in its own process (as `plp build` would), on the same disk, and reports its
wall time and peak memory (ru_maxrss). Measured in one run:
  1. full national build (cold: empty output/ and no cache);
  2. the same again with nothing changed;
  3. the rebuild after editing one message;
  4. `--plp SLUG` into its own, empty output folder;
  5. stock Pelican (default theme, its own feeds) on the same message files as plain articles.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.national import ensure_dataset

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-29"

_CHILD = """
import json, resource, sys, time
started = time.perf_counter()
from pipeline.config import load_config
from pipeline.site import build_site
report = build_site(load_config(), sys.argv[1:])
print(json.dumps({
    "wall": time.perf_counter() - started,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "pages": report.pages, "feeds": report.feeds, "files": report.files,
    "written": report.written, "unchanged": report.unchanged, "phases": report.phases,
}))
"""

_STOCK_CONF = """
AUTHOR = "police"
SITENAME = "stock"
SITEURL = ""
TIMEZONE = "Europe/Brussels"
DEFAULT_LANG = "fr"
PATH = "content"
SLUGIFY_SOURCE = "basename"  # titles repeat across zones; file names are unique
"""


def run_plp(root: Path, content: Path, output: Path, only: list[str]) -> dict:
    """One `plp build` in a fresh process; its own figures as JSON."""
    env = {
        **os.environ,
        "PLP_CONTENT_DIR": str(content),
        "PLP_OUTPUT_DIR": str(output),
        "PLP_TODAY": TODAY,
    }
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *only],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["process"] = time.perf_counter() - started
    return figures


def run_stock_pelican(messages: Path, work: Path) -> dict:
    """Stock Pelican, default theme and settings, over the same message files as articles."""
    content = work / "content"
    content.mkdir(parents=True)
    for path in messages.rglob("*.md"):
        # key.lang.md → key-lang.md: plain articles, one per file, as a user would start.
        shutil.copyfile(path, content / path.name.replace(".", "-", 1))
    (work / "pelicanconf.py").write_text(_STOCK_CONF, encoding="utf-8")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pelican", "content", "-o", "output", "-s", "pelicanconf.py", "-q"],
        cwd=work,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    files = sum(1 for p in (work / "output").rglob("*") if p.is_file())
    return {
        "wall": wall,
        "files": files,
        "returncode": done.returncode,
        "stderr": done.stderr[-500:],
    }


def _edit_one_message(content: Path) -> Path:
    """Append a sentence to the newest message in force: its page, hubs and feeds change."""

    def dated(path: Path) -> str:
        head = path.read_text(encoding="utf-8").split("\n\n", 1)[0].lower()
        date = next(line[5:].strip() for line in head.splitlines() if line.startswith("date:"))
        return date if date <= TODAY else ""

    path = max(sorted((content / "messages").rglob("*.md")), key=dated)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n\nUne phrase ajoutée pour le banc d'essai.\n", "utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plp", help="slug for the --plp measurement (default: the first PLP)")
    parser.add_argument("--skip-pelican", action="store_true", help="do not run stock Pelican")
    args = parser.parse_args(argv)

    dataset = ensure_dataset()
    with tempfile.TemporaryDirectory(prefix="plp-bench-", dir=ROOT / "benchmarks") as tmp:
        work = Path(tmp)
        root = work / "project"
        root.mkdir()
        # A project of its own (so the caches start empty) with our settings and theme.
        shutil.copyfile(ROOT / "pelicanconf.py", root / "pelicanconf.py")
        shutil.copytree(ROOT / "theme", root / "theme")
        content = root / "content"
        shutil.copytree(dataset / "content", content)
        output = root / "output"
        slug = args.plp or _first_slug(content)

        rows = []
        cold = run_plp(root, content, output, [])
        rows.append(("full build, cold", cold))
        rows.append(("full build, nothing changed", run_plp(root, content, output, [])))
        edited = _edit_one_message(content)
        rows.append((f"one message edited ({edited.name})", run_plp(root, content, output, [])))
        rows.append(
            (f"--plp {slug}, empty output", run_plp(root, content, work / "one-plp", [slug]))
        )
        stock = None if args.skip_pelican else run_stock_pelican(dataset / "content" / "messages",
                                                                   work / "stock")  # fmt: skip

    print(f"National data set: {dataset}")
    print(f"{'build':44} {'wall s':>7} {'peak MB':>8} {'files':>6} {'written':>8}")
    for name, r in rows:
        print(f"{name:44} {r['process']:7.2f} {r['peak_mb']:8.0f} {r['files']:6} {r['written']:8}")
    print(f"pages: {cold['pages']}, feeds: {cold['feeds']} (RSS + Atom)")
    for name, r in rows:
        spent = ", ".join(
            f"{k} {v:.2f}" for k, v in sorted(r["phases"].items(), key=lambda kv: -kv[1])
        )
        print(f"  {name}: {spent}")
    if stock:
        print(f"{'stock Pelican, same messages, default theme':44} {stock['wall']:7.2f} "
              f"{'':8} {stock['files']:6}")  # fmt: skip
        if stock["returncode"]:
            print(f"stock Pelican failed: {stock['stderr']}")
        print(f"ratio stock Pelican / plp full build: {stock['wall'] / cold['process']:.1f}x")
    return 0


def _first_slug(content: Path) -> str:
    for line in (content / "registry" / "plps.yaml").read_text(encoding="utf-8").splitlines():
        if line.startswith("- slug:"):
            return line.split(":", 1)[1].strip().strip("\"'")
    raise SystemExit("no PLP in the data set")


if __name__ == "__main__":
    sys.exit(main())
