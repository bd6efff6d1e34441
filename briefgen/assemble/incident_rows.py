"""The significant incidents section, and incident counts for the threat summary's active zones.

Incidents told by several sources are one record (`briefgen.incidents.merge_incidents`). Records are
ordered most significant first (`significance`): the most fatalities (each record's lowest reported
count), then violent types (battles, explosions/remote violence, violence against civilians) before
riots, protests and strategic developments, then the most recent (a month or a year counts from its
first day, so "2025" comes after "12 November 2025"), then the most independent stories. Where sources
give different tolls, a row shows the range of them all as its toll (the lowest count reported, the highest
bound: a grade weighs a source, it does not make its count the true one) and lists each toll with the
sources giving it, the best-graded source's first. The toll is marked "(sources differ)" only when two
stories give different tolls (`tolls_differ`): copies of one wire story (`briefgen.stories`) are one source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from briefgen.assemble.citations import Citer, unique
from briefgen.assemble.clauses import clean_clause
from briefgen.assemble.dates import date_label, period_end, precision_of
from briefgen.assemble.views import IncidentRow, IncidentsSection, SourceValue
from briefgen.config import IncidentsSection as IncidentsConfig
from briefgen.extract.known import slugify
from briefgen.facts import Actor, Incident, Location
from briefgen.incidents import IncidentRecord, differ_between_stories, merge_incidents

if TYPE_CHECKING:  # sections imports this module for its active zones
    from briefgen.assemble.sections import SectionInput

# Lower ranks first: violence, then unrest, then developments.
TYPE_RANK = {"Battles": 0, "Explosions/Remote violence": 0, "Violence against civilians": 0,
             "Riots": 1, "Protests": 2, "Strategic developments": 3}


def incidents(title: str, config: IncidentsConfig, data: SectionInput) -> IncidentsSection:
    """Incident records of the brief's window and theatre (a place of the gazetteer's countries, or of none
    known, or not placed), dated at least to their month, of the configured types, most significant first; at most
    `max_incidents`, lowered by the audience's limit (as `sections.cap_items`)."""
    shown = config.max_incidents if data.limit is None else min(config.max_incidents, data.limit)
    rows = significant(data, shown, config.event_types)
    return IncidentsSection(kind="incidents", title=title, anchor="incidents", incidents=rows,
                            event_types=list(config.event_types or []))


def significant(data: SectionInput, count: int, event_types: Iterable[str] | None = None) -> list[IncidentRow]:
    """The `count` most significant of the brief's incident records (`brief_records`) as rows, of the given
    event types (all when None)."""
    records = ranked_records(data, event_types)
    names = ActorNames(data.facts.actors)
    kept = records[:count] + [record for record in records[count:]
                              if any(incident.id in data.pinned for incident in record.incidents)]
    return [_row(record, names, data.citer) for record in kept]


def ranked_records(data: SectionInput, event_types: Iterable[str] | None = None) -> list[IncidentRecord]:
    """The brief's incident records (`brief_records`), most significant first (`significance`): ranked once for
    every section and assembly that asks (a list of their own, sharing the records)."""
    types = list(event_types) if event_types is not None else None
    return list(data.index.once(
        ("ranked_records", None if types is None else tuple(sorted(set(types))), data.window_start, data.theatre),
        lambda: sorted(brief_records(data, types), key=lambda record: significance(record, data.citer.story_of))))


def brief_records(data: SectionInput, event_types: Iterable[str] | None = None) -> list[IncidentRecord]:
    """The incident records a brief shows (in its table, chart and map), by date: incidents of the brief's
    window and theatre (a place of the gazetteer's countries, or of none known, or not placed), dated at least
    to their month, of `event_types` (default all), merged across sources: once for every section and assembly
    from these facts that asks (the table, chart, map and zones, and the assemblies that fit the brief to its
    pages). The records are shared: callers must not change them."""
    wanted = frozenset(event_types or TYPE_RANK)
    return list(data.index.once(("brief records", wanted, data.window_start, data.theatre),
                                lambda: _brief_records(data, wanted)))


def _brief_records(data: SectionInput, wanted: frozenset[str]) -> list[IncidentRecord]:
    places = {place.id: place for place in data.facts.locations}
    chosen = [item for item in windowed(dated_to_month(data.facts.incidents), data.window_start)
              if item.event_type in wanted
              and (item.location not in places or in_theatre(places[item.location], data.theatre))]
    return merge_incidents(chosen)


def in_theatre(place: Location, theatre: frozenset[str]) -> bool:
    """A place of the theatre's countries, or of no known country, or any place when no theatre is set
    ("relations between Paris and Niamey" makes no zone of Paris for a desk on the Sahel)."""
    return not theatre or place.country is None or place.country in theatre


def windowed(items: Iterable[Incident], start: dt.date | None) -> list[Incident]:
    """The incidents not dated before `start` (undated ones are kept: their sources are in the window)."""
    if start is None:
        return list(items)
    return [item for item in items if item.event_date is None or period_end(item.event_date) >= start]


def dated_to_month(items: Iterable[Incident]) -> list[Incident]:
    """The incidents dated at least to their month: a year alone ("stepped up attacks in 2025") tells a
    trend or a tally, not one incident."""
    return [item for item in items if item.event_date is not None and len(item.event_date) >= len("2025-01")]


