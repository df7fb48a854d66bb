"""The PLP registry: police zones with their communes, and the PLPs, read from YAML."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from . import yamlines
from .checks import character_problems, image_problems, is_webmail, name_problems
from .config import LANGUAGES
from .errors import Problem, relpath
from .model import Commune, Coordinator, Kind, Plp, Source, Status, Zone

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
POSTCODE = re.compile(r"^[1-9]\d{3}$")
ZONE_ID = re.compile(r"^\d{4}$")
# An ASCII address as the bulletin's Reply-To accepts it (internationalised domains as xn--…).
EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$"
)

ZONE_FIELDS = {"id", "names", "phone", "website", "email", "communes"}
COMMUNE_FIELDS = {"id", "names", "postcodes"}
PLP_FIELDS = {
    "slug", "names", "commune", "postcodes", "languages", "kind", "coordinator", "status",
    "founded", "join",
}  # fmt: skip


class _Reader:
    """Collects problems while turning YAML entries into model values."""

    def __init__(self, path: Path):
        self.path = path
        self.shown = relpath(path)
        self.problems: list[Problem] = []

    def problem(self, line: int, message: str, fix: str) -> None:
        self.problems.append(Problem(self.shown, line, message, fix))

    def entries(self, what: str) -> list[yamlines.Mapping]:
        if self.path.is_dir():
            self.problem(0, "is a folder, not a file", f"replace it with the YAML list of {what}")
            return []
        if not self.path.exists():
            self.problem(
                0, "file is missing", f"create it with the {what} (docs/content-format.md)"
            )
            return []
        try:
            data = yamlines.load(self.path)
        except yamlines.YamlSyntaxError as exc:
            # Without a line, the file as a whole could not be read (encoding, a control
            # character the YAML reader refuses, permissions), not parsed.
            fix = "fix the indentation or quoting" if exc.line else "save it as UTF-8 text"
            self.problem(exc.line, f"invalid YAML: {exc}", fix)
            return []
        if not isinstance(data, list):
            self.problem(1, f"expected a list of {what}", "start each entry with '- '")
            return []
        good = []
        for item in data:
            if isinstance(item, yamlines.Mapping):
                good.append(item)
            else:
                self.problem(data.line, f"an entry is not a mapping: {item!r}", "use 'key: value'")
        return good

    def fields(self, entry: yamlines.Mapping, allowed: set[str], required: set[str]) -> None:
        for key in entry:
            if key not in allowed:
                self.problem(
                    entry.lines[key],
                    f"unknown field '{key}'",
                    f"remove it or use one of: {', '.join(sorted(allowed))}",
                )
        for key in sorted(required - entry.keys()):
            self.problem(entry.line, f"missing field '{key}'", f"add '{key}:' to this entry")

    def text(
        self,
        entry: yamlines.Mapping,
        key: str,
        *,
        pattern: re.Pattern | None = None,
        hint: str = "",
    ) -> str:
        value = entry.get(key)
        if value is None:
            return ""
        if not isinstance(value, str | int) or isinstance(value, bool):
            self.problem(entry.lines[key], f"'{key}' must be text", 'quote it: "…"')
            return ""
        value = str(value).strip()
        self.problems += character_problems(value, self.shown, entry.lines[key])
        if pattern and not pattern.match(value):
            self.problem(entry.lines[key], f"'{key}' has an invalid value {value!r}", hint)
        return value

    def name(self, entry: yamlines.Mapping, key: str, what: str) -> str:
        """A display name: plain text on one line (see checks.name_problems)."""
        value = self.text(entry, key)
        if value:
            self.problems += name_problems(value, self.shown, entry.lines[key], what)
        return value

    def address(self, entry: yamlines.Mapping, key: str, what: str) -> str:
        """A role address: plain ASCII, never at a private mailbox provider."""
        value = self.text(entry, key, pattern=EMAIL, hint=f"use {what}, e.g. plp@commune.be")
        if value and is_webmail(value):
            self.problem(
                entry.lines[key],
                f"'{key}' {value!r} is a private mailbox (webmail provider)",
                f"use {what} on the commune's, zone's or PLP's own domain: it is published",
            )
        return value.lower()

    def names(self, entry: yamlines.Mapping, what: str) -> dict[str, str]:
        names = entry.get("names")
        if names is None:
            return {}
        if not isinstance(names, dict) or not names:
            self.problem(
                entry.lines["names"],
                "'names' must map languages to names",
                'write e.g. names: {fr: "…", nl: "…"}',
            )
            return {}
        lines = getattr(names, "lines", {})
        for lang, value in names.items():
            line = lines.get(lang, entry.lines["names"])
            if lang not in LANGUAGES:
                self.problem(
                    line, f"unknown language '{lang}' in names", f"use {', '.join(LANGUAGES)}"
                )
            text = str(value).strip()
            self.problems += character_problems(text, self.shown, line)
            self.problems += name_problems(text, self.shown, line, what)
        return {str(k): str(v).strip() for k, v in names.items()}

    def codes(self, entry: yamlines.Mapping, key: str) -> tuple[str, ...]:
        values = entry.get(key) or []
        if not isinstance(values, list):
            values = [values]
        codes = tuple(str(v) for v in values)
        for code in codes:
            if not POSTCODE.match(code):
                self.problem(
                    entry.lines.get(key, entry.line),
                    f"invalid postcode {code!r}",
                    'write Belgian postcodes as 4 digits in quotes, e.g. "4700"',
                )
        return codes


def read_zones(path: Path) -> tuple[dict[str, Zone], list[Problem]]:
    """Read registry/zones.yaml into zones (communes inside), with every problem found."""
    r = _Reader(path)
    zones: dict[str, Zone] = {}
    commune_ids: set[str] = set()
    for entry in r.entries("police zones"):
        r.fields(entry, ZONE_FIELDS, ZONE_FIELDS - {"email"})
        zone_id = r.text(entry, "id", pattern=ZONE_ID, hint='use the 4-digit zone number, "5999"')
        website = r.text(
            entry,
            "website",
            pattern=re.compile(r"^https?://"),
            hint="use a full URL starting with https://",
        )
        email = r.address(entry, "email", "the zone's role address") if "email" in entry else None
        communes = []
        for c in entry.get("communes") or []:
            if not isinstance(c, yamlines.Mapping):
                r.problem(
                    entry.lines.get("communes", entry.line),
                    "a commune is not a mapping",
                    "write each commune with id, names and postcodes",
                )
                continue
            r.fields(c, COMMUNE_FIELDS, COMMUNE_FIELDS)
            cid = r.text(c, "id", pattern=SLUG, hint="use lower-case letters, digits and dashes")
            if cid in commune_ids:
                r.problem(c.line, f"duplicate commune id '{cid}'", "give each commune its own id")
            commune_ids.add(cid)
            names = r.names(c, "commune name")
            line = c.lines.get("names", c.line)
            communes.append(Commune(cid, names, r.codes(c, "postcodes"), zone_id, line))
        if zone_id in zones:
            r.problem(entry.line, f"duplicate zone id '{zone_id}'", "each zone is listed once")
        zones[zone_id] = Zone(
            zone_id,
            r.names(entry, "zone name"),
            r.text(entry, "phone"),
            website,
            email or None,
            tuple(communes),
            Source(path, entry.line),
            dict(entry.lines),
        )
    return zones, r.problems


def read_plps(
    path: Path, communes: dict[str, Commune] | None
) -> tuple[dict[str, Plp], list[Problem]]:
    """Read registry/plps.yaml; each PLP must name a known commune (unless communes is None)."""
    r = _Reader(path)
    plps: dict[str, Plp] = {}
    for entry in r.entries("PLPs"):
        r.fields(
            entry, PLP_FIELDS, {"slug", "names", "commune", "languages", "kind", "coordinator"}
        )
        slug = r.text(entry, "slug", pattern=SLUG, hint="use lower-case letters, digits, dashes")
        commune_id = r.text(entry, "commune")
        commune = (communes or {}).get(commune_id)
        if commune_id and commune is None and communes is not None:
            r.problem(
                entry.lines["commune"],
                f"unknown commune '{commune_id}'",
                "use a commune id declared in registry/zones.yaml",
            )
        postcodes = r.codes(entry, "postcodes") or (commune.postcodes if commune else ())
        if commune:
            for code in set(postcodes) - set(commune.postcodes):
                r.problem(
                    entry.lines.get("postcodes", entry.line),
                    f"postcode {code} is not in commune '{commune_id}'",
                    f"use one of {', '.join(commune.postcodes)}",
                )
        languages = _languages(r, entry)
        kind = _choice(r, entry, "kind", Kind, Kind.RESIDENTIAL)
        status = _choice(r, entry, "status", Status, Status.ACTIVE)
        coordinator, coordinator_lines = _coordinator(r, entry)
        founded = entry.get("founded")
        if founded is not None and not isinstance(founded, date):
            r.problem(
                entry.lines["founded"],
                f"'founded' is not a date: {founded!r}",
                "write it as YYYY-MM-DD",
            )
            founded = None
        if slug in plps:
            r.problem(
                entry.lines.get("slug", entry.line),
                f"duplicate PLP slug '{slug}'",
                "give each PLP its own slug",
            )
            continue
        plps[slug] = Plp(
            slug,
            r.names(entry, "PLP name"),
            commune_id,
            commune.zone_id if commune else "",
            postcodes,
            languages,
            kind,
            coordinator,
            status,
            founded,
            _join(r, entry),
            Source(path, entry.line),
            {**entry.lines, **coordinator_lines},
        )
    return plps, r.problems


def _languages(r: _Reader, entry: yamlines.Mapping) -> tuple[str, ...]:
    raw = entry.get("languages") or []
    langs = tuple(str(x) for x in (raw if isinstance(raw, list) else [raw]))
    for lang in langs:
        if lang not in LANGUAGES:
            r.problem(
                entry.lines.get("languages", entry.line),
                f"unknown language '{lang}'",
                f"use {', '.join(LANGUAGES)}",
            )
    if "languages" in entry and not langs:
        r.problem(entry.lines["languages"], "no language given", "write e.g. languages: [fr]")
    return tuple(x for x in langs if x in LANGUAGES) or ("fr",)


def _choice(r: _Reader, entry: yamlines.Mapping, key: str, enum: type, default: Any) -> Any:
    value = entry.get(key)
    if value is None:
        return default
    try:
        return enum(str(value))
    except ValueError:
        r.problem(
            entry.lines[key],
            f"unknown {key} '{value}'",
            f"use one of: {', '.join(e.value for e in enum)}",
        )
        return default


def _join(r: _Reader, entry: yamlines.Mapping) -> str | None:
    """The join text (Markdown), checked like a message body where it is read."""
    join = r.text(entry, "join")
    if join:
        r.problems += image_problems(join, r.shown, entry.lines["join"])
    return join or None


def _coordinator(r: _Reader, entry: yamlines.Mapping) -> tuple[Coordinator, dict[str, int]]:
    c = entry.get("coordinator")
    if c is None:
        return Coordinator("", ""), {}
    if not isinstance(c, yamlines.Mapping):
        r.problem(
            entry.lines["coordinator"],
            "'coordinator' must have name and email",
            "write coordinator: {name: …, email: …}",
        )
        return Coordinator("", ""), {}
    r.fields(c, {"name", "email"}, {"name", "email"})
    name = r.name(c, "name", "the coordinator's name")
    if "name" in c and not name:
        r.problem(c.lines["name"], "the coordinator's name is empty", "name the role")
    email = r.address(c, "email", "the PLP's role address")
    return Coordinator(name, email), {f"coordinator.{k}": line for k, line in c.lines.items()}
