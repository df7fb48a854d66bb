"""Local preview: build, serve output/ over HTTP, rebuild when content/ or theme/ changes."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .. import urls


def snapshot(folders: Iterable[Path]) -> dict[Path, float]:
    """Modification time of every file under the watched folders (polling: no extra package)."""
    seen: dict[Path, float] = {}
    for folder in folders:
        if folder.is_dir():
            for path in folder.rglob("*"):
                if path.is_file():
                    seen[path] = path.stat().st_mtime
    return seen


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # one line per request is noise here
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        """A missing page gets the site's 404 page, as the production server is told to."""
        page = Path(self.directory) / urls.NOT_FOUND
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def start_server(root: Path, host: str, port: int) -> ThreadingHTTPServer:
    """Serve `root` in a daemon thread; return the server (call shutdown() to stop)."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def watch(
    folders: Iterable[Path],
    rebuild: Callable[[], None],
    interval: float = 1.0,
    stop: threading.Event | None = None,
) -> None:
    """Call `rebuild` whenever a file under `folders` is added, removed or modified."""
    folders = list(folders)
    stop = stop or threading.Event()
    before = snapshot(folders)
    while not stop.wait(interval):
        now = snapshot(folders)
        if now != before:
            before = now
            time.sleep(0.2)  # let an editor finish writing
            rebuild()
            before = snapshot(folders)
