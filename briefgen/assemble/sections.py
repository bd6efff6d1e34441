"""One builder per section kind: facts in, a section view out."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TypeVar

from markupsafe import Markup

from briefgen.assemble.analyst_text import markdown_block, markdown_inline
from briefgen.assemble.cards import CLAIM_LEADS, FirstTold, Statements
from briefgen.assemble.citations import Citer, unique
from briefgen.assemble.clauses import clean_clause, figure_words
from briefgen.assemble.dates import date_label, period_end, precision_of
from briefgen.assemble.incident_rows import ActorNames, in_theatre, ranked_records, zone_counts
from briefgen.assemble.index import CitationSet, FactIndex
from briefgen.assemble.views import (
    ActorCard,
    Citation,
    FigureItem,
    GapItem,
    IncidentRow,
    IndicatorItem,
    IntelligenceGapsSection,
    JudgmentItem,
    KeyActorsSection,
    KeyJudgmentsSection,
    OutlookSection,
    SourceEntry,
    SourcesSection,
    StatementItem,
    TacticItem,
    ThreatSummarySection,
    TimelineEntry,
    ZoneItem,
)
from briefgen.config import LIKELIHOOD_TERMS, Judgment
from briefgen.config import IntelligenceGapsSection as GapsConfig
from briefgen.config import KeyActorsSection as KeyActorsConfig
from briefgen.config import OutlookSection as OutlookConfig
from briefgen.config import ThreatSummarySection as ThreatSummaryConfig
from briefgen.facts import Actor, Event, FactSet, Location, Quote
from briefgen.grading import KEY as GRADING_KEY
from briefgen.graphics import IncidentMark, MapPoint, figures_chart_svg, map_svg
from briefgen.incidents import IncidentRecord

T = TypeVar("T")
ACTIONS_SHOWN = 2  # the lines a key-actor card gives to what the actor did


@dataclass
class SectionInput:
    """What every builder may draw on."""

    facts: FactSet
    citer: Citer
    build_date: dt.date
    limit: int | None  # the audience's cap on items, if any
    graphics: bool = True
    theatre: frozenset[str] = frozenset()  # the gazetteer's countries (world names); empty: no bounds
    window_start: dt.date | None = None  # the first day of the brief's window, when it has one
    pinned: frozenset[str] = frozenset()  # ids of the facts an analyst pinned: no cap or filter drops them
    indexed: FactIndex | None = None  # `facts` indexed once per assembly; None: indexed here when first used
    max_citations: int | None = None  # the citations, source names and values an item shows (`bounded`); None: all

    @cached_property
    def index(self) -> FactIndex:
        """Look-ups into `facts` (by id, document and place), shared by the sections of one assembly."""
        return self.indexed if self.indexed is not None else FactIndex(self.facts)


def key_judgments(title: str, text: str, judgments: list[Judgment],
                  incidents: list[IncidentRow] | None = None) -> KeyJudgmentsSection:
    """Analyst-written Markdown and judgments, rendered to safe HTML (see `analyst_text`), and the most
    significant incidents the bottom line cites."""
    items = [
        JudgmentItem(
            statement=markdown_inline(judgment.statement), likelihood=judgment.likelihood,
            probability=LIKELIHOOD_TERMS.get(judgment.likelihood or ""), confidence=judgment.confidence,
            basis=markdown_inline(judgment.basis) if judgment.basis else None,
        )
        for judgment in judgments
    ]
    return KeyJudgmentsSection(kind="key_judgments", title=title, anchor="key-judgments",
                               html=markdown_block(text), judgments=items, incidents=incidents or [])


def threat_summary(title: str, config: ThreatSummaryConfig, data: SectionInput,
                   with_figures: bool = True) -> ThreatSummarySection:
    """Reported figures, active zones, tactics and warnings (with a chart and a map when graphics are on),
    and the analyst's assessment apart. `with_figures` is false when a key figures section lists them."""
    figures = _figures(config, data, cap_items(config.max_figures, data.limit)) if with_figures else []
    # the zones and the map, made once for every assembly from these facts that shows as many zones (the
    # section's config lives as long as the build, so its id names it)
    most = cap_items(config.max_zones, data.limit)
    zones, marks, located, zone_map = data.index.once(("zones and map", id(config), most, data.graphics),
                                                      lambda: _zones_and_map(config, data, most))
    return ThreatSummarySection(
        kind="threat_summary", title=title, anchor="threat-summary", figures=figures, zones=zones,
        tactics=_tactics(data)[: cap_items(8, data.limit)],
        warnings=_warnings(config, data, cap_items(config.max_warnings, data.limit)),
        chart=_chart(figures, config.figure_terms) if data.graphics else None,
        map=zone_map, map_empty=data.graphics and zone_map is None,
        map_incidents=len(marks) if zone_map is not None else 0, map_incidents_located=located,
        assessment=markdown_block(config.assessment) if config.assessment else None,
    )


