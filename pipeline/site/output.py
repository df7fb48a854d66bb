"""Writing output/: only files whose bytes changed, and removing what the build no longer makes."""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

STAGING = ".plp-staging"
"""Where a build writes its changed files until it has succeeded (inside output/: same disk)."""


@dataclass
class Output:
    """The files of one build; identical bytes are not rewritten (disk writes are slow here).

    Changed files are staged and moved into place only by commit(), once the whole build has
    succeeded: a build that fails halfway leaves output/ as it was.
    """

    root: Path
    retain: tuple[str, ...] = ()
    """Top-level names never removed (Pelican's OUTPUT_RETENTION, e.g. CNAME, .htaccess)."""
    written: int = 0
    unchanged: int = 0
    paths: set[str] = field(default_factory=set)
    staged: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.discard()  # left by a build that was killed: never half of one in the site

    @property
    def staging(self) -> Path:
        return self.root / STAGING

    def write(self, path: str, data: str | bytes) -> None:
        """Stage output/`path` unless it already holds exactly these bytes."""
        if path in self.paths:
            raise ValueError(f"two outputs want {path}")  # a layout bug, never user content
        self.paths.add(path)
        raw = data.encode("utf-8") if isinstance(data, str) else data
        target = self.root / path
        try:
            if target.stat().st_size == len(raw) and target.read_bytes() == raw:
                self.unchanged += 1
                return
        except FileNotFoundError:
            pass
        staged = self.staging / path
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(raw)
        self.staged.append(path)
        self.written += 1

    def commit(self) -> int:
        """Move every staged file into place, then remove what this build did not produce;
        returns how many stale files were removed."""
        for path in self.staged:
            target = self.root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.staging / path, target)  # readers never see half a page
        self.staged.clear()
        self.discard()
        return self.remove_stale()

    def discard(self) -> None:
        """Forget what was staged: output/ stays as the last good build left it."""
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staged.clear()

    def keep(self, path: str) -> None:
        """Count output/`path` as produced by this build without touching it."""
        if path in self.paths:
            raise ValueError(f"two outputs want {path}")
        self.paths.add(path)
        self.unchanged += 1

    def remove_stale(self) -> int:
        """Delete files (and then empty folders) this build did not produce; return how many."""
        removed = 0
        if not self.root.is_dir():
            return 0
        for folder, dirs, files in os.walk(self.root, topdown=True):
            base = Path(folder)
            if base == self.root:
                dirs[:] = [d for d in dirs if d not in self.retain]
                files = [f for f in files if f not in self.retain]
            for name in files:
                rel = (base / name).relative_to(self.root).as_posix()
                if rel not in self.paths:
                    (base / name).unlink()
                    removed += 1
        for folder, _dirs, _files in os.walk(self.root, topdown=False):
            base = Path(folder)
            top = base.relative_to(self.root).parts[:1]
            if top and top[0] not in self.retain and not any(base.iterdir()):
                base.rmdir()  # folders emptied above, deepest first
        return removed

    @property
    def total(self) -> int:
        """Files this build produced (written or kept)."""
        return len(self.paths)


PARALLEL_FROM = 300
"""Uncached Markdown sources from which a build renders them in worker processes."""


class RenderCache:
    """Rendered Markdown keyed by a hash of its source, kept between builds under cache/.

    JSON, not pickle: the cache folder is plain files anyone can drop in, and loading it must
    never run code. `version` holds a fingerprint of the renderer, so a change to the
    sanitiser's allow-list invalidates every entry.
    """

    def __init__(self, path: Path, version: str):
        self.path = path
        self.version = version
        self._entries: dict[str, str] = {}
        self._used: set[str] = set()
        self._dirty = False
        try:
            stored = json.loads(path.read_bytes())
            if stored.get("version") == version:
                self._entries = dict(stored["entries"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # a missing or damaged cache only costs time

    def get(self, source: str, render) -> str:
        """The rendering of `source`, computed with `render` only when not cached."""
        key = hashlib.sha256(source.encode("utf-8")).hexdigest()
        self._used.add(key)
        html = self._entries.get(key)
        if html is None:
            html = self._entries[key] = render(source)
            self._dirty = True
        return html

    def prefill(self, sources: Iterable[str], render: Callable[[str], str]) -> int:
        """Render every source not cached yet; return how many.

        A cold build (thousands of messages) renders in one process per core: Markdown is pure
        Python and ~1 ms a message, so two cores halve the biggest phase. A warm build, or a
        handful of new messages, stays in this process (starting workers would cost more).
        """
        missing: dict[str, str] = {}
        for source in sources:
            key = hashlib.sha256(source.encode("utf-8")).hexdigest()
            if key not in self._entries:
                missing[key] = source
        if not missing:
            return 0
        texts = list(missing.values())
        workers = min(os.cpu_count() or 1, 4)
        if len(texts) >= PARALLEL_FROM and workers > 1 and "fork" in mp.get_all_start_methods():
            with mp.get_context("fork").Pool(workers) as pool:
                rendered = pool.map(render, texts, chunksize=32)
        else:
            rendered = [render(text) for text in texts]
        self._entries.update(zip(missing, rendered, strict=True))
        self._dirty = True
        return len(texts)

    def save(self, prune: bool = True) -> None:
        """Persist new entries; a full build also forgets sources no longer in content/."""
        if prune and set(self._entries) != self._used:
            self._entries = {k: v for k, v in self._entries.items() if k in self._used}
            self._dirty = True
        if self._dirty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            data = {"version": self.version, "entries": self._entries}
            tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.path)
            self._dirty = False
