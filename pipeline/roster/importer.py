"""Import a coordinator's spreadsheet into a PLP's member list, with a consent record each."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from ..errors import PlpError, Problem, relpath
from ..i18n import N_, gettext_for
from ..state.members import Members, NewMember
from .spreadsheet import read_sheet

DEFAULT_CONSENT = N_("I agree to receive this PLP's prevention bulletins by e-mail.")
"""What members agreed to unless the coordinator gives the wording; stored translated."""


def default_consent(lang: str) -> str:
    """The default consent wording in a member's language (fr, nl, de, en)."""
    return gettext_for(lang, "bulletin")(DEFAULT_CONSENT)


STATED = "stated by the coordinator at import, not collected from the member"
"""How a consent record says its date and wording came from the coordinator's statement."""


@dataclass(frozen=True)
class StatedConsent:
    """A consent date and wording the coordinator states for the whole sheet, for the rows
    that give no date of their own; each such record says it was stated, not collected."""

    given_on: date
    text: str


class StatedProblem(StrEnum):
    """Why a stated consent is refused; each face says it in its own words and fields."""

    NOT_A_DATE = "not-a-date"
    IN_THE_FUTURE = "in-the-future"
    NO_TEXT = "no-text"


class StatedConsentError(PlpError):
    """The coordinator's stated consent cannot be used (see `problem`)."""

    def __init__(self, problem: StatedProblem, value: str = ""):
        self.problem, self.value = problem, value
        super().__init__(f"{problem}: {value!r}")


def stated_consent(given_on: str | None, text: str | None, today: date) -> StatedConsent | None:
    """The stated consent from a face's two fields (YYYY-MM-DD and the wording), or None when
    no date is stated (a wording alone is every row's wording, each row giving its date);
    StatedConsentError when it cannot be used."""
    given_on, text = (given_on or "").strip(), (text or "").strip()
    if not given_on:
        return None
    try:
        day = date.fromisoformat(given_on)
    except ValueError:
        raise StatedConsentError(StatedProblem.NOT_A_DATE, given_on) from None
    if len(given_on) != 10:  # fromisoformat also takes 20250314 and 2025-W11-5
        raise StatedConsentError(StatedProblem.NOT_A_DATE, given_on)
    if day > today:
        raise StatedConsentError(StatedProblem.IN_THE_FUTURE, given_on)
    if not text:
        raise StatedConsentError(StatedProblem.NO_TEXT)
    return StatedConsent(day, text)


@dataclass(frozen=True)
class ImportReport:
    """What an import did: rows added, duplicates left out, spreadsheet columns not kept."""

    path: str
    plp: str
    imported: int
    duplicates: tuple[Problem, ...]
    ignored_columns: tuple[str, ...]
    stated: StatedConsent | None = None
    stated_for: int = 0
    """How many of the imported members got the stated consent (their row gave no date)."""

    def summary(self) -> str:
        """Lines for the coordinator."""
        lines = [f"{self.path}: {self.imported} member(s) imported into {self.plp}"]
        if self.stated is not None and self.stated_for:
            lines.append(
                f"  consent of {self.stated_for} member(s) recorded as stated by the coordinator "
                f"at import: {self.stated.given_on.isoformat()}, {self.stated.text!r}"
            )
        lines += [f"  skipped duplicate — {p.path}:{p.line}: {p.message}" for p in self.duplicates]
        if self.ignored_columns:
            lines.append(f"  columns not kept (not needed): {', '.join(self.ignored_columns)}")
        return "\n".join(lines)


def import_sheet(
    members: Members,
    path: Path,
    plp: str,
    languages: tuple[str, ...],
    recorded_by: str,
    consent_text: str | None,
    consent_method: str | None,
    today: date,
    stated: StatedConsent | None = None,
) -> ImportReport:
    """Read a spreadsheet and add its new members, all or nothing (ContentError lists every
    rejected row); people already on the list are left as they are.

    The consent record keeps the wording each member agreed to: `consent_text` when given,
    else the default wording in the member's language. A row without a consent date is
    refused unless the coordinator `stated` one for the sheet (its wording then applies).
    """
    sheet = read_sheet(path, languages, today, consent_stated=stated is not None)
    method = consent_method or f"member list kept by the coordinator ({path.name})"
    if stated is not None:
        consent_text = stated.text
    people = {}
    for row in sheet.rows:
        text = consent_text if consent_text is not None else default_consent(row.language)
        how, given_on = row.consent_method or method, row.consent_date
        if given_on is None and stated is not None:
            how, given_on = f"{STATED} ({how})", stated.given_on
        person = NewMember(
            email=row.email,
            name=row.name,
            language=row.language,
            consent_text=text,
            consent_version=hashlib.sha256(text.encode()).hexdigest()[:12],
            consent_method=how,
            recorded_by=recorded_by,
            consent_given_on=given_on,
        )
        people[person] = row.line
    known = members.add(plp, people)
    left_out = {person for person, _ in known}
    stated_for = sum(p.consent_method.startswith(STATED) for p in people if p not in left_out)
    duplicates = list(sheet.duplicates) + [
        Problem(
            relpath(path),
            people[person],
            f"{person.email} is already a member ({status})",
            "left unchanged",
        )
        for person, status in known
    ]
    return ImportReport(
        relpath(path),
        plp,
        len(people) - len(known),
        tuple(sorted(duplicates)),
        sheet.ignored_columns,
        stated,
        stated_for,
    )
