"""Sample members for the demo: on reserved example domains only, so nobody real is ever mailed."""

from __future__ import annotations

import csv
import io
import unicodedata

_DOMAINS = ("example.org", "example.net")  # RFC 2606: reserved, never deliverable
_NAMES = (
    "Anne Peeters",
    "Jean Dubois",
    "Sofie Janssens",
    "Luc Lambert",
    "Marie Claes",
    "Pieter Maes",
    "Nathalie Jacobs",
    "Karim El Amrani",
    "Els Wouters",
    "Hélène Dupont",
)


def sample_members_csv(plp_slug: str, languages: tuple[str, ...] | list[str], n: int = 5) -> str:
    """A member spreadsheet (;-separated, FR headers, as Belgian Excel writes) for the demo."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Nom", "Adresse e-mail", "Langue", "Date du consentement"])
    for i in range(n):
        name = _NAMES[i % len(_NAMES)]
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        local = ascii_name.lower().replace(" ", ".")
        suffix = "" if i < len(_NAMES) else str(i // len(_NAMES))
        email = f"{local}{suffix}.{plp_slug}@{_DOMAINS[i % len(_DOMAINS)]}"
        writer.writerow([name, email, languages[i % len(languages)], "2025-01-15"])
    return out.getvalue()
