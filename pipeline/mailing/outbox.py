"""The embedded default mailer: one .eml file per message in a private folder under var/."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import DeliveryError
from .mailer import Envelope


class OutboxMailer:
    """The embedded default: one .eml per message in a folder, nothing to install."""

    concurrency = 1  # a local disk: more threads only contend for the GIL

    def __init__(self, directory: Path):
        self.directory = directory
        self._tmp = directory / ".tmp"
        self._tmp.mkdir(parents=True, exist_ok=True)
        directory.chmod(0o700)  # members' addresses: private like the rest of var/
        self._clean_stale_tmp()

    def send(self, envelope: Envelope, before_data: Callable[[], None] | None = None) -> None:
        """Write the message atomically; rewriting the same (bulletin, member) overwrites it."""
        final = self.directory / self.filename(envelope.bulletin_id, envelope.member_key)
        tmp = self._tmp / f"{final.name}.{os.getpid()}.{threading.get_ident()}"
        # The envelope travels in the headers a final MTA adds when it files a message.
        trace = f"Return-Path: <{envelope.sender}>\r\nDelivered-To: {envelope.recipient}\r\n"
        try:
            with open(tmp, "wb") as out:
                out.write(trace.encode() + envelope.data)
            if before_data:
                before_data()
            # A reader never sees half a message; a rerun replaces instead of duplicating.
            os.replace(tmp, final)
        except OSError as exc:
            raise DeliveryError(
                f"cannot write to the outbox {self.directory}: {exc} — "
                "free some space or fix the permissions, then send again"
            ) from None

    def close(self) -> None:
        """Nothing to release."""

    def discard(self, member_key: str) -> int:
        """Delete every message addressed to this member (erasure); returns how many."""
        found = list(self.directory.glob(f"*-{member_key}.eml"))
        for path in found:
            path.unlink(missing_ok=True)
        return len(found)

    @staticmethod
    def filename(bulletin_id: str, member_key: str) -> str:
        """The file name of one message: the same for every rerun of the same send."""
        return f"{hashlib.sha256(bulletin_id.encode()).hexdigest()[:16]}-{member_key}.eml"

    def _clean_stale_tmp(self) -> None:
        # Left by a process killed mid-write; the ledger says those members are uncertain.
        cutoff = time.time() - 3600
        for path in self._tmp.iterdir():
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
            except FileNotFoundError:
                pass  # another process cleaned it first
