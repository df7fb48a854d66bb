"""Sends started from the console: the same resumable delivery as `plp bulletin send`, in a
background thread, one at a time per bulletin, watched through the ledger.

A reload finds the running send here; after a restart of `plp web` nothing runs, and starting
the send again resumes from the ledger: nobody gets it twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import PlpError
from ..mailing.report import DeliveryReport
from ..state.audit import AuditAction
from ..state.ledger import LedgerStatus
from .desk import Desk
from .sending import AlreadySent, bulletin_id, send

log = logging.getLogger("plp.web")


@dataclass
class SendRun:
    """One send in this process: counts as it goes, the report or the error at the end."""

    plp: str
    number: int
    started_by: str
    done: int = 0
    report: DeliveryReport | None = None
    error: str = ""
    finished: threading.Event = field(default_factory=threading.Event)

    @property
    def running(self) -> bool:
        return not self.finished.is_set()


class Sends:
    """The console's sends of this process, by bulletin."""

    def __init__(self, make_desk: Callable[[], Desk]):
        self._make_desk = make_desk
        self._runs: dict[str, SendRun] = {}
        self._lock = threading.Lock()

    def get(self, plp: str, number: int) -> SendRun | None:
        """The latest run of this bulletin in this process, or None."""
        return self._runs.get(bulletin_id(plp, number))

    def start(self, plp: str, number: int, actor: str) -> SendRun:
        """Start sending unless a run of it is going already (then that one is returned)."""
        key = bulletin_id(plp, number)
        with self._lock:
            current = self._runs.get(key)
            if current is not None and current.running:
                return current
            run = self._runs[key] = SendRun(plp, number, actor)
        thread = threading.Thread(target=self._run, args=(run,), name=f"send {key}", daemon=True)
        thread.start()
        return run

    def _run(self, run: SendRun) -> None:
        def progress(status: LedgerStatus) -> None:
            run.done += 1

        try:
            with self._make_desk() as desk:
                desk.store.audit.add(
                    run.plp, run.started_by, AuditAction.SEND_STARTED, f"bulletin {run.number}"
                )
                try:
                    run.report = send(desk, run.plp, run.number, progress=progress)
                except AlreadySent as done:
                    run.error = str(done)
                    return
                except PlpError as error:
                    run.error = str(error)
                    return
                finally:
                    detail = run.report.summary().splitlines()[0] if run.report else run.error[:200]
                    desk.store.audit.add(run.plp, run.started_by, AuditAction.SEND_FINISHED, detail)
        except Exception:  # never let a send die silently: the page shows it, the log has why
            log.exception("send of %s/%s failed", run.plp, run.number)
            run.error = run.error or "the send stopped on an unexpected error — see the log"
        finally:
            run.finished.set()

    def wait(self, timeout: float | None = None) -> None:
        """Wait for every run to finish (at shutdown and in tests)."""
        for run in list(self._runs.values()):
            run.finished.wait(timeout)
