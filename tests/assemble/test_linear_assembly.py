"""Indexed assembly finds what comparing every fact with every other finds.

The section builders look facts up by document, place and date (`assemble.index` and the indexes of
`figures`, `timeline` and `incidents`) instead of comparing each fact with all the others. Each test
below runs the plain rule — every pair compared, as the module docstrings state it — on the example
project's facts (extracted with the real spaCy pipeline), copied into several sources whose dates agree,
sit a day apart or a month apart, and checks that the indexed builders group and find the same facts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from briefgen.assemble import timeline as timeline_module
from briefgen.assemble.citations import Citer, unique
from briefgen.assemble.counted import Counted, Noun, Reader, names_a_term, same_thing
from briefgen.assemble.figures import _Rows, _rows
from briefgen.assemble.happenings import (
    clause_places,
    close_dates,
    reports_done,
    same_happening,
    same_occurrence,
)
from briefgen.assemble.index import CitationSet, FactIndex
from briefgen.assemble.sections import SectionInput
from briefgen.config import KeyFiguresSection as KeyFiguresConfig
from briefgen.eventkinds import default_timeline_kinds
from briefgen.extract import merge_facts
from briefgen.facts import Document, DocumentFacts, Event, Incident, Location, Quantity
from briefgen.incidents import differ_between_stories, merge_incidents, same_incident
from tests.assemble.conftest import BUILD_DATE, Example

# Copies of every source: the same day twice, a day later, a month later (the same occurrences, reports
# whose dates disagree by a day, other occurrences).
SHIFTS = (0, 0, 1, 31)


def test_clause_places_are_those_a_scan_of_every_place_finds(example: Example) -> None:
    facts = merge_facts(example.pool.facts)
    index = FactIndex(facts)
    assert facts.events
    for event in facts.events:
        assert index.clause_places(event) == clause_places(event, facts)


def test_figures_make_the_rows_comparing_every_figure_makes(example: Example) -> None:
    data = _copied(example)
    config = KeyFiguresConfig(kind="key_figures")
    rows = [[member.quantity.id for member in row.members] for row in _rows(config, data)]
    assert len(rows) < sum(len(row) for row in rows)  # copies are gathered into rows
    assert rows == _plain_rows(data, config)


def test_rows_found_by_setting_and_period_are_those_asking_every_row_finds() -> None:
    # Rows are looked up by place (a placeless figure: by its source, or its noun's force) and by the month of
    # their first figure: figures dated to the day across months' and a year's ends, to a month, a year or not at
    # all, placed or not, from a few sources, with and without a force, make the rows comparing every figure makes.
    generator = random.Random(7)
    whens = ["2024-12-29", "2024-12-31", "2025-01-01", "2025-01-03", "2025-01-05", "2025-01-30", "2025-02-01",
             "2025-02-02", "2024-12", "2025-01", "2025-02", "2024", "2025", ""]
    places = [(), (_place("p1"),), (_place("p2"),), (_place("p1"), _place("p2"))]
    nouns = [Noun("soldier", frozenset()), Noun("soldier", frozenset({"army"})), Noun("soldier", frozenset({"rebel"}))]
    figures = []
    for number in range(600):
        when = generator.choice(whens)
        event = (Event(id=f"e{number}", date=when, date_text=when, kind="attack", what="", doc="d", start=0, end=0)
                 if when.count("-") == 2 else None)
        quantity = Quantity(id=f"q{number}", text="5", low=5, high=5, doc=f"d{generator.randrange(3)}", start=0, end=1)
        figures.append(Counted(quantity=quantity, subject="soldiers", noun=generator.choice(nouns),
                               outcome=generator.choice(["killed", None]), sentence=(0, 1),
                               where=generator.choice(places), event=event, when=when, exact=event is not None,
                               projected=generator.random() < 0.1))
    rows = _Rows()
    found = [[member.quantity.id for member in rows.row_for(counted).members] for counted in figures]
    plain: list[list[Counted]] = []
    for counted in figures:
        row = next((row for row in plain if all(same_thing(member, counted) for member in row)), None)
        if row is None:
            plain.append(row := [])
        row.append(counted)
    assert [[member.quantity.id for member in row.members] for row in rows.rows] == [
        [member.quantity.id for member in row] for row in plain]
    assert len(rows.rows) < len(figures) / 2 and found


def _place(place_id: str) -> Location:
    return Location(id=place_id, name=place_id.upper(), kind="town")


def test_timeline_merges_and_settles_as_comparing_every_report_does(example: Example) -> None:
    data = _copied(example)
    kinds = list(default_timeline_kinds(example.project.gazetteer))
    places = timeline_module._Places(data.facts, data.theatre)
    dated = sorted((event for event in data.facts.events
                    if event.date and event.kind in {*kinds, *timeline_module.LOOSE_KINDS}),
                   key=lambda event: (data.citer.published(event.doc), event.start))
    shown = [event for event in dated if event.kind in kinds]
    happenings = timeline_module._merge_reports(shown, places, data)
    assert [_ids(happening.events) for happening in happenings] == _plain_occurrences(shown, places)
    assert len(happenings) < len(shown)
    merged = timeline_module._merge_plans(happenings)
    indexed = timeline_module._Dated(dated, places)
    planned = [happening for happening in merged if happening.planned]
    assert planned
    for happening in planned:
        plans = timeline_module._plans_for(happening, indexed, places)
        assert _ids(plans) == _ids(_plain_plans(happening, dated, places))
        reports = timeline_module._reports_for(happening, plans, indexed, places, data)
        assert _ids(reports) == _ids(_plain_reports(happening, plans, dated, places, data))


def test_incident_records_are_those_comparing_every_account_makes() -> None:
    generator = random.Random(15)
    places = [("p1", "Hit", 33.6, 42.8), ("p2", "Hit district", 33.62, 42.82), ("p3", "Baiji", 34.9, 43.5),
              (None, None, None, None)]
    dates = [None, "2025", "2025-03", "2025-03-01", "2025-03-02", "2025-03-03", "2025-02-28", "2025-04",
             "2025-04-01", "2025-02-30"]
    incidents = []
    for number in range(400):
        place, name, lat, lon = generator.choice(places)
        date = generator.choice(dates)
        incidents.append(Incident(
            id=f"i{number}", doc=f"d{number % 37}", start=number, end=number + 5, event="attack",
            event_type=generator.choice(["Battles", "Explosions/Remote violence"]),
            sub_event_type=generator.choice(["Armed clash", "Remote explosive/landmine/IED"]),
            event_date=date, time_precision=None if date is None else ("day", "month", "year")[2 - date.count("-")],
            location=place, location_name=name, latitude=lat, longitude=lon,
            actor1=generator.choice([None, "islamic-state", "iraqi-army"])))
    records = [[item.id for item in record.incidents] for record in merge_incidents(incidents)]
    assert len(records) < len(incidents)
    assert records == _plain_records(incidents)


def test_sources_differ_as_comparing_every_pair_of_sources_says() -> None:
    generator = random.Random(15)
    told = 0
    for _ in range(500):
        values = {f"d{number}": generator.choice([(3, 3), (3, 5), (None, 4)])
                  for number in range(generator.randrange(0, 6))}
        stories = {doc: generator.choice(["s1", "s2", "s3"]) for doc in values}
        pairwise = any(values[one] != values[other] and stories[one] != stories[other]
                       for one in values for other in values)
        assert differ_between_stories(values, stories.__getitem__) == pairwise
        told += pairwise
    assert 0 < told < 500


def test_citations_gathered_one_by_one_are_those_of_unique(example: Example) -> None:
    citer = Citer(example.pool.documents, example.pool.facts)
    facts = merge_facts(example.pool.facts)
    citations = [citer.cite(quote.doc, quote.start, quote.end) for quote in facts.quotes]
    gathered = CitationSet()
    for citation in citations:
        gathered.add([citation])
    assert len(citations) > len(gathered.ordered()) > 1
    assert gathered.ordered() == unique(citations)


def _copied(example: Example) -> SectionInput:
    """The example's facts copied into one source per shift, every date moved by its days."""
    documents: list[Document] = []
    facts: list[DocumentFacts] = []
    by_doc = {item.doc: item for item in example.pool.facts}
    for copy, days in enumerate(SHIFTS):
        for document in example.pool.documents:
            doc = f"{document.id}-{copy}"
            documents.append(dataclasses.replace(document, id=doc, outlet=f"Outlet {copy}",
                                                 published=_shifted(document.published, days)))
            facts.append(_facts_copy(by_doc[document.id], doc, copy, days))
    return SectionInput(merge_facts(facts), Citer(documents, facts), BUILD_DATE, None, graphics=False)


