"""The domain as typed, frozen values: zones, communes, PLPs, messages, pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path


class Category(StrEnum):
    """Message kinds from the seed presentation; names are translated in the UI."""

    PREVENTION = "prevention"
    MODUS_OPERANDI = "modus-operandi"
    CRIME_TREND = "crime-trend"
    POLICE_FEEDBACK = "police-feedback"
    PLP_LIFE = "plp-life"


# Bulletins open with what calls for attention: warnings and modus operandi first.
CATEGORY_ORDER = (
    Category.CRIME_TREND,
    Category.MODUS_OPERANDI,
    Category.PREVENTION,
    Category.POLICE_FEEDBACK,
    Category.PLP_LIFE,
)


class Kind(StrEnum):
    RESIDENTIAL = "residential"
    SELF_EMPLOYED = "self-employed"
    INDUSTRIAL = "industrial"
    RURAL = "rural"


class Status(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"


@dataclass(frozen=True)
class Source:
    """Where a value was read, so every problem can name the file and line."""

    path: Path
    line: int = 0


@dataclass(frozen=True)
class Commune:
    id: str
    names: dict[str, str]
    postcodes: tuple[str, ...]
    zone_id: str
    line: int = field(default=0, compare=False, repr=False)
    """Line of its names in zones.yaml, to locate problems found after reading."""

    def name(self, lang: str) -> str:
        return self.names.get(lang) or next(iter(self.names.values()))


@dataclass(frozen=True)
class Zone:
    """A police zone: the non-urgent contacts members see, and the communes it covers."""

    id: str
    names: dict[str, str]
    phone: str
    website: str
    email: str | None
    communes: tuple[Commune, ...]
    source: Source = field(compare=False, repr=False, default=Source(Path("?")))
    lines: dict[str, int] = field(compare=False, repr=False, default_factory=dict)
    """Line of each field in zones.yaml, to locate problems found after reading."""

    def name(self, lang: str) -> str:
        return self.names.get(lang) or next(iter(self.names.values()))


@dataclass(frozen=True)
class Coordinator:
    name: str
    email: str
    """A role address; never a private mailbox."""


@dataclass(frozen=True)
class Plp:
    slug: str
    names: dict[str, str]
    commune_id: str
    zone_id: str
    postcodes: tuple[str, ...]
    languages: tuple[str, ...]
    kind: Kind
    coordinator: Coordinator
    status: Status = Status.ACTIVE
    founded: date | None = None
    join: str | None = None
    source: Source = field(compare=False, repr=False, default=Source(Path("?")))
    lines: dict[str, int] = field(compare=False, repr=False, default_factory=dict)
    """Line of each field in plps.yaml (`coordinator.name` for nested ones)."""

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names.get(self.languages[0]) or self.slug

    @property
    def active(self) -> bool:
        return self.status is Status.ACTIVE


class TargetKind(StrEnum):
    ALL = "all"
    ZONE = "zone"
    COMMUNE = "commune"
    PLP = "plp"


@dataclass(frozen=True, order=True)
class Target:
    kind: TargetKind
    value: str = ""

    def __str__(self) -> str:
        return self.kind.value if self.kind is TargetKind.ALL else f"{self.kind}:{self.value}"


@dataclass(frozen=True)
class Message:
    """One message in one language; translations share a key."""

    key: str
    lang: str
    title: str
    date: datetime
    category: Category
    targets: tuple[Target, ...]
    author: str
    body: str
    """Markdown source."""
    summary: str | None = None
    valid_until: date | None = None
    source: Source = field(compare=False, repr=False, default=Source(Path("?")))
    body_line: int = field(compare=False, repr=False, default=1)
    """Line of the file where the body starts (to locate problems in it)."""
    lines: dict[str, int] = field(compare=False, repr=False, default_factory=dict)
    """Line of each metadata field, by lower-case name."""

    def line(self, field_name: str) -> int:
        return self.lines.get(field_name, 1)

    @property
    def id(self) -> str:
        return f"{self.key}.{self.lang}"

    def in_force(self, on: date) -> bool:
        """Published on or before `on` and not expired."""
        return self.date.date() <= on and (self.valid_until is None or on <= self.valid_until)

    def expired(self, on: date) -> bool:
        return self.valid_until is not None and self.valid_until < on


@dataclass(frozen=True)
class Page:
    key: str
    lang: str
    title: str
    body: str
    summary: str | None = None
    source: Source = field(compare=False, repr=False, default=Source(Path("?")))


@dataclass(frozen=True)
class Content:
    """Everything under content/, loaded and cross-checked."""

    zones: dict[str, Zone]
    communes: dict[str, Commune]
    plps: dict[str, Plp]
    messages: tuple[Message, ...]
    pages: tuple[Page, ...]

    def zone_of(self, plp: Plp) -> Zone:
        return self.zones[plp.zone_id]

    def commune_of(self, plp: Plp) -> Commune:
        return self.communes[plp.commune_id]
