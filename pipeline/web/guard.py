"""Thin ASGI wrappers around the app: security headers, a body limit, a log without addresses
or tokens, and the per-client rate limit of sign-ups."""

from __future__ import annotations

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


class Guard:
    """Adds the security headers to every response (a response that sets one, such as the
    console's framed preview, keeps its own), refuses bodies over MAX_BODY (MAX_UPLOAD for the
    upload path) with 413, and logs each request by its route pattern (never the path: it
    holds a token)."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY, max_upload: int = MAX_UPLOAD):
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), [0]
        upload = scope["path"].startswith("/coordinator/") and scope["path"].endswith(UPLOAD_SUFFIX)
        max_body = self.max_upload if upload else self.max_body
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > max_body):
            await _too_large(send)
            return
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
                headers = list(message.get("headers", []))
                own = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in own]
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, limited_receive, secured_send)
        except BodyTooLarge:
            status[0] = 413
            await _too_large(send)
        route = scope.get("route")
        where = getattr(route, "path", None) or "(static)"
        log.info(
            "%s %s %s %.1f ms",
            scope["method"],
            where,
            status[0],
            (time.perf_counter() - started) * 1000,
        )


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