def _zones_and_map(config: ThreatSummaryConfig, data: SectionInput,
                   most: int) -> tuple[list[ZoneItem], list[IncidentMark], int, Markup | None]:
    """The `most` first zones, the map's incidents, how many incidents have coordinates, and the map (None without
    graphics or anything to place)."""
    zones = _zones(config, data, most)
    points = [MapPoint(zone.name, zone.lat, zone.lon, zone.kind, zone.mentions)
              for zone in zones if zone.lat is not None and zone.lon is not None]
    # the map's incidents do not depend on how many zones it shows: made once for every map of these facts
    marks, located = data.index.once(
        ("map incidents", config.map.max_incidents, data.pinned, data.window_start, data.theatre),
        lambda: incident_marks(data, config.map.max_incidents)) if data.graphics else ([], 0)
    zone_map = map_svg(points, extent=config.map.extent, incidents=marks) if data.graphics else None
    return zones, marks, located, zone_map


def incident_marks(data: SectionInput, most: int) -> tuple[list[IncidentMark], int]:
    """The map's incidents: the `most` most significant of the brief's incidents (those of its incidents table,
    every type, in its order) that have coordinates, and an analyst's pinned ones; each at its most precisely
    placed account, with its lowest reported toll and a line saying when, where, who. Also how many of the
    brief's incidents have coordinates."""
    names = ActorNames(data.facts.actors)
    places = {place.id: place for place in data.facts.locations}
    marks: list[tuple[IncidentRecord, IncidentMark]] = []
    for record in ranked_records(data):
        placed = record.placed
        place = places.get(placed.location or "")
        lat = placed.latitude if placed.latitude is not None else place.lat if place else None
        lon = placed.longitude if placed.longitude is not None else place.lon if place else None
        if lat is None or lon is None:
            continue
        date = record.dated.event_date or ""
        when = date_label(date, record.dated.time_precision or precision_of(date)) if date else "undated"
        where = placed.location_name or (place.name if place else "")
        who = "; ".join(names.of(record))
        label = ", ".join(part for part in (when, where, who) if part)
        marks.append((record, IncidentMark(record.incidents[0].event_type, lat, lon,
                                           record.toll("fatalities_low", "fatalities_high")[0], label, where)))
    drawn = keep_pinned(marks, most, lambda pair: any(item.id in data.pinned for item in pair[0].incidents))
    return [mark for _, mark in drawn], len(marks)


def outlook(title: str, config: OutlookConfig, text: str, data: SectionInput) -> OutlookSection:
    """The analyst's outlook (Markdown from `text` or the file beside the brief) and indicators to watch."""
    indicators = [
        IndicatorItem(indicator=markdown_inline(item.indicator), watch_for=_inline_or_none(item.watch_for),
                      direction=item.direction, why=_inline_or_none(item.why))
        for item in config.indicators
    ]
    return OutlookSection(kind="outlook", title=title, anchor="outlook", html=markdown_block(text),
                          indicators=indicators[: cap_items(len(indicators), data.limit)])


