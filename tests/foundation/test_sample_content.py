"""The shipped sample content loads cleanly and covers what the demo needs."""

from __future__ import annotations

from datetime import date

from pipeline.config import load_config
from pipeline.content import load_content
from pipeline.model import Category, Kind, TargetKind
from pipeline.targeting import Targeting
from tests.conftest import ROOT


def sample():
    return load_content(load_config(ROOT, env={}), strict=True)


def test_sample_content_passes_strict_check():
    content = sample()
    assert len(content.plps) >= 8
    assert len(content.messages) >= 24
    assert len({p.zone_id for p in content.plps.values()}) >= 3


def test_sample_covers_languages_kinds_and_categories():
    content = sample()
    langs = {tuple(p.languages) for p in content.plps.values()}
    assert {("nl",), ("fr",), ("de",)} <= langs and ("fr", "nl") in langs
    assert {p.kind for p in content.plps.values()} == set(Kind)
    assert {m.category for m in content.messages} == set(Category)
    assert {(p.key, p.lang) for p in content.pages} >= {
        (k, lang) for k in ("about", "report", "privacy") for lang in ("fr", "nl", "de")
    }


def test_sample_has_national_zone_and_single_plp_messages_and_translations():
    content = sample()
    kinds = {t.kind for m in content.messages for t in m.targets}
    assert kinds >= {TargetKind.ALL, TargetKind.ZONE, TargetKind.PLP}
    targeting = Targeting(content)
    translated = {m.key for m in content.messages if len(targeting.translations(m.key)) >= 2}
    assert len(translated) >= 3


def test_every_active_sample_plp_receives_something():
    content = sample()
    t = Targeting(content)
    for plp in content.plps.values():
        if plp.active:
            assert any(t.messages_for(plp.slug, lang) for lang in plp.languages), plp.slug
    assert any(m.expired(date(2026, 11, 29)) for m in content.messages)
