"""The template context: what a brief's templates receive, documented field by field.

`BriefView` is the root (available to templates as `brief`); each section is one
of the `*Section` views, told apart by `kind`. Every fact shown carries `cites`:
the numbered sources it came from, each with the sentence it was read from.
Strings here are untrusted article text unless typed `Markup` (analyst-written).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from markupsafe import Markup


@dataclass(frozen=True)
class Citation:
    """One source behind a fact: its number in the Sources section and the sentence quoted."""

    number: int
    sentence: str


@dataclass
class SourceEntry:
    """A numbered source document."""

    number: int
    doc_id: str
    title: str
    outlet: str | None
    published: str | None
    url: str | None
    path: str


@dataclass
class FigureItem:
    """A reported figure: `text` as written ('roughly 1,000'), bounds, what it counts."""

    text: str
    low: float
    high: float
    subject: str | None
    unit: str | None
    sentence: str
    cites: list[Citation] = field(default_factory=list)


@dataclass
class ZoneItem:
    """A place reported as active, with how many times sources mention it."""

    name: str
    kind: str
    country: str | None
    mentions: int
    cites: list[Citation] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None


@dataclass
class TacticItem:
    """A method of operation and how often sources mention it."""

    name: str
    mentions: int
    cites: list[Citation] = field(default_factory=list)


@dataclass
class StatementItem:
    """Something an actor said (direct quote) or claimed (reported), with who said it."""

    speaker: str | None
    role: str | None
    text: str
    cue: str | None
    direct: bool
    disputed: bool
    cites: list[Citation] = field(default_factory=list)


@dataclass
class TimelineEntry:
    """A dated event: `date` is ISO at `precision`; `date_label` is for display ('September 2025')."""

    date: str
    date_label: str
    precision: str
    what: str
    kind: str
    planned: bool
    upcoming: bool
    cites: list[Citation] = field(default_factory=list)


@dataclass
class ActorCard:
    """A key actor: who they are and what they said or did."""

    name: str
    kind: str
    role: str | None
    affiliation: str | None
    aliases: list[str]
    mentions: int
    statements: list[StatementItem] = field(default_factory=list)
    actions: list[TimelineEntry] = field(default_factory=list)
    cites: list[Citation] = field(default_factory=list)


@dataclass
class JudgmentItem:
    """A key judgment: statement and basis are analyst Markdown rendered to HTML (trusted)."""

    statement: Markup
    likelihood: str | None
    probability: str | None  # the ICD 203 range of the likelihood term, e.g. '55–80%'
    confidence: str | None
    basis: Markup | None


@dataclass
class KeyJudgmentsSection:
    """Analyst-written bottom line (`html`, from Markdown) and structured `judgments`."""

    kind: str
    title: str
    anchor: str
    html: Markup
    judgments: list[JudgmentItem] = field(default_factory=list)


@dataclass
class ThreatSummarySection:
    """Figures, active zones, tactics and warnings with who gave them."""

    kind: str
    title: str
    anchor: str
    figures: list[FigureItem]
    zones: list[ZoneItem]
    tactics: list[TacticItem]
    warnings: list[StatementItem]
    chart: Markup | None = None  # SVG bar chart of the figures, when there are two or more
    map: Markup | None = None  # SVG map of the zones that have coordinates


@dataclass
class WithdrawalTimelineSection:
    """Dated events in order, split at the build date into past and upcoming."""

    kind: str
    title: str
    anchor: str
    past: list[TimelineEntry]
    upcoming: list[TimelineEntry]
    graphic: Markup | None = None  # SVG timeline, today marked


@dataclass
class KeyActorsSection:
    """Actor cards, most-mentioned first."""

    kind: str
    title: str
    anchor: str
    actors: list[ActorCard]


@dataclass
class SourcesSection:
    """The numbered source list."""

    kind: str
    title: str
    anchor: str
    sources: list[SourceEntry]
    summary: str = ""  # '5 sources from 4 outlets, published 12 December 2024 – 18 November 2025'


@dataclass
class FigureChange:
    """A figure whose reported value changed: old and new values, with where each came from."""

    subject: str
    old: list[str]
    new: list[str]
    old_sources: list[str]
    cites: list[Citation] = field(default_factory=list)


@dataclass
class MovedEntry:
    """A timeline entry whose date moved (a deadline that slipped)."""

    what: str
    kind: str
    old_label: str
    new_label: str
    cites: list[Citation] = field(default_factory=list)


@dataclass
class JudgmentChange:
    """A key judgment added, removed or revised by the analyst (ICD 203: explain changes to judgments)."""

    change: str  # added, removed, revised
    statement: str
    before: str | None
    after: str | None


@dataclass
class ChangesSection:
    """What changed since edition `since`: new sources and actors, timeline and figure changes, judgments."""

    kind: str
    title: str
    anchor: str
    since: int
    since_date: str
    new_sources: list[SourceEntry]
    new_actors: list[ActorCard]
    timeline_added: list[TimelineEntry]
    timeline_moved: list[MovedEntry]
    figures_changed: list[FigureChange]
    judgments_changed: list[JudgmentChange]


@dataclass
class AudienceView:
    """Who the brief is for."""

    name: str
    label: str
    marking: str | None
    citations: bool
    logo: str | None = None  # a data: URI
    accent: str | None = None  # '#rrggbb'


@dataclass
class BriefView:
    """The root of the template context (`brief`)."""

    name: str
    title: str
    subtitle: str | None
    audience: AudienceView
    build_date: dt.date
    generated_at: str
    producer: str
    contact: str | None
    period_start: str | None
    period_end: str | None
    page_size: str
    sections: list[object]
    sources: list[SourceEntry]
    keywords: list[str] = field(default_factory=list)
    toc: bool = True
    edition: int | None = None
    next_issue: str | None = None  # when the brief's schedule builds the next edition
    created: str | None = None  # generated_at as ISO 8601 date and time, for metadata
