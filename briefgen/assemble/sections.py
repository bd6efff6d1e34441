"""One builder per section kind: facts in, a section view out."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

import markdown
from markupsafe import Markup

from briefgen.assemble.citations import Citer, unique
from briefgen.assemble.views import (
    ActorCard,
    FigureItem,
    JudgmentItem,
    KeyActorsSection,
    KeyJudgmentsSection,
    SourceEntry,
    SourcesSection,
    StatementItem,
    TacticItem,
    ThreatSummarySection,
    TimelineEntry,
    WithdrawalTimelineSection,
    ZoneItem,
)
from briefgen.config import LIKELIHOOD_TERMS, Judgment
from briefgen.config import (
    KeyActorsSection as KeyActorsConfig,
)
from briefgen.config import (
    ThreatSummarySection as ThreatSummaryConfig,
)
from briefgen.config import (
    WithdrawalTimelineSection as TimelineConfig,
)
from briefgen.facts import Actor, Event, FactSet, Quote
from briefgen.graphics import MapPoint, figures_chart_svg, map_svg, timeline_svg

DEFAULT_TITLES = {
    "key_judgments": "Key judgments",
    "changes": "Changes since the last edition",
    "threat_summary": "Threat summary",
    "withdrawal_timeline": "Withdrawal timeline",
    "key_actors": "Key actors",
    "sources": "Sources",
}


@dataclass
class SectionInput:
    """What every builder may draw on."""

    facts: FactSet
    citer: Citer
    build_date: dt.date
    limit: int | None  # the audience's cap on items, if any
    graphics: bool = True


def key_judgments(title: str, text: str, judgments: list[Judgment]) -> KeyJudgmentsSection:
    """Analyst-written Markdown and judgments, rendered to HTML (the only trusted markup in a brief)."""
    items = [
        JudgmentItem(
            statement=_markdown_inline(judgment.statement), likelihood=judgment.likelihood,
            probability=LIKELIHOOD_TERMS.get(judgment.likelihood or ""), confidence=judgment.confidence,
            basis=_markdown_inline(judgment.basis) if judgment.basis else None,
        )
        for judgment in judgments
    ]
    return KeyJudgmentsSection(kind="key_judgments", title=title, anchor="key-judgments",
                               html=_markdown(text), judgments=items)


def _markdown(text: str) -> Markup:
    return Markup(markdown.markdown(text, extensions=["extra", "sane_lists"]))


def _markdown_inline(text: str) -> Markup:
    html = markdown.markdown(text, extensions=["extra"]).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


def threat_summary(title: str, config: ThreatSummaryConfig, data: SectionInput) -> ThreatSummarySection:
    """Figures, active zones, tactics and warnings, with a chart and a map when graphics are on."""
    figures = _figures(config, data)[: _cap(config.max_figures, data.limit)]
    zones = _zones(config, data)[: _cap(config.max_zones, data.limit)]
    points = [MapPoint(zone.name, zone.lat, zone.lon, zone.kind, zone.mentions)
              for zone in zones if zone.lat is not None and zone.lon is not None]
    return ThreatSummarySection(
        kind="threat_summary", title=title, anchor="threat-summary", figures=figures, zones=zones,
        tactics=_tactics(data)[: _cap(8, data.limit)],
        warnings=_warnings(config, data)[: _cap(config.max_warnings, data.limit)],
        chart=_chart(figures, config.figure_terms) if data.graphics else None,
        map=map_svg(points) if data.graphics and points else None,
    )


def withdrawal_timeline(title: str, config: TimelineConfig, data: SectionInput) -> WithdrawalTimelineSection:
    """Dated events of the chosen kinds, in date order, split at the build date."""
    events = [event for event in data.facts.events if event.date and event.kind in config.event_kinds]
    entries = _dedupe_entries(events, [timeline_entry(event, data) for event in events])
    entries.sort(key=lambda entry: (entry.date, entry.what))
    upcoming = [entry for entry in entries if entry.upcoming]
    past = [entry for entry in entries if not entry.upcoming]
    cap = _cap(config.max_entries, data.limit)
    # Keep the most recent past entries and the nearest upcoming ones.
    past = past[-cap:] if cap else []
    upcoming = upcoming[: max(cap - len(past), cap // 2)] if cap else []
    graphic = timeline_svg([*past, *upcoming], data.build_date) if data.graphics and past + upcoming else None
    return WithdrawalTimelineSection(
        kind="withdrawal_timeline", title=title, anchor="withdrawal-timeline", past=past, upcoming=upcoming,
        graphic=graphic,
    )


def key_actors(title: str, config: KeyActorsConfig, data: SectionInput) -> KeyActorsSection:
    """Actor cards, most-mentioned first."""
    actors = [actor for actor in data.facts.actors if actor.kind in config.actor_kinds]
    spoken = Counter(quote.speaker for quote in data.facts.quotes)
    actors.sort(key=lambda actor: (-_prominence(actor, spoken[actor.id]), actor.name))
    cards = []
    for actor in actors[: _cap(config.max_actors, data.limit)]:
        statements = [statement(quote, data) for quote in data.facts.quotes if quote.speaker == actor.id]
        actions = [timeline_entry(event, data) for event in data.facts.events
                   if actor.id in event.actors and event.date and event.kind != "statement"]
        cards.append(ActorCard(
            name=actor.name, kind=actor.kind, role=actor.role, affiliation=actor.affiliation,
            aliases=actor.aliases, mentions=len(actor.mentions),
            statements=statements[: config.max_statements], actions=actions[:2],
            cites=data.citer.cite_mentions(actor.mentions),
        ))
    return KeyActorsSection(kind="key_actors", title=title, anchor="key-actors", actors=cards)


def _prominence(actor: Actor, statements: int) -> int:
    """How prominent an actor is: reported by many sources, often named, often quoted, with a stated role."""
    sources = len({mention.doc for mention in actor.mentions})
    return 3 * sources + min(len(actor.mentions), 10) + 2 * min(statements, 3) + (2 if actor.role else 0)


def sources(title: str, citer: Citer) -> SourcesSection:
    """The numbered list of sources, with a line summing them up."""
    return SourcesSection(kind="sources", title=title, anchor="sources", sources=citer.sources,
                          summary=sources_summary(citer.sources))


def sources_summary(entries: list[SourceEntry]) -> str:
    """How many sources, from how many outlets, over which dates."""
    if not entries:
        return "No sources."
    outlets = sorted({entry.outlet for entry in entries if entry.outlet})
    line = f"{len(entries)} source{'s' if len(entries) != 1 else ''}"
    if outlets:
        line += f" from {len(outlets)} outlet{'s' if len(outlets) != 1 else ''} ({', '.join(outlets)})"
    dates = sorted(entry.published for entry in entries if entry.published)
    if dates:
        first, last = (date_label(date, _precision_of(date)) for date in (dates[0], dates[-1]))
        line += f", published {first}" + (f" – {last}" if last != first else "")
    undated = len(entries) - len(dates)
    return line + (f"; {undated} undated." if undated else ".")


def statement(quote: Quote, data: SectionInput) -> StatementItem:
    """A quote or claim with its speaker's name and role."""
    speaker = next((actor for actor in data.facts.actors if actor.id == quote.speaker), None)
    return StatementItem(
        speaker=speaker.name if speaker else quote.speaker_name,
        role=speaker.role if speaker else None,
        text=" ".join(quote.text.split()), cue=quote.cue, direct=quote.direct, disputed=quote.disputed,
        cites=unique([data.citer.cite(quote.doc, quote.start, quote.end)]),
    )