def _facts_copy(item: DocumentFacts, doc: str, copy: int, days: int) -> DocumentFacts:
    def moved(mentions: list) -> list:
        return [dataclasses.replace(mention, doc=doc) for mention in mentions]

    return DocumentFacts(
        doc=doc, sentences=list(item.sentences),
        actors=[dataclasses.replace(actor, mentions=moved(actor.mentions)) for actor in item.actors],
        locations=[dataclasses.replace(place, mentions=moved(place.mentions)) for place in item.locations],
        events=[dataclasses.replace(event, id=f"{event.id}~{copy}", doc=doc, date=_shifted(event.date, days))
                for event in item.events],
        quantities=[dataclasses.replace(quantity, id=f"{quantity.id}~{copy}", doc=doc) for quantity in item.quantities],
        quotes=[dataclasses.replace(quote, id=f"{quote.id}~{copy}", doc=doc) for quote in item.quotes],
        tactics=[dataclasses.replace(tactic, id=f"{tactic.id}~{copy}", doc=doc) for tactic in item.tactics],
        incidents=[dataclasses.replace(incident, id=f"{incident.id}~{copy}", doc=doc,
                                       event_date=_shifted(incident.event_date, days)) for incident in item.incidents],
    )


def _shifted(iso: str | None, days: int) -> str | None:
    if not iso:
        return iso
    parts = [int(part) for part in iso.split("-")]
    moved = dt.date(*[*parts, 1, 1][:3]) + dt.timedelta(days=days)
    return moved.isoformat()[: {1: 4, 2: 7}.get(len(parts), 10)]


