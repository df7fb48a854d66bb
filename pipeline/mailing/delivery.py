"""Deliver one bulletin to its recipients through a Mailer, with the ledger as the only memory."""

from __future__ import annotations

import heapq
import itertools
import re
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from ..config import Config
from ..errors import DeliveryError, PlpError
from ..state.ledger import FINAL, Ledger, LedgerStatus
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

BACKOFF_BASE = 2.0
"""Seconds before the first retry of a temporary failure, doubling each time (to become a Config
field)."""
BACKOFF_MAX = 900.0  # never wait more than 15 minutes between two tries
BOUNCE_LOCAL_PART = "bounces"  # envelope sender: bounces@<sending domain>, never a person
_ADDRESS = re.compile(r"\S+@\S+")


@dataclass(frozen=True)
class _Result:
    status: LedgerStatus | None  # None: try again later
    code: int | None = None
    reason: str = ""
    unavailable: bool = False  # the server, not the member, was the problem
    attempt: int = 0  # the member's attempts so far, for the backoff


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
    backoff: float | None = None,
) -> DeliveryReport:
    """Send the bulletin to every recipient the ledger has not finished; resumable at any point."""
    run = _Run(
        bulletin_id,
        compose,
        mailer,
        ledger,
        members,
        sender or f"{BOUNCE_LOCAL_PART}@{config.sending_domain}",
        BACKOFF_BASE if backoff is None else backoff,
        config.max_attempts,
        progress or (lambda status: None),
    )
    with ledger.lock(bulletin_id):
        # Rows a killed run left in flight may have reached the server: never resend them.
        run.recovered.update(ledger.recover(bulletin_id))
        run.go(iter(recipients))
    return run.tally.report()


