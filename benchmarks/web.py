"""One-click unsubscribes in a burst: `plp web` against the framework's ceiling, on loopback.

Usage: python -m benchmarks.web [--members 15000] [--clients 1,10,50] [--generator raw|httpx]
       [--keep DIR]

After a national send, mailbox providers fire RFC 8058 POSTs (`List-Unsubscribe=One-Click`) in
bursts. This measures how many `plp web` answers per second, and their latency, with its default
store (SQLite) and one uvicorn worker.

1. Prepare (not timed): a project with the sample content and theme in a temporary folder;
   `--members` invented members imported into one PLP through the library
   (`coordinator.import_members`, the coordinator's path); each one's unsubscribe URL made as
   `coordinator.sending` makes the List-Unsubscribe header (UnsubscribeTokens over each
   Recipient, `urls.unsubscribe_url(PLP_WEB_URL, token)`), so every POST of the run unsubscribes
   a different member.
2. Two servers, each a fresh `python` child under `uvicorn.run(...)` on 127.0.0.1, one worker,
   no access log, started the same way: the bare ceiling (a Starlette route answering 200 and
   doing nothing) and `plp web` itself (through its CLI).
3. The load generator, in this process: N concurrent clients, each on its own keep-alive
   connection, a fixed number of POSTs per level (bounded: each URL is posted exactly once),
   each timed from send to last byte. Levels 1, 10 and 50 run in turn against the bare
   endpoint, then against `plp web` (each level its own slice of the members). By default each
   client is a bare asyncio HTTP/1.1 connection (~0.1 ms of CPU per request); `--generator
   httpx` uses one httpx AsyncClient per client instead, but httpx spends 1-1.5 ms of CPU per
   request, so at 50 clients it saturates its core before the bare endpoint does and the
   "ceiling" it reports is its own. The generator's CPU per request is printed to show which.
   wrk is not used: it is not installed by default, and giving each request its own token
   needs a Lua script.
4. Checked afterwards: every answer was 200 "Unsubscribed."; once `plp web` has stopped, the
   store counts exactly as many unsubscribed members as POSTs, each the member its URL named.
   `plp web`'s own log gives the time spent inside the app (Guard logs it: in a burst, a line a
   second with the count, p50, p99 and max), which splits the latency into the app's work and
   the waiting in front of it.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
PLP = "bergveld-centrum"  # a sample PLP; its members are invented below
SECRET = "benchmark-web-secret-0123456789-abcdefghijklmn"
CONSENT = "I agree to receive the PLP's bulletins by e-mail (benchmark)."
BODY = b"List-Unsubscribe=One-Click"
HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}
TARGET_SHARE, TARGET_P99_MS, TARGET_CLIENTS = 0.5, 50.0, 50
WARMUP = 50  # requests per server before the first timed level (not counted)

BARE_SERVER = """
import sys, uvicorn
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

async def unsubscribe(request):
    return PlainTextResponse("Unsubscribed.\\n")

app = Starlette(routes=[Route("/unsubscribe/{token}", unsubscribe, methods=["GET", "POST"])])
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=False, log_level="info")
"""
"""The ceiling: Starlette's routing and response under the same uvicorn.run as `plp web`, and
nothing else (no body read, no token, no store)."""


def http_parser() -> str:
    """The parser uvicorn's default (http="auto") picks, for both servers: httptools when it
    is installed (a dependency of plp), else h11."""
    try:
        import httptools  # noqa: F401
    except ImportError:
        return "h11"
    return "httptools"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLP_")}
    env.update(PLP_SECRET=SECRET, PLP_WEB_URL=url, PLP_TODAY="2026-11-29")
    return env


# --- preparing the project --------------------------------------------------------------------


def prepare(root: Path, members: int, web_url: str) -> list[tuple[int, str]]:
    """Copy the sample project, import the members, return (member id, unsubscribe URL)."""
    from pipeline import coordinator, urls
    from pipeline.config import load_config
    from pipeline.tokens import UnsubscribeTokens

    for name in ("content", "theme"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pelicanconf.py", root / "pelicanconf.py")
    config = load_config(root, env=environment(web_url))
    sheet = root / "members.csv"
    with sheet.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["email", "name", "language", "consent date"])
        writer.writerows(
            [f"lid{n:06}@example.org", f"Lid {n}", "nl", "2025-01-15"] for n in range(members)
        )
    with coordinator.Desk(config) as desk:
        report = coordinator.import_members(desk, sheet, PLP, "benchmark", CONSENT)
        assert report.imported == members, report
        # The same token and URL as the List-Unsubscribe header of a bulletin's copy.
        tokens = UnsubscribeTokens.from_config(config)
        return [
            (r.member_id, urls.unsubscribe_url(config.web_url, tokens.make_token(r)))
            for r in desk.store.members.active_members(PLP)
        ]


def count_unsubscribed(root: Path, web_url: str, ids: list[int]) -> tuple[int, int]:
    """(members of the PLP unsubscribed, of which named by a URL of the run), read afresh."""
    from pipeline.config import load_config
    from pipeline.state import open_store
    from pipeline.state.members import MemberStatus

    with open_store(load_config(root, env=environment(web_url))) as store:
        left = {m.id for m in store.members.list(PLP) if m.status is MemberStatus.UNSUBSCRIBED}
    return len(left), len(left & set(ids))


# --- the servers ------------------------------------------------------------------------------


class Server:
    """A child process serving on a free loopback port, stopped (by its handle) at the end."""

    def __init__(self, name: str, command: list[str], port: int, env: dict, log: Path):
        self.name, self.port, self.log = name, port, log
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            command, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{self.url}/unsubscribe/warm-up", timeout=1)
                return
            except httpx.TransportError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"{name} did not start:\n{log.read_text()}") from None
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{name} did not start in 60 s:\n{log.read_text()}")

    def cpu_seconds(self) -> float:
        """User + system CPU of the server process so far (Linux /proc)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --- the load generator -----------------------------------------------------------------------


