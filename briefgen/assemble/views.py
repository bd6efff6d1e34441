"""The template context: what a brief's templates receive, documented field by field.

`BriefView` is the root (available to templates as `brief`); each section is one
of the `*Section` views, told apart by `kind`. Every fact shown carries `cites`:
the numbered sources it came from, each with the sentence it was read from.
Sources carry their Admiralty grade (`SourceEntry.grade`, `Citation.grade`, `GradedSource`;
None when ungraded, see `briefgen.grading`); `brief.graded` says whether any source is graded.
A rendered brief is bounded (`assemble.bounded`): its lists of citations, source names, values and copies
are `Shown` lists, whose `more` counts what was left out ("+4 more"); the edition's data export
(`brief.export`) holds everything.
Strings here are untrusted article text unless typed `Markup` (analyst-written
Markdown from the configuration, rendered by `assemble.analyst_text`: raw HTML in it
is shown as text and unsafe links and attributes are dropped).

Sections, by `kind`: key_judgments (`KeyJudgmentsSection`), changes (`ChangesSection`),
key_figures (`KeyFiguresSection`), threat_summary (`ThreatSummarySection`), incidents
(`IncidentsSection`), incident_chart (`IncidentChartSection`), timeline and
withdrawal_timeline (`TimelineSection`; a brief may have several, each with its own `anchor`),
key_actors (`KeyActorsSection`),
outlook (`OutlookSection`), intelligence_gaps (`IntelligenceGapsSection`) and
sources (`SourcesSection`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TypeVar

from markupsafe import Markup

from briefgen.freshness import Freshness

T = TypeVar("T")


class Shown(list[T]):
    """A list cut to what the brief shows (see `assemble.bounded`): `more` counts what was left out, in the
    list's own unit (for citations: other independent stories; for source names: other sources). Templates
    say "+N more"; the edition's data export holds them all."""

    more: int = 0

    def __init__(self, items: list[T] | tuple[T, ...] = (), more: int = 0) -> None:
        super().__init__(items)
        self.more = more


@dataclass(frozen=True)
class Citation:
    """One source behind a fact: its number in the Sources section and the sentence quoted; `grade` is the
    source's Admiralty grade ('B2'; None when ungraded), shown before the sentence in the hover text, and
    `page`, in a paged source (PDF), the page that sentence starts on."""

    number: int
    sentence: str
    grade: str | None = None
    page: int | None = None


@dataclass(frozen=True)
class GradedSource:
    """A source named beside a value it gives: `name` (outlet, else title), `grade` ('B2'; None when
    ungraded) and `grade_meaning` ('Usually reliable; probably true'), for hover text."""

    name: str
    grade: str | None
    grade_meaning: str


@dataclass(frozen=True)
class SourceValue:
    """One value where sources differ ('3', 'at least 5'), with the sources giving it, best graded first."""

    value: str
    sources: list[GradedSource]


@dataclass
class SourceCopy:
    """Another publication of a story: a document whose text is a copy or light rewrite of the original's."""

    doc_id: str
    title: str
    outlet: str | None
    published: str | None
    url: str | None
    path: str
    grade: str | None = None  # Admiralty grade, 'B2' or 'B'; None: ungraded
    grade_meaning: str = ""


@dataclass
class SourceEntry:
    """A numbered source: one story, told by its original document (the fields here) and by its `copies`
    (wire copy republished by other outlets, earliest first; empty for a story told once)."""

    number: int
    doc_id: str
    title: str
    outlet: str | None
    published: str | None
    url: str | None
    path: str
    grade: str | None = None  # Admiralty grade, 'B2' or 'B'; None: ungraded (the template says "ungraded")
    grade_meaning: str = ""  # 'Usually reliable; probably true', or that no grade is set
    page_count: int | None = None  # a paged source's (PDF's) number of pages
    fetched: str | None = None  # when briefgen fetched it (UTC, ISO 8601); None for a file put in by hand
    copies: list[SourceCopy] = field(default_factory=list)

    @property
    def documents(self) -> int:
        """How many documents tell the story: the original and its copies."""
        return 1 + len(self.copies)

    @property
    def outlets(self) -> list[str]:
        """The outlets of the original and of its copies, each once."""
        return list(dict.fromkeys(outlet for outlet in (self.outlet, *(copy.outlet for copy in self.copies)) if outlet))

    @property
    def dates(self) -> list[str]:
        """The known publication dates of the original and of its copies."""
        return [date for date in (self.published, *(copy.published for copy in self.copies)) if date]


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
    incidents: int = 0  # incident records placed there inside the brief's window (0: ranked by mentions)
    fatalities: int = 0  # their fatalities, each record's lowest reported count


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
    lead: str | None = None  # words a reported claim needs before it to read: "urged", "called for" ...
    date_label: str | None = None  # when it was said: its sentence's date, else the source's publication date
    date_published: bool = False  # the date is the source's publication date, the sentence giving none