def intelligence_gaps(title: str, config: GapsConfig, data: SectionInput) -> IntelligenceGapsSection:
    """The analyst's list of what is not known, why it matters and how it could be found out."""
    gaps = [
        GapItem(gap=markdown_inline(item.gap), why_it_matters=_inline_or_none(item.why_it_matters),
                collection=_inline_or_none(item.collection))
        for item in config.gaps
    ]
    return IntelligenceGapsSection(kind="intelligence_gaps", title=title, anchor="intelligence-gaps",
                                   gaps=gaps[: cap_items(len(gaps), data.limit)])


def _inline_or_none(text: str | None) -> Markup | None:
    return markdown_inline(text) if text else None


def key_actors(title: str, config: KeyActorsConfig, data: SectionInput,
               stances: dict[str, str] | None = None) -> KeyActorsSection:
    """Actor cards, most-prominent first; `stances` (actor id to the analyst's stance) come from the gazetteer."""
    stances = stances or {}
    actors = data.index.once(("key actors", tuple(config.actor_kinds), data.pinned),
                             lambda: _by_prominence(config, data))
    cards = []
    kept = keep_pinned(actors, cap_items(config.max_actors, data.limit), lambda actor: actor.id in data.pinned)
    given = data.index.once(("key actor statements", config.max_statements),
                            lambda: _CardStatements(data, config.max_statements))
    for actor, statements in zip(kept, given.of(kept), strict=True):
        cards.append(ActorCard(
            name=actor.name, kind=actor.kind, role=actor.role, affiliation=actor.affiliation,
            aliases=actor.aliases, mentions=len(actor.mentions),
            statements=statements, actions=_actions(actor, data, given.said),
            cites=_cited(actor, data),
            stance=stances.get(actor.id),
        ))
    return KeyActorsSection(kind="key_actors", title=title, anchor="key-actors", actors=cards)


class _CardStatements:
    """The statements of each card in turn (a card shows none an earlier card shows, and at most `most`), kept for
    every assembly from these facts: the cards of a brief with fewer cards are the first of those of one with more."""

    def __init__(self, data: SectionInput, most: int) -> None:
        self.data, self.most = data, most
        self.said = Statements(data.facts.quotes, data.facts.events, data.citer, data.index)
        self.actors: list[Actor] = []
        self.statements: list[list[StatementItem]] = []

    def of(self, actors: list[Actor]) -> list[list[StatementItem]]:
        """The statements of each of these cards, in their order."""
        if any(mine is not theirs for mine, theirs in zip(self.actors, actors, strict=False)):
            return _CardStatements(self.data, self.most).of(actors)  # other cards before: statements of their own
        for actor in actors[len(self.actors):]:
            self.actors.append(actor)
            self.statements.append(self.said.of(actor.id, actor.name, actor.role, self.most))
        return self.statements[:len(actors)]


def _cited(fact: Actor | Location, data: SectionInput) -> list[Citation]:
    """The citations of an actor's or a place's mentions, one per source, made once for every assembly (the fact
    set holds the fact, so its id stays its own while it is indexed)."""
    return data.index.once(("mentions cited", id(fact)), lambda: data.citer.cite_mentions(fact.mentions))


def _by_prominence(config: KeyActorsConfig, data: SectionInput) -> list[Actor]:
    """The actors of the section's kinds (and those pinned), most prominent first."""
    actors = [actor for actor in data.facts.actors if actor.kind in config.actor_kinds or actor.id in data.pinned]
    spoken = Counter(quote.speaker for quote in data.facts.quotes)
    actors.sort(key=lambda actor: (-_prominence(actor, spoken[actor.id], data.citer), actor.name))
    return actors


