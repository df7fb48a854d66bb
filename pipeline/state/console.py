"""The coordinators' console: one-time sign-in links and the sessions they open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from .schema import now

if TYPE_CHECKING:
    from .store import Store


@dataclass(frozen=True)
class Session:
    """A signed-in role address, until `expires` or `idle` without a request."""

    id_hash: str
    address: str
    created: datetime
    last_seen: datetime
    expires: datetime


def _stamp(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


class SignIns:
    """The signin_links and console_sessions tables."""

    def __init__(self, store: Store):
        self._store = store

    def add_link(self, nonce: str, address_key: str, ttl: timedelta, *, mailed: bool) -> None:
        """Record a link: `mailed` ones are requests from the web (whether or not the address
        coordinates a PLP: their count is the limit), others an operator's."""
        created = datetime.now(UTC)
        self._store.write(
            "INSERT INTO signin_links (nonce, address_key, created, expires, mailed)"
            " VALUES (?, ?, ?, ?, ?)",
            (nonce, address_key, _stamp(created), _stamp(created + ttl), int(mailed)),
        )

    def recent_requests(self, address_key: str, since: timedelta) -> int:
        """Link requests from the web for this address within `since`."""
        cutoff = _stamp(datetime.now(UTC) - since)
        return self._store.row(
            "SELECT count(*) FROM signin_links WHERE address_key = ? AND created > ?"
            " AND mailed = 1",
            (address_key, cutoff),
        )[0]

    def use_link(self, nonce: str, address_key: str) -> bool:
        """Mark a link used; False when it was used, voided, expired or is not ours."""
        return (
            self._store.write(
                "UPDATE signin_links SET used_at = ? WHERE nonce = ? AND address_key = ?"
                " AND used_at IS NULL AND expires > ?",
                (now(), nonce, address_key, now()),
            )
            == 1
        )

    def void_links(self, address_key: str) -> int:
        """Make every unused link of the address useless (at sign-out)."""
        return self._store.write(
            "UPDATE signin_links SET used_at = ? WHERE address_key = ? AND used_at IS NULL",
            (now(), address_key),
        )

    def purge(self, older_than: timedelta) -> int:
        """Forget link requests and sessions long finished."""
        cutoff = _stamp(datetime.now(UTC) - older_than)
        with self._store.transaction() as tx:
            links = tx.execute("DELETE FROM signin_links WHERE expires < ?", (cutoff,)).rowcount
            tx.execute("DELETE FROM console_sessions WHERE expires < ?", (now(),))
        return links

    def open_session(self, id_hash: str, address: str, lifetime: timedelta) -> Session:
        """A new session for a role address, ending after `lifetime` at the latest."""
        created = datetime.now(UTC).replace(microsecond=0)
        self._store.write(
            "INSERT INTO console_sessions (id_hash, address, created, last_seen, expires)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                id_hash,
                address,
                created.isoformat(),
                created.isoformat(),
                _stamp(created + lifetime),
            ),
        )
        return Session(id_hash, address, created, created, created + lifetime)

    def session(self, id_hash: str, idle: timedelta) -> Session | None:
        """The live session with this id (touched), or None once expired or idle too long."""
        stamp = now()
        idle_cutoff = _stamp(datetime.now(UTC) - idle)
        with self._store.transaction() as tx:
            row = tx.execute(
                "SELECT * FROM console_sessions WHERE id_hash = ? AND expires > ?"
                " AND last_seen > ?",
                (id_hash, stamp, idle_cutoff),
            ).fetchone()
            if row is None:
                tx.execute("DELETE FROM console_sessions WHERE id_hash = ?", (id_hash,))
                return None
            tx.execute(
                "UPDATE console_sessions SET last_seen = ? WHERE id_hash = ?", (stamp, id_hash)
            )
        return Session(
            row["id_hash"],
            row["address"],
            datetime.fromisoformat(row["created"]),
            datetime.fromisoformat(stamp),
            datetime.fromisoformat(row["expires"]),
        )

    def close_session(self, id_hash: str) -> None:
        """Sign out: the session ends now."""
        self._store.write("DELETE FROM console_sessions WHERE id_hash = ?", (id_hash,))
