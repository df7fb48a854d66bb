"""An edition as a MIME message encoded once, then filled per member by substitution.

The template is the exact bytes sent, with ASCII placeholders (`%%PLP_…%%`) where a member's
values go. Parts are quoted-printable, encoded here so that every placeholder stands alone
between two soft line breaks: no encoder can split it, and a filled value starts at column 0,
so lines stay within 76 characters. Per member: validate the values, then one `b"".join`.
"""

from __future__ import annotations

import binascii
import email.policy
import hashlib
import html
import itertools
import json
import re
from email.charset import Charset
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formataddr, formatdate

from ..config import Config
from ..errors import PlpError
from .assembly import Bulletin
from .render import (
    GREETING_HTML,
    GREETING_TEXT,
    PREFERENCES_HTML,
    PREFERENCES_TEXT,
    UNSUBSCRIBE_HTML,
    UNSUBSCRIBE_TEXT,
    RenderedEdition,
)

TO = "%%PLP_TO%%"
DATE = "%%PLP_DATE%%"
MESSAGE_ID = "%%PLP_MESSAGE_ID%%"
LIST_UNSUBSCRIBE = "%%PLP_LIST_UNSUBSCRIBE%%"
_MARKER = "%%PLP_"
_TEXT_BODY, _HTML_BODY = "plp-text-part-body", "plp-html-part-body"
_PLACEHOLDER = re.compile(r"(%%PLP_[A-Z_]+%%)")
_PLACEHOLDER_BYTES = re.compile(rb"(%%PLP_[A-Z_]+%%)")

# SMTP: CRLF, lines folded at 78; refuses CR/LF in any header value (no header injection).
POLICY = email.policy.SMTP.clone(max_line_length=78)
_FORMAT = b"PLP-TEMPLATE 1\n"

# Newlines written plainly, or encoded (QP, URL, HTML entity), or Unicode line separators.
# RFC 2047 words ("=?utf-8?b?…?=") are refused too: one could decode to a newline.
_NEWLINE = re.compile(
    r"[\x00-\x1f\x7f\x85\u2028\u2029]|=0[AD]|%0[AD]|&#(?:x0*[ad]|0*1[03]);|=\?", re.I
)
_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
_URL = re.compile(r"https?://[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+")
_MAILTO = re.compile(r"mailto:[A-Za-z0-9._~:/?#@!$&'()*+,;=%-]+")
_MESSAGE_ID = re.compile(r"<[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+>")
_DATE = re.compile(r"(?:[A-Z][a-z]{2}, )?\d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d(?::\d\d)? [+-]\d{4}")
_QP_TOKEN = re.compile(rb"=[0-9A-F]{2}|[^=]")
_UTF8 = Charset("utf-8")


def safe_header_text(value: str, what: str, limit: int = 200) -> str:
    """A header text (name, subject) without any newline, plain or encoded; else PlpError."""
    if _MARKER in value:
        raise PlpError(f"{what} {value[:60]!r} contains {_MARKER!r}, reserved by plp — remove it")
    if _NEWLINE.search(value):
        raise PlpError(
            f"{what} {value[:60]!r} contains a line break or control character "
            "(plain or encoded) — remove it; headers cannot hold one"
        )
    if len(value) > limit:
        raise PlpError(f"{what} is longer than {limit} characters — shorten it")
    return value.strip()


def sender_name(coordinator: str, plp_name: str) -> str:
    """The From display name: `<coordinator> — <PLP>`, or the coordinator's name alone when it
    already names the PLP ("Koordination PLP Eichenfeld-Land", not "… — PLP Eichenfeld-Land")."""
    if not coordinator:
        return plp_name
    if _folded(plp_name) in _folded(coordinator):
        return coordinator
    return f"{coordinator} — {plp_name}"


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def _address(value: str, what: str) -> str:
    if not _ADDRESS.fullmatch(value):
        raise PlpError(
            f"{what} {value[:80]!r} is not a plain ASCII e-mail address — "
            "give its ASCII form (internationalised domains as xn--…)"
        )
    return value


def _qp_text(text: str) -> str:
    """Quoted-printable with each placeholder alone between soft line breaks."""
    pieces = _PLACEHOLDER.split(text)
    out = []
    for i, piece in enumerate(pieces):
        if i % 2:
            out.append(f"=\n{piece}=\n")
        elif piece:
            out.append(binascii.b2a_qp(piece.encode(), istext=True).decode("ascii"))
    return "".join(out)


