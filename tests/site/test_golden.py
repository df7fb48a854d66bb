"""Golden files: a PLP hub, a message page and feeds, as a reader receives them.

Built from the small fixed tree of tests/conftest.py (not content/, which grows), so a golden
file changes only when the site's output does. Update: pytest --update-golden tests/site.
"""

from __future__ import annotations

import pytest

from pipeline import urls

from .conftest import normalise

CASES = {
    "hub.nl.bergveld-centrum.html": urls.hub("nl", "bergveld-centrum"),
    "message.fr.dark-days.html": urls.message("fr", "dark-days"),
    "message.nl.holiday.html": urls.message("nl", "holiday"),
    "feed.nl.bergveld-centrum.xml": urls.plp_feed("nl", "bergveld-centrum"),
    "atom.fr.florval-centre.xml": urls.plp_feed("fr", "florval-centre", "atom"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_matches_golden_file(small_site, golden, name):
    out = small_site
    actual = normalise((out / CASES[name]).read_text(encoding="utf-8"))
    golden(name, actual)
