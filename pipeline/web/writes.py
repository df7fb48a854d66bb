"""Short store writes from many requests at once: run on one thread, committed together.

The store is one connection under one lock, so a pool of threads would only queue for it, each
hand-off costing more than the write itself. After a national send, mailbox providers fire
one-click unsubscribes by the thousand: here every write queued while the previous batch was
committing goes into the next transaction (group commit), each in its own savepoint so that one
refused write never undoes another, and each request is answered only once the COMMIT that holds
its write has returned — every answer still stands for a durable change.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..state import Store

MAX_BATCH = 200
"""Writes in one transaction at most: bounds how long a batch holds the database."""


@dataclass
class _Job:
    call: Callable[..., Any]
    args: tuple
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future


class Writes:
    """`await writes.run(fn, *args)`: fn runs on the writer thread inside a shared transaction
    and its result (or exception) comes back once that transaction is committed."""

    def __init__(self, store: Callable[[], Store]):
        self._store = store  # resolved on the writer thread's first batch (the desk is lazy)
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()

    async def run(self, call: Callable[..., Any], *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        job = _Job(call, args, loop, loop.create_future())
        self._ensure_started()
        self._queue.put(job)
        return await job.future

    def close(self) -> None:
        """Finish what is queued, then stop the thread."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def _ensure_started(self) -> None:
        if self._thread is None:
            with self._start:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._work, name="plp-writes", daemon=True
                    )
                    self._thread.start()

    def _work(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch, stop = [first], False
            while len(batch) < MAX_BATCH:
                try:
                    job = self._queue.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    stop = True
                    break
                batch.append(job)
            outcomes = self._commit(batch)
            # One wake-up of the event loop for the whole batch, not one per request.
            batch[0].loop.call_soon_threadsafe(_settle, batch, outcomes)
            if stop:
                return

    def _commit(self, batch: list[_Job]) -> list[tuple[bool, Any]]:
        outcomes: list[tuple[bool, Any]] = []
        try:
            store = self._store()
            with store.transaction():
                for job in batch:
                    try:
                        with store.savepoint():
                            outcome = (True, job.call(*job.args))
                    except Exception as exc:  # that request's answer; the others go on
                        outcome = (False, exc)
                    outcomes.append(outcome)
        except Exception as exc:  # the transaction itself failed: nothing of it stands
            return [(False, exc)] * len(batch)
        return outcomes


def _settle(batch: list[_Job], outcomes: list[tuple[bool, Any]]) -> None:
    for job, (ok, value) in zip(batch, outcomes, strict=True):
        if job.future.cancelled():
            continue  # the client went away; the write stands all the same
        if ok:
            job.future.set_result(value)
        else:
            job.future.set_exception(value)
