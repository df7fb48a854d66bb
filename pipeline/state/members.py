"""Members of a PLP and their consent: the private list a coordinator keeps."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING

import idna

from ..addresses import email_key, normalise
from ..config import Config
from ..errors import PlpError
from ..tokens import load_secret, pseudonym
from . import privacy
from .schema import now, returned_id

if TYPE_CHECKING:
    from .store import Store

PAGE = 500  # members fetched per query while streaming a send list


class MemberStatus(StrEnum):
    ACTIVE = "active"
    UNSUBSCRIBED = "unsubscribed"
    BOUNCED = "bounced"
    ERASED = "erased"


@dataclass(frozen=True)
class Member:
    """One person's membership of one PLP."""

    id: int
    plp: str
    email: str
    name: str
    language: str
    status: MemberStatus
    created: datetime


@dataclass(frozen=True)
class NewMember:
    """A person to add to a PLP, with the consent they gave."""

    email: str
    name: str
    language: str
    consent_text: str
    consent_version: str
    consent_method: str
    recorded_by: str
    consent_given_on: date | None = None


@dataclass(frozen=True)
class Recipient:
    """An active member in a send list; the pseudonym keys the ledger instead of the address."""

    member_id: int
    plp: str
    email: str
    name: str
    language: str
    pseudonym: str

    @property
    def ascii_email(self) -> str | None:
        """The address in ASCII (an IDN domain as xn--…), or None if it needs SMTPUTF8."""
        local, _, domain = self.email.rpartition("@")
        if not local.isascii():
            return None
        return (
            f"{local}@{idna.encode(domain, uts46=True).decode()}"
            if not domain.isascii()
            else self.email
        )


