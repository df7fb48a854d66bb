"""What one command (or one web request) of the workflow works with: the configuration, the
content loaded once, the private state opened once, the mailer chosen once, the bulletins."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from ..bulletin.assembly import find_plp
from ..config import Config
from ..content import load_content
from ..mailing.mailer import Mailer
from ..model import Content, Plp
from ..state import Store, open_store

if TYPE_CHECKING:
    from ..bulletin.store import BulletinStore


def make_mailer(config: Config) -> Mailer:
    """The SMTP mailer when PLP_SMTP_URL is set, else the outbox under var/: asked once."""
    if config.smtp_url:
        from ..mailing.smtp import SmtpMailer  # smtplib and TLS only when they are used

        return SmtpMailer(config)
    from ..mailing.outbox import OutboxMailer

    return OutboxMailer(config.outbox_dir)


class Desk:
    """The coordinator's desk for one command: each resource is made on first use and closed
    with the desk, so a command opens the database once and connects to the relay once.

        with Desk(config) as desk:
            draft(desk, "bergveld-centrum")
    """

    def __init__(
        self,
        config: Config,
        *,
        content: Content | None = None,
        store: Store | None = None,
        mailer: Mailer | None = None,
    ):
        self.config = config
        self._owned: list[object] = []
        if content is not None:
            self.content = content
        if store is not None:
            self.store = store
        if mailer is not None:
            self.mailer = mailer

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close what this desk opened (not what it was handed)."""
        while self._owned:
            self._owned.pop().close()  # type: ignore[attr-defined]

    @cached_property
    def content(self) -> Content:
        """The content, loaded and checked (every problem at once) on first use."""
        return load_content(self.config)

    @cached_property
    def store(self) -> Store:
        """The private state."""
        store = open_store(self.config)
        self._owned.append(store)
        return store

    @cached_property
    def mailer(self) -> Mailer:
        """The outbox or the SMTP relay, as configured."""
        mailer = make_mailer(self.config)
        self._owned.append(mailer)
        return mailer

    @cached_property
    def bulletins(self) -> BulletinStore:
        """Drafted and sent bulletins under var/bulletins/."""
        from ..bulletin.store import BulletinStore  # MJML and premailer: only when needed

        return BulletinStore(self.config)

    def plp(self, slug: str) -> Plp:
        """A PLP of the registry; an unknown slug says so, with suggestions."""
        return find_plp(self.content, slug)
