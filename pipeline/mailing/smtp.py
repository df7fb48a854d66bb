"""Delivery through an SMTP relay: reused connections, one per thread, a rate limit, and every
outcome classified as sent, temporary, permanent or uncertain."""

from __future__ import annotations

import re
import select
import smtplib
import ssl
import threading
import time
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

import idna

from ..config import Config
from ..errors import DeliveryError
from .mailer import (
    Envelope,
    PermanentFailure,
    SendFailure,
    ServerUnavailable,
    TemporaryFailure,
    UncertainDelivery,
)

_PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
_EOL = re.compile(rb"\r?\n")


class _BodyTracking:
    """smtplib's DATA, but remembering whether the whole message, final "." included, went out:
    a server cannot accept an incomplete message (RFC 5321), so a connection lost before that
    is harmless (retry); only after it is the outcome unknown."""

    body_sent = False
    messages = 0  # accepted on this connection

    def data(self, msg: bytes) -> tuple[int, bytes]:
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            return code, reply
        return self.message(msg)

    def message(self, msg: bytes) -> tuple[int, bytes]:
        """After 354: the message and its final dot; the server's reply."""
        wire = _wire_body(msg)
        body = len(wire) - 3  # the final ".\r\n" goes alone, after a last look
        for piece in (wire[:body], wire[body:]):
            # A server says nothing before the final dot unless it gives up: stop writing.
            if select.select([self.sock], [], [], 0)[0]:
                raise smtplib.SMTPServerDisconnected("the server hung up during DATA")
            self.sock.sendall(piece)
        self.body_sent = True
        return self.getreply()


class _Plain(_BodyTracking, smtplib.SMTP):
    pass


class _Tls(_BodyTracking, smtplib.SMTP_SSL):
    pass


class _Stale(Exception):
    """The connection died before the message went out."""


class _Reconnect(Exception):
    """The server limits this connection (421, or 452 too many recipients): use a fresh one."""

    def __init__(self, failure: SendFailure):
        self.failure = failure