class Members:
    """The members and consents tables."""

    def __init__(self, store: Store, config: Config):
        self._store = store
        self.config = config

    @cached_property
    def _secret(self) -> str:
        return load_secret(self.config)

    def add(self, plp: str, people: Iterable[NewMember]) -> list[tuple[NewMember, MemberStatus]]:
        """Add new people to a PLP in one transaction, each with a consent record; returns those
        already known, with their status, left unchanged (only they can ask to come back)."""
        known, stamp = [], now()
        with self._store.transaction() as tx:
            for person in people:
                key = email_key(person.email)
                existing = tx.execute(
                    "SELECT status FROM members WHERE plp = ? AND email_key = ?", (plp, key)
                ).fetchone()
                if existing:
                    known.append((person, MemberStatus(existing[0])))
                    continue
                member_id = returned_id(
                    tx.execute(
                        "INSERT INTO members (plp, email, email_key, name, language, status,"
                        " created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                        (
                            plp,
                            person.email,
                            key,
                            person.name,
                            person.language,
                            MemberStatus.ACTIVE,
                            stamp,
                            stamp,
                        ),
                    )
                )
                given_on = person.consent_given_on and person.consent_given_on.isoformat()
                tx.execute(
                    "INSERT INTO consents (member_id, given_on, method, recorded_by, text,"
                    " version, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        member_id,
                        given_on,
                        person.consent_method,
                        person.recorded_by,
                        person.consent_text,
                        person.consent_version,
                        stamp,
                    ),
                )
        return known

    def list(self, plp: str) -> list[Member]:
        """The PLP's members (all but erased ones), oldest first."""
        rows = self._store.rows(
            "SELECT * FROM members WHERE plp = ? AND status != ? ORDER BY id",
            (plp, MemberStatus.ERASED),
        )
        return [_member(row) for row in rows]

    def find(self, email: str, plp: str | None = None) -> list[Member]:
        """Every membership of this address (in one PLP if given)."""
        rows = self._store.rows(
            "SELECT * FROM members WHERE email_key = ?"
            " AND (CAST(? AS TEXT) IS NULL OR plp = ?) ORDER BY id",
            (email_key(normalise(email)), plp, plp),
        )
        return [_member(row) for row in rows]

    def get(self, member_id: int) -> Member | None:
        """A member by id, or None (also once erased)."""
        row = self._store.row(
            "SELECT * FROM members WHERE id = ? AND status != ?", (member_id, MemberStatus.ERASED)
        )
        return _member(row) if row else None

    def count_active(self, plp: str, lang: str | None = None) -> int:
        """How many members a send list would hold."""
        return self._store.row(
            "SELECT count(*) FROM members WHERE plp = ? AND status = ?"
            " AND (CAST(? AS TEXT) IS NULL OR language = ?)",
            (plp, MemberStatus.ACTIVE, lang, lang),
        )[0]

    def active_members(self, plp: str, lang: str | None = None) -> Iterator[Recipient]:
        """Stream the PLP's active members in a language, a page at a time (never all at once)."""
        last = 0
        while True:
            # Keyset pages hold no read transaction open during a long send.
            rows = self._store.rows(
                "SELECT id, plp, email, name, language FROM members WHERE plp = ?"
                " AND status = ? AND (CAST(? AS TEXT) IS NULL OR language = ?) AND id > ?"
                " ORDER BY id LIMIT ?",
                (plp, MemberStatus.ACTIVE, lang, lang, last, PAGE),
            )
            if not rows:
                return
            for row in rows:
                yield Recipient(
                    row["id"],
                    row["plp"],
                    row["email"],
                    row["name"],
                    row["language"],
                    pseudonym(self._secret, row["email"]),
                )
            last = rows[-1]["id"]

    def pseudonym(self, email: str) -> str:
        """The ledger's key for an address."""
        return pseudonym(self._secret, normalise(email))

    def unsubscribe(
        self, email: str, plp: str | None = None, *, how: str = "by the coordinator"
    ) -> int:
        """Unsubscribe an address (from one PLP or all); returns how many memberships changed."""
        found = self.find(email, plp)
        if not found:
            where = f" in PLP {plp!r}" if plp else ""
            raise PlpError(
                f"no member with address {email!r}{where} — check the spelling, "
                "or list the members with `plp members list --plp SLUG`"
            )
        return sum(self._set_status(m.id, MemberStatus.UNSUBSCRIBED, how) for m in found)

    def unsubscribe_member(self, member_id: int, plp: str, *, how: str = "one-click link") -> bool:
        """Apply an unsubscribe token's (member id, plp); False when already done."""
        member = self.get(member_id)
        if member is None or member.plp != plp:
            raise PlpError(
                "this unsubscribe link names nobody on the list (already erased?) — nothing to do"
            )
        return self._set_status(member_id, MemberStatus.UNSUBSCRIBED, how)

    def leave(self, member_id: int, plp: str, *, how: str) -> Member | None:
        """Unsubscribe a link's member in one statement (idempotent) and return them as they
        now are; None when the link names nobody any more. One write, one read: mailbox
        providers fire these by the thousand after a national send."""
        left, erased = MemberStatus.UNSUBSCRIBED, MemberStatus.ERASED
        with self._store.transaction() as tx:
            tx.execute(
                "UPDATE members SET status = ?, status_reason = ?, updated = ?"
                " WHERE id = ? AND plp = ? AND status NOT IN (?, ?)",
                (left, how, now(), member_id, plp, left, erased),
            )
            row = tx.execute(
                "SELECT * FROM members WHERE id = ? AND plp = ? AND status != ?",
                (member_id, plp, MemberStatus.ERASED),
            ).fetchone()
        return _member(row) if row else None

    def set_language(self, member_id: int, language: str) -> bool:
        """The language the member reads bulletins in; False when nothing changed."""
        changed = self._store.write(
            "UPDATE members SET language = ?, updated = ? WHERE id = ? AND language != ?"
            " AND status != ?",
            (language, now(), member_id, language, MemberStatus.ERASED),
        )
        return changed > 0

    def record_hard_bounce(self, member_id: int) -> MemberStatus:
        """Count a hard bounce; at config.hard_bounce_limit the member becomes bounced."""
        limit = self.config.hard_bounce_limit
        with self._store.transaction() as tx:
            tx.execute(
                "UPDATE members SET hard_bounces = hard_bounces + 1, updated = ? WHERE id = ?",
                (now(), member_id),
            )
            tx.execute(
                "UPDATE members SET status = ?, status_reason = ?"
                " WHERE id = ? AND status = ? AND hard_bounces >= ?",
                (
                    MemberStatus.BOUNCED,
                    f"{limit} hard bounce(s)",
                    member_id,
                    MemberStatus.ACTIVE,
                    limit,
                ),
            )
            row = tx.execute("SELECT status FROM members WHERE id = ?", (member_id,)).fetchone()
        return MemberStatus(row[0]) if row else MemberStatus.ERASED

    def export(
        self,
        *,
        plp: str | None = None,
        email: str | None = None,
        fmt: str = "json",
        lang: str | None = None,
    ) -> str:
        """Everything stored about one address (right of access) or about a PLP's members; a
        CSV has its headers in `lang` (default: the member's, or English)."""
        if email is not None:
            rows = self._store.rows(
                "SELECT * FROM members WHERE email_key = ? ORDER BY id",
                (email_key(normalise(email)),),
            )
            if not rows:
                raise PlpError(f"nothing is stored about {email!r}")
        else:  # erased members hold nothing personal and are left out
            rows = self._store.rows(
                "SELECT * FROM members WHERE plp = ? AND status != ? ORDER BY id",
                (plp or "", MemberStatus.ERASED),
            )
        records = [privacy.record(self._store, row) for row in rows]
        for record, row in zip(records, rows, strict=True):
            record["deliveries"] = self._deliveries(row["email"]) if row["email"] else []
        if email is not None and fmt == "json":
            # One person: their deliveries once, beside their memberships.
            sent = records[0]["deliveries"]
            for record in records:
                del record["deliveries"]
            return privacy.render(records, fmt, sent=sent)
        return privacy.render(records, fmt, lang=lang or (rows[0]["language"] if email else None))

    def _deliveries(self, address: str) -> list[dict]:
        return [
            dict(row)
            for row in self._store.rows(
                "SELECT bulletin_id, status, attempts, last_code, updated_at FROM deliveries"
                " WHERE member_key = ? ORDER BY created_at",
                (pseudonym(self._secret, address),),
            )
        ]

    def forget(self, email: str) -> privacy.Erasure:
        """Erase an address in every PLP: name, address, consent; the ledger keeps a pseudonym."""
        found = self.find(email)
        if not found:
            raise PlpError(f"no member with address {email!r} — nothing to erase")
        with self._store.transaction() as tx:
            # A sign-up waiting for its confirmation holds the address too.
            tx.execute("DELETE FROM signups WHERE email_key = ?", (email_key(normalise(email)),))
            for member in found:
                tx.execute("DELETE FROM consents WHERE member_id = ?", (member.id,))
                # The row stays (no personal data) so its id is never given to someone else
                # and the PLP's counts stay true.
                tx.execute(
                    "UPDATE members SET email = NULL, email_key = NULL, name = '', status = ?,"
                    " status_reason = 'erased on request', updated = ? WHERE id = ?",
                    (MemberStatus.ERASED, now(), member.id),
                )
        # secure_delete zeroed the freed cells; scrubbing drops the old pages kept in the WAL.
        self._store.scrub()
        return privacy.Erasure(self.pseudonym(email), tuple(sorted(m.plp for m in found)))

    def erase_membership(self, member_id: int, plp: str) -> bool:
        """Erase one membership (name, address, consent), the person's others left as they are."""
        with self._store.transaction() as tx:
            found = tx.execute(
                "SELECT id FROM members WHERE id = ? AND plp = ? AND status != ?",
                (member_id, plp, MemberStatus.ERASED),
            ).fetchone()
            if found is None:
                return False
            tx.execute("DELETE FROM consents WHERE member_id = ?", (member_id,))
            tx.execute(
                "UPDATE members SET email = NULL, email_key = NULL, name = '', status = ?,"
                " status_reason = 'erased on request', updated = ? WHERE id = ?",
                (MemberStatus.ERASED, now(), member_id),
            )
        self._store.scrub()
        return True

    def _set_status(self, member_id: int, status: MemberStatus, reason: str) -> bool:
        changed = self._store.write(
            "UPDATE members SET status = ?, status_reason = ?, updated = ?"
            " WHERE id = ? AND status NOT IN (?, ?)",
            (status, reason, now(), member_id, status, MemberStatus.ERASED),
        )
        return changed > 0


def _member(row) -> Member:
    return Member(
        row["id"],
        row["plp"],
        row["email"] or "",
        row["name"],
        row["language"],
        MemberStatus(row["status"]),
        datetime.fromisoformat(row["created"]),
    )
