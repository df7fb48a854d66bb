"""Editing a template, a catalog or pelicanconf.py re-renders the pages it affects, and no others.

A rebuild keeps every page whose fingerprint (pipeline/site/fingerprint.py) is unchanged; the
build's salt covers the theme's templates, the gettext catalogs and the settings pages show, so
an edit to one of them renders every page again, and only pages whose bytes changed are written.
A page the edit affects but the build kept would be stale: served with the old text forever.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline import i18n
from pipeline.site import build_site

# (bytes, inode, mtime) of every output file: a rewrite replaces the file (new inode and mtime),
# a kept file keeps all three.
Snapshot = dict[str, tuple[bytes, int, int]]


def snapshot(out: Path) -> Snapshot:
    files = (p for p in out.rglob("*") if p.is_file())
    return {
        p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns)
        for p in files
    }


@pytest.fixture
def catalogs(tmp_path, monkeypatch) -> Path:
    """A copy of the catalogs the build reads, for a test to edit.

    Catalogs are package data (pipeline/locale, i18n.LOCALE_DIR), not project files: editing
    them in place would change the installed package for every later test. The build reads
    LOCALE_DIR at run time, for its fingerprint salt and for the translations, so pointing it at
    a copy is what a developer's edit looks like. Translations are cached per process
    (i18n.translations): a test clears that cache after its edit, as the next `plp build` is a
    new process; here it is cleared so that no other test's catalogs leak in or out.
    """
    copy = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, copy)
    monkeypatch.setattr(i18n, "LOCALE_DIR", copy)
    i18n.translations.cache_clear()
    yield copy
    i18n.translations.cache_clear()  # before monkeypatch restores LOCALE_DIR: nothing reads it


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def rebuild_after(root: Path, make_config, change: Callable[[], None]):
    """Build twice (the second writes nothing), apply `change`, build again.

    Returns (the output before the change, after it, the last build's report). The Config is
    loaded anew for each build, as each `plp build` does: pelicanconf.py is read every time.
    """
    first = build_site(make_config(root))
    assert first.written == first.files > 0
    again = build_site(make_config(root))
    assert (again.written, again.unchanged, again.removed) == (0, again.files, 0)
    out = make_config(root).output_dir
    before = snapshot(out)
    change()
    report = build_site(make_config(root))
    return before, snapshot(out), report


def check_only_affected_pages_rewritten(before, after, report, old: str, new: str) -> set[str]:
    """The files that showed `old` now show `new` and were rewritten; every other is untouched."""
    assert after.keys() == before.keys() and report.removed == 0
    # Rendered outputs only: theme/ holds assets copied as they are (site.css names the site).
    rendered = {
        path: data for path, (data, _, _) in before.items() if not path.startswith("theme/")
    }
    affected = {path for path, data in rendered.items() if old.encode() in data}
    assert 0 < len(affected) < len(before), "the edit must touch some outputs, not all"
    rewritten = {path for path in before if after[path] != before[path]}
    assert rewritten == affected, "stale pages" if affected - rewritten else "needless writes"
    assert (report.written, report.unchanged) == (len(affected), len(before) - len(affected))
    for path in affected:
        data = after[path][0]
        assert new.encode() in data and old.encode() not in data, path
    return affected


def test_editing_a_template_rerenders_the_pages_made_with_it(content_tree, make_config):
    root = content_tree(theme=True)  # a theme of the project's own: Config.theme_dir
    assert make_config(root).theme_dir == root / "theme"
    template = root / "theme/templates/message.html"
    before, after, report = rebuild_after(
        root,
        make_config,
        lambda: edit(template, '<dl class="facts">', '<dl class="facts edited">'),
    )
    # Only message.html writes the facts list: every message page changes, nothing else.
    affected = check_only_affected_pages_rewritten(
        before, after, report, '<dl class="facts">', '<dl class="facts edited">'
    )
    assert {path.split("/")[1] for path in affected} == {"messages"}


def test_editing_a_catalog_string_rerenders_the_pages_in_that_language(
    content_tree, make_config, catalogs
):
    root = content_tree()
    site_nl = catalogs / "nl/LC_MESSAGES/site.po"

    def change() -> None:
        edit(site_nl, 'msgid "Contacts"\nmsgstr "Contact"', 'msgid "Contacts"\nmsgstr "Wie"')
        i18n.translations.cache_clear()  # the next `plp build` is a new process

    before, after, report = rebuild_after(root, make_config, change)
    # "Contacts" heads the contacts of a PLP's hub: the Dutch hubs change, nothing else.
    affected = check_only_affected_pages_rewritten(
        before, after, report, '<h2 id="contact">Contact</h2>', '<h2 id="contact">Wie</h2>'
    )
    assert all(path.startswith("nl/plp/") for path in affected)


def test_editing_pelicanconf_rerenders_the_pages_that_show_the_setting(content_tree, make_config):
    root = content_tree()
    settings = root / "pelicanconf.py"
    before, after, report = rebuild_after(
        root,
        make_config,
        lambda: edit(settings, 'SITENAME = "PLP — BIN"', 'SITENAME = "Buurtpreventie Kempen"'),
    )
    # The site's name is in every page's title and banner; feeds and the sitemap do not show it.
    affected = check_only_affected_pages_rewritten(
        before, after, report, "PLP — BIN", "Buurtpreventie Kempen"
    )
    assert all(path.endswith(".html") for path in affected)
