"""What a delivery run did, for the coordinator: counts, reasons, a progress bar on a terminal."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from ..state.ledger import LedgerStatus

LISTED = 50  # outcomes listed by name in a summary; the ledger holds the rest

Progress = Callable[[LedgerStatus], None]
Naming = Callable[[str], str]
"""Who a ledger key is, as the coordinator is shown it (an address, or "(erased)")."""


@dataclass(frozen=True)
class Outcome:
    """Why one member's message was not sent: its pseudonym, member id when known, SMTP code."""

    member_key: str
    member_id: int | None
    code: int | None
    reason: str

    def __str__(self) -> str:
        return self.shown()

    def shown(self, naming: Naming | None = None) -> str:
        """One line: by `naming` (for the coordinator), else by id and pseudonym (for logs)."""
        if naming is not None:
            who = naming(self.member_key)
        elif self.member_id is not None:
            who = f"member {self.member_id} ({self.member_key[:12]}…)"
        else:
            who = f"member ({self.member_key[:12]}…)"
        code = f" {self.code}" if self.code else ""
        return f"{who}:{code} {self.reason}"


@dataclass(frozen=True)
class DeliveryReport:
    """The outcome of one run over one bulletin; `earlier` counts rows a previous run finished."""

    bulletin_id: str
    sent: int = 0
    failed: tuple[Outcome, ...] = ()
    uncertain: tuple[Outcome, ...] = ()
    skipped: tuple[Outcome, ...] = ()
    earlier: dict[str, int] = field(default_factory=dict)
    deferred: int = 0
    """Members of the bulletin waiting for a later try (all runs), due from `next_due` on."""
    next_due: datetime | None = None
    complete: bool = True
    """Every member of the list has a final outcome: nothing pending or deferred is left."""
    halted: str | None = None
    """Why the run stopped trying the server (its circuit breaker), if it did."""

    @property
    def clean(self) -> bool:
        """Everybody got it: nothing failed, uncertain, skipped or still waiting (exit code 0)."""
        return self.complete and not (self.failed or self.uncertain or self.skipped)

    def summary(self, naming: Naming | None = None) -> str:
        """A few lines for the terminal or a log: members by `naming` when given (the
        coordinator's view), else by id and pseudonym only (what a log may hold)."""
        lines = [
            f"{self.bulletin_id}: {self.sent} sent, {len(self.failed)} failed, "
            f"{len(self.uncertain)} uncertain, {len(self.skipped)} skipped"
            + (f", {self.deferred} deferred" if self.deferred else "")
        ]
        if self.earlier:
            done = ", ".join(f"{n} {status}" for status, n in sorted(self.earlier.items()))
            lines[0] += f"; already handled by an earlier run: {done}"
        if self.halted:
            lines.append(f"Stopped: {self.halted}.")
        if self.deferred:
            when = f" at {self.next_due:%Y-%m-%d %H:%M} UTC" if self.next_due else ""
            lines.append(
                f"Deferred: {self.deferred} member(s) not accepted yet; the next try is due"
                f"{when} — run the send again then (or `plp publish`): nobody gets it twice."
            )
        sections = (
            (
                self.failed,
                "Failed (not retried; members are marked bounced after repeated hard bounces):",
            ),
            (
                self.uncertain,
                "Uncertain (may have arrived; check the mail server's log before "
                "sending to them by hand — never resent automatically):",
            ),
            (self.skipped, "Skipped (not sent; fix the cause and send again):"),
        )
        for outcomes, title in sections:
            if outcomes:
                lines.append(title)
                lines += [f"  {outcome.shown(naming)}" for outcome in outcomes[:LISTED]]
                if len(outcomes) > LISTED:
                    lines.append(f"  … and {len(outcomes) - LISTED} more (see the ledger)")
        return "\n".join(lines)


class Tally:
    """The mutable side of a report while a run goes on (touched by one thread only)."""

    def __init__(self, bulletin_id: str):
        self.bulletin_id = bulletin_id
        self.sent = 0
        self.lists: dict[LedgerStatus, list[Outcome]] = {
            LedgerStatus.FAILED: [],
            LedgerStatus.UNCERTAIN: [],
            LedgerStatus.SKIPPED: [],
        }
        self.earlier: Counter[str] = Counter()

    def add(self, status: LedgerStatus, outcome: Outcome | None = None) -> None:
        """Count one member's outcome in this run."""
        if status is LedgerStatus.SENT:
            self.sent += 1
        elif outcome is not None and status in self.lists:
            self.lists[status].append(outcome)

    def report(self, **state) -> DeliveryReport:
        """The frozen report; `state` adds what the ledger says after the run."""
        return DeliveryReport(
            self.bulletin_id,
            self.sent,
            tuple(self.lists[LedgerStatus.FAILED]),
            tuple(self.lists[LedgerStatus.UNCERTAIN]),
            tuple(self.lists[LedgerStatus.SKIPPED]),
            dict(self.earlier),
            **state,
        )


@contextmanager
def delivery_progress(total: int | None, label: str, *, force: bool = False) -> Iterator[Progress]:
    """A progress callback for deliver(): a rich bar when stderr is a terminal, else silent."""
    if not (force or sys.stderr.isatty()):
        yield lambda status: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    counts: Counter[str] = Counter()
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        "{task.fields[counts]}",
        console=Console(stderr=True),
        transient=False,
    ) as bar:
        task = bar.add_task(label, total=total, counts="")

        def advance(status: LedgerStatus) -> None:
            counts[status] += 1
            text = " ".join(f"{n} {s}" for s, n in sorted(counts.items()))
            bar.update(task, advance=1, counts=text)

        yield advance
