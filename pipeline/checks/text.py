"""Rules every text field obeys, so that every output (pages, feeds, e-mail) can print it.

The outputs rely on these rules instead of checking again: lxml refuses control characters,
feedgen an entry without a title, the bulletin a reserved placeholder, a header holding an
encoded line break, or text its external-resource scan reads as a load. Whatever passes here
renders; whatever would not is reported with its file, line and fix.
"""

from __future__ import annotations

import html
import re
import unicodedata

from ..errors import Problem
from ..markup import plain_text
from .visible import link_targets, normalised, seen

# C0 controls but tab and newline, DEL, C1, the invisible line and paragraph separators,
# surrogates, noncharacters, and the bidi embedding, override and isolate controls (they
# reorder the text around them; pages isolate RTL names themselves).
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
    "\ufdd0-\ufdef\ufffe\uffff\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe"
    "\U0003ffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]"
)
RESERVED = "%%PLP_"
"""The bulletin's placeholders for per-member values start so; content may not contain it."""
# What the bulletin's external-resource scan (bulletin/render.py) reads as loading something,
# even in plain text and inside a word: it refuses the edition, so check refuses the text.
RESOURCE_LOAD = re.compile(r"(?:src|background|poster)\s*=|url\(|@import\b", re.IGNORECASE)
_TAG = re.compile(r"<(?P<tag>a|img|abbr)\b(?P<attrs>[^>]*)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(
    r"""(?P<name>[\w-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'>]+))"""
)
# The attributes the sanitiser keeps and the e-mail shows (an image's src is no text: the
# e-mail keeps the image only when it is on the site, and then may load it).
_SHOWN = {"a": {"href", "title"}, "img": {"alt", "title"}, "abbr": {"title"}}
# A line break spelled out (quoted-printable, URL, HTML) or an RFC 2047 word: headers refuse it.
_HEADER_BREAK = re.compile(r"=0[AD]|%0[AD]|&#(?:x0*[ad]|0*1[03]);|=\?", re.IGNORECASE)
NAME_LIMIT = 150
"""Characters of a name: the bulletin subject `{name} — bulletin no. N` must stay under 200."""
_IMAGE_MD = re.compile(
    r"!\[(?P<alt>(?:[^\[\]\\]|\\.|\[[^\]]*\])*)\]"
    r"(?:\((?P<src>[^)]*)\)|[ \t]?\[(?P<ref>[^\]]*)\])"
)
_IMAGE_HTML = re.compile(r"<img\b(?P<attrs>[^>]*)>", re.IGNORECASE)
_ALT = re.compile(r"""\balt\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'>]+))""", re.I)


def character_problems(text: str, shown: str, first_line: int = 1) -> list[Problem]:
    """One problem per line holding a control or invisible character no output can print."""
    found: dict[int, list[str]] = {}
    for m in _CONTROL.finditer(text):
        found.setdefault(first_line + text.count("\n", 0, m.start()), []).append(m[0])
    problems = []
    for line, chars in found.items():
        names = ", ".join(dict.fromkeys(_char_name(c) for c in chars))
        problems.append(
            Problem(
                shown,
                line,
                "invisible control character " + names,
                "delete it: retype the text around it (most editors do not show it)",
                rule="text.control",
                params=(("chars", names),),
            )
        )
    return problems


