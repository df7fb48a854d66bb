"""Read the member spreadsheet a coordinator already keeps (CSV, FR/NL/EN) into checked rows."""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parseaddr
from pathlib import Path

from email_validator import EmailNotValidError

from ..addresses import NEEDS_SMTPUTF8, SMTPUTF8_FIX, checked_address, email_key, needs_smtputf8
from ..errors import ContentError, Problem, relpath

# Header names compare without accents, case, spaces, punctuation: "Adresse e-mail" → adresseemail.
_COLUMNS = {
    key: set(names.split())
    for key, names in {
        "email": "email mail emailaddress courriel adressecourriel adresseemail adressemail "
        "adresseelectronique emailadres mailadres emailadresse",
        "name": "name fullname nom nomcomplet naam volledigenaam nomprenom naamvoornaam",
        "first": "firstname givenname prenom voornaam",
        "last": "lastname surname familyname nomdefamille achternaam familienaam",
        "language": "language lang langue taal voertaal sprache",
        "consent_date": "consent consentdate dateofconsent consentement dateconsentement "
        "dateduconsentement toestemming datumtoestemming toestemmingsdatum "
        # the headers of `plp members export --format csv`, so an export imports again
        "consentgivenon consentementdonnele toestemminggegevenop einwilligungerteiltam "
        "einwilligung einwilligungsdatum",
        "consent_method": "consentmethod howconsented modeconsentement methodeconsentement "
        "wijzetoestemming toestemmingswijze howconsentwasgiven manieredontleconsentementaetedonne "
        "hoedetoestemmingwerdgegeven artdereinwilligung",
    }.items()
}
_LANGUAGES = {
    "fr": {"fr", "francais", "french", "frans", "franzosisch"},
    "nl": {"nl", "nederlands", "neerlandais", "dutch", "vlaams", "flamand", "niederlandisch"},
    "de": {"de", "deutsch", "allemand", "duits", "german"},
    "en": {"en", "english", "anglais", "engels", "englisch"},
}
_YES = {"yes", "oui", "ja", "y", "o", "j", "x", "1", "true", "vrai", "waar"}
_NO = {"no", "non", "nee", "neen", "nein", "n", "0", "false", "faux", "onwaar"}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # C0, DEL, C1 (NEL), separators
# What a header decoder or a URL decoder would turn into a line break or another header.
_ENCODED = re.compile(r"=\?[^?]*\?[bBqQ]\?|%0[aAdD]|\\[rn]")
# Consent without a date cannot be shown when a member or the authority asks for it.
_STATE_IT = (
    'or state one date for the whole sheet with --consent-date YYYY-MM-DD --consent-text "…"'
)
NO_CONSENT_DATE = "no consent date"
NO_CONSENT_DATE_FIX = (
    f"add the date this person agreed (DD/MM/YYYY) in the consent column, {_STATE_IT}"
)
NO_CONSENT_COLUMN = "no consent date column, so no member's consent has a date"
NO_CONSENT_COLUMN_FIX = (
    "add a column 'date du consentement' / 'datum toestemming' / 'consent date' with the date "
    f"each person agreed, {_STATE_IT}"
)


@dataclass(frozen=True)
class SheetRow:
    """One accepted row: a normalised address and what the sheet says about that person."""

    line: int
    email: str
    name: str
    language: str
    consent_date: date | None
    consent_method: str


@dataclass(frozen=True)
class Sheet:
    """A read spreadsheet: the accepted rows, duplicates dropped within it, columns not kept."""

    rows: tuple[SheetRow, ...]
    duplicates: tuple[Problem, ...]
    ignored_columns: tuple[str, ...]


def read_sheet(
    path: Path, languages: tuple[str, ...], today: date, consent_stated: bool = False
) -> Sheet:
    """Parse and check every row; raise ContentError listing every bad row (line and reason).

    A row must say when the person agreed unless the coordinator states a date for the whole
    sheet (`consent_stated`): consent without a date cannot be shown when asked for.
    """
    where = relpath(path)
    raw = path.read_bytes()
    _refuse_workbook(raw, where)
    text = _decode(raw, where)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise ContentError([Problem(where, 1, "the file is empty", "export the member list again")])
    columns, ignored = _map_columns(header)
    if "email" not in columns:
        raise ContentError(
            [
                Problem(
                    where,
                    1,
                    f"no e-mail column among {', '.join(h.strip() for h in header)}",
                    "name the column 'email', 'courriel', 'adresse e-mail' or 'e-mailadres'",
                )
            ]
        )
    rows: list[SheetRow] = []
    problems: list[Problem] = []
    dated = not consent_stated
    if dated and "consent_date" not in columns:
        problems.append(Problem(where, 1, NO_CONSENT_COLUMN, NO_CONSENT_COLUMN_FIX))
        dated = False  # said once for the sheet, not again on every row
    duplicates: list[Problem] = []
    seen: dict[str, int] = {}
    line = reader.line_num + 1
    for cells in reader:
        start, line = line, reader.line_num + 1
        values = {key: cells[i].strip() if i < len(cells) else "" for key, i in columns.items()}
        if not any(c.strip() for c in cells):
            continue  # spreadsheets export trailing empty rows (";;;")
        errors: list[tuple[str, str]] = []
        row = _check_row(start, values, languages, today, dated, errors)
        problems.extend(Problem(where, start, message, fix) for message, fix in errors)
        if row is None:
            continue
        first = seen.setdefault(email_key(row.email), start)
        if first != start:
            duplicates.append(
                Problem(
                    where,
                    start,
                    f"{row.email} is already on line {first}",
                    "kept the first row; delete this one",
                )
            )
        else:
            rows.append(row)
    if problems:
        raise ContentError(problems)
    return Sheet(tuple(rows), tuple(duplicates), tuple(ignored))


