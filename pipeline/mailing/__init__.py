"""Mailing through the coordinator: members and consent, tokens, approvals, the ledger, delivery."""

from .approvals import Approval, Approvals
from .delivery import deliver
from .dkim import DkimSigner
from .ledger import Entry, Ledger, LedgerStatus
from .mailer import (
    Envelope,
    Mailer,
    OutboxMailer,
    PermanentFailure,
    ServerUnavailable,
    TemporaryFailure,
    UncertainDelivery,
    make_mailer,
)
from .members import ImportReport, Member, MemberStatus, MemberStore, Recipient
from .report import DeliveryReport, Outcome, delivery_progress
from .sample import sample_members_csv
from .smtp import SmtpMailer
from .tokens import UnsubscribeTokens, load_secret, pseudonym

__all__ = [
    "Approval",
    "Approvals",
    "DeliveryReport",
    "DkimSigner",
    "Entry",
    "Envelope",
    "ImportReport",
    "Ledger",
    "LedgerStatus",
    "Mailer",
    "Member",
    "MemberStatus",
    "MemberStore",
    "OutboxMailer",
    "Outcome",
    "PermanentFailure",
    "Recipient",
    "ServerUnavailable",
    "SmtpMailer",
    "TemporaryFailure",
    "UncertainDelivery",
    "UnsubscribeTokens",
    "deliver",
    "delivery_progress",
    "load_secret",
    "make_mailer",
    "pseudonym",
    "sample_members_csv",
]
