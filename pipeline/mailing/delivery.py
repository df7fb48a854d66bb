"""Deliver one bulletin to its recipients through a Mailer, with the ledger as the only memory."""

from __future__ import annotations

import heapq
import itertools
import re
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ..config import Config
from ..errors import PlpError
from ..state.ledger import FINAL, OPEN, Ledger, LedgerStatus
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
    retry_in: float | None = None  # deferred: seconds until it is due
    unavailable: bool = False  # the server, not the member, was the problem


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
    with ledger.lock(bulletin_id):
        # Rows a killed run left in flight may have reached the server: never resend them.
        run.recovered.update(ledger.recover(bulletin_id))
        run.go(iter(recipients))
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
    """One run over one bulletin: a streaming coordinator feeding a pool of sending threads."""

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
    tally: Tally = field(init=False)
    recovered: set[str] = field(default_factory=set)
    busy: set[str] = field(default_factory=set)  # in flight or awaiting a retry: small
    retries: list = field(default_factory=list)  # heap of (due, order, recipient)
    tries: dict[str, int] = field(default_factory=dict)  # tries in this run, per member
    stop: BaseException | None = None
    halted: str | None = None  # why the run stopped trying the server
    exhausted: bool = False
    down: int = 0  # connection failures in a row

    def __post_init__(self) -> None:
        self.tally = Tally(self.bulletin_id)
        self._order = itertools.count()

    def go(self, source: Iterator[Recipient]) -> None:
        """Send to every recipient; what stops the run is raised once the in-flight ones end."""
        workers = max(1, self.mailer.concurrency)
        window = 2 * workers  # members in hand at most: the list itself is streamed
        inflight: dict[Future, Recipient] = {}
        with ThreadPoolExecutor(workers, thread_name_prefix="plp-send") as pool:
            while True:
                while not self._stopping() and len(inflight) < window:
                    recipient = self._next_job(source)
                    if recipient is None:
                        break
                    inflight[pool.submit(self._attempt, recipient)] = recipient
                if not inflight:
                    if self._stopping() or not self.retries:
                        break
                    time.sleep(self._until_retry())  # nothing else to do: sleep, never spin
                    continue
                # A full window waits for a completion only; otherwise also for the next retry.
                timeout = (
                    None
                    if len(inflight) >= window or self._stopping()
                    else (self._until_retry() if self.retries else None)
                )
                done, _ = wait(inflight, timeout=timeout, return_when=FIRST_COMPLETED)
                for future in done:
                    self._settle(future, inflight.pop(future))
        if self.stop is not None:
            if isinstance(self.stop, PlpError):
                self.stop.report = self.tally.report()  # type: ignore[attr-defined]
            raise self.stop

    def _stopping(self) -> bool:
        return self.stop is not None or self.halted is not None

    def _next_job(self, source: Iterator[Recipient]) -> Recipient | None:
        """A due retry first, else the next recipient the ledger has not finished."""
        if self.retries and self.retries[0][0] <= time.monotonic():
            return heapq.heappop(self.retries)[2]
        while not self.exhausted:
            recipient = next(source, None)
            if recipient is None:
                self.exhausted = True
            elif self._admit(recipient):
                return recipient
        return None

    def _until_retry(self) -> float:
        return max(0.0, self.retries[0][0] - time.monotonic())

    def _settle(self, future: Future, recipient: Recipient) -> None:
        try:
            result = future.result()
        except BaseException as exc:  # finish the messages in flight, then raise
            self.stop = self.stop or exc
            return
        key = recipient.pseudonym
        self.down = self.down + 1 if result.unavailable else 0
        if self.down >= BREAKER and self.halted is None:
            self.halted = (
                f"the mail server could not be used {self.down} times in a row "
                f"({_code(result)}{result.reason}) — stopped trying; nothing is lost"
            )
        self.tries[key] = self.tries.get(key, 0) + 1
        retry = result.status is LedgerStatus.DEFERRED and result.retry_in is not None
        if retry and not self._stopping():  # tried again in this run
            due = time.monotonic() + (result.retry_in or 0.0)
            heapq.heappush(self.retries, (due, next(self._order), recipient))
            return
        self._count(recipient, result)

    def _admit(self, recipient: Recipient) -> bool:
        if recipient.pseudonym in self.busy:  # listed twice: one message is enough
            return False
        entry = self.ledger.entry(self.bulletin_id, recipient.pseudonym)
        if entry is not None and entry.status is LedgerStatus.DEFERRED:
            due = entry.next_attempt_at
            if due is not None and due > datetime.now(UTC):
                self.progress(entry.status)  # not due yet: a later run tries it
                return False
        if entry is None or entry.status not in FINAL:
            self.busy.add(recipient.pseudonym)
            return True
        if entry.status is LedgerStatus.UNCERTAIN and recipient.pseudonym in self.recovered:
            self.tally.add(
                entry.status,
                Outcome(recipient.pseudonym, recipient.member_id, None, entry.last_reason),
            )
        else:
            self.tally.earlier[entry.status] += 1
        self.progress(entry.status)
        return False

    def _count(self, recipient: Recipient, result: _Result) -> None:
        self.busy.discard(recipient.pseudonym)
        outcome = Outcome(recipient.pseudonym, recipient.member_id, result.code, result.reason)
        self.tally.add(result.status, outcome)
        self.progress(result.status)

    def _attempt(self, recipient: Recipient) -> _Result:
        """One try for one member, in a worker thread; every outcome is committed before return."""
        key, ledger, bid = recipient.pseudonym, self.ledger, self.bulletin_id
        try:
            data = self.compose(recipient)
        except PlpError as exc:
            ledger.finish(bid, key, LedgerStatus.SKIPPED, None, str(exc), attempt=False)
            return _Result(LedgerStatus.SKIPPED, None, str(exc))
        entry = ledger.entry(bid, key)
        marked = False

        def before_data() -> None:
            # Committed before the message leaves: if we die now, the row says "maybe sent".
            nonlocal marked
            ledger.mark_sending(bid, key)
            marked = True

        try:
            self.mailer.send(Envelope(self.sender, recipient.email, data, bid, key), before_data)
        except TemporaryFailure as exc:  # 4xx, and the server away (ServerUnavailable)
            tries = self.tries.get(key, 0) + 1
            return self._defer(entry, key, exc, isinstance(exc, ServerUnavailable), tries)
        except PermanentFailure as exc:
            ledger.finish(bid, key, LedgerStatus.FAILED, exc.code, _scrub(exc.message))
            if self.members is not None and _is_bad_address(exc.code, exc.message):
                self.members.record_hard_bounce(recipient.member_id)
            return _Result(LedgerStatus.FAILED, exc.code, _scrub(exc.message))
        except UncertainDelivery as exc:
            ledger.finish(bid, key, LedgerStatus.UNCERTAIN, None, _scrub(exc.message))
            return _Result(LedgerStatus.UNCERTAIN, None, _scrub(exc.message))
        except BaseException as exc:  # the mailer is unusable (DeliveryError), or a bug
            if marked:  # it may have gone out: never resend blindly
                ledger.finish(bid, key, LedgerStatus.UNCERTAIN, None, f"unexpected: {exc!r}")
            else:
                ledger.finish(bid, key, LedgerStatus.PENDING, None, str(exc), attempt=False)
            raise
        ledger.finish(bid, key, LedgerStatus.SENT, 250)
        return _Result(LedgerStatus.SENT, 250)

    def _defer(
        self, entry, key: str, exc: TemporaryFailure, unavailable: bool, tries: int
    ) -> _Result:
        """Leave the member deferred: due again shortly while this run still tries it, else on
        the LATER schedule; failed once the give-up age is spent (an MTA's queue lifetime)."""
        reason = _scrub(exc.message)
        now = datetime.now(UTC)
        attempts = (entry.attempts if entry else 0) + (0 if unavailable else 1)
        first = entry.created_at if entry else now
        in_run = tries < self.max_attempts
        if in_run:
            delay = self.retry_base * 2 ** (tries - 1)
        else:
            step = max(0, attempts // self.max_attempts - 1)
            delay = self.retry_base * LATER[min(step, len(LATER) - 1)]
        if now - first + timedelta(seconds=delay) > self.give_up:
            hours = (now - first).total_seconds() / 3600
            reason = f"gave up after {attempts} attempt(s) over {hours:.1f} h: {reason}"
            self.ledger.finish(self.bulletin_id, key, LedgerStatus.FAILED, exc.code, reason)
            return _Result(LedgerStatus.FAILED, exc.code, reason, unavailable=unavailable)
        due = now + timedelta(seconds=delay)
        self.ledger.defer(self.bulletin_id, key, due, exc.code, reason, attempt=not unavailable)
        retry_in = delay if in_run else None
        return _Result(LedgerStatus.DEFERRED, exc.code, reason, retry_in, unavailable)


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
