"""The web service's request log as an operator reads it: a line per request, and in a burst
a line a second per route and status that says how many and how long, never thousands."""

from __future__ import annotations

import asyncio
import logging

from pipeline.web.guard import RequestLog

ROUTE = "/unsubscribe/{token}"


def lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "plp.web.test"]


def test_a_lone_request_is_logged_at_once_and_a_burst_is_counted_on_one_line(caplog):
    caplog.set_level(logging.INFO, logger="plp.web.test")
    log = RequestLog(logging.getLogger("plp.web.test"))
    log.FOLD = 0.2  # seconds a line stands for (one in the service)

    async def traffic():
        log.add("GET", ROUTE, 200, 3.0)
        log.add("POST", ROUTE, 200, 12.0)  # another route or status: its own line
        assert lines(caplog) == [f"GET {ROUTE} 200 3.0 ms", f"POST {ROUTE} 200 12.0 ms"]
        for ms in range(1, 101):  # the burst: counted, not logged one by one
            log.add("POST", ROUTE, 200, float(ms))
        log.add("POST", ROUTE, 400, 1.5)
        assert len(lines(caplog)) == 3
        await asyncio.wait_for(written(4), 10)  # the event loop's timer writes what was counted
        log.add("POST", ROUTE, 200, 7.0)  # the burst goes on: counted again
        assert len(lines(caplog)) == 4
        await asyncio.wait_for(written(5), 10)

    async def written(count: int) -> None:
        while len(lines(caplog)) < count:
            await asyncio.sleep(0.01)

    asyncio.run(traffic())
    assert lines(caplog) == [
        f"GET {ROUTE} 200 3.0 ms",
        f"POST {ROUTE} 200 12.0 ms",
        f"POST {ROUTE} 400 1.5 ms",
        f"POST {ROUTE} 200 ×100: p50 51.0 ms, p99 100.0 ms, max 100.0 ms",
        f"POST {ROUTE} 200 ×1: p50 7.0 ms, p99 7.0 ms, max 7.0 ms",
    ]


def test_what_is_counted_is_logged_when_the_service_stops(caplog):
    caplog.set_level(logging.INFO, logger="plp.web.test")
    log = RequestLog(logging.getLogger("plp.web.test"))
    sent = []

    async def send(message):
        sent.append(message["type"])
        assert len(lines(caplog)) == 2  # already written when the server learns it stopped

    async def shutdown():
        log.add("POST", ROUTE, 200, 5.0)
        log.add("POST", ROUTE, 200, 6.0)
        await log.flushing_at_shutdown(send)({"type": "lifespan.shutdown.complete"})

    asyncio.run(shutdown())
    assert lines(caplog)[-1] == f"POST {ROUTE} 200 ×1: p50 6.0 ms, p99 6.0 ms, max 6.0 ms"
    assert sent == ["lifespan.shutdown.complete"]