def significance(record: IncidentRecord, story_of: Callable[[str], str]) -> tuple[int, int, int, int]:
    """The sort key of a record, most significant first: fatalities, violent type, recency (a month or year
    counts from its first day; undated last), independent stories telling it (`story_of` names a document's)."""
    low, high = record.toll("fatalities_low", "fatalities_high")
    dead = low if low is not None else high or 0
    date = record.dated.event_date
    recency = -first_day(date).toordinal() if date else 0
    return -dead, TYPE_RANK.get(record.incidents[0].event_type, 4), recency, -len(set(map(story_of, record.sources)))


def first_day(iso: str) -> dt.date:
    """The first day of the period an ISO date names (a year, a month or a day)."""
    parts = [int(part) for part in iso.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def fatalities_text(record: IncidentRecord, differ: bool) -> str:
    """The toll as stated: '3', 'at least 100', 'up to 5', '3–5', with '(sources differ)' when they do."""
    low, high = record.toll("fatalities_low", "fatalities_high")
    if any(item.fatalities_low is not None and item.fatalities_high is None for item in record.incidents):
        high = None  # an open count ('at least 3') leaves the toll open
    if low is None and high is None:
        return ""
    text = toll_text(low, high)
    return f"{text} (sources differ)" if differ else text


def tolls_differ(record: IncidentRecord, citer: Citer) -> bool:
    """Whether two stories give different tolls; copies of one story giving two tolls are an update of one
    report (both tolls stay in the record, and its range shows them)."""
    return differ_between_stories(record.fatalities_by_source, citer.story_of)


def toll_text(low: int | None, high: int | None) -> str:
    """A toll's bounds as stated: '3', 'at least 3', 'up to 5', '3–5'."""
    return (str(low) if low == high else f"at least {low}" if high is None
            else f"up to {high}" if low is None else f"{low}–{high}")


def tolls_by_source(record: IncidentRecord, citer: Citer) -> list[SourceValue]:
    """Each toll where the sources give different ones, with the sources giving it: the toll of the
    best-graded source first, each toll's sources best graded first (then in the order they told it)."""
    docs_by_toll: dict[str, list[str]] = {}
    for doc, (low, high) in record.fatalities_by_source.items():
        docs_by_toll.setdefault(toll_text(low, high), []).append(doc)
    ordered = sorted(docs_by_toll.items(), key=lambda pair: citer.best_rank(pair[1]))
    return [SourceValue(toll, citer.graded_sources(sorted(docs, key=lambda doc: citer.best_rank([doc]))))
            for toll, docs in ordered]


def killed(record: IncidentRecord) -> int:
    """A record's fatalities for counting: its lowest reported count (0 when none is given)."""
    low, _ = record.toll("fatalities_low", "fatalities_high")
    return low or 0


class ActorNames:
    """Actor names by the ids incidents carry, also ids merged into another actor (found by its aliases)."""

    def __init__(self, actors: Iterable[Actor]) -> None:
        self._names: dict[str, str] = {}
        for actor in actors:
            for form in (actor.name, *actor.aliases):
                self._names.setdefault(slugify(form), actor.name)
        self._names.update({actor.id: actor.name for actor in actors})

    def name(self, actor_id: str) -> str | None:
        """The actor's name, None when the id is of no known actor."""
        return self._names.get(actor_id)

    def of(self, record: IncidentRecord) -> list[str]:
        """The names of a record's agent and other party, each once."""
        return list(dict.fromkeys(name for name in self.parties(record) if name))

    def parties(self, record: IncidentRecord) -> tuple[str | None, str | None]:
        """The names of a record's agent (actor 1) and other party (actor 2), as the first account naming
        each tells them; the other party is None when it is the agent again."""
        agent, other = (next((self.name(getattr(item, role)) for item in record.incidents
                              if getattr(item, role) and self.name(getattr(item, role))), None)
                        for role in ("actor1", "actor2"))
        return agent, (None if other == agent else other)


def zone_counts(data: SectionInput) -> dict[str, tuple[int, int]]:
    """By location id: how many of the brief's incident records (`brief_records`: of its window and theatre) are
    placed there (at the account placed most precisely), and their fatalities. An account placed outside the
    theatre counts in no zone of it, nor moves a record of the theatre there."""
    counts: dict[str, tuple[int, int]] = {}
    for record in brief_records(data):
        place = record.placed.location
        if place is not None:
            number, dead = counts.get(place, (0, 0))
            counts[place] = (number + 1, dead + killed(record))
    return counts


def _row(record: IncidentRecord, names: ActorNames, citer: Citer) -> IncidentRow:
    dated, placed = record.dated, record.placed
    date = dated.event_date
    agent, other = names.parties(record)
    differ = tolls_differ(record, citer)
    told = next((item.what for item in (dated, *record.incidents) if item.what), "")
    return IncidentRow(
        what=clean_clause(told).rstrip(".,;: ") if told else "", agent=agent, other=other,
        violent=TYPE_RANK.get(record.incidents[0].event_type, 4) == 0,
        date=date, date_label=date_label(date, dated.time_precision or precision_of(date)) if date else "undated",
        place=_place(placed), event_type=record.incidents[0].event_type,
        sub_event_type=_most_told(item.sub_event_type for item in record.incidents),
        actors=names.of(record), fatalities=fatalities_text(record, differ),
        sources=list(dict.fromkeys(citer.source_name(doc) for doc in record.sources)),
        cites=unique(citer.cite(item.doc, item.start, item.end) for item in record.incidents),
        sources_differ=differ, fatalities_by_source=tolls_by_source(record, citer),
    )


def _place(incident: Incident) -> str:
    name = incident.location_name or ""
    return f"near {name}" if name and incident.geo_precision == 2 else name


def _most_told(values: Iterable[str]) -> str:
    told = list(values)
    return max(dict.fromkeys(told), key=told.count)

