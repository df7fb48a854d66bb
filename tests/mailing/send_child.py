"""The sending process the crash test kills: `python -m tests.mailing.send_child SETTINGS`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pipeline.mailing.delivery import deliver
from pipeline.mailing.outbox import OutboxMailer
from pipeline.mailing.smtp import SmtpMailer
from pipeline.state import open_store
from tests.conftest import project_config
from tests.mailing.composer import make_composer


def main(settings: dict) -> None:
    root = Path(settings["root"])
    # The parent test's make_config() with the same folder: they agree on var/ and the secret.
    config = project_config(
        root,
        root,
        secret=settings["secret"],
        smtp_url=settings.get("smtp_url"),
        smtp_concurrency=settings["concurrency"],
        smtp_rate=settings["rate"],
        database_url=settings.get("database_url"),
    )
    state = open_store(config)
    store, ledger = state.members, state.ledger
    mailer = SmtpMailer(config) if config.smtp_url else OutboxMailer(config.outbox_dir)
    print("started", flush=True)
    bid = settings["bulletin"]
    recipients = store.active_members(settings["plp"], "nl")
    report = deliver(bid, recipients, make_composer(bid), mailer, ledger, config)
    mailer.close()
    state.close()
    print(report.summary(), flush=True)


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