@dataclass
class FigureValue:
    """One value sources give for a key figure, as written ('about 2,500'), with its as-of date and sources.

    `as_of` is the date of the event the figure is tied to in its sentence ('at the end of September')
    when `as_of_event`, else the source's publication date. `projected` marks a target or expectation
    ('expected to drop ... to fewer than 500'), `disputed` a figure inside a claim made without evidence.
    """

    text: str
    low: float
    high: float
    approximate: bool
    as_of: str
    as_of_label: str
    as_of_event: bool
    sources: list[str]  # outlet (or title) of each source giving this value
    projected: bool = False
    disputed: bool = False
    cites: list[Citation] = field(default_factory=list)
    graded_sources: list[GradedSource] = field(default_factory=list)  # `sources`, each with its grade


@dataclass
class KeyFigure:
    """One thing counted about one subject in one period, with every value its sources give, newest first
    (when the sources differ: the value of the best-graded source first, then newest first).

    `subject` is what is counted as written ('foreign troops'); `label` says what, where and when ('Soldiers
    killed, <town>, Mar 2025'; 'projected' for a projection), never which outlet. `sources_differ` is
    true when two different sources give values that do not agree (ranges that do not overlap): the
    template shows them side by side under "Sources differ"; `corroborated` when two different
    sources give the same value.
    """

    subject: str
    values: list[FigureValue]
    sources_differ: bool
    label: str = ""
    corroborated: bool = False


@dataclass
class DateClaim:
    """A date that one or more sources give for an event, with their names and citations."""

    date: str
    date_label: str
    sources: list[str]
    cites: list[Citation] = field(default_factory=list)
    graded_sources: list[GradedSource] = field(default_factory=list)  # `sources`, each with its grade


@dataclass
class TimelineEntry:
    """A dated event: `date` is ISO at `precision`; `date_label` is for display ('September 2025').

    In a timeline, `status` is `planned` (a plan whose date is ahead), `overdue` (a plan whose date
    has passed with no source reporting it happened) or `done` (reported as happened: an event never
    planned whose date has come, or a plan a source reports done); elsewhere it is ''.
    A plan reported done carries `planned_dates` and `done_dates` (planned vs actual), each date with
    the sources giving it; `dates_differ` is true when different stories give dates for it that do not agree
    (copies of one story dating it differently are an update of one report).
    """

    date: str
    date_label: str
    precision: str
    what: str
    kind: str
    planned: bool
    upcoming: bool
    cites: list[Citation] = field(default_factory=list)
    status: str = ""
    planned_dates: list[DateClaim] = field(default_factory=list)
    done_dates: list[DateClaim] = field(default_factory=list)
    dates_differ: bool = False


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
    stance: str | None = None  # analyst-curated, from the gazetteer: 'opposes US troop presence'


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
    incidents: list[IncidentRow] = field(default_factory=list)  # the most significant, cited by the bottom line


@dataclass
class KeyFiguresSection:
    """Key figures grouped by what they count; values from sources that disagree are shown side by side."""

    kind: str
    title: str
    anchor: str
    figures: list[KeyFigure]
    chart: Markup | None = None  # SVG bars of the rows that count the same noun, when they have two values or more


@dataclass
class ThreatSummarySection:
    """Reported figures, active zones, tactics and warnings with who gave them; the analyst's assessment apart.

    `figures` is empty when the brief also shows a key figures section (the figures are listed there).
    """

    kind: str
    title: str
    anchor: str
    figures: list[FigureItem]
    zones: list[ZoneItem]
    tactics: list[TacticItem]
    warnings: list[StatementItem]
    chart: Markup | None = None  # SVG bar chart of the figures, when there are two or more
    map: Markup | None = None  # SVG map of the zones that have coordinates
    map_empty: bool = False  # graphics are on but no zone has coordinates: the template says so
    map_incidents: int = 0  # how many incidents the map draws (the most significant) ...
    map_incidents_located: int = 0  # ... of the brief's incidents that have coordinates
    assessment: Markup | None = None  # analyst Markdown rendered to HTML (trusted, sanitised)


