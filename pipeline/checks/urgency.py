"""Urgent content is refused: plp carries non-urgent messages only, in fr, nl, de and en.

A message is "marked urgent" when it presents itself as an alert, not when it states the
reporting rule. So "Dringende oproep", "URGENT", "Avis urgent : …", "Eilmeldung" are refused,
while "en cas d'urgence appelez le 112", "im Notfall 112", "niet-dringende berichten" or
"in an emergency call 112" are the rule every message repeats, and pass.
"""

from __future__ import annotations

import re

from ..errors import Problem
from .visible import seen

URGENT_FIX = (
    "plp carries non-urgent messages only: urgent alerts go by BE-Alert, SMS or voice "
    "message, and facts are reported to the police on 101 (112 in an emergency)"
)

# Words that say "this is urgent", with their inflections, per language.
URGENT_WORDS = {
    "fr": r"urgent(?:e|s|es)?|urgemment|urgences?",
    "nl": r"dringend(?:e|er|st)?|spoed(?:bericht|melding|oproep|eisend)?(?:e|en)?|urgente?",
    "de": r"dringend(?:e|er|es|en|em)?|eilmeldung(?:en)?|notf[aä]lle?",
    "en": r"urgent(?:ly)?|emergenc(?:y|ies)",
}
# Words that mark an alert only as the first word or in capitals ("Alerte : …", "ALARM").
ALERT_WORDS = r"alertes?|alert|alarm(?:e|s)?"
# Said of an alert anywhere in a text ("voici un avis urgent"), not only at its start.
ALERT_PHRASES = {
    "fr": r"avis\s+urgent|message\s+urgent|communiqu[ée]\s+urgent|alerte\s+urgente",
    "nl": r"spoedbericht(?:en)?|spoedmelding(?:en)?|spoedoproep(?:en)?|dringende\s+oproep",
    "de": r"eilmeldung(?:en)?|dringende[rn]?\s+(?:aufruf|mitteilung|meldung)",
    "en": r"urgent\s+(?:message|notice|alert)|emergency\s+alert",
}
# The reporting rule and negations: the words appear, the message is not marked urgent.
NOT_MARKERS = {
    "fr": r"(?:en\s+cas|num[ée]ros?|appels?|services?|situations?|canal|cas|sortie)"
    r"\s+d['’]\s*(?:extr[êe]me\s+)?urgence(?:\s+vitale)?|urgence\s+(?:vitale|m[ée]dicale)"
    r"|(?:non|pas|peu)[-\s]+urgent(?:e|s|es)?|sans\s+urgence",
    "nl": r"niet[-\s]+(?:zo\s+)?dringend(?:e)?|geen\s+spoed|spoedeisende\s+hulp"
    r"|dringende\s+(?:politie)?hulp|in\s+dringende\s+gevallen",
    "de": r"nicht\s+(?:so\s+)?dringend(?:e|er|es|en|em)?"
    r"|(?:im|bei(?:m)?|f[üu]r|in|einem|kein(?:em)?)\s+notf[aä]ll(?:e|en)?|in\s+dringenden\s+f[äa]llen",
    "en": r"in\s+(?:an?\s+|case\s+of\s+(?:an?\s+)?)?emergenc(?:y|ies)"
    r"|emergency\s+(?:number|services?|calls?|channel|line)s?|not\s+(?:an?\s+)?(?:urgent|emergency)"
    r"|non[-\s]+urgent|for\s+emergencies",
}


def _words(table: dict[str, str]) -> str:
    return "|".join(f"(?:{pattern})" for pattern in table.values())


_STRONG = re.compile(_words(URGENT_WORDS), re.IGNORECASE)
_WORD = re.compile(rf"(?:{ALERT_WORDS}|{_words(URGENT_WORDS)})\b", re.IGNORECASE)
_PHRASE = re.compile(rf"\b(?:{_words(ALERT_PHRASES)})\b", re.IGNORECASE)
_NOT = re.compile(rf"\b(?:{_words(NOT_MARKERS)})\b", re.IGNORECASE)
_LEAD = re.compile(r"[\W\d_]*")
# How every urgency word starts: found with str.find, so a long body costs a few scans.
_STEMS = ("urgen", "dringend", "spoed", "eilmeld", "notf", "emergenc", "alert", "alarm")


def _words_in(view: str) -> list[re.Match[str]]:
    """Every urgency word of the text, in order."""
    lowered, found = view.lower(), []
    for stem in _STEMS:
        at = lowered.find(stem)
        while at != -1:
            word = _WORD.match(view, at)
            if word and (at == 0 or not view[at - 1].isalnum()):
                found.append(word)
            at = lowered.find(stem, at + 1)
    return sorted(found, key=lambda m: m.start())


def urgent_marker(text: str, *, heading: bool) -> tuple[int, str] | None:
    """(line index, words) where the text marks itself urgent, or None.

    `heading` is for a title or summary: any urgency word there (outside the reporting rule)
    marks the message. In a body, only the opening words, words in capitals and alert phrases
    do, since the body may well talk about what to do in an emergency.
    """
    view = seen(text)
    opening = _LEAD.match(view).end()
    for word in _words_in(view):
        start, end = word.span()
        around = (max(0, start - 25), min(len(view), end + 25))
        phrase = _PHRASE.search(view, *around)
        marks = (
            (word[0].isupper() and len(word[0]) > 3)  # URGENT, DRINGEND, ALERTE
            or start == opening  # the text opens with it
            or (heading and _STRONG.fullmatch(word[0]))
            or (phrase is not None and phrase.start() <= start < phrase.end())
        )
        if not marks:
            continue
        # The reporting rule around it ("en cas d'urgence", "im Notfall") lifts it.
        window = _NOT.finditer(view, max(0, start - 40), min(len(view), end + 40))
        if not any(n.start() <= start and end <= n.end() for n in window):
            shown = phrase[0] if phrase is not None and phrase.start() <= start else word[0]
            return view.count("\n", 0, start), shown
    return None


def check_urgency(text: str, shown: str, first_line: int, *, heading: bool) -> list[Problem]:
    """A problem when the text marks itself urgent (see urgent_marker)."""
    found = urgent_marker(text, heading=heading)
    if found is None:
        return []
    line, words = found
    return [
        Problem(
            shown,
            first_line + line,
            f"content marked urgent ('{words}')",
            URGENT_FIX,
            rule="urgency.marked",
            params=(("words", words),),
        )
    ]
