"""The audit log of each PLP: who did what in the coordinator's workflow, and when.

Append-only (triggers refuse UPDATE and DELETE); it never names a member, only counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from .schema import now

if TYPE_CHECKING:
    from .store import Store


class AuditAction(StrEnum):
    SIGN_IN = "sign-in"
    SIGN_OUT = "sign-out"
    DRAFT = "draft"
    TEST_COPY = "test-copy"
    APPROVE = "approve"
    SEND_STARTED = "send-started"
    SEND_FINISHED = "send-finished"
    IMPORT = "import"
    UNSUBSCRIBE = "unsubscribe"
    ERASE = "erase"


@dataclass(frozen=True)
class AuditEntry:
    """One row of a PLP's log."""

    id: int
    plp: str
    at: datetime
    actor: str
    action: AuditAction
    detail: str


class Audit:
    """The audit table: add and read, nothing else."""

    def __init__(self, store: Store):
        self._store = store

    def add(self, plp: str, actor: str, action: AuditAction, detail: str = "") -> None:
        """Append one row (detail: counts, numbers, hashes — never a member's address)."""
        self._store.write(
            "INSERT INTO audit (plp, at, actor, action, detail) VALUES (?, ?, ?, ?, ?)",
            (plp, now(), actor, action, detail),
        )

    def entries(self, plp: str, limit: int = 200) -> list[AuditEntry]:
        """The PLP's latest rows, newest first."""
        rows = self._store.rows(
            "SELECT * FROM audit WHERE plp = ? ORDER BY id DESC LIMIT ?", (plp, limit)
        )
        return [
            AuditEntry(
                r["id"],
                r["plp"],
                datetime.fromisoformat(r["at"]),
                r["actor"],
                AuditAction(r["action"]),
                r["detail"],
            )
            for r in rows
        ]
