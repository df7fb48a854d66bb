"""How a ready message leaves: the Mailer interface and its classified failures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


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