async def burst(urls: list[str], clients: int, generator: str = "httpx") -> dict:
    """POST each URL once, `clients` at a time; latencies in ms, statuses and bodies checked.

    Each client has its own connection, as each mailbox provider's sender would: one shared
    httpx pool of 50 connections spends more CPU choosing a connection than the server spends
    answering, and then the generator, not the server, is measured."""
    pending = iter(urls)
    latencies: list[float] = []
    bad: list[str] = []

    async def httpx_client() -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(limits=limits, timeout=30) as client:
            for url in pending:  # a shared iterator: each URL is taken by exactly one client
                start = time.perf_counter()
                answer = await client.post(url, content=BODY, headers=HEADERS)
                latencies.append((time.perf_counter() - start) * 1000)
                if answer.status_code != 200 or answer.content != b"Unsubscribed.\n":
                    bad.append(f"{answer.status_code} {answer.content[:60]!r}")

    async def raw_client() -> None:
        first = next(pending, None)
        if first is None:
            return
        host, port = httpx.URL(first).host, httpx.URL(first).port
        reader, writer = await asyncio.open_connection(host, port)
        url = first
        while url is not None:
            path = httpx.URL(url).raw_path.decode()
            start = time.perf_counter()
            writer.write(RAW_POST.format(path=path, host=f"{host}:{port}").encode() + BODY)
            status, body = await _raw_answer(reader)
            latencies.append((time.perf_counter() - start) * 1000)
            if status != 200 or body != b"Unsubscribed.\n":
                bad.append(f"{status} {body[:60]!r}")
            url = next(pending, None)
        writer.close()

    one_client = raw_client if generator == "raw" else httpx_client
    cpu, start = time.process_time(), time.perf_counter()
    await asyncio.gather(*(one_client() for _ in range(clients)))
    seconds = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": seconds,
        "rate": len(latencies) / seconds,
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "bad": bad,
        "client_cpu": time.process_time() - cpu,
    }


RAW_POST = (
    "POST {path} HTTP/1.1\r\nHost: {host}\r\n"
    "Content-Type: application/x-www-form-urlencoded\r\n"
    f"Content-Length: {len(BODY)}\r\n\r\n"
)


