"""The police's numbers, 101 and 112, as `tel:` links wherever a page shows them: one tap on a
phone instead of reading the number and typing it."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

NUMBERS = ("101", "112")

# A number on its own: not part of a longer number ("1012", "2 101 inhabitants", "1.112,50"),
# a word, an address or a character reference ("&#101;" is an "e").
_NUMBER = re.compile(
    r"(?<![\w.,/+:@#-])(?<!\d[ \u00a0\u202f])(?<!\d&nbsp;)(101|112)"
    r"(?![\w@]|[.,/:-]\d|[ \u00a0\u202f]\d|&nbsp;\d)"
)
# Tags with their quoted attributes (a ">" may stand inside quotes), and comments.
_TAG = re.compile(r"""(<!--.*?-->|<(?:[^>"']|"[^"]*"|'[^']*')*>)""", re.DOTALL)
_LINK = re.compile(r"<(/?)a\b", re.IGNORECASE)


def link_numbers(value: str) -> Markup:
    """`value` with 101 and 112 linked; plain text is escaped, Markup (sanitised HTML) is
    changed only in its text, never inside a tag or an existing link."""
    html = value if isinstance(value, Markup) else escape(value)
    parts = _TAG.split(str(html))
    depth = 0  # inside an <a>: a link cannot hold another one
    for i, part in enumerate(parts):
        if i % 2:
            link = _LINK.match(part)
            if link:
                depth = max(depth - 1, 0) if link[1] else depth + 1
        elif depth == 0 and part:
            parts[i] = _NUMBER.sub(r'<a href="tel:\1">\1</a>', part)
    return Markup("".join(parts))
