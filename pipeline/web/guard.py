"""Thin ASGI wrappers around the app: security headers, a body limit, a log without addresses
or tokens, and the per-client rate limit of sign-ups."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import deque
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("plp.web")

MAX_BODY = 16 * 1024
"""Bytes a request body may carry: the largest form is an address, a name and two tokens."""
MAX_UPLOAD = 4 * 1024 * 1024
"""Bytes a member spreadsheet uploaded to the console may have (tens of thousands of rows)."""
UPLOAD_SUFFIX = "/members/import"
"""The one kind of path that takes an upload (the console's import of a PLP's list)."""

SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # a token in a path never leaves for elsewhere
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


_SECURITY_NAMES = frozenset(name for name, _ in SECURITY_HEADERS)


class Guard:
    """Adds the security headers to every response (a response that sets one, such as the
    console's framed preview, keeps its own), refuses bodies over MAX_BODY (MAX_UPLOAD for the
    upload path) with 413, and logs each request by its route pattern (never the path: it
    holds a token) through a RequestLog."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY, max_upload: int = MAX_UPLOAD):
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload
        self.log = RequestLog(log)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "lifespan":
                send = self.log.flushing_at_shutdown(send)
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), [0]
        path = scope["path"]
        upload = path.startswith("/coordinator/") and path.endswith(UPLOAD_SUFFIX)
        max_body = self.max_upload if upload else self.max_body
        for name, length in scope["headers"]:
            if name == b"content-length":
                if not length.isdigit() or int(length) > max_body:
                    await _too_large(send)
                    return
                break
        received = [0]

        async def limited_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                received[0] += len(message.get("body", b""))
                if received[0] > max_body:
                    raise BodyTooLarge
            return message

        async def secured_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                headers = message.get("headers") or []
                if any(name.lower() in _SECURITY_NAMES for name, _ in headers):
                    own = {name.lower() for name, _ in headers}
                    extra = [(k, v) for k, v in SECURITY_HEADERS if k not in own]
                else:  # the common case: all of them, one list
                    extra = SECURITY_HEADERS
                message["headers"] = [*headers, *extra]
            await send(message)

        try:
            await self.app(scope, limited_receive, secured_send)
        except BodyTooLarge:
            status[0] = 413
            await _too_large(send)
        route = scope.get("route")
        where = getattr(route, "path", None) or "(static)"
        self.log.add(scope["method"], where, status[0], (time.perf_counter() - started) * 1000)


class RequestLog:
    """The request log: a line per request, each naming its route, its status and the time
    spent in the app, except in a burst. A request whose route and status were logged less
    than FOLD seconds ago is counted instead, and once the FOLD seconds are over one line says
    how many there were and how long they took (p50, p99, max). A lone request is logged at
    once, as it comes; thousands of one-click POSTs a second after a national send make one
    line a second, not thousands: formatting a log record costs more than the unsubscribe
    itself asks of this process, and the lines would tell nothing more (no address, no token
    is ever in them)."""

    FOLD = 1.0

    def __init__(self, logger: logging.Logger):
        self._logger = logger
        self._last: dict[tuple[str, str, int], float] = {}  # when each key was last logged
        self._folded: dict[tuple[str, str, int], list[float]] = {}
        self._timer: asyncio.TimerHandle | None = None

    def add(self, method: str, route: str, status: int, ms: float) -> None:
        """One request (in the event loop's thread)."""
        key = (method, route, status)
        folded = self._folded.get(key)
        if folded is not None:
            folded.append(ms)
            return
        if not self._logger.isEnabledFor(logging.INFO):
            return
        now, last = time.monotonic(), self._last.get(key)
        if last is None or now - last >= self.FOLD:
            self._last[key] = now
            self._logger.info("%s %s %s %.1f ms", method, route, status, ms)
            return
        self._folded[key] = [ms]
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.FOLD, self.flush)

    def flush(self) -> None:
        """Log what was counted: a line per route and status."""
        self._timer = None
        now = time.monotonic()
        for (method, route, status), times in self._folded.items():
            times.sort()
            self._logger.info(
                "%s %s %s ×%d: p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                method,
                route,
                status,
                len(times),
                times[len(times) // 2],
                times[min(len(times) - 1, int(len(times) * 0.99))],
                times[-1],
            )
            self._last[(method, route, status)] = now  # a burst still on folds again
        self._folded.clear()

    def flushing_at_shutdown(self, send: Send) -> Send:
        """The lifespan's send, logging what is counted before the app reports it stopped."""

        async def send_then(message: Message) -> None:
            if message["type"] == "lifespan.shutdown.complete":
                if self._timer is not None:
                    self._timer.cancel()
                self.flush()
            await send(message)

        return send_then


class BodyTooLarge(Exception):
    pass


async def _too_large(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), *SECURITY_HEADERS],
        }
    )
    await send({"type": "http.response.body", "body": b"Request body too large.\n"})


class RateLimit:
    """At most `limit` events per `window` seconds for one key (a client address), in memory:
    one process serves the web; a restart forgets, which only ever lets more through."""

    def __init__(self, limit: int, window: float):
        self.limit, self.window = limit, window
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Count one event for the key; False when it is over the limit (not counted)."""
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            if len(self._hits) > 100_000:  # forget idle clients rather than grow forever
                self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > now - 60}
            return True


def client_key(request: Request) -> str:
    """The client's address (uvicorn takes it from X-Forwarded-For when the proxy is trusted)."""
    return request.client.host if request.client else "unknown"


def same_origin(request: Request, allowed: tuple[str, ...]) -> bool:
    """Whether the browser says the form came from one of our origins (site or service)."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin:
        return False
    parts = urlsplit(origin)
    return f"{parts.scheme}://{parts.netloc}" in allowed


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