@dataclass
class _Run:
    """One run over one bulletin: a streaming coordinator feeding a pool of sending threads."""

    bulletin_id: str
    compose: Callable[[Recipient], bytes]
    mailer: Mailer
    ledger: Ledger
    members: Members | None
    sender: str
    backoff: float
    max_attempts: int
    progress: Progress
    tally: Tally = field(init=False)
    recovered: set[str] = field(default_factory=set)
    busy: set[str] = field(default_factory=set)  # in flight or awaiting a retry: small
    retries: list = field(default_factory=list)  # heap of (due, order, recipient, unavailable)
    stop: BaseException | None = None
    exhausted: bool = False

    def __post_init__(self) -> None:
        self.tally = Tally(self.bulletin_id)
        self._order = itertools.count()

    def go(self, source: Iterator[Recipient]) -> None:
        """Send to every recipient; what stops the run is raised once the in-flight ones end."""
        workers = max(1, self.mailer.concurrency)
        inflight: dict[Future, tuple[Recipient, int]] = {}
        with ThreadPoolExecutor(workers, thread_name_prefix="plp-send") as pool:
            while True:
                # At most 2 × workers members in hand: the list itself is streamed.
                while self.stop is None and len(inflight) < 2 * workers:
                    job = self._next_job(source)
                    if job is None:
                        break
                    inflight[pool.submit(self._attempt, job[0])] = job
                if not inflight:
                    if self.stop is not None or (self.exhausted and not self.retries):
                        break
                    time.sleep(self._until_retry() or 0.0)
                    continue
                done, _ = wait(inflight, timeout=self._until_retry(), return_when=FIRST_COMPLETED)
                for future in done:
                    self._settle(future, *inflight.pop(future))
        if self.stop is not None:
            if isinstance(self.stop, PlpError):
                self.stop.report = self.tally.report()  # type: ignore[attr-defined]
            raise self.stop

    def _next_job(self, source: Iterator[Recipient]) -> tuple[Recipient, int] | None:
        """A due retry first, else the next recipient the ledger has not finished."""
        if self.retries and self.retries[0][0] <= time.monotonic():
            _, _, recipient, unavailable = heapq.heappop(self.retries)
            return recipient, unavailable
        while not self.exhausted:
            recipient = next(source, None)
            if recipient is None:
                self.exhausted = True
            elif self._admit(recipient):
                return recipient, 0
        return None

    def _until_retry(self) -> float | None:
        return max(0.0, self.retries[0][0] - time.monotonic()) if self.retries else None

    def _settle(self, future: Future, recipient: Recipient, unavailable: int) -> None:
        try:
            result = future.result()
        except BaseException as exc:  # finish the messages in flight, then raise
            self.stop = self.stop or exc
            return
        if result.status is not None:
            self._count(recipient, result)
        elif result.unavailable and unavailable + 1 >= self.max_attempts:
            self.stop = self.stop or self._unreachable(result, unavailable + 1)
        else:
            tries = unavailable + 1 if result.unavailable else result.attempt
            delay = min(BACKOFF_MAX, self.backoff * 2 ** (tries - 1))
            job = (recipient, unavailable + result.unavailable)
            heapq.heappush(self.retries, (time.monotonic() + delay, next(self._order), *job))

    def _admit(self, recipient: Recipient) -> bool:
        if recipient.pseudonym in self.busy:  # listed twice: one message is enough
            return False
        entry = self.ledger.entry(self.bulletin_id, recipient.pseudonym)
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

    def _unreachable(self, result: _Result, tries: int) -> DeliveryError:
        code = f"{result.code} " if result.code else ""
        return DeliveryError(
            f"{self.bulletin_id}: the mail server cannot be used ({code}{result.reason}; {tries}"
            f" tries) — nothing is lost: {self.tally.sent} sent in this run, the others are kept"
            " for later; fix the server or PLP_SMTP_URL, then run the send again to resume"
        )

    def _attempt(self, recipient: Recipient) -> _Result:
        """One try for one member, in a worker thread; every outcome is committed before return."""
        key, ledger, bid = recipient.pseudonym, self.ledger, self.bulletin_id
        try:
            data = self.compose(recipient)
        except PlpError as exc:
            ledger.finish(bid, key, LedgerStatus.SKIPPED, None, str(exc), attempt=False)
            return _Result(LedgerStatus.SKIPPED, None, str(exc))
        entry = ledger.entry(bid, key)
        prior = entry.attempts if entry else 0
        marked = False

        def before_data() -> None:
            # Committed before the message leaves: if we die now, the row says "maybe sent".
            nonlocal marked
            ledger.mark_sending(bid, key)
            marked = True

        try:
            self.mailer.send(Envelope(self.sender, recipient.email, data, bid, key), before_data)
        except ServerUnavailable as exc:
            reason = _scrub(exc.message)
            ledger.finish(bid, key, LedgerStatus.PENDING, exc.code, reason, attempt=False)
            return _Result(None, exc.code, reason, unavailable=True)
        except TemporaryFailure as exc:
            reason = _scrub(exc.message)
            if prior + 1 >= self.max_attempts:
                reason = f"gave up after {prior + 1} attempts: {reason}"
                ledger.finish(bid, key, LedgerStatus.FAILED, exc.code, reason)
                return _Result(LedgerStatus.FAILED, exc.code, reason)
            ledger.finish(bid, key, LedgerStatus.PENDING, exc.code, reason)
            return _Result(None, exc.code, reason, attempt=prior + 1)
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


def _scrub(reason: str) -> str:
    # Servers echo the address in replies; the ledger must hold pseudonyms only (erasure).
    return _ADDRESS.sub("<address>", reason)


def _is_bad_address(code: int, reason: str) -> bool:
    """A hard bounce of the address itself, not a refusal of the content or of us."""
    enhanced = re.match(r"\s*5\.(\d)\.(\d)", reason)
    if enhanced:
        return enhanced.group(1) == "1" or enhanced.groups() == ("2", "1")
    return code in (550, 551, 553)