def timeline_entry(event: Event, data: SectionInput) -> TimelineEntry:
    """A timeline row for a dated event."""
    assert event.date is not None
    precision = event.precision or _precision_of(event.date)
    return TimelineEntry(
        date=event.date, date_label=date_label(event.date, precision), precision=precision,
        what=" ".join(event.what.split()), kind=event.kind, planned=event.planned,
        upcoming=period_end(event.date) >= data.build_date,
        cites=unique([data.citer.cite(event.doc, event.start, event.end)]),
    )


def date_label(iso: str, precision: str) -> str:
    """'2025', 'Q3 2025', 'September 2025' or '23 November 2024'."""
    parts = [int(part) for part in iso.split("-")]
    if precision == "quarter" and len(parts) >= 2:
        return f"Q{(parts[1] - 1) // 3 + 1} {parts[0]}"
    if len(parts) == 1 or precision == "year":
        return str(parts[0])
    month = calendar.month_name[parts[1]]
    return f"{parts[2]} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"


def period_end(iso: str) -> dt.date:
    """The last day of the period an ISO date names (a year, a month or a day)."""
    parts = [int(part) for part in iso.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return dt.date(parts[0], parts[1], parts[2])


def _precision_of(iso: str) -> str:
    return {1: "year", 2: "month", 3: "day"}[len(iso.split("-"))]


def _cap(configured: int, audience_limit: int | None) -> int:
    return configured if audience_limit is None else min(configured, audience_limit)


def _figures(config: ThreatSummaryConfig, data: SectionInput) -> list[FigureItem]:
    items: dict[tuple[float, float, str], FigureItem] = {}
    quantities = sorted(data.facts.quantities, key=lambda q: data.citer.published(q.doc), reverse=True)
    terms = tuple(term.lower() for term in config.figure_terms)
    for quantity in quantities:
        if not quantity.subject or quantity.unit:
            continue
        if terms and not any(term in quantity.subject.lower() for term in terms):
            continue
        key = (quantity.low, quantity.high, _normal(quantity.subject))
        cite = data.citer.cite(quantity.doc, quantity.start, quantity.end)
        if key in items:
            items[key].cites = unique([*items[key].cites, cite])
            continue
        items[key] = FigureItem(
            text=quantity.text, low=quantity.low, high=quantity.high, subject=quantity.subject,
            unit=quantity.unit, sentence=cite.sentence if cite else quantity.text, cites=unique([cite]),
        )
    # Figures several sources report, then the largest, come first.
    return sorted(items.values(), key=lambda item: (-len(item.cites), -item.high))


_GENERIC_WORDS = {"the", "a", "an", "of", "and", "some", "level", "levels", "number", "total", "about", "in"}


def figure_key(subject: str, terms: list[str]) -> str | None:
    """What a figure counts, reduced so that 'US troop levels' and 'US troops' compare as one thing."""
    words = _normal(subject).split()
    term = next((term for term in terms if any(word.startswith(term) for word in words)), None)
    if term is None:
        return None if terms else " ".join(words) or None
    others = sorted({word for word in words if not word.startswith(term) and word not in _GENERIC_WORDS})
    return " ".join([term, *others])


def _chart(figures: list[FigureItem], terms: list[str]) -> Markup | None:
    """A chart of the largest group of figures that count the same thing (troop levels, fighters ...)."""
    groups: dict[str, list[FigureItem]] = {}
    for figure in figures:
        key = figure_key(figure.subject or "", terms)
        if key:
            groups.setdefault(key, []).append(figure)
    story = max(groups.values(), key=len, default=[])
    return figures_chart_svg(story) if len(story) >= 2 else None


def _zones(config: ThreatSummaryConfig, data: SectionInput) -> list[ZoneItem]:
    places = [place for place in data.facts.locations if place.kind in config.zone_kinds]
    places.sort(key=lambda place: (-len(place.mentions), place.name))
    return [
        ZoneItem(name=place.name, kind=place.kind, country=place.country, mentions=len(place.mentions),
                 cites=data.citer.cite_mentions(place.mentions), lat=place.lat, lon=place.lon)
        for place in places
    ]


def _tactics(data: SectionInput) -> list[TacticItem]:
    counts = Counter(tactic.name for tactic in data.facts.tactics)
    return [
        TacticItem(name=name, mentions=count, cites=unique(
            data.citer.cite(t.doc, t.start, t.end) for t in data.facts.tactics if t.name == name))
        for name, count in counts.most_common()
    ]


def _warnings(config: ThreatSummaryConfig, data: SectionInput) -> list[StatementItem]:
    cues = tuple(config.warning_cues)
    quotes = [quote for quote in data.facts.quotes if quote.cue and quote.cue.lower().startswith(cues)]
    quotes.sort(key=lambda quote: data.citer.published(quote.doc), reverse=True)
    return [statement(quote, data) for quote in quotes]


def _dedupe_entries(events: list[Event], entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """One entry per event that several sources report: same date, kind and status, and places that agree."""
    kept: list[tuple[set[str], TimelineEntry]] = []
    for event, entry in zip(events, entries, strict=True):
        places = set(event.locations)
        twin = next((pair for pair in kept if _same_event(pair, places, entry)), None)
        if twin is None:
            kept.append((places, entry))
            continue
        twin[1].cites = unique([*twin[1].cites, *entry.cites])
        twin[0].update(places)
    return [entry for _, entry in kept]


def _same_event(kept: tuple[set[str], TimelineEntry], places: set[str], entry: TimelineEntry) -> bool:
    known_places, known = kept
    if (known.date, known.kind, known.planned) != (entry.date, entry.kind, entry.planned):
        return False
    # Places that do not overlap mean two events; a clause naming no place agrees with any.
    return not known_places or not places or bool(known_places & places)


def _normal(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()
