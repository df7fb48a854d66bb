"""Drafts and sent bulletins, as rendered, under var/bulletins/{plp}/{n}/ (private state).

Each bulletin folder holds `meta.json` and, per language, the preview parts (`.html`, `.txt`),
a complete preview message (`.eml`), the web version (`.web.html`) and the exact encoded
template used for sending (`.template`). The coordinator approves `content_hash`.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path

from ..config import Config
from ..errors import PlpError
from .compose import MessageTemplate


class DraftStatus(StrEnum):
    DRAFT = "draft"
    SENDING = "sending"  # gone out to some members, others deferred: frozen, shown online
    SENT = "sent"

    @property
    def gone_out(self) -> bool:
        """Members have it: never redrafted or approved again, numbered past, shown online."""
        return self is not DraftStatus.DRAFT


@dataclass(frozen=True)
class DraftEdition:
    lang: str
    subject: str
    message_ids: tuple[str, ...]
    held_over: int = 0
    """New messages left for the next bulletin, to keep this one under Gmail's clipping size."""


@dataclass(frozen=True)
class Draft:
    """One bulletin as stored: what it holds, its status, and where its files are."""

    plp: str
    number: int
    date: date
    editions: tuple[DraftEdition, ...]
    note: str | None
    status: DraftStatus
    sent_at: str | None
    content_hash: str
    folder: Path

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(e.lang for e in self.editions)

    @property
    def message_ids(self) -> frozenset[str]:
        return frozenset(i for e in self.editions for i in e.message_ids)

    def edition(self, lang: str) -> DraftEdition:
        for edition in self.editions:
            if edition.lang == lang:
                return edition
        raise PlpError(
            f"bulletin {self.number} of PLP {self.plp} has no '{lang}' edition — "
            f"it has: {', '.join(self.languages)}"
        )

    def path(self, lang: str, suffix: str) -> Path:
        """The file of one edition: suffix is html, txt, eml, web.html or template."""
        self.edition(lang)
        return self.folder / f"{lang}.{suffix}"

    def text(self, lang: str) -> str:
        return self.path(lang, "txt").read_text(encoding="utf-8")

    def html(self, lang: str) -> str:
        return self.path(lang, "html").read_text(encoding="utf-8")

    def web_html(self, lang: str) -> str:
        return self.path(lang, "web.html").read_text(encoding="utf-8")

    def current_hash(self) -> str:
        """The hash of the files as they are now; differs from content_hash if they changed."""
        templates = {lang: self.path(lang, "template").read_bytes() for lang in self.languages}
        return content_hash(templates, self.note)

    def template(self, lang: str, *, test: bool = False) -> MessageTemplate:
        """The encoded message to fill per member (exactly what was approved), or with test
        the coordinator's test copy of it (marked as one; drafts before it existed: the same)."""
        path = self.path(lang, "template")
        if test and path.with_name(f"{lang}.test.template").is_file():
            path = path.with_name(f"{lang}.test.template")
        return MessageTemplate.from_bytes(path.read_bytes())


