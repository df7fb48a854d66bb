"""The coordinator's workflow, one library layer under every face (the CLI, `plp publish`, the
web service): draft, test copy, approve, send, the member list, the site with its bulletins.

Each function takes a `Desk` (the resources of one command) and returns a typed result; the
faces only parse input and present output.
"""

from .demo import DEMO_APPROVER, prepare_demo
from .desk import Desk, make_mailer
from .drafting import draft
from .membership import (
    Erased,
    export,
    forget,
    import_members,
    list_members,
    memberships,
    registry_plp,
    unsubscribe,
    unsubscribe_token,
)
from .publishing import PublishReport, publish
from .sending import (
    AlreadySent,
    Approved,
    LedgerLine,
    TestCopy,
    approve,
    approved_unsent,
    bulletin_id,
    current_approval,
    delivery_lines,
    find_draft,
    recipients_count,
    report_naming,
    resolve,
    send,
    send_test,
)
from .site import build, missing_pages, site_bulletins

__all__ = [
    "DEMO_APPROVER",
    "AlreadySent",
    "Approved",
    "Desk",
    "Erased",
    "LedgerLine",
    "PublishReport",
    "TestCopy",
    "approve",
    "approved_unsent",
    "build",
    "bulletin_id",
    "current_approval",
    "delivery_lines",
    "draft",
    "export",
    "find_draft",
    "forget",
    "import_members",
    "list_members",
    "make_mailer",
    "memberships",
    "missing_pages",
    "prepare_demo",
    "publish",
    "recipients_count",
    "registry_plp",
    "report_naming",
    "resolve",
    "send",
    "send_test",
    "site_bulletins",
    "unsubscribe",
    "unsubscribe_token",
]