def _actions(actor: Actor, data: SectionInput, said: Statements) -> list[TimelineEntry]:
    """A card's lines for what the actor did (not what anyone said): each a clean clause, or its sentence
    when the clause is cut from it. Made once for every assembly from these facts (they do not depend on the
    audience's limits, nor on which statements other cards took)."""
    return data.index.once(("key actor actions", actor.id, data.build_date), lambda: _actions_of(actor, data, said))


def _actions_of(actor: Actor, data: SectionInput, said: Statements) -> list[TimelineEntry]:
    """The first ACTIONS_SHOWN of the actor's dated actions told differently, in the facts' order, each citing every
    source that tells it alike. An action is read only when it could be one of those: its date opens its words."""
    in_doc: dict[str, list[Event]] = {}
    for event in data.index.events_of(actor.id):
        in_doc.setdefault(event.doc, []).append(event)
    acting: dict[str, list[Event]] = {}  # the document's events that are actions, worked out when first asked

    def actions_in(doc: str) -> list[Event]:
        if doc not in acting:
            acting[doc] = [event for event in in_doc[doc] if _is_action(event, said)]
        return acting[doc]

    told = FirstTold[TimelineEntry](ACTIONS_SHOWN)
    for event in data.index.events_of(actor.id):
        if not (event.date and told.may_say(event.date) and _is_action(event, said)):
            continue
        entry = timeline_entry(event, data)
        words = said.action_words(event, entry.what, actor, actions_in(event.doc))
        if words is not None:
            entry.what = words
            told.add(f"{entry.date} {entry.what}", entry)
    return told.items()


def _is_action(event: Event, said: Statements) -> bool:
    return bool(event.date) and event.kind != "statement" and not said.told_in_a_quote(event)


def _prominence(actor: Actor, statements: int, citer: Citer) -> int:
    """How prominent an actor is: reported by many stories, often named, often quoted, with a stated role."""
    sources = len({citer.story_of(mention.doc) for mention in actor.mentions})
    return 3 * sources + min(len(actor.mentions), 10) + 2 * min(statements, 3) + (2 if actor.role else 0)


def sources(title: str, citer: Citer) -> SourcesSection:
    """The numbered list of sources, with a line summing them up and, when some source is graded, a line
    saying what grades mean."""
    return SourcesSection(kind="sources", title=title, anchor="sources", sources=citer.sources,
                          summary=sources_summary(citer.sources), grading_key=GRADING_KEY if citer.graded() else "")


# Outlets the Sources summary names (alphabetically); it counts the others.
SUMMARY_OUTLETS = 8


def sources_summary(entries: list[SourceEntry]) -> str:
    """How many sources (and independent stories when some are copies of one), from how many outlets (the
    first `SUMMARY_OUTLETS` named), over which dates."""
    if not entries:
        return "No sources."
    told = sum(entry.documents for entry in entries)
    outlets = sorted({outlet for entry in entries for outlet in entry.outlets})
    line = f"{told} source{'s' if told != 1 else ''}"
    if told > len(entries):
        line += f": {len(entries)} independent stor{'ies' if len(entries) != 1 else 'y'}"
    if outlets:
        named = ", ".join(outlets[:SUMMARY_OUTLETS]) + (
            f" and {len(outlets) - SUMMARY_OUTLETS} more" if len(outlets) > SUMMARY_OUTLETS else "")
        line += f" from {len(outlets)} outlet{'s' if len(outlets) != 1 else ''} ({named})"
    dates = sorted(date for entry in entries for date in entry.dates)
    if dates:
        first, last = (date_label(date, precision_of(date)) for date in (dates[0], dates[-1]))
        line += f", published {first}" + (f" – {last}" if last != first else "")
    undated = told - len(dates)
    return line + (f"; {undated} undated." if undated else ".")


