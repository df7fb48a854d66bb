"""The coordinator's approval of a bulletin, bound to the exact content they reviewed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ..errors import DeliveryError
from .schema import now

if TYPE_CHECKING:
    from .store import Store

_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Approval:
    """Who approved which content of bulletin `number` of a PLP, and when."""

    plp: str
    number: int
    content_hash: str
    approved_by: str
    approved_at: datetime


class Approvals:
    """The approvals table: every approval is kept, the latest one counts."""

    def __init__(self, store: Store):
        self._store = store

    def approve(self, plp: str, number: int, content_hash: str, approved_by: str) -> Approval:
        """Record that approved_by approved this exact content (a sha256 hex digest)."""
        if not _SHA256.fullmatch(content_hash):
            raise ValueError(f"content_hash must be a sha256 hex digest, not {content_hash!r}")
        stamp = now()
        self._store.write(
            "INSERT INTO approvals (plp, number, content_hash, approved_by, approved_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (plp, number, content_hash, approved_by, stamp),
        )
        return Approval(plp, number, content_hash, approved_by, datetime.fromisoformat(stamp))

    def latest(self, plp: str, number: int) -> Approval | None:
        """The approval that counts for this bulletin, or None."""
        row = self._store.row(
            "SELECT * FROM approvals WHERE plp = ? AND number = ? ORDER BY id DESC LIMIT 1",
            (plp, number),
        )
        if row is None:
            return None
        return Approval(
            row["plp"],
            row["number"],
            row["content_hash"],
            row["approved_by"],
            datetime.fromisoformat(row["approved_at"]),
        )

    def check_approved(self, plp: str, number: int, current_hash: str) -> Approval:
        """The approval of exactly this content; DeliveryError saying what to do otherwise."""
        approval = self.latest(plp, number)
        todo = (
            f"run `plp bulletin test {plp}` to receive the test copy, review it, then "
            f"`plp bulletin approve {plp} {number}`"
        )
        if approval is None:
            raise DeliveryError(f"bulletin {number} of PLP {plp} is not approved — {todo}")
        if approval.content_hash != current_hash:
            raise DeliveryError(
                f"bulletin {number} of PLP {plp} changed since {approval.approved_by} approved it"
                f" on {approval.approved_at:%Y-%m-%d %H:%M} UTC — nothing was sent; {todo}"
            )
        return approval
