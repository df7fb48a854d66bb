"""Every string the site shows is in the gettext catalogs of fr, nl, de and en.

The strings are found as Babel's extractors find them (Jinja templates, the site's Python), so
a new `_("…")` without its translations fails here instead of showing English on a Dutch page.
"""

from __future__ import annotations

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from pipeline.i18n import LOCALE_DIR
from tests.conftest import ROOT


def site_strings() -> set[str]:
    found = set()
    for path in sorted((ROOT / "theme/templates").glob("*.html")):  # web/ has its own domain
        options = {"trim_blocks": "true", "lstrip_blocks": "true"}
        found |= {m for _n, m, _c, _x in extract_from_file("jinja2", str(path), options=options)}
    for path in sorted((ROOT / "pipeline/site").glob("*.py")):
        found |= {m for _n, m, _c, _x in extract_from_file("python", str(path))}
    return {m for m in found if isinstance(m, str)}


def catalog(lang: str) -> dict[str, str]:
    """The site's and the shared catalog of `lang`: msgid → msgstr."""
    entries = {}
    for domain in ("plp", "site"):
        with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as f:
            entries |= {m.id: m.string for m in read_po(f) if m.id}
    return entries


def test_the_extractor_finds_the_site_strings():
    strings = site_strings()
    assert {"Find your PLP", "PLPs concerned", "Page not found", "Menu"} <= strings


@pytest.mark.parametrize("lang", ["fr", "nl", "de", "en"])
def test_every_site_string_is_in_the_catalog(lang):
    entries = catalog(lang)
    missing = sorted(s for s in site_strings() if s not in entries)
    assert not missing, f"{lang}: not in site.po: {missing}"
    if lang != "en":  # the English catalog leaves msgstr empty: the source is English
        untranslated = sorted(s for s in site_strings() if not entries[s])
        assert not untranslated, f"{lang}: untranslated: {untranslated}"
