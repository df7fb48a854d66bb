"""`plp web` as a member meets it: started through the CLI on a free loopback port, on a
project whose demo bulletins are already in the outbox, driven with httpx."""

from __future__ import annotations

import email
import email.policy
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from pipeline.config import load_config
from pipeline.state import open_store

REPO = Path(__file__).resolve().parents[2]
TODAY = "2026-11-29"
SECRET = "web-tests-secret-0123456789-abcdefghijklmnop"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Service:
    """A project with the sample content, its demo bulletins sent, and `plp web` serving it."""

    def __init__(self, root: Path, port: int):
        self.root, self.port = root, port
        self.url = f"http://127.0.0.1:{port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PLP_")}
        self.env.update(PLP_TODAY=TODAY, PLP_SECRET=SECRET, PLP_WEB_URL=self.url)
        self.log = root / "web.log"
        self.process: subprocess.Popen | None = None

    @property
    def config(self):
        return load_config(self.root, env=self.env)

    def plp(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "pipeline", "--root", str(self.root), *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )

    def start(self) -> None:
        log = self.log.open("wb")
        command = ["-m", "pipeline", "--root", str(self.root), "web", "--port", str(self.port)]
        self.process = subprocess.Popen(
            [sys.executable, *command],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{self.url}/static/site.css", timeout=1)
                return
            except httpx.TransportError:
                assert self.process.poll() is None, self.log.read_text()
                time.sleep(0.1)
        raise AssertionError("plp web did not start:\n" + self.log.read_text())

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(10)

    def client(self, forwarded_for: str = "192.0.2.1") -> httpx.Client:
        # uvicorn trusts X-Forwarded-For from 127.0.0.1, as it would from the reverse proxy.
        return httpx.Client(
            base_url=self.url, headers={"X-Forwarded-For": forwarded_for}, timeout=10
        )

    def outbox(self) -> dict[str, email.message.EmailMessage]:
        folder = self.root / "var" / "outbox"
        return {
            p.name: email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in sorted(folder.glob("*.eml"))
        }

    def member(self, address: str, plp: str):
        with open_store(self.config) as store:
            [member] = store.members.find(address, plp)
            return member

    def consents(self, address: str) -> list[dict]:
        import json

        with open_store(self.config) as store:
            exported = json.loads(store.members.export(email=address))
        return [c for m in exported["members"] for c in m["consent"]]


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    root = tmp_path_factory.mktemp("web")
    for name in ("content", "theme"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pelicanconf.py", root / "pelicanconf.py")
    svc = Service(root, free_port())
    svc.plp("publish", "--demo")  # the site, sample members, their first bulletins
    svc.start()
    yield svc
    svc.stop()


def bulletin_to(service: Service, address: str) -> email.message.EmailMessage:
    """A bulletin delivered to this address (not a confirmation)."""
    for message in service.outbox().values():
        if message["To"] and address in str(message["To"]) and message["List-Unsubscribe"]:
            return message
    raise AssertionError(f"no bulletin to {address}")


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page)[1]
