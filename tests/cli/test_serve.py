"""`plp serve --port P` as a process: it serves on loopback and picks up an edited message.

tests/site/test_serve.py tests the server and the watcher as functions; this runs the README
command itself, and stops it the way a user does (Ctrl+C).
"""

from __future__ import annotations

import signal
import socket
import time
import urllib.error
import urllib.request

import pytest

from .conftest import finished

MESSAGE = "content/messages/national/dark-days-2026.nl.md"
PAGE = "nl/messages/dark-days-2026/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    """The page's text, or None while the server is not answering yet."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def test_serve_serves_the_site_and_rebuilds_an_edited_message(project):
    port = free_port()
    url = f"http://127.0.0.1:{port}/{PAGE}"
    server = project.popen("serve", "--port", str(port), script=True)
    try:
        page = _poll(lambda: fetch(url), server, "the first page")
        assert "<title>Donkere dagen:" in page

        message = project.root / MESSAGE
        edited = message.read_text(encoding="utf-8").replace(
            "Title: Donkere dagen:", "Title: Lange winteravonden:", 1
        )

        def rebuilt() -> str | None:
            # Written again on every try: an edit made while the watcher was still taking its
            # first snapshot would otherwise never be seen.
            message.write_text(edited, encoding="utf-8")
            page = fetch(url)
            return page if page and "<title>Lange winteravonden:" in page else None

        _poll(rebuilt, server, "the rebuilt page", every=1.5)
        time.sleep(1.0)  # the files are served a moment before "Rebuilt:" is printed
        server.send_signal(signal.SIGINT)  # Ctrl+C
        code, out, err = finished(server, timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    assert code == 0, out + err
    assert f"on http://127.0.0.1:{port}/" in out and "Rebuilt:" in out
    assert out.rstrip().endswith("Stopped.") and "Traceback" not in err
    assert fetch(url) is None  # the port is released


def _poll(probe, server, what: str, every: float = 0.2, limit: float = 90.0):
    """Call probe() until it returns something; fail if the server exits or `limit` passes."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            out, err = server.communicate()
            pytest.fail(f"plp serve exited ({server.returncode}) before {what}:\n{out}{err}")
        found = probe()
        if found is not None:
            return found
        time.sleep(every)
    pytest.fail(f"no {what} from plp serve within {limit:.0f} s")
