"""Bulletins: assemble a PLP's new messages, render them once, fill them per member."""

from .assembly import Bulletin, Edition, assemble, find_plp
from .compose import MessageTemplate, compose
from .render import RenderedEdition, Renderer
from .store import BulletinStore, Draft, DraftStatus
from .web import WebBulletin, sent_bulletins

__all__ = [
    "Bulletin",
    "BulletinStore",
    "Draft",
    "DraftStatus",
    "Edition",
    "MessageTemplate",
    "RenderedEdition",
    "Renderer",
    "WebBulletin",
    "assemble",
    "compose",
    "find_plp",
    "sent_bulletins",
]
