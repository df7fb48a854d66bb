"""Fixtures shared by every test folder: a small valid content tree and a pinned config."""

from __future__ import annotations

import dataclasses
import textwrap
from datetime import date
from pathlib import Path

import pytest

from pipeline.config import Config, load_config

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 29)

ZONES = """\
- id: "5901"
  names: {nl: "Politiezone Kempenveld"}
  phone: "+32 14 99 01 01"
  website: "https://www.pz-kempenveld.test"
  email: "preventie@pz-kempenveld.test"
  communes:
    - id: bergveld
      names: {nl: "Bergveld"}
      postcodes: ["2399", "2398"]
    - id: heidebeek
      names: {nl: "Heidebeek"}
      postcodes: ["2397"]
- id: "5902"
  names: {fr: "Zone de police Val-Florval"}
  phone: "+32 81 99 02 02"
  website: "https://www.police-valflorval.test"
  communes:
    - id: florval
      names: {fr: "Florval"}
      postcodes: ["5099"]
"""

PLPS = """\
- slug: bergveld-centrum
  names: {nl: "BIN Bergveld-Centrum"}
  commune: bergveld
  postcodes: ["2399"]
  languages: [nl]
  kind: residential
  coordinator: {name: "Coördinator BIN Bergveld-Centrum", email: "bin.centrum@bergveld.test"}
- slug: heidebeek-zuid
  names: {nl: "BIN Heidebeek-Zuid"}
  commune: heidebeek
  languages: [nl]
  kind: rural
  coordinator: {name: "Coördinator BIN Heidebeek-Zuid", email: "bin.zuid@heidebeek.test"}
- slug: florval-centre
  names: {fr: "PLP Florval-Centre", nl: "BIN Florval-Centrum"}
  commune: florval
  languages: [fr, nl]
  kind: self-employed
  coordinator: {name: "Coordination PLP Florval-Centre", email: "plp.centre@florval.test"}
- slug: florval-zoning
  names: {fr: "PLP Florval-Zoning"}
  commune: florval
  languages: [fr]
  kind: industrial
  status: inactive
  coordinator: {name: "Coordination PLP Zoning", email: "plp.zoning@florval.test"}
"""


def message(
    title="Donkere dagen",
    date="2026-11-02",
    category="prevention",
    targets="zone:5901",
    extra="",
    body="Doe het licht aan. Bel 101, of 112.",
):
    """The text of a message file; `extra` adds metadata lines."""
    head = f"Title: {title}\nDate: {date}\nCategory: {category}\nTargets: {targets}\n"
    head += "Author: Politiezone Kempenveld — preventiedienst\n" + extra
    return head + "\n" + body + "\n"


MESSAGES = {
    "messages/dark-days.nl.md": message(),
    "messages/dark-days.fr.md": message(title="Jours sombres", body="Allumez. Appelez le 101."),
    "messages/national/holiday.fr.md": message(
        title="Vacances", targets="all", date="2026-06-01", extra="Valid-Until: 2026-08-31\n"
    ),
    "messages/national/holiday.nl.md": message(
        title="Vakantie", targets="all", date="2026-06-01", extra="Valid-Until: 2026-08-31\n"
    ),
    "messages/florval/vans.fr.md": message(
        title="Vols dans les camionnettes",
        category="modus-operandi",
        targets="commune:florval",
        date="2026-10-10",
    ),
    "messages/heidebeek/meeting.nl.md": message(
        title="Algemene vergadering",
        category="plp-life",
        targets="plp:heidebeek-zuid",
        date="2026-11-20",
    ),
}
PAGES = {
    f"pages/{key}.{lang}.md": f"Title: {key} {lang}\n\nText.\n"
    for key in ("about", "report", "privacy")
    for lang in ("fr", "nl", "de")
}


@pytest.fixture
def content_tree(tmp_path: Path):
    """Write a small valid content tree, with files replaced or added (None removes one)."""

    def make(files: dict[str, str | None] | None = None) -> Path:
        root = tmp_path / "site"
        tree = {"registry/zones.yaml": ZONES, "registry/plps.yaml": PLPS, **MESSAGES, **PAGES}
        tree.update(files or {})
        for rel, text in tree.items():
            if text is None:
                continue
            path = root / "content" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        (root / "pelicanconf.py").write_text((ROOT / "pelicanconf.py").read_text())
        return root

    return make


@pytest.fixture
def make_config(tmp_path: Path):
    """A Config for a project folder with 'today' pinned; keyword overrides replace fields."""

    def make(root: Path | None = None, **overrides) -> Config:
        config = load_config(root or ROOT, env={})
        defaults = {"today": TODAY, "var_dir": tmp_path / "var", "output_dir": tmp_path / "out"}
        return dataclasses.replace(config, **{**defaults, **overrides})

    return make