def _qp_value(value: str) -> bytes:
    """A member's value, quoted-printable, in lines of at most 75 characters + soft break."""
    flat = binascii.b2a_qp(value.encode(), quotetabs=True).replace(b"=\n", b"")
    if len(flat) <= 75:
        return flat
    lines, line = [], b""
    for token in _QP_TOKEN.findall(flat):
        if len(line) + len(token) > 75:
            lines.append(line)
            line = b""
        line += token
    lines.append(line)
    return b"=\r\n".join(lines)


def compose(config: Config, bulletin: Bulletin, rendered: RenderedEdition) -> MessageTemplate:
    """Encode one edition once: headers through `email.policy`, parts in quoted-printable."""
    plp, lang = bulletin.plp, rendered.lang
    coordinator = safe_header_text(plp.coordinator.name, "the coordinator's name")
    plp_name = safe_header_text(plp.name(lang), "the PLP name")
    subject = safe_header_text(rendered.subject, "the subject")
    for part, ours in ((rendered.text, 3), (rendered.html, 3)):  # greeting, two links
        if part.count(_MARKER) != ours:  # content must not smuggle in a placeholder
            raise PlpError(
                f"bulletin {bulletin.number} of PLP {plp.slug} ({lang}) contains the text "
                f"{_MARKER!r}, reserved by plp, in a message or the note — remove it"
            )
    domain = config.sending_domain
    msg = EmailMessage(policy=POLICY)
    try:
        msg["From"] = Address(
            sender_name(coordinator, plp_name), addr_spec=f"plp-{plp.slug}@{domain}"
        )
        msg["Reply-To"] = Address(
            coordinator, addr_spec=_address(plp.coordinator.email, "the coordinator's address")
        )
        msg["Subject"] = subject
        msg["List-Id"] = f"{plp_name} <{plp.slug}.{domain}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        msg["Auto-Submitted"] = "auto-generated"
        msg["Precedence"] = "bulk"
        # The policy writes the parts' headers; their bodies are stand-ins, replaced below by
        # our own encoding (the email package's pure-Python encoder would take ~10 ms).
        msg.set_content(_TEXT_BODY, cte="quoted-printable")
        msg.add_alternative(_HTML_BODY, subtype="html", cte="quoted-printable")
    except ValueError as error:  # the policy refuses CR/LF and malformed values
        raise PlpError(f"cannot build the e-mail of PLP {plp.slug}: {error}") from None
    digest = hashlib.sha256((rendered.text + rendered.html).encode()).hexdigest()
    msg.set_boundary(f"=_plp_{digest[:32]}")  # "=_" never occurs in quoted-printable
    raw = msg.as_bytes(policy=POLICY)
    for stand_in, source in ((_TEXT_BODY, rendered.text), (_HTML_BODY, rendered.html)):
        encoded = _qp_text(source).rstrip("\n").replace("\n", "\r\n").encode("ascii") + b"\r\n"
        raw = raw.replace(f"\r\n\r\n{stand_in}\r\n".encode(), b"\r\n\r\n" + encoded, 1)
    head, body = raw.split(b"\r\n\r\n", 1)
    # The per-member headers go in just before MIME-Version, which the policy writes once and
    # never folds; anchoring on other headers breaks when a long value is folded after the colon.
    anchor = b"\r\nMIME-Version: 1.0\r\n"
    if head.count(anchor) != 1:
        raise RuntimeError("the e-mail header has no single MIME-Version line")
    per_member = (
        f"\r\nTo: {TO}\r\nDate: {DATE}\r\nMessage-ID: {MESSAGE_ID}"
        f"\r\nList-Unsubscribe: {LIST_UNSUBSCRIBE}"
    ).encode()
    head = head.replace(anchor, per_member + anchor)
    return MessageTemplate(
        head + b"\r\n\r\n" + body,
        greeting_named=rendered.greeting_named,
        greeting_neutral=rendered.greeting_neutral,
        bulletin_id=f"{plp.slug}.{bulletin.number}.{lang}",
        sending_domain=domain,
    )