@dataclass
class IncidentRow:
    """One incident however many sources tell it: `fatalities` as stated ('3', 'at least 100',
    '3–5 (sources differ)', '' when no toll is given); `sources` names each source once. Where the sources
    give different tolls, `fatalities_by_source` holds each toll with the sources giving it, the best-graded
    source's first; the
    headline `fatalities` stays the range of them all (a grade weighs a source, it does not settle a count)."""

    date: str | None
    date_label: str
    place: str
    event_type: str
    sub_event_type: str
    actors: list[str]
    fatalities: str
    sources: list[str]
    cites: list[Citation] = field(default_factory=list)
    sources_differ: bool = False  # the sources give different tolls
    what: str = ""  # the clause that tells it, from the account dated most precisely
    agent: str | None = None  # who acted (ACLED actor 1), when the sources name them
    other: str | None = None  # the target or other party (actor 2)
    violent: bool = True  # a violent type: the other party is a target ("against"), else a party ("with")
    fatalities_by_source: list[SourceValue] = field(default_factory=list)  # when sources differ, best graded first


@dataclass
class IncidentsSection:
    """Significant incidents, most significant first (see `assemble.incidents.significance`)."""

    kind: str
    title: str
    anchor: str
    incidents: list[IncidentRow]
    event_types: list[str] = field(default_factory=list)  # the types shown; empty: all


@dataclass
class IncidentMonth:
    """One month of the incidents chart: `month` is 'YYYY-MM'; `by_type` counts what the chart measures
    (incidents, or fatalities) per ACLED event type; `fatalities` sums each incident's lowest reported toll,
    `tolls_stated` whether any incident of the month states one."""

    month: str
    label: str  # 'March 2025'
    by_type: dict[str, int]
    incidents: int = 0
    fatalities: int = 0
    tolls_stated: bool = False


@dataclass
class IncidentChartSection:
    """Incidents by month and type: every month of `months` (empty ones too), the same incidents as the
    incidents table. `measure` is what the bars count ('incidents' or 'fatalities'); `event_types` the types
    present, in the chart's fixed order; `outside` the incidents of the brief dated outside the months shown;
    `summary` one sentence of totals (also the chart's caption)."""

    kind: str
    title: str
    anchor: str
    months: list[IncidentMonth]
    measure: str
    event_types: list[str]
    incidents: int  # in the months shown
    fatalities: int
    summary: str
    outside: int = 0
    chart: Markup | None = None  # SVG stacked bar chart, when graphics are on and there are incidents


@dataclass
class TimelineSection:
    """Dated events of the section's kinds in order, one entry per happening, split at the build date.

    `kind` is `timeline` or `withdrawal_timeline`; `anchor` is unique in the brief (from the title).
    `past` holds entries that are `done` or `overdue`, `upcoming` the `planned` ones still ahead
    (see `TimelineEntry.status`); `event_kinds` are the kinds the section shows.
    """

    kind: str
    title: str
    anchor: str
    past: list[TimelineEntry]
    upcoming: list[TimelineEntry]
    graphic: Markup | None = None  # SVG timeline, today marked
    event_kinds: list[str] = field(default_factory=list)


WithdrawalTimelineSection = TimelineSection  # its name before timelines of any kind


@dataclass
class KeyActorsSection:
    """Actor cards, most-mentioned first."""

    kind: str
    title: str
    anchor: str
    actors: list[ActorCard]


@dataclass
class IndicatorItem:
    """An indicator to watch (analyst Markdown rendered to HTML): what, the sign to look for, direction, why."""

    indicator: Markup
    watch_for: Markup | None
    direction: str | None  # escalation, de-escalation or either
    why: Markup | None


@dataclass
class OutlookSection:
    """The analyst's outlook (`html`, from Markdown; may be empty) and indicators to watch."""

    kind: str
    title: str
    anchor: str
    html: Markup
    indicators: list[IndicatorItem] = field(default_factory=list)


@dataclass
class GapItem:
    """An intelligence gap (analyst Markdown rendered to HTML): what is not known, why it matters, collection."""

    gap: Markup
    why_it_matters: Markup | None
    collection: Markup | None


@dataclass
class IntelligenceGapsSection:
    """What the brief cannot yet say, as the analyst listed it."""

    kind: str
    title: str
    anchor: str
    gaps: list[GapItem]


@dataclass
class SourcesSection:
    """The numbered source list, each source with its Admiralty grade; `grading_key` is one line saying
    what the grades mean ('' when no source is graded)."""

    kind: str
    title: str
    anchor: str
    sources: list[SourceEntry]
    # '5 sources from 4 outlets, published 12 December 2024 – 18 November 2025'; with copies of one story:
    # '5 sources: 3 independent stories, from 4 outlets ...'
    summary: str = ""
    grading_key: str = ""
    # The brief's other sources, which no item it shows cites: counted here, listed in the data export.
    unlisted: int = 0
    export: str | None = None  # the file name of the edition's data export (beside the brief), if written


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
    freshness: Freshness | None = None  # how old the newest source is, against the brief's stale_after
    graded: bool = False  # some source of the brief has a grade: values from different sources show theirs
    export: str | None = None  # the file name of the edition's data export (AUDIENCE.facts.json), beside the brief
