"""The console in the coordinator's language: the note's problems (every rule the note can
break, through the real `plp web`), and every string its pages and handlers show, in the fr,
nl and de catalogs."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from pipeline.checks import check_note
from pipeline.config import load_config
from pipeline.content import load_content
from pipeline.i18n import gettext_for
from pipeline.web.coordinators import NOTE_PROBLEMS, STATE_WORDS

from .conftest import REPO
from .console_fixtures import PLP_A, console_fixture, csrf  # noqa: F401

A = f"/coordinator/{PLP_A}"
HOSTILE_NOTES = [
    "Wie kent de wagen 1-ABC-234?",
    "Bel me op 0470 12 34 56",
    "Schrijf naar jan.peeters@gmail.com",
    "DRINGEND: sluit uw ramen",
    "Een\u202eomgekeerde tekst",
    "Geen %%PLP_NAME hier",
    "Zie src=x",
    "![](foto.jpg)",
    '<img src="foto.jpg">',
]
EXPECTED = {  # the plate and the private address of one note, in each language
    "fr": ("plaque d'immatriculation", "une adresse e-mail", "décrivez, ne nommez pas"),
    "nl": ("een nummerplaat", "een e-mailadres", "beschrijf, noem geen namen"),
    "de": ("ein Kennzeichen", "eine E-Mail-Adresse", "beschreiben, nicht benennen"),
    "en": ("a licence plate", "an e-mail address", "describe, don't name"),
}


@pytest.mark.parametrize("lang", sorted(EXPECTED))
def test_a_refused_note_names_its_problems_in_the_coordinators_language(console, lang):
    client = console.sign_in(PLP_A)
    client.headers["Accept-Language"] = lang
    page = client.get(f"{A}/")
    note = "Wie kent de wagen 1-ABC-234?\nMail jan.peeters@gmail.com"
    refused = client.post(f"{A}/draft", data={"note": note, "csrf": csrf(page.text, f"{A}/draft")})
    assert refused.status_code == 400 and 'role="alert"' in refused.text
    for words in EXPECTED[lang]:
        assert words in refused.text.replace("&#39;", "'"), words
    assert "1-ABC-234" in refused.text and "jan.peeters@gmail.com" in refused.text
    if lang != "en":  # nothing left in the English of the CLI's check messages
        assert "licence plate" not in refused.text and "never identify" not in refused.text
    line = {"fr": "ligne 2", "nl": "regel 2", "de": "Zeile 2", "en": "line 2"}[lang]
    assert f"{line}: " in refused.text  # a note of two lines: which line


def test_every_rule_a_note_can_break_has_a_translated_message():
    content = load_content(load_config(REPO, env={}))
    rules = set()
    for note in HOSTILE_NOTES:
        problems = check_note(note, "the note", content)
        assert problems, note
        rules |= {p.rule for p in problems}
    assert rules <= set(NOTE_PROBLEMS), rules - set(NOTE_PROBLEMS)
    assert len(rules) == len(NOTE_PROBLEMS)  # every message of the table is reachable
    for lang in ("fr", "nl", "de"):
        _ = gettext_for(lang, "web")
        for message, fix in NOTE_PROBLEMS.values():
            assert _(message) != message and _(fix) != fix, (lang, message)
            assert set(_placeholders(_(message))) == set(_placeholders(message))


def _placeholders(text: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


SHOWN_BY = [
    *sorted((REPO / "theme" / "templates" / "web" / "console").glob("*.html")),
    REPO / "pipeline" / "web" / "coordinators.py",
    REPO / "pipeline" / "web" / "roster.py",
    REPO / "pipeline" / "coordinator" / "sessions.py",
]
MARKED = re.compile(r"""(?<!\w)N?_\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)\)""")
TITLE = re.compile(r'\bpage\(\s*request,\s*"\w+",\s*"([^"]+)"')


def _shown_strings() -> set[str]:
    """What the console's templates and handlers pass to gettext, and the pages' titles."""
    found = set()
    for path in SHOWN_BY:
        text = path.read_text(encoding="utf-8")
        for m in MARKED.finditer(text):
            found.add("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m[1])).replace('\\"', '"'))
        found |= set(TITLE.findall(text))
    return found


@pytest.mark.parametrize("lang", ["fr", "nl", "de"])
def test_every_string_the_console_shows_is_in_the_catalog(lang):
    catalogs = []
    for domain in ("web", "plp"):
        with (REPO / "pipeline" / "locale" / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as f:
            catalogs.append(read_po(f))
    shown = _shown_strings() | set(STATE_WORDS)
    assert len(shown) > 100
    missing = [s for s in sorted(shown) if not any(c.get(s) and c.get(s).string for c in catalogs)]
    assert not missing, missing
