"""The coordinators' console under load: the PLP's page with 2,000 members, and a send started
from the console against `plp bulletin send` of the same bulletin into the same kind of sink.

Usage: python -m benchmarks.console [--members 2000] [--requests 200]

Two identical projects (the sample content, N sample members in one PLP, its bulletin drafted
and approved): in the first, `plp bulletin send` delivers into the outbox; in the second, `plp
web` serves the console, its page is fetched REQUESTS times (p50, p95), then the send is started
from it and timed until its report. Measured, never asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from pipeline.config import load_config
from pipeline.coordinator import Desk, approve, draft, sessions
from pipeline.roster.sample import sample_members_csv
from pipeline.state import open_store
from pipeline.state.ledger import LedgerStatus

REPO = Path(__file__).resolve().parents[1]
PLP = "bergveld-centrum"
CSRF = r'action="{action}"[^>]*>\s*<input type="hidden" name="csrf" value="([^"]+)"'


def project(root: Path, members: int, env: dict[str, str]) -> None:
    for name in ("content", "theme"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pelicanconf.py", root / "pelicanconf.py")
    sheet = root / "members.csv"
    sheet.write_text(sample_members_csv(PLP, ("nl",), n=members), encoding="utf-8")
    plp(root, env, "members", "import", str(sheet), "--plp", PLP)
    plp(root, env, "build")
    with Desk(load_config(root, env=env)) as desk:
        made = draft(desk, PLP)
        approve(desk, PLP, made.number, "benchmark")


def plp(root: Path, env: dict[str, str], *args: str) -> None:
    command = [sys.executable, "-m", "pipeline", "--root", str(root), *args]
    subprocess.run(command, env=env, check=True, capture_output=True)


def csrf(page: str, action: str) -> str:
    return re.search(CSRF.format(action=re.escape(action)), page)[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    port = 18000 + os.getpid() % 1000
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLP_")}
    env.update(PLP_TODAY="2026-11-29", PLP_SECRET="benchmark-secret-" + "x" * 32, PLP_WEB_URL=url)
    with tempfile.TemporaryDirectory() as tmp:
        cli_root, web_root = Path(tmp, "cli"), Path(tmp, "web")
        for root in (cli_root, web_root):
            root.mkdir()
            project(root, args.members, env)
        started = time.perf_counter()
        plp(cli_root, env, "bulletin", "send", PLP, "1")
        cli_seconds = time.perf_counter() - started

        command = [sys.executable, "-m", "pipeline", "--root", str(web_root), "web"]
        server = subprocess.Popen(
            [*command, "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            with httpx.Client(base_url=url, timeout=30) as client:
                for _ in range(300):
                    try:
                        client.get("/static/site.css")
                        break
                    except httpx.TransportError:
                        time.sleep(0.1)
                with Desk(load_config(web_root, env=env)) as desk:
                    link = sessions.operator_link(desk, desk.plp(PLP).coordinator.email)
                path = link.removeprefix(url)
                form = client.get(path).text
                client.post(path, data={"csrf": re.search(r'name="csrf" value="([^"]+)"', form)[1]})
                base = f"/coordinator/{PLP}"
                timings = []
                for _ in range(args.requests):
                    began = time.perf_counter()
                    page = client.get(f"{base}/")
                    timings.append((time.perf_counter() - began) * 1000)
                    assert page.status_code == 200
                began = time.perf_counter()
                client.post(
                    f"{base}/send", data={"csrf": csrf(page.text, f"{base}/send"), "number": "1"}
                )
                while 'http-equiv="refresh"' in client.get(f"{base}/send").text:
                    time.sleep(0.05)
                web_seconds = time.perf_counter() - began
        finally:
            server.terminate()
            server.wait(10)
        for root in (cli_root, web_root):
            with open_store(load_config(root, env=env)) as store:
                sent = store.ledger.counts(f"{PLP}/1")[LedgerStatus.SENT]
            assert sent == args.members, f"{root.name}: {sent} sent of {args.members}"
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"console page, {args.members} members: p50 {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms over {args.requests} requests"
    )
    print(
        f"send to {args.members}: plp bulletin send {args.members / cli_seconds:.0f}/s "
        f"({cli_seconds:.2f} s, process start and site build included); console "
        f"{args.members / web_seconds:.0f}/s ({web_seconds:.2f} s, site build included) — "
        f"{cli_seconds / web_seconds:.0%} of the CLI's rate"
    )


if __name__ == "__main__":
    main()