class MessageTemplate:
    """The encoded message of one edition; `for_member` fills it in microseconds."""

    def __init__(
        self,
        raw: bytes,
        *,
        greeting_named: str,
        greeting_neutral: str,
        bulletin_id: str,
        sending_domain: str,
    ):
        self.raw = raw
        self.greeting_named = greeting_named
        self.greeting_neutral = greeting_neutral
        self.bulletin_id = bulletin_id
        self.sending_domain = sending_domain
        # The literal runs between placeholders, as views into `raw` (no second copy).
        view, start = memoryview(raw), 0
        self._literals: list[memoryview] = []
        self._fields: list[str] = []
        for match in _PLACEHOLDER_BYTES.finditer(raw):
            self._literals.append(view[start : match.start()])
            self._fields.append(match.group().decode("ascii"))
            start = match.end()
        self._literals.append(view[start:])
        self._neutral = (
            _qp_value(greeting_neutral),
            _qp_value(html.escape(greeting_neutral, quote=False)),
        )
        self._date: str | None = None

    def to_bytes(self) -> bytes:
        """The `.template` file: a format line, a JSON line of settings, the message bytes."""
        settings = {
            "greeting_named": self.greeting_named,
            "greeting_neutral": self.greeting_neutral,
            "bulletin_id": self.bulletin_id,
            "sending_domain": self.sending_domain,
        }
        return _FORMAT + json.dumps(settings, sort_keys=True).encode() + b"\n" + self.raw

    @classmethod
    def from_bytes(cls, data: bytes) -> MessageTemplate:
        if not data.startswith(_FORMAT):
            raise PlpError("not a plp message template — run `plp bulletin draft` again")
        settings_line, raw = data[len(_FORMAT) :].split(b"\n", 1)
        return cls(raw, **json.loads(settings_line))

    def message_id(self, member_key: str) -> str:
        """`<{bulletin}.{member_key}@{sending domain}>`: unique per bulletin and member."""
        return f"<{self.bulletin_id}.{member_key}@{self.sending_domain}>"

    def for_member(
        self,
        recipient_email: str,
        recipient_name: str | None,
        unsubscribe_url: str,
        unsubscribe_mailto: str | None,
        message_id: str,
        date: str | None = None,
        *,
        preferences_url: str | None = None,
    ) -> bytes:
        """The message for one member, ready for SMTP; PlpError on any unsafe value.

        `date` is an RFC 5322 date (email.utils.formatdate); by default the time of first use.
        No `unsubscribe_mailto` (None or ""): List-Unsubscribe carries the https link alone.
        No `preferences_url`: the footer's preferences link leads to the unsubscribe page.
        """
        address = _address(recipient_email, "the member's address")
        if not _URL.fullmatch(unsubscribe_url):
            raise PlpError(f"unsafe unsubscribe URL {unsubscribe_url[:80]!r}")
        if unsubscribe_mailto and not _MAILTO.fullmatch(unsubscribe_mailto):
            raise PlpError(f"unsafe unsubscribe mailto {unsubscribe_mailto[:80]!r}")
        preferences_url = preferences_url or unsubscribe_url
        if not _URL.fullmatch(preferences_url):
            raise PlpError(f"unsafe preferences URL {preferences_url[:80]!r}")
        list_unsubscribe = f"<{unsubscribe_url}>"
        if unsubscribe_mailto:
            list_unsubscribe += f",\r\n <{unsubscribe_mailto}>"
        if not _MESSAGE_ID.fullmatch(message_id):
            raise PlpError(f"malformed Message-ID {message_id[:80]!r}")
        name = safe_header_text(recipient_name, "the member's name") if recipient_name else ""
        if name:
            if name.isascii():
                to = formataddr((name, address))
            else:
                words = _UTF8.header_encode_lines(name, itertools.repeat(60))  # RFC 2047, folded
                to = "\r\n ".join(words) + f" <{address}>"
            greeting = self.greeting_named.format(name=name)
            text, markup = _qp_value(greeting), _qp_value(html.escape(greeting, quote=False))
        else:
            to = address
            text, markup = self._neutral
        if date is None:
            date = self._date = self._date or formatdate(localtime=True)
        elif not _DATE.fullmatch(date):
            raise PlpError(f"malformed Date {date[:40]!r} — use email.utils.formatdate()")
        values = {
            TO: to.encode("ascii"),
            DATE: date.encode("ascii"),
            MESSAGE_ID: message_id.encode("ascii"),
            LIST_UNSUBSCRIBE: list_unsubscribe.encode("ascii"),
            GREETING_TEXT: text,
            GREETING_HTML: markup,
            UNSUBSCRIBE_TEXT: _qp_value(unsubscribe_url),
            UNSUBSCRIBE_HTML: _qp_value(html.escape(unsubscribe_url)),
            PREFERENCES_TEXT: _qp_value(preferences_url),
            PREFERENCES_HTML: _qp_value(html.escape(preferences_url)),
        }
        out = [self._literals[0]]
        for field, literal in zip(self._fields, self._literals[1:], strict=True):
            out.append(values[field])
            out.append(literal)
        return b"".join(out)