class SmtpMailer:
    """Sends through config.smtp_url (smtp://, smtp+starttls://, smtps://)."""

    def __init__(self, config: Config, *, ssl_context: ssl.SSLContext | None = None):
        url = urlsplit(config.smtp_url or "")
        self.scheme = url.scheme
        self.host = url.hostname or "localhost"
        self.port = url.port or _PORTS.get(url.scheme, 25)
        self.concurrency = config.smtp_concurrency
        self._username = config.smtp_username or unquote(url.username or "") or None
        self._password = config.smtp_password or unquote(url.password or "") or None
        self._timeout = config.smtp_timeout
        self._ehlo_name = config.sending_domain  # never let smtplib ask DNS for our FQDN
        self._ssl = ssl_context or ssl.create_default_context()
        self._interval = 1.0 / config.smtp_rate if config.smtp_rate else 0.0
        self._per_connection = config.smtp_messages_per_connection
        self._next_slot = 0.0
        self._pace_lock = threading.Lock()
        # Idle connections, shared by whichever thread sends next: a later run (the next
        # bulletin) reuses them instead of opening more.
        self._idle: list[_Plain] = []
        self._idle_lock = threading.Lock()

    def send(self, envelope: Envelope, before_data: Callable[[], None] | None = None) -> None:
        """Deliver one envelope; returns only once the server accepted it."""
        self._pace()  # before before_data(): a member waiting here is not "in flight"
        for retry in (False, True):
            # The second try is always on a fresh connection: another idle one may be as
            # stale, or as close to the server's limit, as the first.
            conn, reused = (self._connect(), False) if retry else self._checkout()
            try:
                self._transaction(conn, envelope, before_data)
                conn.messages += 1
                if self._per_connection and conn.messages >= self._per_connection:
                    self._quit(conn)  # the relay's limit: the next message opens a new one
                return
            except _Stale as exc:
                # A reused connection the server dropped while idle: try once on a fresh one.
                if reused and not retry:
                    continue
                raise ServerUnavailable(0, f"connection to {self.host} lost: {exc}") from None
            except _Reconnect as limit:
                self._drop(conn)
                if not retry:
                    continue  # a fresh connection starts a fresh count on the server
                raise limit.failure from None
            finally:
                if conn.sock is not None:
                    with self._idle_lock:
                        self._idle.append(conn)

    def close(self) -> None:
        """Say QUIT on every idle connection."""
        with self._idle_lock:
            connections, self._idle = self._idle, []
        for conn in connections:
            try:
                conn.quit()
            except (smtplib.SMTPException, OSError):
                conn.close()

    def _transaction(self, conn: _Plain, envelope: Envelope, before_data) -> None:
        recipient, utf8 = _wire_address(envelope.recipient)
        if utf8 and not conn.has_extn("smtputf8"):
            raise PermanentFailure(
                0, "the server does not accept internationalised addresses (no SMTPUTF8)"
            )
        conn.body_sent = False
        if conn.has_extn("pipelining"):
            return self._pipelined(conn, envelope, recipient, utf8, before_data)
        try:
            code, reply = conn.mail(envelope.sender, ["SMTPUTF8"] if utf8 else [])
            if code == 250:
                code, reply = conn.rcpt(recipient)
                if code == 452:  # too many recipients (RFC 5321 §4.5.3.1.10): per connection
                    self._reset(conn, code)
                    raise _Reconnect(_refusal(code, reply))
            if code in (250, 251):
                try:
                    if before_data:
                        before_data()
                except BaseException:
                    self._reset(conn, 0)
                    raise
                code, reply = conn.data(envelope.data)
                if code == 250:
                    return
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._drop(conn)
            if conn.body_sent:
                raise UncertainDelivery(f"no answer after the message was sent ({exc})") from None
            raise _Stale(str(exc)) from None
        self._reset(conn, code)
        if code == 421:  # the server closes this session: another may well be accepted
            raise _Reconnect(_refusal(code, reply))
        raise _refusal(code, reply)

    def _pipelined(self, conn: _Plain, envelope: Envelope, recipient: str, utf8: bool, before_data):
        """MAIL, RCPT and DATA in one write and their three replies in one read (RFC 2920):
        two round trips a message instead of four. The member is marked in flight before that
        write, since DATA is in it; a refusal at MAIL or RCPT then records its own outcome."""
        if before_data:
            before_data()
        option = " SMTPUTF8" if utf8 else ""
        commands = (
            f"MAIL FROM:{smtplib.quoteaddr(envelope.sender)}{option}\r\n"
            f"RCPT TO:{smtplib.quoteaddr(recipient)}\r\nDATA\r\n"
        )
        try:
            conn.send(commands.encode("utf-8" if utf8 else "ascii"))
            replies = []
            for _ in range(3):  # MAIL, RCPT, DATA; after a 421 the server has hung up
                replies.append(conn.getreply())
                if replies[-1][0] == 421:
                    break
            codes = [code for code, _ in replies]
            if codes[0] != 250:
                stage = 0
            elif codes[1] not in (250, 251):
                stage = 1
            elif codes[2] != 354:
                stage = 2
            else:
                code, reply = conn.message(envelope.data)
                if code == 250:
                    return
                stage = None
            if stage is not None:
                code, reply = replies[stage]
                if len(codes) == 3 and codes[2] == 354:  # DATA taken without a recipient
                    conn.send(b".\r\n")  # end it empty: nobody receives it
                    conn.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._drop(conn)
            if conn.body_sent:
                raise UncertainDelivery(f"no answer after the message was sent ({exc})") from None
            raise _Stale(str(exc)) from None
        self._reset(conn, code)
        # 421: the server closes this session; 452 at RCPT: too many on it. Another may do.
        if code == 421 or (code == 452 and stage == 1):
            raise _Reconnect(_refusal(code, reply))
        raise _refusal(code, reply)

    def _checkout(self) -> tuple[_Plain, bool]:
        with self._idle_lock:
            if self._idle:
                return self._idle.pop(), True
        return self._connect(), False

    def _connect(self) -> _Plain:
        where = f"{self.scheme}://{self.host}:{self.port}"
        try:
            return self._new_connection()
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(
                f"{where} refused the login ({exc.smtp_code}) — check "
                "PLP_SMTP_USERNAME and PLP_SMTP_PASSWORD"
            ) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryError(
                f"{where}: {exc} — use smtps:// or a relay that offers STARTTLS"
            ) from None
        except ssl.SSLError as exc:
            raise DeliveryError(
                f"{where}: TLS failed ({exc}) — check the host name and the server's certificate"
            ) from None
        except smtplib.SMTPResponseException as exc:
            if 500 <= exc.smtp_code < 600:
                raise DeliveryError(
                    f"{where} refuses us: {exc.smtp_code} {_text(exc.smtp_error)}"
                ) from None
            raise ServerUnavailable(exc.smtp_code, _text(exc.smtp_error)) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise ServerUnavailable(0, f"cannot reach {where}: {exc}") from None

    def _new_connection(self) -> _Plain:
        if self.scheme == "smtps":
            conn = _Tls(
                self.host, self.port, self._ehlo_name, timeout=self._timeout, context=self._ssl
            )
        else:
            conn = _Plain(self.host, self.port, self._ehlo_name, timeout=self._timeout)
        try:
            conn.ehlo()
            if self.scheme == "smtp+starttls":
                conn.starttls(context=self._ssl)
                conn.ehlo()
            if self._username:
                conn.login(self._username, self._password or "")
        except BaseException:
            conn.close()
            raise
        return conn

    def _reset(self, conn: _Plain, code: int) -> None:
        # After a refusal the transaction must be reset before the next one; 421 means the
        # server is closing the session anyway.
        if code == 421:
            self._drop(conn)
            return
        try:
            conn.rset()
        except (smtplib.SMTPException, OSError):
            self._drop(conn)

    def _drop(self, conn: _Plain) -> None:
        conn.close()  # sock becomes None: send() will not put it back

    def _quit(self, conn: _Plain) -> None:
        try:
            conn.quit()
        except (smtplib.SMTPException, OSError):
            conn.close()

    def _pace(self) -> None:
        if not self._interval:
            return
        with self._pace_lock:
            now = time.monotonic()
            slot = max(now, self._next_slot)
            self._next_slot = slot + self._interval
        if slot > now:
            time.sleep(slot - now)