def content_hash(templates: dict[str, bytes], note: str | None) -> str:
    """sha256 over every edition's template bytes (in language order) and the note."""
    digest = hashlib.sha256()
    for lang in sorted(templates):
        digest.update(f"{lang}\0{len(templates[lang])}\0".encode())
        digest.update(templates[lang])
    digest.update(b"note\0" + (note or "").encode())
    return digest.hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class BulletinStore:
    """Stores, replaces and marks bulletins sent; numbering per PLP."""

    def __init__(self, config: Config):
        self.config = config
        self.root = config.var_dir / "bulletins"

    def next_number(self, plp_slug: str) -> int:
        """The number the PLP's next draft takes: an unsent draft N is replaced, after a sent
        one comes N+1."""
        existing = list(self._all(plp_slug))
        number = max((d.number for d in existing), default=0)
        last_sent = max((d.number for d in existing if d.status.gone_out), default=0)
        return number + 1 if number in (0, last_sent) else number

    def last_sent(self, plp_slug: str) -> int | None:
        """The number of the PLP's last sent bulletin, or None."""
        return max((d.number for d in self.sent(plp_slug)), default=None)

    def sent_message_ids(self, plp_slug: str) -> set[str]:
        """The messages earlier bulletins carried: they never come back in a bulletin."""
        return {i for d in self.sent(plp_slug) for i in d.message_ids}

    def folder(self, plp_slug: str, number: int) -> Path:
        """Where bulletin `number` of a PLP is kept."""
        return self.root / plp_slug / str(number)

    def save(self, draft: Draft, files: dict[str, bytes]) -> Draft:
        """Store a draft's files (replacing those of an unsent draft of the same number)."""
        folder = draft.folder
        for stale in folder.glob("*.*") if folder.is_dir() else ():
            if stale.name != "meta.json" and stale.name not in files:
                stale.unlink()  # a language of the replaced draft with nothing new now
        for name, data in files.items():
            write_atomic(folder / name, data)
        self._write_meta(draft)  # last: a draft exists once its meta.json does
        return draft

    def get(self, plp_slug: str, number: int) -> Draft:
        """Bulletin `number` of a PLP; PlpError when it was never drafted."""
        meta = self.root / plp_slug / str(number) / "meta.json"
        if not meta.is_file():
            raise PlpError(
                f"PLP {plp_slug} has no bulletin {number} — run `plp bulletin draft {plp_slug}`"
            )
        return self._read(meta)

    def latest(self, plp_slug: str) -> Draft | None:
        """The highest-numbered bulletin of a PLP (draft or sent), or None."""
        drafts = list(self._all(plp_slug))
        return max(drafts, key=lambda d: d.number) if drafts else None

    def mark_sent(self, plp_slug: str, number: int, at: datetime | None = None) -> Draft:
        """Record that bulletin `number` went out to everyone; its messages never come back."""
        return self._mark(plp_slug, number, DraftStatus.SENT, at)

    def mark_sending(self, plp_slug: str, number: int, *, reopen: bool = False) -> Draft:
        """Record that bulletin `number` started going out (some members may wait for later);
        reopen=True takes a sent one back there (members to send it to again by hand)."""
        return self._mark(plp_slug, number, DraftStatus.SENDING, None, reopen)

    def _mark(self, plp_slug, number, status: DraftStatus, at: datetime | None, reopen=False):
        draft = self.get(plp_slug, number)
        if draft.status is status or (draft.status is DraftStatus.SENT and not reopen):
            return draft
        when = draft.sent_at or (at or datetime.now(UTC)).isoformat(timespec="seconds")
        marked = Draft(**{**draft.__dict__, "status": status, "sent_at": when})
        self._write_meta(marked)
        return marked

    def sent(self, plp_slug: str | None = None) -> Iterator[Draft]:
        """Bulletins that went out (all members, or some with others deferred), by PLP then
        number."""
        slugs = [plp_slug] if plp_slug else self._slugs()
        for slug in slugs:
            for draft in self._all(slug):
                if draft.status.gone_out:
                    yield draft

    def _slugs(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_dir())

    def _all(self, slug: str) -> Iterator[Draft]:
        folder = self.root / slug
        if not folder.is_dir():
            return
        for number in sorted(int(p.name) for p in folder.iterdir() if p.name.isdigit()):
            meta = folder / str(number) / "meta.json"
            if meta.is_file():
                yield self._read(meta)

    def _write_meta(self, draft: Draft) -> None:
        meta = {
            "plp": draft.plp,
            "number": draft.number,
            "date": draft.date.isoformat(),
            "languages": list(draft.languages),
            "editions": {
                e.lang: {
                    "subject": e.subject,
                    "messages": list(e.message_ids),
                    "held_over": e.held_over,
                }
                for e in draft.editions
            },
            "note": draft.note,
            "status": draft.status.value,
            "sent_at": draft.sent_at,
            "content_hash": draft.content_hash,
        }
        data = json.dumps(meta, ensure_ascii=False, indent=2).encode() + b"\n"
        write_atomic(draft.folder / "meta.json", data)

    def _read(self, meta_path: Path) -> Draft:
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            return Draft(
                plp=meta["plp"],
                number=int(meta["number"]),
                date=date.fromisoformat(meta["date"]),
                editions=tuple(
                    DraftEdition(lang, e["subject"], tuple(e["messages"]), e.get("held_over", 0))
                    for lang, e in meta["editions"].items()
                ),
                note=meta.get("note"),
                status=DraftStatus(meta["status"]),
                sent_at=meta.get("sent_at"),
                content_hash=meta["content_hash"],
                folder=meta_path.parent,
            )
        except (ValueError, KeyError, TypeError) as error:
            raise PlpError(
                f"{meta_path}: unreadable bulletin record ({error}) — draft it again with "
                "`plp bulletin draft`"
            ) from None
