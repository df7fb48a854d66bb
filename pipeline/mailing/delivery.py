"""Deliver one bulletin to its recipients through a Mailer, with the ledger as the only memory."""

from __future__ import annotations

import heapq
import re
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ..config import Config
from ..errors import PlpError
from ..state.ledger import FINAL, INTERRUPTED, OPEN, Claimed, Ledger, LedgerStatus, Settlement
from ..state.members import Members, Recipient
from .mailer import (
    Envelope,
    Mailer,
    PermanentFailure,
    ServerUnavailable,
    TemporaryFailure,
    UncertainDelivery,
)
from .report import DeliveryReport, Outcome, Progress, Tally

LATER = (10, 30, 120, 240, 480)
"""Waits before a later run tries a deferred member again, in multiples of config.retry_base:
with the default 30 s, 5 and 15 minutes, 1, 2 and 4 hours, then every 4 hours until the give-up
age (an MTA's queue). Within one run a member is tried max_attempts times, retry_base apart
and doubling (30 s, 1 min): greylisting usually lets the second try through."""
BREAKER = 5  # connection failures in a row after which a run stops knocking on the server
BOUNCE_LOCAL_PART = "bounces"  # envelope sender: bounces@<sending domain>, never a person
_ADDRESS = re.compile(r"\S+@\S+")


@dataclass(frozen=True)
class _Result:
    status: LedgerStatus
    code: int | None = None
    reason: str = ""
    retry_in: float | None = None  # deferred: seconds until this run tries it again
    unavailable: bool = False  # the server, not the member, was the problem
    attempted: bool = True  # counts as an attempt in the ledger
    due: datetime | None = None  # deferred: when it is due
    bounced: bool = False  # a hard bounce of the address itself
    error: BaseException | None = None  # stops the run once the messages in flight end


CLAIM = 4
"""Rows a sender claims ahead, per connection, in one commit (safe: a claimed row is only
reserved; a dead sender's claims go back to the queue)."""
AHEAD = 2
"""Rows a sender holds in `sending` at most, per connection: the message on the wire and the
next one, marked together with the others' in one commit. A sender killed at any instant
leaves at most AHEAD × connections rows uncertain (never resent blindly; some of those never
went out); a commit per `connections` messages is what lets several senders share a database
server whose every commit waits for its disk."""


def in_flight_bound(concurrency: int) -> int:
    """The most rows a killed sender with `concurrency` connections can leave uncertain."""
    return AHEAD * max(1, concurrency)


def deliver(
    bulletin_id: str,
    recipients: Iterable[Recipient],
    compose: Callable[[Recipient], bytes],
    mailer: Mailer,
    ledger: Ledger,
    config: Config,
    progress: Progress | None = None,
    *,
    members: Members | None = None,
    sender: str | None = None,
) -> DeliveryReport:
    """Send the bulletin to every recipient the ledger has not finished; resumable at any point.

    Every recipient gets a `pending` row first; the run then claims open rows a batch at a
    time, so several senders (on PostgreSQL) split one bulletin and nobody is mailed twice.
    A temporary failure leaves the member deferred: this run tries again shortly (sleeping,
    never spinning) up to max_attempts times, then leaves it to a later run, due on the LATER
    schedule. The run ends when nothing is due soon; the report says what is left and when.
    """
    run = _Run(
        bulletin_id,
        compose,
        mailer,
        ledger,
        members,
        sender or f"{BOUNCE_LOCAL_PART}@{config.sending_domain}",
        config.retry_base,
        config.max_attempts,
        timedelta(hours=config.give_up_after),
        progress or (lambda status: None),
    )
    with ledger.sender(bulletin_id) as me, _prompt_threads():
        run.me = me
        # Rows a killed run left in flight may have reached the server: never resend them.
        recovered = set(ledger.recover(bulletin_id, me))
        run.prepare(recipients, recovered)
        run.go()
        # A sender that died while this one ran: its rows in flight are settled here.
        run.recovered(ledger.recover(bulletin_id, me))
        counts = ledger.counts(bulletin_id)
        next_due = ledger.next_due(bulletin_id)
    return run.tally.report(
        deferred=counts[LedgerStatus.DEFERRED],
        next_due=next_due,
        complete=run.exhausted and not any(counts[s] for s in OPEN),
        halted=run.halted,
    )


