"""Sign-ups from the web form waiting for their confirmation (double opt-in).

A sign-up is not a member: nothing is ever mailed to it but its one confirmation, and it is
deleted when confirmed or once its link has expired.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from ..addresses import email_key, normalise
from .members import Member, MemberStatus, _member
from .schema import now, returned_id

if TYPE_CHECKING:
    from .store import Store


@dataclass(frozen=True)
class Signup:
    """Someone asked to join a PLP and has not confirmed yet."""

    id: int
    plp: str
    email: str
    name: str
    language: str
    created: datetime
    expires: datetime


@dataclass(frozen=True)
class Consent:
    """What a person agreed to, as shown to them: recorded with their membership."""

    text: str
    version: str
    language: str
    method: str
    recorded_by: str


class Signups:
    """The signups table, and the step that turns a confirmed sign-up into a member."""

    def __init__(self, store: Store):
        self._store = store

    def add(self, plp: str, email: str, name: str, language: str, ttl: timedelta) -> Signup:
        """Record a sign-up valid for `ttl`."""
        created = datetime.now(UTC).replace(microsecond=0)
        expires = created + ttl
        address = normalise(email)
        signup_id = self._store.write_returning_id(
            "INSERT INTO signups (plp, email, email_key, name, language, created, expires)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                plp,
                address,
                email_key(address),
                name,
                language,
                created.isoformat(),
                expires.isoformat(),
            ),
        )
        return Signup(signup_id, plp, address, name, language, created, expires)

    def recent(self, email: str, since: timedelta) -> int:
        """How many sign-ups (hence confirmation e-mails) this address had within `since`."""
        cutoff = (datetime.now(UTC) - since).replace(microsecond=0).isoformat()
        return self._store.row(
            "SELECT count(*) FROM signups WHERE email_key = ? AND created > ?",
            (email_key(normalise(email)), cutoff),
        )[0]

    def get(self, signup_id: int) -> Signup | None:
        """A sign-up that has not expired, or None."""
        row = self._store.row(
            "SELECT * FROM signups WHERE id = ? AND expires > ?", (signup_id, now())
        )
        if row is None:
            return None
        return Signup(
            row["id"],
            row["plp"],
            row["email"],
            row["name"],
            row["language"],
            datetime.fromisoformat(row["created"]),
            datetime.fromisoformat(row["expires"]),
        )

    def confirm(self, signup: Signup, consent: Consent, on: date) -> Member:
        """Make the sign-up's address an active member of its PLP, with its consent record.

        A new address is added; an unsubscribed or bounced one comes back; an active one only
        gains the consent record. Every sign-up of the address for that PLP is then deleted.
        """
        stamp = now()
        key = email_key(signup.email)
        with self._store.transaction() as tx:
            row = tx.execute(
                "SELECT id FROM members WHERE plp = ? AND email_key = ?", (signup.plp, key)
            ).fetchone()
            if row is None:
                member_id = returned_id(
                    tx.execute(
                        "INSERT INTO members (plp, email, email_key, name, language, status,"
                        " created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                        (
                            signup.plp,
                            signup.email,
                            key,
                            signup.name,
                            signup.language,
                            MemberStatus.ACTIVE,
                            stamp,
                            stamp,
                        ),
                    )
                )
            else:
                member_id = row[0]
                tx.execute(
                    "UPDATE members SET status = ?, status_reason = ?, hard_bounces = 0,"
                    " language = ?, name = CASE WHEN ? != '' THEN ? ELSE name END, updated = ?"
                    " WHERE id = ?",
                    (
                        MemberStatus.ACTIVE,
                        consent.method,
                        signup.language,
                        signup.name,
                        signup.name,
                        stamp,
                        member_id,
                    ),
                )
            tx.execute(
                "INSERT INTO consents (member_id, given_on, method, recorded_by, text, version,"
                " language, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    member_id,
                    on.isoformat(),
                    consent.method,
                    consent.recorded_by,
                    consent.text,
                    consent.version,
                    consent.language,
                    stamp,
                ),
            )
            tx.execute("DELETE FROM signups WHERE plp = ? AND email_key = ?", (signup.plp, key))
            member = tx.execute("SELECT * FROM members WHERE id = ?", (member_id,)).fetchone()
        return _member(member)

    def purge_expired(self) -> int:
        """Delete the sign-ups whose link has expired; how many."""
        return self._store.write("DELETE FROM signups WHERE expires <= ?", (now(),))

    def forget(self, email: str) -> int:
        """Delete every sign-up of an address (part of its erasure)."""
        return self._store.write(
            "DELETE FROM signups WHERE email_key = ?", (email_key(normalise(email)),)
        )
