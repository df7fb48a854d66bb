"""Sending at national scale: one bulletin to the ~100,000 members, into a counting SMTP sink.

Usage: python -m benchmarks.sending [--members N] [--connections 4] [--bare-connections 8]
       [--max-seconds 900] [--no-dkim] [--keep DIR] [--sink aiosmtpd|smtp-sink]

1. Prepare (not timed as sending): a var/ folder in a temporary directory; the members of
   members.csv imported per PLP through `plp members import`'s library call (the coordinator's path:
   one CSV per PLP, every address validated); one bulletin drafted through `coordinator.draft` for
   one representative PLP per language (fr, nl, de), so every member gets a real bulletin in
   their language; `--members N` keeps the first N rows of members.csv.
2. The sink: aiosmtpd on 127.0.0.1 in its own process (its own GIL), counting and discarding;
   it stops by itself after the run's time budget, or when this process goes away. With
   `--sink smtp-sink`, Postfix's C sink instead (Debian's `postfix`), far faster than aiosmtpd,
   and (a) is then Postfix's own `smtp-source` with messages of the bulletin's size: the
   ceiling the issue holds the sender against.
3. Measured, each in a fresh child process (so ru_maxrss is that phase's own peak):
   (a) the sink's ceiling: a bare asyncio client, pre-built messages, several connections;
   (b) `deliver()` with the real SmtpMailer, ledger and per-member composition (the same
       composer `plp bulletin send` uses: token, template per language);
   (c) the same with DKIM signing on (a fresh 2048-bit RSA key): its CPU share and cost.
   Same members in (a), (b) and (c); the sink is restarted for each, and its counts checked.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import dataclasses
import itertools
import multiprocessing as mp
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from benchmarks.bulletins import make_config
from benchmarks.national import ensure_dataset

SENDER = "bounces@bulletins.plp.example.org"
CONSENT = "I agree to receive the PLP's bulletins by e-mail (benchmark)."
SAMPLE = 400  # distinct pre-built messages the bare client cycles through
DATABASE_ENV = "PLP_BENCH_DATABASE_URL"  # set by --postgres for the phases' children


# --- the sink (its own process) -------------------------------------------------------------


def _sink_main(port_out, stop, counters, deadline: float) -> None:
    """aiosmtpd counting and discarding messages until `stop`, the deadline, or orphanhood."""
    from aiosmtpd.smtp import SMTP

    count, size, cpu = counters
    parent = os.getppid()

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            count.value += 1
            size.value += len(envelope.content)
            return "250 2.0.0 accepted"

    async def main() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(
            lambda: SMTP(Sink(), hostname="sink.test", ident="sink", enable_SMTPUTF8=True),
            "127.0.0.1",
            0,
        )
        port_out.send(server.sockets[0].getsockname()[1])
        while not stop.is_set() and time.monotonic() < deadline and os.getppid() == parent:
            cpu.value = time.process_time()
            await asyncio.sleep(0.2)
        cpu.value = time.process_time()
        server.close()

    asyncio.run(main())


class SinkProcess:
    """Start the sink in a child process; counts readable from here."""

    def __init__(self, budget: float):
        ctx = mp.get_context("spawn")
        self.counters = (ctx.Value("q", 0, lock=False), ctx.Value("q", 0, lock=False))
        self.cpu = ctx.Value("d", 0.0, lock=False)
        self._stop = ctx.Event()
        receive, send = ctx.Pipe(duplex=False)
        self.process = ctx.Process(
            target=_sink_main,
            args=(send, self._stop, (*self.counters, self.cpu), time.monotonic() + budget),
            daemon=True,
        )
        self.process.start()
        if not receive.poll(30):
            self.process.kill()
            raise RuntimeError("the SMTP sink did not start")
        self.port = receive.recv()

    @property
    def count(self) -> int:
        return self.counters[0].value

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._stop.set()
        self.process.join(10)
        if self.process.is_alive():
            self.process.kill()  # ours, by its handle
            self.process.join()


class CSinkProcess:
    """Postfix's `smtp-sink` (C): accepts and discards; counts from its `-c` counter."""

    def __init__(self, budget: float):
        binary = shutil.which("smtp-sink", path="/usr/sbin:/usr/bin")
        if binary is None:
            raise SystemExit("smtp-sink missing: apt-get install postfix")
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self._out = tempfile.TemporaryFile()  # noqa: SIM115 - read until close()
        user = ["-u", "nobody"] if os.geteuid() == 0 else []
        self.process = subprocess.Popen(
            [binary, "-c", *user, f"127.0.0.1:{self.port}", "256"], stdout=self._out
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        self.counters = (None, _Zero())  # no byte count from smtp-sink
        self._cpu = 0.0

    @property
    def count(self) -> int:
        self._out.seek(0)
        tail = self._out.read()[-200:].decode("ascii", "replace")
        found = [part for part in tail.replace("\r", " ").split() if part.startswith("mesg=")]
        return int(found[-1][5:]) if found else 0

    @property
    def cpu(self) -> _Zero:
        return _Zero(self._cpu)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def close(self) -> None:
        try:  # utime + stime of the sink, in seconds
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            self._cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            pass
        self.process.terminate()
        self.process.wait(10)


class _Zero:
    """A counter with a .value, as multiprocessing's shared values have."""

    def __init__(self, value: float = 0):
        self.value = value


def phase_source(size: int, url: str, sessions: int, messages: int) -> dict:
    """(a) with smtp-sink: Postfix's smtp-source, the sink's own ceiling."""
    binary = shutil.which("smtp-source", path="/usr/sbin:/usr/bin")
    command = [binary, "-s", str(sessions), "-m", str(messages), "-l", str(size)]
    command += ["-f", SENDER, "-t", "member@example.org", url.split("//", 1)[1]]
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {
        "sent": messages,
        "seconds": time.perf_counter() - start,
        "cpu": cpu,
        "maxrss_mb": after.ru_maxrss / 1024,
        "sink_bytes": 0,
    }


# --- preparing var/ -------------------------------------------------------------------------


def prepare(root: Path, var: Path, limit: int | None) -> dict:
    """Import the members, draft one bulletin per language; returns what the phases need."""
    from pipeline import coordinator
    from pipeline.content import load_content
    from pipeline.roster.importer import import_sheet
    from pipeline.state import open_store

    config = _base_config(root, var)
    content = load_content(config)
    rows: dict[str, list[list[str]]] = defaultdict(list)
    with (root / "members.csv").open(encoding="utf-8", newline="") as f:
        for row in itertools.islice(csv.DictReader(f, delimiter=";"), limit):
            rows[row["plp"]].append([row["email"], row["name"], row["language"], "2025-01-15"])
    sheets = var / "sheets"
    sheets.mkdir(parents=True)
    state = open_store(config)
    start = time.perf_counter()
    imported = 0
    for slug, members in rows.items():
        path = sheets / f"{slug}.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, delimiter=";")
            writer.writerow(["email", "name", "language", "consent date"])
            writer.writerows(members)
        plp = content.plps[slug]
        report = import_sheet(
            state.members,
            path,
            slug,
            plp.languages,
            "benchmark",
            CONSENT,
            None,
            config.current_date(),
        )
        imported += report.imported
    import_seconds = time.perf_counter() - start
    state.close()
    shutil.rmtree(sheets)

    # One representative PLP per language: the active one with the most members, drafted.
    drafts, start = {}, time.perf_counter()
    desk = coordinator.Desk(config, content=content)
    for lang in ("fr", "nl", "de"):
        candidates = sorted(
            (p for p in content.plps.values() if p.active and lang in p.languages),
            key=lambda p: -len(rows.get(p.slug, ())),
        )
        for plp in candidates:
            try:
                draft = coordinator.draft(desk, plp.slug, langs=[lang])
            except Exception:  # nothing to say in this PLP: try the next one
                continue
            drafts[lang] = (plp.slug, draft.number)
            break
    draft_seconds = time.perf_counter() - start
    compose = _composer(config, drafts)
    with open_store(config) as state:
        firsts = [next(iter(state.members.active_members(slug))) for slug, _ in drafts.values()]
        sizes = [len(compose(recipient)) for recipient in firsts]
    return {
        "message_bytes": sum(sizes) // len(sizes),
        "plps": sorted(rows),
        "imported": imported,
        "import_seconds": import_seconds,
        "drafts": drafts,
        "draft_seconds": draft_seconds,
    }


def _base_config(root: Path, var: Path):
    """The benchmark's config; PostgreSQL for the private state when --postgres started one."""
    config = make_config(root, var)
    url = os.environ.get(DATABASE_ENV)
    return dataclasses.replace(config, database_url=url) if url else config


def _config(root: Path, var: Path, smtp_url: str, connections: int):
    return dataclasses.replace(
        _base_config(root, var), smtp_url=smtp_url, smtp_concurrency=connections, smtp_timeout=60
    )


def _composer(config, drafts: dict):
    """compose(recipient) as coordinator.send builds it, choosing the edition by language."""
    from pipeline.bulletin.store import BulletinStore
    from pipeline.content import load_content
    from pipeline.coordinator import sending

    content = load_content(config)
    store = BulletinStore(config)
    by_lang = {
        lang: sending._composer(config, content.plps[slug], store.get(slug, number))
        for lang, (slug, number) in drafts.items()
    }
    fallback = by_lang.get("nl") or next(iter(by_lang.values()))
    del content  # only the composers are kept: the send holds no content in memory

    def compose(recipient):
        return by_lang.get(recipient.language, fallback)(recipient)

    return compose


def _recipients(store, plps: list[str], deadline: float):
    """Every active member, PLP by PLP, streamed; stops being fed once the budget is spent."""
    for slug in plps:
        for recipient in store.active_members(slug):
            if time.monotonic() > deadline:
                return
            yield recipient


# --- the phases (each in a fresh child process) ---------------------------------------------


def phase_bare(root, var, plps, drafts, url, connections, budget, out) -> None:
    """(a) A bare asyncio client pushing pre-built messages, no ledger, no composition."""
    from pipeline.mailing.smtp import _wire_body
    from pipeline.state import open_store

    config = _config(root, var, url, connections)
    compose = _composer(config, drafts)
    state = open_store(config)
    store = state.members
    recipients = list(_recipients(store, plps, float("inf")))
    # A sample spread over the whole list (every language), each message pre-built once.
    sample = [_wire_body(compose(r)) for r in recipients[:: max(1, len(recipients) // SAMPLE)]]
    envelopes = [
        (r.ascii_email, sample[i % len(sample)]) for i, r in enumerate(recipients) if r.ascii_email
    ]
    state.close()
    del recipients

    async def client(queue: asyncio.Queue, deadline: float) -> int:
        reader, writer = await asyncio.open_connection("127.0.0.1", config_port(url))

        async def reply() -> int:
            while True:
                line = await reader.readline()
                if not line:
                    raise ConnectionError("the sink hung up")
                if line[3:4] != b"-":
                    return int(line[:3])

        await reply()
        writer.write(b"EHLO bench.test\r\n")
        await reply()
        sent = 0
        while not queue.empty() and time.monotonic() < deadline:
            rcpt, data = queue.get_nowait()
            writer.write(f"MAIL FROM:<{SENDER}>\r\n".encode())
            assert await reply() == 250
            writer.write(f"RCPT TO:<{rcpt}>\r\n".encode())
            assert await reply() == 250
            writer.write(b"DATA\r\n")
            assert await reply() == 354
            writer.write(data)
            assert await reply() == 250
            sent += 1
        writer.write(b"QUIT\r\n")
        await reply()
        writer.close()
        return sent

    async def main() -> int:
        queue: asyncio.Queue = asyncio.Queue()
        for item in envelopes:
            queue.put_nowait(item)
        deadline = time.monotonic() + budget
        done = await asyncio.gather(*(client(queue, deadline) for _ in range(connections)))
        return sum(done)

    cpu, start = time.process_time(), time.perf_counter()
    sent = asyncio.run(main())
    out.send(_measure(sent, start, cpu))


def config_port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def phase_deliver(root, var, plps, drafts, url, connections, budget, key, bid, out) -> None:
    """(b)/(c) deliver() with SmtpMailer, the ledger, per-member composition (and DKIM)."""
    from pipeline.mailing.delivery import deliver
    from pipeline.mailing.dkim import DkimSigner
    from pipeline.mailing.smtp import SmtpMailer
    from pipeline.state import open_store
    from pipeline.state.ledger import LedgerStatus

    config = _config(root, var, url, connections)
    compose = _composer(config, drafts)
    signing = [0.0, 0]  # thread CPU seconds in sign(), messages signed
    lock = threading.Lock()
    if key is not None:
        signer = DkimSigner(key, "bench2026", config.sending_domain)
        plain = compose

        def compose(recipient):  # the signed variant
            data = plain(recipient)
            begin = time.thread_time()
            signed = signer.sign(data)
            spent = time.thread_time() - begin
            with lock:
                signing[0] += spent
                signing[1] += 1
            return signed

    state, mailer = open_store(config), SmtpMailer(config)
    store, ledger = state.members, state.ledger
    cpu, start = time.process_time(), time.perf_counter()
    report = deliver(
        bid,
        _recipients(store, plps, time.monotonic() + budget),
        compose,
        mailer,
        ledger,
        config,
        members=store,
    )
    result = _measure(report.sent, start, cpu)
    mailer.close()
    result["not_sent"] = len(report.failed) + len(report.uncertain) + len(report.skipped)
    result["sign_cpu"], result["signed"] = signing
    result["ledger_sent"] = ledger.counts(bid)[LedgerStatus.SENT]
    state.close()
    out.send(result)


def _measure(sent: int, start: float, cpu: float) -> dict:
    return {
        "sent": sent,
        "seconds": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_phase(target, args: tuple, budget: float, sinks=SinkProcess) -> tuple[dict, float, int]:
    """Run one phase in a child against a fresh sink; (result, sink CPU, sink count)."""
    ctx = mp.get_context("spawn")
    print(f"  {target.__name__} ...", flush=True)
    sink = sinks(budget + 120)
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=target, args=(*args[:4], sink.url, *args[4:], send))
    try:
        child.start()
        if not receive.poll(budget + 300):
            raise RuntimeError(f"{target.__name__} did not finish in time")
        result = receive.recv()
        child.join(30)
    finally:
        if child.is_alive():
            child.kill()  # ours, by its handle
        sink.close()
    result["sink_bytes"] = sink.counters[1].value
    return result, sink.cpu.value, sink.count


def run_senders(n: int, args: tuple, budget: float, sinks) -> tuple[dict, float, int]:
    """n deliver() processes on one bulletin into one fresh sink, started together; the
    figures of the whole: messages of all, the slowest one's time, the largest peak RSS."""
    ctx = mp.get_context("spawn")
    print(f"  phase_deliver x {n} ...", flush=True)
    sink = sinks(budget + 120)
    pipes = [ctx.Pipe(duplex=False) for _ in range(n)]
    children = [
        ctx.Process(target=phase_deliver, args=(*args[:4], sink.url, *args[4:], send))
        for _, send in pipes
    ]
    try:
        for child in children:
            child.start()
        results = []
        for receive, _ in pipes:
            if not receive.poll(budget + 300):
                raise RuntimeError("a sender did not finish in time")
            results.append(receive.recv())
        for child in children:
            child.join(30)
    finally:
        for child in children:
            if child.is_alive():
                child.kill()  # ours, by its handle
        sink.close()
    whole = {
        "sent": sum(r["sent"] for r in results),
        "seconds": max(r["seconds"] for r in results),
        "cpu": sum(r["cpu"] for r in results),
        "maxrss_mb": max(r["maxrss_mb"] for r in results),
        "not_sent": sum(r["not_sent"] for r in results),
        "ledger_sent": results[-1]["ledger_sent"],
        "sink_bytes": sink.counters[1].value,
        "sign_cpu": 0.0,
        "signed": 0,
    }
    return whole, sink.cpu.value, sink.count


def run_source(size: int, sessions: int, messages: int) -> tuple[dict, float, int]:
    """smtp-source against a fresh smtp-sink."""
    print("  phase_source (smtp-source) ...", flush=True)
    sink = CSinkProcess(0)
    try:
        result = phase_source(size, sink.url, sessions, messages)
        time.sleep(0.3)
    finally:
        count = sink.count
        sink.close()
    return result, sink.cpu.value, count


def make_key(folder: Path) -> bytes:
    path = folder / "dkim.pem"
    command = ["openssl", "genrsa", "-out", str(path), "2048"]
    subprocess.run(command, check=True, capture_output=True)
    return path.read_bytes()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=None, help="first N members (all)")
    parser.add_argument("--connections", type=int, default=4, help="SmtpMailer's (4)")
    parser.add_argument("--bare-connections", type=int, default=8, help="bare client's (8)")
    parser.add_argument("--max-seconds", type=float, default=900, help="per phase (900)")
    parser.add_argument("--no-dkim", action="store_true", help="skip phase (c)")
    parser.add_argument("--keep", type=Path, help="use this folder for var/ and keep it")
    parser.add_argument(
        "--sink", choices=("aiosmtpd", "smtp-sink"), default="aiosmtpd", help="(aiosmtpd)"
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="the private state in a private PostgreSQL cluster (Debian's binaries) started here",
    )
    parser.add_argument(
        "--senders",
        default="1",
        help="with --postgres: sender processes on one bulletin, e.g. 1,2,4 (1)",
    )
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.senders.split(",")]
    if max(counts) > 1 and not args.postgres:
        parser.error("several senders need --postgres (SQLite allows one sender a bulletin)")
    sinks = CSinkProcess if args.sink == "smtp-sink" else SinkProcess

    root = ensure_dataset()
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; "
        f"members: {args.members or 'all'}; budget {args.max_seconds:.0f} s per phase"
    )
    base = args.keep or Path(tempfile.mkdtemp(prefix="plp-sending-"))
    var = base / "var"
    cluster = None
    try:
        if args.postgres:
            cluster = _start_postgres()
            print(f"PostgreSQL: {cluster.describe}")
        start = time.perf_counter()
        prep = prepare(root, var, args.members)
        print(
            f"prepared in {time.perf_counter() - start:.0f} s: {prep['imported']:,} members "
            f"imported per PLP through import_sheet in {prep['import_seconds']:.1f} s "
            f"({len(prep['plps'])} sheets); bulletins drafted for "
            + ", ".join(f"{lang}: {slug}" for lang, (slug, _) in prep["drafts"].items())
            + f" in {prep['draft_seconds']:.1f} s"
        )
        common = (root, var, prep["plps"], prep["drafts"])
        rows = []
        if args.sink == "smtp-sink":
            size = prep["message_bytes"]
            bare, sink_cpu, got = run_source(size, args.bare_connections, prep["imported"])
            label = f"(a) smtp-source, {size / 1024:.0f} KB"
        else:
            bare, sink_cpu, got = run_phase(
                phase_bare, (*common, args.bare_connections, args.max_seconds), args.max_seconds
            )
            label = "(a) bare client, pre-built"
        assert got == bare["sent"], (got, bare["sent"])
        rows.append((label, args.bare_connections, bare, sink_cpu))
        if args.postgres:
            for n in counts:
                result, sink_cpu, got = run_senders(
                    n,
                    (*common, args.connections, args.max_seconds, None, f"national/{10 + n}"),
                    args.max_seconds,
                    sinks,
                )
                assert got == result["sent"] == result["ledger_sent"], (got, result)
                label = f"(b) deliver(), PostgreSQL, {n} sender(s)"
                rows.append((label, args.connections * n, result, sink_cpu))
            report(rows)
            return 0
        phases = [("(b) deliver(), SmtpMailer + ledger", None, "national/1")]
        if not args.no_dkim:
            phases.append(("(c) deliver() + DKIM (RSA-2048)", make_key(base), "national/2"))
        for label, key, bid in phases:
            result, sink_cpu, got = run_phase(
                phase_deliver,
                (*common, args.connections, args.max_seconds, key, bid),
                args.max_seconds,
                sinks,
            )
            assert got == result["sent"] == result["ledger_sent"], (got, result)
            rows.append((label, args.connections, result, sink_cpu))
        report(rows)
    finally:
        if cluster is not None:
            cluster.stop()
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    return 0


def _start_postgres():
    """A private cluster (the tests' helper, durable settings) and an empty database in it."""
    from tests.postgres import Cluster
    from tests.tools import postgres_bin

    cluster = Cluster(postgres_bin(), durable=True).start()
    os.environ[DATABASE_ENV] = cluster.url(cluster.new_database(empty=True))
    return cluster


def report(rows) -> None:
    ceiling = rows[0][2]["sent"] / rows[0][2]["seconds"]
    print(
        f"\n{'phase':38} {'conns':>5} {'sent':>8} {'s':>7} {'msg/s':>7} {'vs (a)':>7}"
        f" {'RSS MB':>7} {'CPU ms/msg':>10} {'sink ms/msg':>11} {'KB/msg':>8}"
    )
    for label, conns, r, sink_cpu in rows:
        rate = r["sent"] / r["seconds"]
        kb = r["sink_bytes"] / r["sent"] / 1024 or float("nan")  # smtp-sink counts no bytes
        print(
            f"{label:38} {conns:>5} {r['sent']:>8,} {r['seconds']:>7.1f} {rate:>7.0f}"
            f" {rate / ceiling:>7.0%} {r['maxrss_mb']:>7.0f} {r['cpu'] / r['sent'] * 1000:>10.2f}"
            f" {sink_cpu / r['sent'] * 1000:>11.2f} {kb:>8.1f}"
        )
    plain = rows[1][2] if len(rows) > 1 else None
    for label, _, r, _ in rows:
        if r.get("signed") and plain:
            per = r["sign_cpu"] / r["signed"] * 1000
            drop = 1 - (r["sent"] / r["seconds"]) / (plain["sent"] / plain["seconds"])
            print(
                f"\nDKIM in {label[:3]}: {per:.2f} ms CPU per message signed, "
                f"{r['sign_cpu'] / r['cpu']:.0%} of the sending process's CPU time; "
                f"{drop:.0%} fewer messages/s than (b)"
            )
        if r.get("not_sent"):
            print(f"{label[:3]}: {r['not_sent']} not sent (failed, uncertain or skipped)")
    print("\nTargets: (b) >= 80% of (a); peak RSS of (b) <= 300 MB; DKIM not dominant.")


if __name__ == "__main__":
    sys.exit(main())