def statement(quote: Quote, data: SectionInput) -> StatementItem:
    """A quote or claim with its speaker's name and role."""
    speaker = data.index.actors.get(quote.speaker) if quote.speaker is not None else None
    return StatementItem(
        speaker=speaker.name if speaker else quote.speaker_name,
        role=speaker.role if speaker else None,
        text=" ".join(quote.text.split()), cue=quote.cue, direct=quote.direct, disputed=quote.disputed,
        cites=unique([data.citer.cite(quote.doc, quote.start, quote.end)]),
        lead=None if quote.direct else CLAIM_LEADS.get(quote.cue or ""),
    )


def timeline_entry(event: Event, data: SectionInput) -> TimelineEntry:
    """A timeline row for a dated event, its words a clean clause (see `clauses`)."""
    assert event.date is not None
    precision = event.precision or precision_of(event.date)
    return TimelineEntry(
        date=event.date, date_label=date_label(event.date, precision), precision=precision,
        what=clean_clause(event.what), kind=event.kind, planned=event.planned,
        upcoming=period_end(event.date) >= data.build_date,
        cites=unique([data.citer.cite(event.doc, event.start, event.end)]),
    )


def keep_pinned(items: list[T], cap: int, pinned: Callable[[T], bool]) -> list[T]:
    """The first `cap` items, then every pinned item the cap would drop, in their order."""
    return items[:cap] + [item for item in items[cap:] if pinned(item)]


def cap_items(configured: int, audience_limit: int | None) -> int:
    """How many items a section shows: its own maximum, lowered by the audience's limit if any."""
    return configured if audience_limit is None else min(configured, audience_limit)


def _figures(config: ThreatSummaryConfig, data: SectionInput, cap: int) -> list[FigureItem]:
    """The `cap` first figures, and any pinned ones (`_ranked_figures`, made once for every assembly)."""
    ranked = data.index.once(("summary figures", tuple(config.figure_terms)), lambda: _ranked_figures(config, data))
    return [item for item, _ in keep_pinned(ranked, cap, lambda pair: pair[1])]


def _ranked_figures(config: ThreatSummaryConfig, data: SectionInput) -> list[tuple[FigureItem, bool]]:
    """The counts of things the section's terms name, one item per value and subject, those several sources report,
    then the largest, first; each with whether an analyst pinned it."""
    items: dict[tuple[float, float, str], FigureItem] = {}
    cited: dict[tuple[float, float, str], CitationSet] = {}
    pinned: set[int] = set()
    quantities = sorted(data.facts.quantities, key=lambda q: data.citer.published(q.doc), reverse=True)
    terms = tuple(term.lower() for term in config.figure_terms)
    for quantity in quantities:
        if quantity.id not in data.pinned and not _summary_figure(quantity.subject, quantity.unit, terms):
            continue
        key = (quantity.low, quantity.high, _normal(quantity.subject or quantity.text))
        cite = data.citer.cite(quantity.doc, quantity.start, quantity.end)
        if key in items:
            cited[key].add([cite])
            continue
        cited[key] = CitationSet([cite])
        items[key] = FigureItem(
            text=figure_words(quantity.text), low=quantity.allowed()[0], high=quantity.high, subject=quantity.subject,
            unit=quantity.unit, sentence=cite.sentence if cite else quantity.text, cites=unique([cite]),
        )
        if quantity.id in data.pinned:
            pinned.add(id(items[key]))
    for key, item in items.items():
        item.cites = cited[key].ordered()
    ranked = sorted(items.values(), key=lambda item: (-len(item.cites), -item.high))
    return [(item, id(item) in pinned) for item in ranked]


def _summary_figure(subject: str | None, unit: str | None, terms: tuple[str, ...]) -> bool:
    """A count (no unit) of something the section's terms name (any, without terms)."""
    return bool(subject) and not unit and (not terms or any(term in (subject or "").lower() for term in terms))


_GENERIC_WORDS = {"the", "a", "an", "of", "and", "some", "level", "levels", "number", "total", "about", "in"}


