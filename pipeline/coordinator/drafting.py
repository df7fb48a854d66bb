"""Drafting a PLP's next bulletin: number it, assemble, render, compose, store."""

from __future__ import annotations

from datetime import date

from ..bulletin.assembly import assemble
from ..bulletin.compose import compose
from ..bulletin.render import (
    GREETING_HTML,
    GREETING_TEXT,
    PREFERENCES_HTML,
    PREFERENCES_TEXT,
    UNSUBSCRIBE_HTML,
    UNSUBSCRIBE_TEXT,
    Renderer,
    test_copy,
)
from ..bulletin.store import Draft, DraftEdition, DraftStatus, content_hash
from ..checks import check_note
from ..errors import ContentError
from ..targeting import Targeting
from ..urls import preferences_url, unsubscribe_url
from .desk import Desk

PREVIEW_ADDRESS = "member@example.org"
"""Sample recipient of the preview (a reserved domain: it reaches nobody)."""


def draft(
    desk: Desk,
    plp_slug: str,
    langs: list[str] | tuple[str, ...] | None = None,
    note: str | None = None,
    on: date | None = None,
    targeting: Targeting | None = None,
    note_name: str = "the coordinator's note",
) -> Draft:
    """Assemble, render and store the PLP's next bulletin (replacing an unsent draft).

    The note goes to every member and onto the website: it passes the message checks
    (no personal data, nothing urgent) or nothing is drafted.
    """
    config, content, store = desk.config, desk.content, desk.bulletins
    plp = desk.plp(plp_slug)
    if note:
        problems = check_note(note, note_name, content)
        if problems:
            raise ContentError(problems)
    on = on or config.current_date()
    number = store.next_number(plp.slug)
    bulletin = assemble(
        content,
        plp.slug,
        number=number,
        on=on,
        already_sent=store.sent_message_ids(plp.slug),
        langs=langs,
        note=note,
        previous=store.last_sent(plp.slug),
        targeting=targeting,
    )
    renderer = Renderer(config, content)
    preview_url = unsubscribe_url(config.web_url, "PREVIEW")
    preview_preferences = preferences_url(config.web_url, "PREVIEW")
    files: dict[str, bytes] = {}
    templates: dict[str, bytes] = {}
    editions = []
    for assembled in bulletin.editions:
        lang = assembled.lang
        edition, rendered = renderer.render_fitting(bulletin, lang)
        template = compose(config, bulletin, rendered)
        templates[lang] = template.to_bytes()
        files[f"{lang}.template"] = templates[lang]
        # Not in the content hash: members never get it, only the coordinator's review does.
        files[f"{lang}.test.template"] = compose(config, bulletin, test_copy(rendered)).to_bytes()
        files[f"{lang}.eml"] = template.for_member(
            PREVIEW_ADDRESS,
            None,
            preview_url,
            None,
            template.message_id("preview"),
            preferences_url=preview_preferences,
        )
        neutral = rendered.greeting_neutral
        files[f"{lang}.html"] = (
            rendered.html.replace(GREETING_HTML, neutral)
            .replace(UNSUBSCRIBE_HTML, preview_url)
            .replace(PREFERENCES_HTML, preview_preferences)
            .encode()
        )
        files[f"{lang}.txt"] = (
            rendered.text.replace(GREETING_TEXT, neutral)
            .replace(UNSUBSCRIBE_TEXT, preview_url)
            .replace(PREFERENCES_TEXT, preview_preferences)
            .encode()
        )
        files[f"{lang}.web.html"] = rendered.web.encode()
        held_over = len(assembled.messages) - len(edition.messages)
        editions.append(DraftEdition(lang, rendered.subject, edition.message_ids, held_over))
    made = Draft(
        plp=plp.slug,
        number=number,
        date=on,
        editions=tuple(editions),
        note=bulletin.note,
        status=DraftStatus.DRAFT,
        sent_at=None,
        content_hash=content_hash(templates, bulletin.note),
        folder=store.folder(plp.slug, number),
    )
    return store.save(made, files)
