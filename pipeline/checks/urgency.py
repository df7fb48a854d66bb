"""Urgent content is refused: plp carries non-urgent messages only."""

from __future__ import annotations

import re

from ..errors import Problem

URGENT_FIX = (
    "plp carries non-urgent messages only: urgent alerts go by BE-Alert, SMS or voice "
    "message, and facts are reported to the police on 101 (112 in an emergency)"
)
# "Marked urgent": a title or summary opening with the word, or the word in capitals anywhere.
_URGENT = r"urgent|urgente|dringend|spoed|spoedbericht|alerte|alarm|emergency"
URGENT_MARKER = re.compile(
    rf"^\W*(?i:{_URGENT})\b|\b(?:URGENT|URGENTE|DRINGEND|SPOED|ALERTE|ALARM|EMERGENCY)\b"
)


def check_urgency(text: str, shown: str, first_line: int) -> list[Problem]:
    """A problem when the text marks itself urgent (opening with the word, or in capitals)."""
    marker = URGENT_MARKER.search(text)
    if marker is None:
        return []
    line = first_line + text.count("\n", 0, marker.start())
    return [Problem(shown, line, f"content marked urgent ('{marker[0].strip()}')", URGENT_FIX)]