def figure_key(subject: str, terms: list[str]) -> str | None:
    """What a figure counts, reduced so that 'US troop levels' and 'US troops' compare as one thing."""
    return _figure_key(subject, tuple(terms))


@lru_cache(maxsize=65536)  # a year of figures has hundreds of thousands of subjects, mostly the same few words
def _figure_key(subject: str, terms: tuple[str, ...]) -> str | None:
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


def _zones(config: ThreatSummaryConfig, data: SectionInput, most: int) -> list[ZoneItem]:
    """The `most` first places of the theatre: those with incidents in the window first (by incident count,
    then fatalities), then the rest by how often sources mention them. Only those shown are cited."""
    counts = zone_counts(data)
    places = data.index.once(("zones", tuple(config.zone_kinds), data.theatre, data.window_start),
                             lambda: _zone_places(config, data, counts))
    return [
        ZoneItem(name=place.name, kind=place.kind, country=place.country, mentions=len(place.mentions),
                 cites=_cited(place, data),
                 lat=place.lat, lon=place.lon,
                 incidents=counts.get(place.id, (0, 0))[0], fatalities=counts.get(place.id, (0, 0))[1])
        for place in places[:most]
    ]


def _zone_places(config: ThreatSummaryConfig, data: SectionInput, counts: dict[str, tuple[int, int]]) -> list[Location]:
    """The theatre's places of the zone kinds, in the order `_zones` shows them."""
    places = [place for place in data.facts.locations
              if place.kind in config.zone_kinds and in_theatre(place, data.theatre)]
    places.sort(key=lambda place: (*(-count for count in counts.get(place.id, (0, 0))), -len(place.mentions),
                                   place.name))
    return places


def _tactics(data: SectionInput) -> list[TacticItem]:
    return data.index.once("tactics", lambda: _tactics_of(data))


def _tactics_of(data: SectionInput) -> list[TacticItem]:
    counts = Counter(tactic.name for tactic in data.facts.tactics)
    cited: dict[str, CitationSet] = {}
    for tactic in data.facts.tactics:
        cited.setdefault(tactic.name, CitationSet()).add([data.citer.cite(tactic.doc, tactic.start, tactic.end)])
    return [TacticItem(name=name, mentions=count, cites=cited[name].ordered()) for name, count in counts.most_common()]


def _warnings(config: ThreatSummaryConfig, data: SectionInput, cap: int) -> list[StatementItem]:
    cues = tuple(config.warning_cues)
    said = data.index.once(("warnings", cues, data.pinned), lambda: _warned(cues, data))
    kept = keep_pinned(said, cap, lambda same: any(quote.id in data.pinned for quote in same))
    return [_warning(same, data) for same in kept]


def _warning(same: list[Quote], data: SectionInput) -> StatementItem:
    """A warning told alike by several quotes (one speaker, the same words: `_warned`) as its latest telling says it,
    citing every source that tells it, as `cards.FirstTold` makes it; the citations gathered once for every assembly."""
    item = statement(same[0], data)
    cited = data.index.once(("warning cited", id(same)), lambda: CitationSet(
        data.citer.cite(quote.doc, quote.start, quote.end) for quote in same).ordered())
    item.cites = list(cited)
    return item


def _warned(cues: tuple[str, ...], data: SectionInput) -> list[list[Quote]]:
    """The warnings (quotes whose cue starts with one of `cues`, and those pinned), latest first, the same speaker
    in the same words as one, citing every source."""
    quotes = [quote for quote in data.facts.quotes
              if (quote.cue and quote.cue.lower().startswith(cues)) or quote.id in data.pinned]
    quotes.sort(key=lambda quote: data.citer.published(quote.doc), reverse=True)
    said: dict[str, list[Quote]] = {}
    for quote in quotes:
        said.setdefault(f"{quote.speaker or quote.speaker_name} {' '.join(quote.text.split()).casefold()}",
                        []).append(quote)
    return list(said.values())


def _normal(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()
