"""Text as a reader sees it, so the detectors are not fooled by how it was typed.

A plate typed `1&#45;ABC&#45;234`, `1‑ABC‑234` (non-breaking hyphens), `１-ＡＢＣ-２３４`,
`1-A<b></b>BC-234` or `1-**ABC**-234` reads `1-ABC-234` on the page; a phone number in a link
may be percent-encoded (`tel:0470%2012%2034%2056`). Every view keeps the source's line breaks,
so a finding in it is still reported at the right line of the file.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from urllib.parse import unquote

# Markup a reader never sees, replaced by the line breaks it spanned: script and style
# elements (dropped with their content by the sanitiser), comments, then any other tag.
_HIDDEN = re.compile(
    r"<(script|style)\b.*?(?:</\1\s*>|$)|<!--.*?(?:-->|$)|</?[A-Za-z][^>]*>",
    re.IGNORECASE | re.DOTALL,
)
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# Emphasis and code markers split a word in the source and vanish on the page; an underscore
# inside a word (jan_peeters) is no emphasis in Markdown and stays.
_MD_INLINE = re.compile(r"[*`]+|(?<![^\W_])_+|_+(?![^\W_])")
# Separators people type between the parts of a plate or a phone number, made plain.
_DASHES = re.compile("[\u2010-\u2015\u2043\u2212\ufe58\ufe63\uff0d]")
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Unicode's format characters (category Cf: zero-width space and joiners, soft hyphen, bidi
# marks): invisible on the page.
_FORMAT = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]"
)
# Cyrillic and Greek letters that look like the Latin ones plates are made of.
_LOOKALIKES = str.maketrans(
    "АВЕКМНОРСТХУІЈЅ" "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ" "аеорсхуіј",
    "ABEKMHOPCTXYIJS" "ABEZHIKMNOPTYX" "aeopcxyij",
)  # fmt: skip
_GREEK_OR_CYRILLIC = re.compile("[\u0370-\u04ff]")
_ODD = re.compile(f"{_FORMAT.pattern}|{_DASHES.pattern}|{_SPACES.pattern}")


@functools.lru_cache(maxsize=512)  # each check of a message asks for the same few texts
def normalised(text: str) -> str:
    """Entities decoded, NFKC, invisible characters dropped, odd dashes and spaces plain."""
    if "&" in text:
        text = html.unescape(text)
    if text.isascii():
        return text
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if _ODD.search(text):
        text = _SPACES.sub(" ", _DASHES.sub("-", _FORMAT.sub("", text)))
    return text.translate(_LOOKALIKES) if _GREEK_OR_CYRILLIC.search(text) else text


def _blank(match: re.Match[str]) -> str:
    return "\n" * match[0].count("\n")


@functools.lru_cache(maxsize=512)
def seen(text: str) -> str:
    """What a reader of the rendered text sees: no markup, no Markdown escapes, normalised."""
    if "<" in text:
        text = _HIDDEN.sub(_blank, text)
    if "\\" in text:
        text = _MD_ESCAPE.sub(r"\1", text)
    if any(c in text for c in "*_`"):
        text = _MD_INLINE.sub("", text)
    return normalised(text)


# Link and image targets: Markdown inline `](…)`, reference definitions, autolinks, HTML.
_TARGETS = re.compile(
    r"\]\(\s*<?(?P<md>[^)\s>]+)"
    r"|^\s{0,3}\[[^\]]+\]:\s*<?(?P<ref>\S+?)>?(?:\s|$)"
    r"|<(?P<auto>(?:https?|mailto|tel|sms):[^>\s]+)>"
    r"|\b(?:href|src)\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))",
    re.IGNORECASE | re.MULTILINE,
)


@functools.lru_cache(maxsize=256)
def link_targets(text: str) -> tuple[tuple[int, str], ...]:
    """Each link or image target as (line index, target decoded as a reader's click would)."""
    if not any(mark in text for mark in ("](", "]:", "<", "=")):
        return ()
    found = []
    for m in _TARGETS.finditer(text):
        raw = next(v for v in m.groups() if v is not None)
        found.append((text.count("\n", 0, m.start()), normalised(unquote(html.unescape(raw)))))
    return tuple(found)


def hidden(text: str) -> list[tuple[int, str]]:
    """Markup readers never see (tags with their attributes, comments), by line index."""
    if "<" not in text:
        return []
    return [(text.count("\n", 0, m.start()), m[0]) for m in _HIDDEN.finditer(text)]