def _refusal(code: int, reply: bytes) -> SendFailure:
    text = _text(reply)
    if code == 421:
        return ServerUnavailable(code, text)
    if 400 <= code < 500:
        return TemporaryFailure(code, text)
    if 500 <= code < 600:
        return PermanentFailure(code, text)
    return TemporaryFailure(code, f"unexpected reply: {text}")


def _wire_body(msg: bytes) -> bytes:
    """CRLF line ends, dot-stuffed, with the final dot: bytes methods, not smtplib's regex, which
    costs a millisecond on a 60 KB bulletin."""
    if msg.count(b"\n") != msg.count(b"\r\n"):
        msg = _EOL.sub(b"\r\n", msg)
    if msg.startswith(b"."):
        msg = b"." + msg
    msg = msg.replace(b"\n.", b"\n..")
    if not msg.endswith(b"\r\n"):
        msg += b"\r\n"
    return msg + b".\r\n"


def _wire_address(address: str) -> tuple[str, bool]:
    """The address as RCPT TO takes it: an IDN domain in A-labels; SMTPUTF8 only when the local
    part itself is not ASCII."""
    if address.isascii():
        return address, False
    local, _, domain = address.rpartition("@")
    try:
        domain = idna.encode(domain, uts46=True).decode("ascii")
    except idna.IDNAError:
        return address, True
    return f"{local}@{domain}", not local.isascii()


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
