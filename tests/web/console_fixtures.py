"""The coordinators' console as a coordinator meets it: `plp web` on a project with members and
no bulletin yet, and a client that signs in through the link e-mailed to the role address."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time

import httpx
import pytest

from pipeline.config import load_config
from pipeline.content import load_content
from pipeline.coordinator import Desk, sessions
from pipeline.roster.sample import sample_members_csv

from .conftest import REPO, Service, free_port

PLP_A = "bergveld-centrum"
PLP_B = "heidebeek-zuid"
LINK = re.compile(r"http://127\.0\.0\.1:\d+/coordinator/signin/[\w.\-]+")
PUBLIC = "http://web.plp.example.org"  # what real mail links to; requests go to 127.0.0.1


class Console(Service):
    """The service, with the role addresses of its PLPs and the sign-in links in its outbox."""

    def client(self, forwarded_for: str = "192.0.2.1") -> httpx.Client:
        """A client reading English (the page's language follows Accept-Language)."""
        client = super().client(forwarded_for)
        client.headers["Accept-Language"] = "en"
        return client

    def role(self, slug: str) -> str:
        return load_content(load_config(self.root, env=self.env)).plps[slug].coordinator.email

    def links_to(self, address: str) -> list[str]:
        """The sign-in links mailed to an address, oldest first."""
        found = []
        for message in self.outbox().values():
            if to(message) == address and "signin" in str(message["Message-ID"]):
                found += LINK.findall(message.get_content())
        return found

    def plp_fails(self, *args: str) -> subprocess.CompletedProcess:
        """Run `plp ARGS…` expecting it to fail."""
        command = [sys.executable, "-m", "pipeline", "--root", str(self.root), *args]
        return subprocess.run(command, env=self.env, capture_output=True, text=True)

    def mails_to(self, address: str) -> int:
        return sum(to(m) == address for m in self.outbox().values())

    def operator_link(self, slug: str) -> str:
        """A sign-in link as `plp coordinator link` prints it (made in this process)."""
        with Desk(self.config) as desk:
            return sessions.operator_link(desk, self.role(slug))

    def sign_in(
        self, slug: str, client_ip: str = "192.0.2.10", *, by_mail: bool = False
    ) -> httpx.Client:
        """A client signed in as the coordinator of `slug`, through the link e-mailed to the
        role address (by_mail) or one an operator printed."""
        client = self.client(client_ip)
        if by_mail:
            before = len(self.links_to(self.role(slug)))
            page = client.get("/coordinator/")
            client.post("/coordinator/", data={"email": self.role(slug), "csrf": csrf(page.text)})
            link = self.links_to(self.role(slug))[before]
        else:
            link = self.operator_link(slug)
        path = link.split(str(self.port), 1)[1]
        form = client.get(path)
        done = client.post(path, data={"csrf": csrf(form.text)})
        assert done.status_code == 303, done.text
        return client


def send_finished(client, path: str, timeout: float = 60) -> str:
    """The console's send page once it stops refreshing itself (the report)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = client.get(path)
        assert page.status_code == 200
        if 'http-equiv="refresh"' not in page.text:
            return page.text
        time.sleep(0.3)
    raise AssertionError("the send did not finish")


def to(message) -> str:
    """The one recipient's address of a message."""
    return message["To"].addresses[0].addr_spec


def csrf(page: str, action: str | None = None) -> str:
    """The CSRF token of the form posting to `action` (else the first form's)."""
    if action is None:
        return re.search(r'name="csrf" value="([^"]+)"', page)[1]
    pattern = (
        rf'action="{re.escape(action)}"[^>]*>\s*<input type="hidden" name="csrf" value="([^"]+)"'
    )
    return re.search(pattern, page)[1]


def copy_project(root) -> None:
    """The sample project (content, theme, pelicanconf.py) into `root`."""
    for name in ("content", "theme"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pelicanconf.py", root / "pelicanconf.py")


def relaying_console(root, sink, connections: int, members: int) -> Console:
    """A copy of the sample project with `members` members in PLP A, whose `plp web` (not
    started yet) relays through `sink` and links to PUBLIC, as real mail must."""
    copy_project(root)
    svc = Console(root, free_port())
    svc.env.update(
        PLP_SMTP_URL=sink.url,
        PLP_SMTP_CONCURRENCY=str(connections),
        PLP_WEB_URL=PUBLIC,
        PLP_SITE_URL="https://plp.example.org",
    )
    sheet = root / "leden.csv"
    sheet.write_text(sample_members_csv(PLP_A, ("nl",), n=members), encoding="utf-8")
    svc.plp("members", "import", str(sheet), "--plp", PLP_A)
    return svc


@pytest.fixture(scope="module", name="console")
def console_fixture(tmp_path_factory):
    root = tmp_path_factory.mktemp("console")
    copy_project(root)
    svc = Console(root, free_port())
    for slug in (PLP_A, PLP_B):
        sheet = root / f"{slug}.csv"
        sheet.write_text(sample_members_csv(slug, ("nl",), n=6), encoding="utf-8")
        svc.plp("members", "import", str(sheet), "--plp", slug)
    svc.start()
    yield svc
    svc.stop()
