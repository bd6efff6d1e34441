"""The facts briefgen extracts, as plain dataclasses shared by every stage.

Offsets (`start`, `end`) are character offsets into `Document.text`, the plain
text left after front matter and markup are removed; `text[start:end]` is the
span a fact was read from. See ../shared/contracts/facts-json.md.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Literal

ActorKind = Literal["person", "organization"]
EventKind = Literal[
    "withdrawal", "attack", "strike", "arrest", "killing",
    "statement", "agreement", "deployment", "other",
]
LocationKind = Literal["city", "region", "facility", "country", "camp", "base", "other"]
DatePrecision = Literal["year", "quarter", "month", "day"]
EVENT_KINDS: tuple[str, ...] = EventKind.__args__  # type: ignore[attr-defined]


@dataclass
class Document:
    """A source document after ingest: metadata plus the plain text facts index."""

    id: str
    path: str
    text: str
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD or YYYY-MM
    url: str | None = None
    outlet: str | None = None
    releasable: bool = True
    language: str | None = None  # a BCP 47 tag (en, fr) when known
    fetched: str | None = None  # when briefgen fetched it (UTC, ISO 8601); None for a file put in by hand
    grade: str | None = None  # Admiralty grade, canonical ('B2', 'B'); None when ungraded (briefgen.grading)
    # Where each page starts in `text` (pages[0] == 0 for page 1); empty for a source without pages.
    pages: list[int] = field(default_factory=list)

    def page_at(self, offset: int) -> int | None:
        """The page (from 1) a character offset falls on; None for a document without pages."""
        return max(bisect_right(self.pages, offset), 1) if self.pages else None


@dataclass(frozen=True)
class Mention:
    """Where a name was seen: a document id and character offsets into its text."""

    doc: str
    start: int
    end: int


@dataclass
class Actor:
    """A person or organization. `id` is stable across documents (a slug)."""

    id: str
    name: str
    kind: ActorKind
    aliases: list[str] = field(default_factory=list)
    role: str | None = None
    affiliation: str | None = None
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class Event:
    """Something dated (or datable) that happened or is planned; `start`/`end` span its clause."""

    id: str
    date: str | None
    date_text: str | None
    kind: str
    what: str
    doc: str
    start: int
    end: int
    precision: DatePrecision | None = None
    planned: bool = False
    actors: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    resolved: bool = False  # the date was worked out (from publication or another date), not stated


@dataclass
class Quantity:
    """A figure: bounds (equal for a single value), unit and what is counted."""

    id: str
    text: str
    low: float
    high: float
    doc: str
    start: int
    end: int
    unit: str | None = None
    subject: str | None = None
    approximate: bool = False
    # "upper" for "fewer than 500" (low = high = 500, the count is at most that), "lower" for "at least 7".
    bound: Literal["upper", "lower"] | None = None

    def allowed(self) -> tuple[float, float]:
        """The values the figure allows: an upper bound ("fewer than 500") allows 0 to 500."""
        return (0.0 if self.bound == "upper" else self.low), self.high


@dataclass
class Location:
    """A place, with gazetteer kind and coordinates when known. `id` is stable (a slug)."""

    id: str
    name: str
    kind: LocationKind
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # the other forms seen: "Anbar province", "Al-Anbar"
    relations: list[str] = field(default_factory=list)  # as written: "some 45 kilometres from Kirkuk city"


@dataclass
class Quote:
    """A direct quotation or reported claim with its speaker; `start`/`end` span the quoted words."""

    id: str
    speaker: str | None
    speaker_name: str | None
    text: str
    doc: str
    start: int
    end: int
    cue: str | None = None  # the verb that attributes it: said, warned, told ...
    direct: bool = True  # False for a reported claim ("X warned that ...")
    disputed: bool = False


@dataclass
class Tactic:
    """A named method of operation (IEDs, assassinations ...) seen in a document."""

    id: str
    name: str
    doc: str
    start: int
    end: int


@dataclass
class Incident:
    """An event coded like an ACLED record: what kind of violence or development, who, where, when and
    its toll. `start`/`end` span its sentence; `event` is the id of the Event it was derived from."""

    id: str
    doc: str
    start: int
    end: int
    event: str
    event_type: str
    sub_event_type: str
    event_date: str | None = None
    time_precision: DatePrecision | None = None
    actor1: str | None = None  # actor ids: the agent, and the target or other party
    actor2: str | None = None
    location: str | None = None  # a location id
    location_name: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None  # 1 the place itself, 2 near it, 3 only its region or country
    # Bounds as reported, never averaged: "at least 3 killed" -> low 3, high None.
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    injured_low: int | None = None
    injured_high: int | None = None
    cue: str | None = None  # the words that decided its type
    what: str = ""  # the clause that tells it


@dataclass
class DocumentFacts:
    """Everything extracted from one document; the unit the store caches."""

    doc: str
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    tactics: list[Tactic] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)  # (start, end) of each sentence


def to_plain(value: Any) -> Any:
    """Turn a fact dataclass (or list of them) into JSON-ready dicts and lists, as `dataclasses.asdict` does
    (tuples become lists) without its deep copies: a year of facts is exported in a fraction of the time."""
    if value is None or type(value) in _SCALARS:
        return value
    if isinstance(value, list | tuple):
        return [to_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: to_plain(item) for key, item in value.items()}
    names = _field_names(type(value))
    if names is None:
        return value
    return {name: to_plain(getattr(value, name)) for name in names}


_SCALARS = frozenset({str, int, float, bool})
_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    """The field names of a dataclass, None for any other type."""
    if cls not in _FIELD_NAMES:
        _FIELD_NAMES[cls] = tuple(item.name for item in fields(cls)) if is_dataclass(cls) else None
    return _FIELD_NAMES[cls]


@dataclass
class FactSet:
    """Facts of many documents merged: one actor or place per id, with every mention."""

    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    tactics: list[Tactic] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
