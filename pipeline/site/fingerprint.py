"""Fingerprints of what a page is made of, so a rebuild renders only the pages whose inputs changed.

A page's fingerprint covers its template set, its translations and code (the build's `salt`),
and every value in its context. Messages, PLPs and zones are digested once per build and then
stand for themselves, so fingerprinting a hub costs microseconds, not a render.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Iterable
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any


class Digests:
    """Stable digests of context values (never Python's salted hash())."""

    def __init__(self) -> None:
        self._by_id: dict[int, tuple[object, str]] = {}

    def of(self, value: Any) -> str:
        """A stable hex digest of `value` (dicts, sequences, frozen dataclasses, scalars)."""
        parts: list[str] = []
        self._walk(value, parts)
        return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()

    def _walk(self, value: Any, out: list[str]) -> None:
        if value is None or isinstance(value, str | int | float | bool | Enum | date | datetime):
            out.append(f"{type(value).__name__}:{value}")
        elif isinstance(value, dict):
            out.append("{")
            for key, item in value.items():
                out.append(str(key))
                self._walk(item, out)
            out.append("}")
        elif isinstance(value, list | tuple | set | frozenset):
            out.append("[")
            items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
            for item in items:
                self._walk(item, out)
            out.append("]")
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            # Frozen domain values: digest once, keyed by identity (kept alive by the cache).
            cached = self._by_id.get(id(value))
            if cached is None or cached[0] is not value:
                inner: list[str] = [type(value).__name__]
                for f in dataclasses.fields(value):
                    inner.append(f.name)
                    self._walk(getattr(value, f.name), inner)
                cached = (value, hashlib.sha1("\x1f".join(inner).encode()).hexdigest())
                self._by_id[id(value)] = cached
            out.append(cached[1])
        elif callable(value):
            out.append(f"fn:{getattr(value, '__qualname__', type(value).__name__)}")
        else:
            out.append(f"{type(value).__name__}:{value!r}")


def files_digest(paths: Iterable[Path]) -> str:
    """Digest of files' bytes (templates, catalogs, code): editing one changes every page key."""
    h = hashlib.sha1()
    for path in sorted(paths):
        h.update(str(path).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


class Fingerprints:
    """output path → fingerprint of what it was rendered from, kept under cache/ between builds."""

    def __init__(self, path: Path, salt: str):
        self.path = path
        self.salt = salt
        self.old: dict[str, str] = {}
        self.new: dict[str, str] = {}
        try:
            stored = json.loads(path.read_bytes())
            if stored.get("salt") == salt:
                self.old = dict(stored["pages"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass

    def unchanged(self, output_path: str, fingerprint: str, output_root: Path) -> bool:
        """True when the file exists and was rendered from exactly these inputs."""
        self.new[output_path] = fingerprint
        return self.old.get(output_path) == fingerprint and (output_root / output_path).is_file()

    def save(self, keep_old: bool) -> None:
        """Persist this build's fingerprints; a partial build keeps the others'."""
        pages = {**self.old, **self.new} if keep_old else self.new
        if pages == self.old:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"salt": self.salt, "pages": pages}), encoding="utf-8")
        os.replace(tmp, self.path)
