"""Translations (gettext catalogs, compiled by Babel on first use) and locale-aware dates.

Catalogs live in pipeline/locale/{lang}/LC_MESSAGES/{domain}.po. The .po files are the source;
they are compiled in memory when loaded, so no build step and no .mo file in git.
"""

from __future__ import annotations

import gettext
import io
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from .model import Category, Kind

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAINS = ("plp", "site", "bulletin", "web")
"""plp: strings shared by every output; site: the web pages; bulletin: the e-mails; web: the
web service (plp web: the members' pages, the coordinators' console) and its e-mails."""


@cache
def translations(lang: str, domain: str = "plp") -> gettext.NullTranslations:
    """The catalog of one domain in one language (English source strings when missing)."""
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
    if not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=domain)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def gettext_for(lang: str, domain: str = "plp"):
    """A `_` function for one language; falls back to the shared plp domain."""
    own, shared = translations(lang, domain), translations(lang, "plp")

    def _(text: str) -> str:
        result = own.gettext(text)
        return shared.gettext(text) if result == text else result

    return _


# Source strings (English); marked with N_ so Babel's extractor finds them.
def N_(text: str) -> str:
    return text


CATEGORY_NAMES = {
    Category.PREVENTION: N_("Prevention advice"),
    Category.MODUS_OPERANDI: N_("Modus operandi and tips"),
    Category.CRIME_TREND: N_("Crime trend warning"),
    Category.POLICE_FEEDBACK: N_("Police feedback"),
    Category.PLP_LIFE: N_("Life of the PLP"),
}
KIND_NAMES = {
    Kind.RESIDENTIAL: N_("Residential"),
    Kind.SELF_EMPLOYED: N_("Self-employed and shops"),
    Kind.INDUSTRIAL: N_("Industrial area"),
    Kind.RURAL: N_("Rural and farms"),
}
REPORTING_RULE = N_(
    "Report facts and suspicious behaviour directly to the police: call 101, or 112 in an "
    "emergency. Never report through the coordinator."
)
NOT_URGENT = N_("This channel carries non-urgent information only. Urgent alerts come by BE-Alert.")


def category_name(category: Category, lang: str) -> str:
    return gettext_for(lang)(CATEGORY_NAMES[category])


def kind_name(kind: Kind, lang: str) -> str:
    return gettext_for(lang)(KIND_NAMES[kind])


def reporting_rule(lang: str) -> str:
    return gettext_for(lang)(REPORTING_RULE)


def format_day(value: date | datetime, lang: str, format: str = "long") -> str:
    """A date as readers of that language write it (e.g. 2 novembre 2026, 2. November 2026)."""
    day = value.date() if isinstance(value, datetime) else value
    return format_date(day, format=format, locale=lang)
