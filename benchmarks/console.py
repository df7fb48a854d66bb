"""The coordinators' console under load: the PLP's page with 2,000 members and a 10-message
bulletin, and a send started from the console against `plp bulletin send` of the same bulletin
into the same SMTP sink, in the same run.

Usage: python -m benchmarks.console [--members 2000] [--messages 10] [--requests 200]

Two identical projects (the sample content plus messages for the PLP until its bulletin holds
MESSAGES, N sample members, the bulletin drafted and approved), one aiosmtpd sink in its own
process (benchmarks.sending's) for both. In the first, `plp bulletin send` delivers; in the
second, `plp web` serves the console, its page is fetched REQUESTS times one after the other
(p50, p95), then the send is started from the page and followed until its report. The send
rate is read at the sink (first to last message of each run, polled every 5 ms), so process
start and the site build before the first message count for neither; the wall time of each,
which includes them, is printed too. Measured, never asserted.
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

from benchmarks.sending import SinkProcess
from pipeline.config import load_config
from pipeline.coordinator import Desk, approve, draft, sessions
from pipeline.roster.sample import sample_members_csv
from pipeline.state import open_store
from pipeline.state.ledger import LedgerStatus

REPO = Path(__file__).resolve().parents[1]
PLP = "bergveld-centrum"
CSRF = r'action="{action}"[^>]*>\s*<input type="hidden" name="csrf" value="([^"]+)"'
EXTRA = """Title: Buurtpreventie {n}: let op bij de voordeur
Date: 2026-11-{day:02d}
Category: prevention
Targets: plp:{plp}
Summary: Tip {n} van de preventiedienst: sluit altijd af, ook als u maar even weg bent.
Author: Politiezone Zandheuvel — preventiedienst

Tip {n}. Sluit uw voordeur altijd op slot, ook als u maar even naar de buren gaat. Laat geen
sleutels achter onder de mat of in de brievenbus, en doe 's avonds de buitenverlichting aan.

Ziet u iets verdachts? Bel rechtstreeks de politie op 101 (112 bij nood).
"""


def project(root: Path, members: int, messages: int, env: dict[str, str]) -> int:
    """The project, its bulletin drafted and approved; returns the messages it holds."""
    for name in ("content", "theme"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pelicanconf.py", root / "pelicanconf.py")
    sheet = root / "members.csv"
    sheet.write_text(sample_members_csv(PLP, ("nl",), n=members), encoding="utf-8")
    plp(root, env, "members", "import", str(sheet), "--plp", PLP)
    with Desk(load_config(root, env=env)) as desk:
        have = len(draft(desk, PLP).editions[0].message_ids)
    folder = root / "content" / "messages" / "5901-zandheuvel"
    for n in range(max(0, messages - have)):
        text = EXTRA.format(n=n + 1, day=20 + n % 9, plp=PLP)
        (folder / f"benchmark-tip-{n + 1}.nl.md").write_text(text, encoding="utf-8")
    plp(root, env, "build")
    with Desk(load_config(root, env=env)) as desk:
        made = draft(desk, PLP)  # replaces the first draft, still unsent
        approve(desk, PLP, made.number, "benchmark")
        edition = made.editions[0]
    return len(edition.message_ids)


def at_sink(sink: SinkProcess, before: int, n: int, running=None) -> tuple[float, float]:
    """(when the first, when the last of n more messages reached the sink), polled."""
    first = None
    deadline = time.monotonic() + 600
    while sink.count < before + n:
        if first is None and sink.count > before:
            first = time.perf_counter()
        if running is not None:
            assert running(), "the send stopped before its last message"
        assert time.monotonic() < deadline, "the send did not finish in 10 minutes"
        time.sleep(0.005)
    return first or time.perf_counter(), time.perf_counter()


def plp(root: Path, env: dict[str, str], *args: str) -> None:
    command = [sys.executable, "-m", "pipeline", "--root", str(root), *args]
    subprocess.run(command, env=env, check=True, capture_output=True)


def csrf(page: str, action: str) -> str:
    return re.search(CSRF.format(action=re.escape(action)), page)[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    port = 18000 + os.getpid() % 1000
    url = f"http://127.0.0.1:{port}"
    public = "http://web.plp.example.org"  # what e-mails link to (http: the cookie not Secure)
    sink = SinkProcess(budget=1800)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLP_")}
    env.update(
        PLP_TODAY="2026-11-29",
        PLP_SECRET="benchmark-secret-" + "x" * 32,
        PLP_WEB_URL=public,
        PLP_SITE_URL="https://plp.example.org",
        PLP_SMTP_URL=sink.url,
    )
    with tempfile.TemporaryDirectory() as tmp:
        cli_root, web_root = Path(tmp, "cli"), Path(tmp, "web")
        held = set()
        for root in (cli_root, web_root):
            root.mkdir()
            held.add(project(root, args.members, args.messages, env))
        [messages] = held
        before = sink.count
        started = time.perf_counter()
        command = [sys.executable, "-m", "pipeline", "--root", str(cli_root)]
        cli = subprocess.Popen(
            [*command, "bulletin", "send", PLP, "1"], env=env, stdout=subprocess.DEVNULL
        )
        cli_first, cli_last = at_sink(sink, before, args.members, lambda: cli.poll() in (None, 0))
        assert cli.wait(60) == 0
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
                path = link.removeprefix(public)
                form = client.get(path).text
                client.post(path, data={"csrf": re.search(r'name="csrf" value="([^"]+)"', form)[1]})
                base = f"/coordinator/{PLP}"
                timings = []
                for _ in range(args.requests):
                    began = time.perf_counter()
                    page = client.get(f"{base}/")
                    timings.append((time.perf_counter() - began) * 1000)
                    assert page.status_code == 200
                assert page.text.count("<li>") >= messages  # the bulletin's titles
                before = sink.count
                began = time.perf_counter()
                client.post(
                    f"{base}/send", data={"csrf": csrf(page.text, f"{base}/send"), "number": "1"}
                )
                web_first, web_last = at_sink(sink, before, args.members)
                while 'http-equiv="refresh"' in client.get(f"{base}/send").text:
                    time.sleep(0.05)
                web_seconds = time.perf_counter() - began
        finally:
            server.terminate()
            server.wait(10)
            sink.close()
        for root in (cli_root, web_root):
            with open_store(load_config(root, env=env)) as store:
                sent = store.ledger.counts(f"{PLP}/1")[LedgerStatus.SENT]
            assert sent == args.members, f"{root.name}: {sent} sent of {args.members}"
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"console page, {args.members} members, {messages}-message bulletin: "
        f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms over {args.requests} requests"
    )
    cli_rate = (args.members - 1) / (cli_last - cli_first)
    web_rate = (args.members - 1) / (web_last - web_first)
    print(
        f"send to {args.members} into one aiosmtpd sink, rate at the sink: plp bulletin send "
        f"{cli_rate:.0f}/s, console {web_rate:.0f}/s — {web_rate / cli_rate:.0%} of the CLI's"
    )
    print(
        f"wall time, site build before the first message included: plp bulletin send "
        f"{cli_seconds:.2f} s (process start too), console {web_seconds:.2f} s (POST to report)"
    )


if __name__ == "__main__":
    main()