async def _raw_answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """Status and body of one HTTP/1.1 response (Content-Length framed: both servers use it)."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = int(re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)[1])
    return status, await reader.readexactly(length)


def measure(server: Server, slices: dict[int, list[str]], warmup: list[str], generator: str):
    print(f"  {server.name} ...", flush=True)
    if warmup:
        asyncio.run(burst(warmup, 5, generator))
    results = {}
    for clients, urls in slices.items():
        cpu = server.cpu_seconds()
        result = asyncio.run(burst(urls, clients, generator))
        result["server_cpu"] = server.cpu_seconds() - cpu
        results[clients] = result
    return results


def app_times(log: Path) -> list[tuple[int, float, float, float]]:
    """Time inside the app for the one-click POSTs, from the log Guard writes: (requests, p50,
    p99, max ms) of each line (a lone request is a line of one; a burst, a line a second)."""
    text = log.read_text(encoding="utf-8")
    one = re.compile(r"POST /unsubscribe/\{token\} 200 ([\d.]+) ms")
    many = re.compile(
        r"POST /unsubscribe/\{token\} 200 ×(\d+): p50 ([\d.]+) ms, p99 ([\d.]+) ms, max ([\d.]+) ms"
    )
    lines = [(1, float(m[1]), float(m[1]), float(m[1])) for m in one.finditer(text)]
    return lines + [(int(m[1]), *map(float, m.groups()[1:])) for m in many.finditer(text)]


# --- the run ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=15000, help="members imported (15000)")
    parser.add_argument("--clients", default="1,10,50", help="concurrency levels (1,10,50)")
    parser.add_argument(
        "--generator",
        choices=("httpx", "raw"),
        default="raw",
        help="bare asyncio HTTP/1.1 connections (default) or httpx AsyncClients",
    )
    parser.add_argument("--keep", type=Path, help="use this folder for the project and keep it")
    args = parser.parse_args(argv)
    levels = [int(n) for n in args.clients.split(",")]
    if len(set(levels)) != len(levels):
        parser.error("--clients: each level once")

    base = args.keep or Path(tempfile.mkdtemp(prefix="plp-web-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    web_port, bare_port = free_port(), free_port()
    web_url = f"http://127.0.0.1:{web_port}"
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, httpx {httpx.__version__}; "
        f"{args.members:,} members in {PLP}; levels {levels}; generator {args.generator}; "
        f"servers: one uvicorn worker each, HTTP parser {http_parser()}"
    )
    try:
        start = time.perf_counter()
        targets = prepare(base / "project", args.members, web_url)
        print(f"prepared in {time.perf_counter() - start:.1f} s: {len(targets):,} unsubscribe URLs")
        share = (len(targets) - WARMUP) // len(levels)
        # Each level its own members; the warm-up uses GETs (a GET changes nothing).
        slices = {n: targets[i * share : (i + 1) * share] for i, n in enumerate(levels)}
        warm = [url for _, url in targets[-WARMUP:]]

        bare = Server(
            "bare Starlette",
            [sys.executable, "-c", BARE_SERVER, str(bare_port)],
            bare_port,
            environment(web_url),
            base / "bare.log",
        )
        try:
            swap = f"http://127.0.0.1:{bare_port}"
            ceiling = measure(
                bare,
                {n: [u.replace(web_url, swap) for _, u in s] for n, s in slices.items()},
                [u.replace(web_url, swap) for u in warm],
                args.generator,
            )
        finally:
            bare.stop()

        root = base / "project"
        web = Server(
            "plp web",
            [sys.executable, "-m", "pipeline", "--root", str(root), "web", "--port", str(web_port)],
            web_port,
            environment(web_url),
            base / "web.log",
        )
        try:
            asyncio.run(warm_up(warm))
            plain = {n: [u for _, u in s] for n, s in slices.items()}
            results = measure(web, plain, [], args.generator)
        finally:
            web.stop()
        ids = [member_id for s in slices.values() for member_id, _ in s]
        left, named = count_unsubscribed(root, web_url, ids)
        report(levels, ceiling, results, app_times(base / "web.log"), len(ids), left, named)
        failed = [r["bad"][:3] for r in (*ceiling.values(), *results.values()) if r["bad"]]
        return 1 if failed or not (left == named == len(ids)) else 0
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


async def warm_up(urls: list[str]) -> None:
    """GET the one-click pages once: templates, catalogs and the store opened, nothing changed."""
    async with httpx.AsyncClient(timeout=30) as client:
        for url in urls:
            assert (await client.get(url)).status_code == 200


def report(levels, ceiling, results, app_ms, posted, left, named) -> None:
    print(
        f"\n{'server':15} {'clients':>7} {'requests':>8} {'req/s':>7} {'p50 ms':>7} "
        f"{'p99 ms':>7} {'vs bare':>7} {'srv CPU ms/req':>14} {'gen CPU ms/req':>14}"
    )
    for name, rows in (("bare Starlette", ceiling), ("plp web", results)):
        for n in levels:
            r = rows[n]
            ratio = r["rate"] / ceiling[n]["rate"]
            print(
                f"{name:15} {n:>7} {r['requests']:>8,} {r['rate']:>7.0f} {r['p50']:>7.1f} "
                f"{r['p99']:>7.1f} {ratio:>7.0%} {r['server_cpu'] / r['requests'] * 1000:>14.2f}"
                f" {r['client_cpu'] / r['requests'] * 1000:>14.2f}"
            )
            for line in r["bad"][:3]:
                print(f"    unexpected answer: {line}")
    if app_ms:
        count = sum(n for n, *_ in app_ms)
        p50s = sorted(p50 for n, p50, _, _ in app_ms if n > 1) or [app_ms[0][1]]
        print(
            f"\nInside plp web (Guard's log, {count:,} one-click POSTs in {len(app_ms)} lines, "
            f"a line a second in a burst): p50 {p50s[0]:.1f}–{p50s[-1]:.1f} ms, "
            f"worst p99 {max(p99 for _, _, p99, _ in app_ms):.1f} ms, "
            f"max {max(top for *_, top in app_ms):.1f} ms"
        )
    print(
        f"Durable: {posted:,} POSTs, {left:,} members unsubscribed in the store, {named:,} of "
        "them the members the URLs named" + (" — OK" if left == named == posted else " — MISMATCH")
    )
    top = results.get(TARGET_CLIENTS)
    if top:
        ratio = top["rate"] / ceiling[TARGET_CLIENTS]["rate"]
        verdict = "met" if ratio >= TARGET_SHARE and top["p99"] <= TARGET_P99_MS else "MISSED"
        print(
            f"Targets at {TARGET_CLIENTS} clients: >= {TARGET_SHARE:.0%} of the ceiling "
            f"(got {ratio:.0%}), p99 <= {TARGET_P99_MS:.0f} ms (got {top['p99']:.1f} ms): "
            f"{verdict}"
        )


if __name__ == "__main__":
    sys.exit(main())