def _check_row(
    line: int,
    values: dict[str, str],
    languages: tuple[str, ...],
    today: date,
    dated: bool,
    errors: list[tuple[str, str]],
) -> SheetRow | None:
    raw = values["email"]
    if raw.count("@") > 1:
        errors.append(
            (
                "two addresses in one cell",
                "put each person on a row of their own (one address per member)",
            )
        )
        return None
    display, address = parseaddr(raw) if "<" in raw else ("", raw)
    name = values.get("name", "") or display
    if values.get("first"):
        name = f"{values['first']} {name or values.get('last', '')}".strip()
    elif not name:
        name = values.get("last", "")
    if _CONTROL.search(name):
        errors.append(
            ("the name contains a line break or a control character", "put the name on one line")
        )
    elif _ENCODED.search(name):
        errors.append(
            (
                "the name contains an encoded line break or header (=?…?=, %0d%0a)",
                "write the name as plain text",
            )
        )
    elif len(name) > 200:
        errors.append(("the name is longer than 200 characters", "shorten it"))
    email = ""
    if not address:
        errors.append(("no e-mail address", "add the address or delete the row"))
    else:
        try:
            email = checked_address(address)
        except EmailNotValidError as exc:
            errors.append(
                (
                    f"e-mail address {address!r} is not valid: {exc}",
                    "correct the address or delete the row",
                )
            )
        else:
            if needs_smtputf8(email):
                errors.append((NEEDS_SMTPUTF8, SMTPUTF8_FIX))
    language = _language(values.get("language", ""), languages, errors)
    before = len(errors)
    consent_date = _consent(values.get("consent_date", ""), today, errors)
    if dated and consent_date is None and len(errors) == before:
        errors.append((NO_CONSENT_DATE, NO_CONSENT_DATE_FIX))
    if errors:
        return None
    return SheetRow(line, email, name, language, consent_date, values.get("consent_method", ""))


def _language(value: str, languages: tuple[str, ...], errors: list[tuple[str, str]]) -> str:
    if not value:
        return languages[0]  # the PLP's first language is its default
    key = _fold(value.split("-")[0] if re.fullmatch(r"\w\w-\w\w", value) else value)
    code = next((code for code, names in _LANGUAGES.items() if key in names), None)
    if code is None or code not in languages:
        errors.append(
            (
                f"language {value!r} is not one of this PLP's languages",
                f"use one of {', '.join(languages)} (or leave it empty for {languages[0]})",
            )
        )
        return ""
    return code


def _consent(value: str, today: date, errors: list[tuple[str, str]]) -> date | None:
    folded = _fold(value)
    if not value or folded in _YES:
        return None
    if folded in _NO:
        errors.append(
            (
                "this person did not give consent",
                "delete the row: only people who agreed may receive bulletins",
            )
        )
        return None
    for fmt in _DATE_FORMATS:
        try:
            given = datetime.strptime(value.split()[0], fmt).date()
        except ValueError:
            continue
        if given > today:
            errors.append((f"consent date {value} is in the future", "correct the date"))
        return given
    errors.append((f"consent date {value!r} is not a date", "write it as DD/MM/YYYY or YYYY-MM-DD"))
    return None


# A workbook, not text: .xlsx and .ods are zip archives, .xls (and old .doc) OLE containers.
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def _refuse_workbook(raw: bytes, where: str) -> None:
    """Say so plainly when given the spreadsheet file itself, instead of bytes as columns."""
    if raw.startswith(_WORKBOOK_MAGIC):
        raise ContentError(
            [
                Problem(
                    where,
                    0,
                    "this is a spreadsheet file (Excel/LibreOffice), not CSV",
                    "in your spreadsheet use File → Save as → CSV (semicolon or comma), "
                    "then import that file",
                )
            ]
        )


def _decode(raw: bytes, where: str) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")  # Excel's "Unicode text" export
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")  # Excel's default "CSV" on Windows in Belgium
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(
            [
                Problem(
                    where,
                    line,
                    "the file is neither UTF-8 nor Windows-1252",
                    "save it from the spreadsheet as 'CSV UTF-8'",
                )
            ]
        ) from None


def _delimiter(text: str) -> str:
    # The header line decides: it rarely holds quotes, and Belgian Excel writes ';'.
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def _map_columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, title in enumerate(header):
        key = next((k for k, names in _COLUMNS.items() if _fold(title) in names), None)
        if key is None or key in columns:
            if title.strip():
                ignored.append(title.strip())
        else:
            columns[key] = index
    if "first" in columns and "name" not in columns and "last" not in columns:
        columns["name"] = columns.pop("first")
    return columns, ignored


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.casefold())