@dataclass
class _Run:
    """One sender over one bulletin: claims batches of rows, feeds a pool of sending threads
    (one connection each), and writes their outcomes with the next claim."""

    bulletin_id: str
    compose: Callable[[Recipient], bytes]
    mailer: Mailer
    ledger: Ledger
    members: Members | None
    sender: str
    retry_base: float
    max_attempts: int
    give_up: timedelta
    progress: Progress
    me: str = ""
    tally: Tally = field(init=False)
    by_key: dict[str, Recipient] = field(default_factory=dict)
    foreign: set[str] = field(default_factory=set)  # claimed rows this sender cannot address
    hand: deque = field(default_factory=deque)  # (recipient, claimed row) not yet submitted
    settled: list[Settlement] = field(default_factory=list)  # outcomes not written yet
    retries: list[float] = field(default_factory=list)  # heap: when this run's retries are due
    tries: dict[str, int] = field(default_factory=dict)  # tries in this run, per member
    stop: BaseException | None = None
    halted: str | None = None  # why the run stopped trying the server
    exhausted: bool = False
    down: int = 0  # connection failures in a row

    def __post_init__(self) -> None:
        self.tally = Tally(self.bulletin_id)

    def prepare(self, recipients: Iterable[Recipient], recovered: set[str]) -> None:
        """Seed a row for each new recipient; count what earlier runs finished."""
        for recipient in recipients:  # listed twice: one message is enough
            self.by_key.setdefault(recipient.pseudonym, recipient)
        known: set[str] = set()
        departed: list[str] = []
        skipped: list[str] = []  # not composed last time: a new run tries them again
        now = datetime.now(UTC)
        for entry in self.ledger.entries(self.bulletin_id):
            key = entry.member_key
            known.add(key)
            recipient = self.by_key.get(key)
            if recipient is None:
                if entry.status in (LedgerStatus.PENDING, LedgerStatus.DEFERRED):
                    departed.append(key)
                continue
            if entry.status in FINAL:
                if entry.status is LedgerStatus.UNCERTAIN and key in recovered:
                    outcome = Outcome(key, recipient.member_id, None, entry.last_reason)
                    self.tally.add(entry.status, outcome)
                else:
                    self.tally.earlier[entry.status] += 1
                self.progress(entry.status)
            elif entry.status is LedgerStatus.DEFERRED and (entry.next_attempt_at or now) > now:
                self.progress(entry.status)  # not due yet: a later run tries it
            elif entry.status is LedgerStatus.SKIPPED:
                skipped.append(key)
        if departed:  # left the list since: nothing is owed to them
            self.ledger.forget_unsent(self.bulletin_id, departed)
        if skipped:
            self.ledger.requeue_skipped(self.bulletin_id, skipped)
        self.ledger.seed(self.bulletin_id, (k for k in self.by_key if k not in known))

    def recovered(self, keys: Iterable[str]) -> None:
        """Count rows found in flight of a dead sender as uncertain in this report."""
        for key in keys:
            recipient = self.by_key.get(key)
            member_id = recipient.member_id if recipient else None
            self.tally.add(LedgerStatus.UNCERTAIN, Outcome(key, member_id, None, INTERRUPTED))
            self.progress(LedgerStatus.UNCERTAIN)

    def go(self) -> None:
        """Send every open row; what stops the run is raised once the in-flight ones end.

        A turn is one commit: the outcomes that came back, a claim when the reserved rows run
        low, and `sending` for the next rows of every connection. It comes when the rows
        marked ahead are all on the wire, so at most AHEAD rows a connection are `sending`.
        """
        workers = max(1, self.mailer.concurrency)
        bound = in_flight_bound(workers)
        inflight: dict[Future, tuple[Recipient, Claimed]] = {}
        ready: deque = deque()  # marked `sending`, waiting for a free connection
        dry = False  # the last claim found nothing: wait for a retry or the end
        try:
            with ThreadPoolExecutor(workers, thread_name_prefix="plp-send") as pool:
                while True:
                    if self.retries and self.retries[0] <= time.monotonic():
                        heapq.heappop(self.retries)
                        dry = False
                    if not ready and not self._stopping():
                        with self.ledger.batch():
                            self._write()
                            room = bound - len(inflight)
                            held = len(self.hand) + len(inflight)
                            if len(self.hand) < room and (not dry or not held):
                                dry = not self._claim(CLAIM * workers - held)
                            while self.hand and len(ready) < room:
                                ready.append(self.hand.popleft())
                            keys = [row.member_key for _, row in ready]
                            self.ledger.mark_claimed_sending(self.bulletin_id, self.me, keys)
                    while ready and len(inflight) < workers and not self._stopping():
                        recipient, row = ready.popleft()
                        inflight[pool.submit(self._attempt, recipient, row)] = (recipient, row)
                    if not inflight:
                        if self._stopping() or not self.retries:
                            break
                        self._write()  # the deferred rows must be claimable when due
                        time.sleep(self._until_retry())  # nothing else to do: never spin
                        continue
                    timeout = None
                    if self.retries and not self._stopping():
                        timeout = self._until_retry()
                    done, _ = wait(inflight, timeout=timeout, return_when=FIRST_COMPLETED)
                    for future in done:
                        self._settle(future, *inflight.pop(future))
        finally:
            for future, (recipient, row) in inflight.items():  # an interrupt: finish them
                self._settle(future, recipient, row)
            with self.ledger.batch():
                self._write()
                # Reserved or marked but never tried: back to the queue as they were.
                unsent = [row for _, row in (*ready, *self.hand)]
                self.ledger.release(self.bulletin_id, self.me, unsent)
                self.hand.clear()
        self.exhausted = not self._stopping()
        if self.stop is not None:
            if isinstance(self.stop, PlpError):
                self.stop.report = self.tally.report()  # type: ignore[attr-defined]
            raise self.stop

    def _claim(self, room: int) -> bool:
        """Claim up to `room` open rows into the hand; whether any came."""
        rows = self.ledger.claim(self.bulletin_id, self.me, room, skip=sorted(self.foreign))
        unknown = [row for row in rows if row.member_key not in self.by_key]
        self.hand.extend(
            (self.by_key[r.member_key], r) for r in rows if r.member_key in self.by_key
        )
        if unknown:  # another sender's recipient (listed after this run read the list)
            self.foreign.update(row.member_key for row in unknown)
            self.ledger.release(self.bulletin_id, self.me, unknown)
        return len(rows) > len(unknown)

    def _write(self) -> None:
        self.ledger.settle(self.bulletin_id, self.me, self.settled)
        self.settled = []

    def _stopping(self) -> bool:
        return self.stop is not None or self.halted is not None

    def _until_retry(self) -> float:
        return max(0.0, self.retries[0] - time.monotonic())

    def _settle(self, future: Future, recipient: Recipient, row: Claimed) -> None:
        try:
            result = future.result()
        except BaseException as exc:  # not raised by _attempt: a bug; the row may be out
            result = _Result(LedgerStatus.UNCERTAIN, None, f"unexpected: {exc!r}", error=exc)
        key = recipient.pseudonym
        self.settled.append(
            Settlement(key, result.status, result.code, result.reason, result.attempted, result.due)
        )
        if result.error is not None:
            self.stop = self.stop or result.error
        if result.status is LedgerStatus.PENDING:
            return  # not tried: the next run (or sender) does
        if result.bounced and self.members is not None:
            self.members.record_hard_bounce(recipient.member_id)
        self.down = self.down + 1 if result.unavailable else 0
        if self.down >= BREAKER and self.halted is None:
            self.halted = (
                f"the mail server could not be used {self.down} times in a row "
                f"({_code(result)}{result.reason}) — stopped trying; nothing is lost"
            )
        self.tries[key] = self.tries.get(key, 0) + 1
        if result.status is LedgerStatus.DEFERRED and result.retry_in is not None:
            if not self._stopping():  # tried again in this run, once due
                heapq.heappush(self.retries, time.monotonic() + result.retry_in)
            return
        outcome = Outcome(key, recipient.member_id, result.code, result.reason)
        self.tally.add(result.status, outcome)
        self.progress(result.status)

    def _attempt(self, recipient: Recipient, row: Claimed) -> _Result:
        """One try for one member, in a worker thread: no database here, only the outcome."""
        try:
            data = self.compose(recipient)
        except PlpError as exc:
            return _Result(LedgerStatus.SKIPPED, None, str(exc), attempted=False)
        key = recipient.pseudonym
        marked = False

        def before_data() -> None:
            # The row has been `sending` since its claim: past this point it may be out.
            nonlocal marked
            marked = True

        envelope = Envelope(self.sender, recipient.email, data, self.bulletin_id, key)
        try:
            self.mailer.send(envelope, before_data)
        except TemporaryFailure as exc:  # 4xx, and the server away (ServerUnavailable)
            tries = self.tries.get(key, 0) + 1
            return self._defer(row, exc, isinstance(exc, ServerUnavailable), tries)
        except PermanentFailure as exc:
            reason = _scrub(exc.message)
            bounced = _is_bad_address(exc.code, exc.message)
            return _Result(LedgerStatus.FAILED, exc.code, reason, bounced=bounced)
        except UncertainDelivery as exc:
            return _Result(LedgerStatus.UNCERTAIN, None, _scrub(exc.message))
        except BaseException as exc:  # the mailer is unusable (DeliveryError), or a bug
            if marked:  # it may have gone out: never resend blindly
                return _Result(LedgerStatus.UNCERTAIN, None, f"unexpected: {exc!r}", error=exc)
            return _Result(LedgerStatus.PENDING, None, str(exc), attempted=False, error=exc)
        return _Result(LedgerStatus.SENT, 250)

    def _defer(self, row: Claimed, exc: TemporaryFailure, unavailable: bool, tries: int) -> _Result:
        """Leave the member deferred: due again shortly while this run still tries it, else on
        the LATER schedule; failed once the give-up age is spent (an MTA's queue lifetime)."""
        reason = _scrub(exc.message)
        now = datetime.now(UTC)
        attempts = row.attempts + (0 if unavailable else 1)
        in_run = tries < self.max_attempts
        if in_run:
            delay = self.retry_base * 2 ** (tries - 1)
        else:
            step = max(0, attempts // self.max_attempts - 1)
            delay = self.retry_base * LATER[min(step, len(LATER) - 1)]
        if now - row.created_at + timedelta(seconds=delay) > self.give_up:
            hours = (now - row.created_at).total_seconds() / 3600
            reason = f"gave up after {attempts} attempt(s) over {hours:.1f} h: {reason}"
            return _Result(LedgerStatus.FAILED, exc.code, reason, unavailable=unavailable)
        retry_in = delay if in_run else None
        due = now + timedelta(seconds=delay)
        return _Result(
            LedgerStatus.DEFERRED,
            exc.code,
            reason,
            retry_in,
            unavailable,
            attempted=not unavailable,
            due=due,
        )


SWITCH_INTERVAL = 0.0005
"""Seconds a thread may hold the GIL while another waits for it (CPython's default: 0.005).
A sending thread whose reply has arrived waits for the GIL while another one composes or
writes; with the default, the connections idle in turn (measured: 633 -> 765 messages/s
with four connections into Postfix's smtp-sink, benchmarks/sending.py)."""
_switch_lock = threading.Lock()
_switch_users = [0, 0.0]  # runs under way in this process, the interval before the first


@contextmanager
def _prompt_threads() -> Iterator[None]:
    """A short GIL switch interval while any send of this process runs (process-wide, so
    counted: overlapping sends in `plp web` restore it only when the last one ends)."""
    with _switch_lock:
        if not _switch_users[0]:
            _switch_users[1] = sys.getswitchinterval()
            sys.setswitchinterval(min(SWITCH_INTERVAL, _switch_users[1]))
        _switch_users[0] += 1
    try:
        yield
    finally:
        with _switch_lock:
            _switch_users[0] -= 1
            if not _switch_users[0]:
                sys.setswitchinterval(_switch_users[1])


def _code(result: _Result) -> str:
    return f"{result.code} " if result.code else ""


def _scrub(reason: str) -> str:
    # Servers echo the address in replies; the ledger must hold pseudonyms only (erasure).
    return _ADDRESS.sub("<address>", reason)


def _is_bad_address(code: int, reason: str) -> bool:
    """A hard bounce of the address itself, not a refusal of the content or of us."""
    enhanced = re.match(r"\s*5\.(\d)\.(\d)", reason)
    if enhanced:
        return enhanced.group(1) == "1" or enhanced.groups() == ("2", "1")
    return code in (550, 551, 553)
