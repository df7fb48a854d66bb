"""A real SMTP server on loopback (aiosmtpd) that injects the faults a relay can show."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from aiosmtpd.smtp import SMTP, Envelope, Session


@dataclass
class Faults:
    """What goes wrong, and for whom; change the fields between sends."""

    refuse_connections: int = 0  # the next k connections get 421 instead of the greeting
    slow_greeting: float = 0.0  # seconds before the greeting
    tempfail_rcpt: int = 0  # every recipient gets 451 at RCPT this many times, then is accepted
    reject_rcpt: set[str] = field(default_factory=set)  # 550 at RCPT (reply echoes the address)
    reject_data: set[str] = field(default_factory=set)  # 554 after the message
    drop_during_data: set[str] = field(default_factory=set)  # hang up right after 354, each time
    drop_during_data_once: set[str] = field(default_factory=set)  # … the first time only
    drop_after_data: set[str] = field(default_factory=set)  # keep the message, hang up, no reply
    slow_data: dict[str, float] = field(default_factory=dict)  # keep it, answer after N seconds
    hang_up_every: int = 0  # close an idle connection after every N messages (idle timeout)
    delay: float = 0.0  # seconds spent on each message (a slower server)
    greylist: float = 0.0  # 451 for a recipient until this many seconds after its first try
    rcpt_limit: int = 0  # per connection: 452 "too many recipients" after N accepted messages
    close_after: int = 0  # per connection: 421 and hang up at the next MAIL after N messages
    pipelining: bool = True  # offer PIPELINING (RFC 2920), as Postfix and providers do
    smtputf8: bool = True  # offer SMTPUTF8 (RFC 6531); Postfix only with smtputf8_enable


@dataclass(frozen=True)
class Received:
    sender: str
    recipient: str
    data: bytes
    mail_options: tuple[str, ...] = ()


class FaultyServer:
    """Start with start(); received messages in .messages; faults in .faults."""

    def __init__(self, faults: Faults | None = None, *, tls_context=None, implicit_tls=None):
        self.faults = faults or Faults()
        self.messages: list[Received] = []
        self.rcpt_attempts: Counter[str] = Counter()
        self.first_seen: dict[str, float] = {}
        self.connections = 0
        self.open_connections = 0
        self.max_open_connections = 0
        self._transports: set = set()
        self._tls_context = tls_context
        self._implicit_tls = implicit_tls
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    @property
    def url(self) -> str:
        scheme = "smtps" if self._implicit_tls else "smtp+starttls" if self._tls_context else "smtp"
        return f"{scheme}://127.0.0.1:{self.port}"

    def recipients(self) -> list[str]:
        """Envelope recipients of every message received, in order."""
        return [m.recipient for m in self.messages]

    def start(self) -> FaultyServer:
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(self._create(), self._loop).result(10)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        if self._loop.is_closed():  # stopped already (a test that takes the server down)
            return

        async def close():
            self._server.close()
            for transport in list(self._transports):
                transport.abort()
            await self._server.wait_closed()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    async def _create(self):
        return await self._loop.create_server(
            lambda: _FaultySMTP(self), "127.0.0.1", 0, ssl=self._implicit_tls
        )

    # -- the handler (aiosmtpd calls these in the server's loop) --

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.faults.pipelining:
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_MAIL(self, server, session: Session, envelope: Envelope, address, options):
        sent = getattr(session, "sent", 0)
        if self.faults.close_after and sent >= self.faults.close_after:
            self._loop.call_soon(server.transport.close)
            return "421 4.7.0 Too many messages on this connection, closing"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server, session: Session, envelope: Envelope, address, options):
        self.rcpt_attempts[address] += 1
        if address in self.faults.reject_rcpt:
            return f"550 5.1.1 <{address}>: Recipient address rejected: no such user"
        if self.rcpt_attempts[address] <= self.faults.tempfail_rcpt:
            return "451 4.7.1 Greylisted, please try again later"
        if self.faults.greylist:
            first = self.first_seen.setdefault(address, time.monotonic())
            if time.monotonic() - first < self.faults.greylist:
                return "451 4.7.1 Greylisted, please try again later"
        if self.faults.rcpt_limit and getattr(session, "sent", 0) >= self.faults.rcpt_limit:
            return "452 4.5.3 Too many recipients on this connection"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session: Session, envelope: Envelope):
        recipient = envelope.rcpt_tos[0]
        if self.faults.delay:
            await asyncio.sleep(self.faults.delay)
        if recipient in self.faults.reject_data:
            return "554 5.7.1 Message refused by content filter"
        self.messages.append(
            Received(
                envelope.mail_from,
                recipient,
                envelope.original_content,
                tuple(envelope.mail_options),
            )
        )
        if recipient in self.faults.drop_after_data:
            server.transport.abort()
            await asyncio.Future()  # cancelled when aiosmtpd sees the connection gone
        if recipient in self.faults.slow_data:
            await asyncio.sleep(self.faults.slow_data[recipient])
        session.sent = getattr(session, "sent", 0) + 1
        if self.faults.hang_up_every and session.sent % self.faults.hang_up_every == 0:
            # Reply first, then hang up: the client finds out when it reuses the connection.
            self._loop.call_soon(server.transport.close)
        return "250 2.0.0 OK queued"


class _FaultySMTP(SMTP):
    def __init__(self, owner: FaultyServer):
        super().__init__(
            owner,
            hostname="mx.example.org",
            enable_SMTPUTF8=owner.faults.smtputf8,  # read per connection
            tls_context=owner._tls_context,
            auth_require_tls=False,
            loop=owner._loop,
        )
        self.owner = owner
        self._greeted = False
        self._lost = False

    def connection_made(self, transport):
        self.owner._transports.add(transport)
        if not self._greeted:
            self.owner.connections += 1
            self.owner.open_connections += 1
            self.owner.max_open_connections = max(
                self.owner.max_open_connections, self.owner.open_connections
            )
        super().connection_made(transport)

    def connection_lost(self, error):
        self.owner._transports.discard(self.transport)
        if not self._lost:
            self._lost = True
            self.owner.open_connections -= 1
        super().connection_lost(error)

    async def push(self, status):
        faults = self.owner.faults
        if not self._greeted and str(status).startswith("220 "):
            self._greeted = True
            if faults.slow_greeting:
                await asyncio.sleep(faults.slow_greeting)
            if faults.refuse_connections > 0:
                faults.refuse_connections -= 1
                await super().push("421 4.3.2 Too busy, try again later")
                self.transport.close()
                return
        await super().push(status)

    async def smtp_DATA(self, arg):
        faults = self.owner.faults
        recipient = self.envelope.rcpt_tos[0] if self.envelope.rcpt_tos else None
        if recipient in faults.drop_during_data or recipient in faults.drop_during_data_once:
            faults.drop_during_data_once.discard(recipient)
            # 354 and the hang-up in one TCP segment (corked), as a relay that gives up at
            # once: abort() alone would close on the loop's next turn, by which time a fast
            # client has written the whole message.
            sock = self.transport.get_extra_info("socket")
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 1)
            self.transport.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
            sock.shutdown(socket.SHUT_WR)
            self.transport.abort()
            return
        await super().smtp_DATA(arg)
