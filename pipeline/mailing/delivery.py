"""Deliver one bulletin to its recipients through a Mailer, with the ledger as the only memory."""

from __future__ import annotations

import heapq
import itertools
import re
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from ..config import Config
from ..errors import DeliveryError, PlpError
from .ledger import FINAL, Ledger, LedgerStatus
from .mailer import (
    Envelope,
    Mailer,
    PermanentFailure,
    ServerUnavailable,
    TemporaryFailure,
    UncertainDelivery,
)
from .members import MemberStore, Recipient
from .report import DeliveryReport, Outcome, Progress, Tally

BACKOFF_BASE = 2.0
"""Seconds before the first retry of a temporary failure, doubling each time (to become a Config
field)."""
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
    members: MemberStore | None = None,
    sender: str | None = None,
    backoff: float | None = None,
) -> DeliveryReport:
    """Send the bulletin to every recipient the ledger has not finished; resumable at any point."""
    run = _Run(
        bulletin_id,
        compose,
        mailer,
        ledger,
        config,
        members,
        sender or f"{BOUNCE_LOCAL_PART}@{config.sending_domain}",
        BACKOFF_BASE if backoff is None else backoff,
        progress or (lambda status: None),
    )
    with ledger.lock(bulletin_id):
        # Rows a killed run left in flight may have reached the server: never resend them.
        for key in ledger.recover(bulletin_id):
            run.recovered[key] = None
        run.go(iter(recipients))
    return run.tally.report()


class _Run:
    def __init__(
        self, bulletin_id, compose, mailer, ledger, config, members, sender, backoff, progress
    ):
        self.bulletin_id, self.compose, self.mailer, self.ledger = (
            bulletin_id,
            compose,
            mailer,
            ledger,
        )
        self.members, self.sender, self.backoff, self.progress = (
            members,
            sender,
            backoff,
            progress,
        )
        self.max_attempts = config.max_attempts
        self.tally = Tally(bulletin_id)
        self.recovered: dict[str, int | None] = {}
        self.busy: set[str] = set()  # in flight or waiting for a retry (bounded, not the list)

    def go(self, source) -> None:
        workers = max(1, self.mailer.concurrency)
        retries: list[tuple[float, int, Recipient, int]] = []  # (due, tie-break, who, unavailable)
        order = itertools.count()
        inflight: dict[Future, tuple[Recipient, int]] = {}
        stop: BaseException | None = None
        exhausted = False
        with ThreadPoolExecutor(workers, thread_name_prefix="plp-send") as pool:
            while True:
                # Keep the pool busy with at most 2 × workers members: the list is streamed.
                while stop is None and len(inflight) < 2 * workers:
                    if retries and retries[0][0] <= time.monotonic():
                        _, _, recipient, unavailable = heapq.heappop(retries)
                    elif not exhausted:
                        recipient = next(source, None)
                        if recipient is None:
                            exhausted = True
                            continue
                        if not self._admit(recipient):
                            continue
                        unavailable = 0
                    else:
                        break
                    inflight[pool.submit(self._attempt, recipient)] = (recipient, unavailable)
                if not inflight:
                    if stop is not None or (exhausted and not retries):
                        break
                    time.sleep(max(0.0, retries[0][0] - time.monotonic()))
                    continue
                timeout = max(0.0, retries[0][0] - time.monotonic()) if retries else None
                done, _ = wait(inflight, timeout=timeout, return_when=FIRST_COMPLETED)
                for future in done:
                    recipient, unavailable = inflight.pop(future)
                    try:
                        result = future.result()
                    except BaseException as exc:  # finish the messages in flight, then raise
                        stop = stop or exc
                        continue
                    if result.status is not None:
                        self._count(recipient, result)
                    elif result.unavailable and unavailable + 1 >= self.max_attempts:
                        stop = stop or self._unreachable(result, unavailable + 1)
                    else:
                        tries = unavailable + 1 if result.unavailable else result.attempt
                        due = time.monotonic() + self.backoff * 2 ** (tries - 1)
                        heapq.heappush(
                            retries, (due, next(order), recipient, unavailable + result.unavailable)
                        )
        if stop is not None:
            if isinstance(stop, PlpError):
                stop.report = self.tally.report()  # type: ignore[attr-defined]
            raise stop

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
