"""The web service's group commit: writes queued together share one transaction, yet each
request's write stands or falls on its own, and its answer comes after the commit."""

from __future__ import annotations

import asyncio

from pipeline.web.writes import Writes
from tests.postgres import both_backends  # noqa: F401 - runs each test on SQLite and PostgreSQL


class Refused(Exception):
    pass


def test_writes_in_one_commit_stand_or_fall_each_on_their_own(state):
    state.write("CREATE TABLE notes (text TEXT)")
    writes = Writes(lambda: state)

    def note(text: str, refuse: bool = False) -> str:
        state.write("INSERT INTO notes VALUES (?)", (text,))
        if refuse:
            raise Refused(text)  # after its statement ran: only that one must go
        return text

    async def burst():
        # While the test holds the store, the writer thread waits on it with the first write
        # and the rest queue up behind: they are committed together, in the next batch.
        with state.transaction():
            first = asyncio.ensure_future(writes.run(note, "a"))
            await asyncio.sleep(0.1)
            rest = [
                asyncio.ensure_future(writes.run(note, "b")),
                asyncio.ensure_future(writes.run(note, "c", True)),
                asyncio.ensure_future(writes.run(note, "d")),
            ]
            await asyncio.sleep(0.1)
            assert not any(job.done() for job in [first, *rest])  # nothing answered before commit
        return await asyncio.gather(first, *rest, return_exceptions=True)

    answers = asyncio.run(burst())
    writes.close()
    assert answers[:2] == ["a", "b"] and answers[3] == "d"
    assert isinstance(answers[2], Refused)
    assert [row[0] for row in state.rows("SELECT text FROM notes ORDER BY text")] == ["a", "b", "d"]