def _ids(events: list[Event]) -> list[str]:
    return [event.id for event in events]


def _plain_rows(data: SectionInput, config: KeyFiguresConfig) -> list[list[str]]:
    """Key-figure rows made by comparing each figure with every figure of every row (`figures` docstring)."""
    reader = Reader(data.citer, data.index)
    figures = [quantity for quantity in data.facts.quantities
               if not quantity.unit and names_a_term(quantity.subject or "", config.figure_terms)]
    figures.sort(key=lambda quantity: (data.citer.published(quantity.doc), quantity.doc, quantity.start))
    rows: list[list] = []
    for quantity in figures:
        counted = reader.read(quantity)
        if counted is None:
            continue
        row = next((row for row in rows if all(same_thing(member, counted) for member in row)), None)
        if row is None:
            rows.append(row := [])
        row.append(counted)
    return [[member.quantity.id for member in row] for row in rows]


def _plain_occurrences(events: list[Event], places: timeline_module._Places) -> list[list[str]]:
    """Reports merged by comparing each with every report of every happening (`timeline._merge_reports`)."""
    kept: list[list[Event]] = []
    for event in events:
        twin = next((told for told in kept
                     if all(close_dates(known.date or "", event.date or "") for known in told)
                     and any(same_occurrence(known, event, (places.named(known), places.named(event)),
                                             places.countries) for known in told)), None)
        if twin is None:
            kept.append([event])
        else:
            twin.append(event)
    return [_ids(told) for told in kept]


def _plain_plans(happening: timeline_module._Happening, dated: list[Event],
                 places: timeline_module._Places) -> list[Event]:
    others = [event for event in dated if event.planned and all(event is not own for own in happening.events)
              and same_happening(event, happening.events[0], places.of(event), happening.places)]
    return [*happening.events, *others]


def _plain_reports(happening: timeline_module._Happening, plans: list[Event], dated: list[Event],
                   places: timeline_module._Places, data: SectionInput) -> list[Event]:
    start = timeline_module._period_start
    since = min([start(data.citer.published(plan.doc)) for plan in plans if data.citer.published(plan.doc)]
                + [start(plan.date or "") for plan in plans], default=dt.date.min)
    told_with = {plan.doc for plan in plans}
    return [event for event in dated
            if any(reports_done(event, plan, places.of(event), happening.places) for plan in happening.events)
            and (since <= timeline_module.period_end(event.date or "") or event.doc in told_with)
            and start(event.date or "") <= data.build_date]


def test_accounts_of_named_places_agree_exactly_when_they_lie_within_the_distance() -> None:
    # Places far apart in latitude are told apart before any distance is worked out: the same answer as the
    # great-circle distance itself, across the limit along a meridian, a parallel and a diagonal.
    import math

    from briefgen.incidents import EARTH_KM, MAX_KM_APART

    def distance(first: tuple[float, float], second: tuple[float, float]) -> float:
        (lat1, lon1), (lat2, lon2) = (tuple(map(math.radians, point)) for point in (first, second))
        chord = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        return 2 * EARTH_KM * math.asin(math.sqrt(chord))

    generator = random.Random(3)
    limit_degrees = math.degrees(MAX_KM_APART / EARTH_KM)
    agreeing = 0
    for number in range(3000):
        origin = (generator.uniform(-70, 70), generator.uniform(-170, 170))
        step = limit_degrees * generator.choice([0.5, 0.999, 1.0, 1.001, 1.5, 3.0])
        direction = generator.choice([(1, 0), (0, 1), (1, 1), (-1, 2)])
        other = (origin[0] + step * direction[0], origin[1] + step * direction[1])
        first, second = _placed_account(f"{number}a", origin), _placed_account(f"{number}b", other)
        assert same_incident(first, second) == (distance(origin, other) <= MAX_KM_APART), (origin, other)
        agreeing += same_incident(first, second)
    assert 300 < agreeing < 2700


def _placed_account(name: str, point: tuple[float, float]) -> Incident:
    """An account of a battle on 1 March 2025 at a place of its own, at these coordinates."""
    return Incident(id=name, doc="d", start=0, end=1, event="attack", event_type="Battles",
                    sub_event_type="Armed clash", event_date="2025-03-01", time_precision="day",
                    location=f"place {name}", location_name=name, latitude=point[0], longitude=point[1])


def _plain_records(incidents: list[Incident]) -> list[list[str]]:
    """Incident records made by comparing each account with every account of every record."""
    records: list[list[Incident]] = []
    for incident in sorted(incidents, key=lambda item: (item.event_date or "", item.doc, item.start)):
        record = next((record for record in records if any(same_incident(incident, other) for other in record)), None)
        if record is None:
            records.append([incident])
        else:
            record.append(incident)
    precision = {"day": 0, "month": 1, "quarter": 2, "year": 3}

    def dated(record: list[Incident]) -> str:
        return min(record, key=lambda item: (precision.get(item.time_precision or "", 9),
                                             item.event_date or "9999")).event_date or ""

    return [[item.id for item in record] for record in sorted(records, key=dated)]
