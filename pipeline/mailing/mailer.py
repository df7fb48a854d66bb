"""How a ready message leaves: the Mailer interface, its classified failures, and the outbox."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..config import Config
from ..errors import DeliveryError


@dataclass(frozen=True)
class Envelope:
    """One message to one recipient, as bytes ready for the wire (CRLF, headers encoded)."""

    sender: str
    recipient: str
    data: bytes
    bulletin_id: str
    member_key: str


class SendFailure(Exception):
    """A message was not (or maybe not) delivered; the subclass says what the ledger records."""

    def __init__(self, code: int, message: str):
        self.code = code
        self.message = message
        super().__init__(f"{code} {message}" if code else message)


class TemporaryFailure(SendFailure):
    """4xx: the server did not take the message this time; retry later."""


class ServerUnavailable(TemporaryFailure):
    """The server could not be reached or closed the session (421): not the member's fault."""


class PermanentFailure(SendFailure):
    """5xx: refused for good; never retried."""


class UncertainDelivery(SendFailure):
    """The message was sent but no answer came back: it may have arrived. Never resent blindly."""

    def __init__(self, message: str):
        super().__init__(0, message)


class Mailer(Protocol):
    """Delivers envelopes; send() returns only when the message was accepted, else raises
    TemporaryFailure, PermanentFailure or UncertainDelivery (DeliveryError when unusable)."""

    concurrency: int
    """How many send() calls may run at once, each from its own thread."""

    def send(self, envelope: Envelope, before_data: Callable[[], None] | None = None) -> None:
        """Deliver; call before_data() right before the message itself goes out (SMTP DATA)."""
        ...

    def close(self) -> None: ...


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


def make_mailer(config: Config) -> Mailer:
    """The SMTP mailer when PLP_SMTP_URL is set, else the outbox under var/."""
    if config.smtp_url:
        from .smtp import SmtpMailer

        return SmtpMailer(config)
    return OutboxMailer(config.outbox_dir)
