"""Import a coordinator's spreadsheet into a PLP's member list, with a consent record each."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import Problem, relpath
from ..i18n import N_, gettext_for
from ..state.members import Members, NewMember
from .spreadsheet import read_sheet

DEFAULT_CONSENT = N_("I agree to receive this PLP's prevention bulletins by e-mail.")
"""What members agreed to unless the coordinator gives the wording; stored translated."""


def default_consent(lang: str) -> str:
    """The default consent wording in a member's language (fr, nl, de, en)."""
    return gettext_for(lang, "bulletin")(DEFAULT_CONSENT)


@dataclass(frozen=True)
class ImportReport:
    """What an import did: rows added, duplicates left out, spreadsheet columns not kept."""

    path: str
    plp: str
    imported: int
    duplicates: tuple[Problem, ...]
    ignored_columns: tuple[str, ...]

    def summary(self) -> str:
        """Lines for the coordinator."""
        lines = [f"{self.path}: {self.imported} member(s) imported into {self.plp}"]
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
) -> ImportReport:
    """Read a spreadsheet and add its new members, all or nothing (ContentError lists every
    rejected row); people already on the list are left as they are.

    The consent record keeps the wording each member agreed to: `consent_text` when given,
    else the default wording in the member's language.
    """
    sheet = read_sheet(path, languages, today)
    method = consent_method or f"member list kept by the coordinator ({path.name})"
    people = {}
    for row in sheet.rows:
        text = consent_text if consent_text is not None else default_consent(row.language)
        person = NewMember(
            email=row.email,
            name=row.name,
            language=row.language,
            consent_text=text,
            consent_version=hashlib.sha256(text.encode()).hexdigest()[:12],
            consent_method=row.consent_method or method,
            recorded_by=recorded_by,
            consent_given_on=row.consent_date,
        )
        people[person] = row.line
    known = members.add(plp, people)
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
    )