def _char_name(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if 0xD800 <= ord(char) <= 0xDFFF:
        return f"{code} (an unpaired surrogate)"
    name = unicodedata.name(char, "")
    return f"{code} ({name.lower()})" if name else code


def output_problems(
    text: str, shown: str, line: int, what: str, *, markdown: bool = False
) -> list[Problem]:
    """Text the bulletin would refuse: its placeholder prefix, or words read as a load.

    A plain-text field (title, summary, name) is printed as typed, markup included; Markdown
    is rendered, so its tags are no text, but their attributes (href, alt, title) still are.
    """
    found = []
    # As rendered: entities decoded, Markdown escapes gone (`%%PLP\_` still renders it).
    if RESERVED in html.unescape(text).replace("\\", ""):
        found.append(
            Problem(
                shown,
                line,
                f"{what} contains {RESERVED!r}",
                "remove it: plp reserves it",
                rule="text.reserved",
                params=(("reserved", RESERVED),),
            )
        )
    loads: list[tuple[int, str]] = []
    probe = (text + seen(text)).lower()
    if not any(word in probe for word in ("src", "background", "poster", "url", "@import")):
        return found  # the common case, decided without a regular expression
    for view in (seen(text), text) if not markdown else (seen(text),):
        loads += [(view.count("\n", 0, m.start()), m[0]) for m in RESOURCE_LOAD.finditer(view)]
    for index, target in link_targets(text):
        loads += [(index, m[0]) for m in RESOURCE_LOAD.finditer(target)]
    for tag in _TAG.finditer(text) if markdown and "<" in text else ():
        shown_attributes = _SHOWN[tag["tag"].lower()]
        for a in _ATTRIBUTE.finditer(tag["attrs"]):
            value = next(v for v in a.group("dq", "sq", "bare") if v is not None)
            if a["name"].lower() in shown_attributes:
                index = text.count("\n", 0, tag.start())
                loads += [(index, m[0]) for m in RESOURCE_LOAD.finditer(html.unescape(value))]
    if loads:
        index, words = min(loads)
        found.append(
            Problem(
                shown,
                line + index,
                f"{what}: '{words}' reads as loading a resource, which the e-mail refuses",
                "reword it (e.g. 'src: x' instead of 'src=x', 'url (' instead of 'url(')",
                rule="text.resource",
                params=(("words", words),),
            )
        )
    return found


def visible_problems(text: str, shown: str, line: int, what: str) -> list[Problem]:
    """A required text that shows nothing once markup and invisible characters are gone."""
    if normalised(plain_text(text)).strip():
        return []
    return [
        Problem(
            shown,
            line,
            f"{what} has no visible text once markup is removed ({text[:40]!r})",
            f"write the {what} as plain words",
        )
    ]


def name_problems(text: str, shown: str, line: int, what: str) -> list[Problem]:
    """A registry name is plain text on one line: it goes into pages, feeds and e-mail headers.

    Markup and character references are refused rather than shown: an RSS reader may render a
    title as HTML or as text, so only plain text reads the same in every reader, and `<`/`>`
    would end the display name of a From or List-Id header.
    """
    found = output_problems(text, shown, line, what) + visible_problems(text, shown, line, what)
    fault = _name_fault(text)
    if fault:
        found.insert(0, Problem(shown, line, f"{what} {text[:60]!r} {fault[0]}", fault[1]))
    return found


def _name_fault(text: str) -> tuple[str, str] | None:
    """(what is wrong, fix) with a name, or None."""
    if re.search(r"[\t\n\r\u2028\u2029]", text):  # e-mail headers refuse them
        return "holds a tab or a line break", "write it on one line, with spaces"
    if "<" in text or ">" in text or html.unescape(text) != text:
        return "holds markup", "write it as plain text: & rather than &amp;, and no <tags>"
    if _HEADER_BREAK.search(text):
        return "holds an encoded line break", "remove the =0A, %0A, &#10; or =? from it"
    if len(text) > NAME_LIMIT:
        return f"is longer than {NAME_LIMIT} characters", "shorten it"
    return None


def _alt(attrs: str) -> str | None:
    m = _ALT.search(attrs)
    return None if m is None else next(v for v in m.groups() if v is not None)


def image_problems(body: str, shown: str, body_line: int) -> list[Problem]:
    """Images need alt text: Markdown inline and reference images, and HTML <img>."""
    found = []
    for m in _IMAGE_MD.finditer(body):
        if not seen(m["alt"]).strip():
            source = (m["src"] or "").strip() or f"[{m['ref']}]"
            found.append(
                Problem(
                    shown,
                    body_line + body.count("\n", 0, m.start()),
                    f"image '{source}' has no alt text",
                    "describe the image: ![what it shows](file.jpg)",
                    rule="image.alt",
                    params=(("source", source),),
                )
            )
    for m in _IMAGE_HTML.finditer(body):
        alt = _alt(m["attrs"])
        if alt is None or not seen(alt).strip():
            found.append(
                Problem(
                    shown,
                    body_line + body.count("\n", 0, m.start()),
                    "image has no alt text",
                    'add alt="what it shows" to the <img>',
                    rule="image.alt_html",
                )
            )
    return found


def body_problems(body: str, shown: str, body_line: int) -> list[Problem]:
    """A message must say something: a body that shows nothing once sanitised is refused."""
    if re.search(r"\w", seen(body)) or _IMAGE_MD.search(body) or _IMAGE_HTML.search(body):
        return []
    return [
        Problem(
            shown,
            body_line,
            "the message has no text",
            "write the message below the metadata, after one blank line",
        )
    ]
