"""Incident records across sources, and their export as ACLED-like CSV, JSON or GeoJSON.

The same incident told by several sources (or told twice by one) becomes one record citing all:
incidents are the same when they have the same event type, dates that agree (the same, one month
holding the other's day, "October 2025" and "13 October 2025", or days at most MAX_DAYS_APART apart: a
year alone agrees only with itself) and the same or an
overlapping place (the same place, one name inside the other, or at most MAX_KM_APART apart). An
account that names no place agrees with another that names the same agent doing the same (sub-event
type), or, when neither names a place, with one of the same day. Where the sources disagree on the toll, the
date or the place, the record keeps each source's value (`fatalities_by_source`, `dates_by_source`,
`places_by_source`); its own toll is the lowest reported and the highest bound, its date the most
precise (the earliest of those), its place the most precisely located. Exports list each source's
differing value best-graded source first (`briefgen.grading`), with its grade. Copies of one wire story
(`briefgen.stories`) are one source: their values differing is an update of one report, kept in those
fields but not noted as sources differing (`differ_between_stories`).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from briefgen.facts import Document, DocumentFacts, FactSet, Incident
from briefgen.grading import rank_of
from briefgen.stories import Story

MAX_DAYS_APART = 1
MAX_KM_APART = 25.0
EARTH_KM = 6371.0
COLUMNS = (
    "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2", "location",
    "latitude", "longitude", "geo_precision", "fatalities", "fatalities_high", "injured", "injured_high",
    "source", "sources", "notes",
)
FORMATS = ("csv", "json", "geojson")
_PRECISION_RANK = {"day": 0, "month": 1, "quarter": 2, "year": 3}


@dataclass
class IncidentRecord:
    """One incident as all its sources tell it: `incidents` holds each source's account (complete once
    `merge_incidents` returns it: what is read of them is worked out once)."""

    incidents: list[Incident]
    fatalities_by_source: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    dates_by_source: dict[str, str | None] = field(default_factory=dict)
    places_by_source: dict[str, str | None] = field(default_factory=dict)

    @property
    def sources(self) -> list[str]:
        """The ids of the documents that tell it, in order of first telling."""
        return list(dict.fromkeys(incident.doc for incident in self.incidents))

    @cached_property
    def dated(self) -> Incident:
        """The account with the most precise date (the earliest of those)."""
        return min(self.incidents, key=lambda item: (_PRECISION_RANK.get(item.time_precision or "", 9),
                                                     item.event_date or "9999"))

    @cached_property
    def placed(self) -> Incident:
        """The account placed most precisely."""
        return min(self.incidents, key=lambda item: item.geo_precision or 9)

    def toll(self, low: str, high: str) -> tuple[int | None, int | None]:
        """The lowest reported count and the highest bound reported for a toll field pair."""
        lows = [getattr(item, low) for item in self.incidents if getattr(item, low) is not None]
        highs = [getattr(item, high) for item in self.incidents if getattr(item, high) is not None]
        return (min(lows) if lows else None), (max(highs) if highs else None)


def merge_incidents(incidents: Iterable[Incident]) -> list[IncidentRecord]:
    """Incidents grouped into records, one per incident however many sources tell it, by date."""
    records: list[IncidentRecord] = []
    told = _Told()
    for incident in sorted(incidents, key=lambda item: (item.event_date or "", item.doc, item.start)):
        at = told.first_record(incident)
        if at is None:
            at = len(records)
            records.append(IncidentRecord([incident]))
        else:
            records[at].incidents.append(incident)
        told.add(at, incident)
    for record in records:
        _note_disagreements(record)
    return sorted(records, key=lambda record: record.dated.event_date or "")


class _Told:
    """The accounts of the records made so far, by event type and date, for `merge_incidents` to find the first
    record holding an account of the same incident without comparing it with every account: only those whose
    dates can agree (`dates_agree`: the same date, one a month holding the other, days close enough) are
    compared, and of accounts alike in everything `same_incident` reads, one (its place worked out once)."""

    def __init__(self) -> None:
        self._accounts: dict[tuple[str, str, str], dict[int, dict[tuple[object, ...], _Place]]] = {}

    def add(self, record: int, incident: Incident) -> None:
        """Remember an account of the record numbered `record`."""
        date = incident.event_date
        if date is None:
            return  # agrees with no date
        keys = [("=", date)] + ([("month of", date[:len("YYYY-MM")])] if len(date) > len("YYYY-MM") else [])
        alike = (incident.event_date, incident.location, incident.location_name, incident.latitude,
                 incident.longitude, incident.actor1, incident.sub_event_type, incident.time_precision)
        place = None
        for kind, value in keys:
            accounts = self._accounts.setdefault((incident.event_type, kind, value), {}).setdefault(record, {})
            if alike not in accounts:
                accounts[alike] = place = place or _Place.of(incident)

    def first_record(self, incident: Incident) -> int | None:
        """The number of the first record holding an account of the same incident (`same_incident`)."""
        date = incident.event_date
        if date is None:
            return None
        # the accounts whose dates agree (`dates_agree`, for dates YYYY, YYYY-MM or YYYY-MM-DD): of the same date or
        # a day close to it; of a month, those of its days; of a day, those dated to its month
        probes = [("=", date)] + [("=", close) for close in _days_around(date)]
        if len(date) == len("YYYY-MM"):
            probes.append(("month of", date))
        elif len(date) > len("YYYY-MM"):
            probes.append(("=", date[:len("YYYY-MM")]))
        # every account a probe finds is of the same type, with a date that agrees: only the places of
        # `same_incident` are left to compare, for records before the first found to agree so far
        place, first = None, None
        for kind, value in probes:
            for record, accounts in self._accounts.get((incident.event_type, kind, value), {}).items():
                if first is not None and record >= first:
                    continue
                place = place or _Place.of(incident)
                if any(place.agrees(other) for other in accounts.values()):
                    first = record
        return first


@lru_cache(maxsize=4096)  # a year of reporting has a few hundred days, each asked about by every account of it
def _days_around(date: str) -> tuple[str, ...]:
    """The days at most MAX_DAYS_APART from a day (ISO), none for a month, a year or a date that is not one."""
    if len(date) != len("YYYY-MM-DD"):
        return ()
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        return ()
    around = []
    for gap in (sign * days for days in range(1, MAX_DAYS_APART + 1) for sign in (-1, 1)):
        with contextlib.suppress(OverflowError):
            around.append((day + dt.timedelta(days=gap)).isoformat())
    return tuple(around)


def same_incident(first: Incident, second: Incident) -> bool:
    """Whether two accounts tell the same incident: same type, agreeing dates, overlapping places."""
    return (first.event_type == second.event_type and dates_agree(first.event_date, second.event_date)
            and _Place.of(first).agrees(_Place.of(second)))


def dates_agree(first: str | None, second: str | None) -> bool:
    """Whether two dates (YYYY, YYYY-MM or YYYY-MM-DD) can tell the same day."""
    if first is None or second is None:
        return False
    if first == second:
        return True
    if min(len(first), len(second)) >= len("YYYY-MM") and (first.startswith(second) or second.startswith(first)):
        return True
    if len(first) == len(second) == 10:
        try:
            gap = dt.date.fromisoformat(first) - dt.date.fromisoformat(second)
        except ValueError:
            return False
        return abs(gap.days) <= MAX_DAYS_APART
    return False


@dataclass(frozen=True, slots=True)
class _Place:
    """What `same_incident` reads of an account's place, worked out once: its coordinates in radians and the
    cosine of its latitude, its place name in lower case."""

    location: str | None
    name: str
    latitude: float | None
    longitude: float | None
    cos_latitude: float
    actor1: str | None
    sub_event_type: str | None
    time_precision: str | None
    event_date: str | None

    @classmethod
    def of(cls, incident: Incident) -> _Place:
        """The place of an account."""
        located = incident.latitude is not None and incident.longitude is not None
        latitude = math.radians(incident.latitude or 0.0) if located else None
        return cls(incident.location, (incident.location_name or "").lower(), latitude,
                   math.radians(incident.longitude or 0.0) if located else None,
                   math.cos(latitude) if latitude is not None else 0.0, incident.actor1,
                   incident.sub_event_type, incident.time_precision, incident.event_date)

    def agrees(self, other: _Place) -> bool:
        """Whether two accounts of one type and agreeing dates are set in the same incident's place: the same
        place, one name inside the other, or at most MAX_KM_APART apart; an account naming no place agrees with one
        naming the same agent doing the same, or, when neither names a place, with one of the same day."""
        if self.location is None or other.location is None:
            if self.actor1 is not None and self.actor1 == other.actor1:
                return self.sub_event_type == other.sub_event_type
            both_day = self.time_precision == other.time_precision == "day"
            return self.location == other.location and both_day and self.event_date == other.event_date
        if self.location == other.location:
            return True
        if self.name and other.name and (self.name in other.name or other.name in self.name):
            return True
        if self.latitude is None or other.latitude is None:
            return False
        # two places further apart in latitude alone are further apart than that (a margin for rounding)
        if abs(self.latitude - other.latitude) * EARTH_KM > MAX_KM_APART * (1 + 1e-9):
            return False
        distance = self.km_from(other)
        return distance is not None and distance <= MAX_KM_APART

    def km_from(self, other: _Place) -> float | None:
        """The great-circle distance between two places, when both have coordinates (haversine)."""
        if self.latitude is None or self.longitude is None or other.latitude is None or other.longitude is None:
            return None
        chord = (math.sin((other.latitude - self.latitude) / 2) ** 2
                 + self.cos_latitude * other.cos_latitude * math.sin((other.longitude - self.longitude) / 2) ** 2)
        return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(chord)))


def _note_disagreements(record: IncidentRecord) -> None:
    """Keep each source's toll, date and place where the sources differ on them (a month holding the
    record's day does not differ from it)."""
    tolls = _by_source(record, lambda item: (item.fatalities_low, item.fatalities_high),
                       lambda value: value != (None, None))
    dates = _by_source(record, lambda item: item.event_date, lambda value: value is not None)
    places = _by_source(record, lambda item: item.location_name, lambda value: value is not None)
    record.fatalities_by_source = tolls if len(set(tolls.values())) > 1 else {}
    precise = record.dated.event_date or ""
    record.dates_by_source = dates if any(not precise.startswith(date) for date in dates.values()) else {}
    record.places_by_source = places if len(set(places.values())) > 1 else {}


def _by_source(record: IncidentRecord, value_of: Any, stated: Any) -> dict[str, Any]:
    """Each source's first stated value of one field."""
    values: dict[str, Any] = {}
    for incident in record.incidents:
        value = value_of(incident)
        if incident.doc not in values and stated(value):
            values[incident.doc] = value
    return values


def differ_between_stories(values: dict[str, Any], story_of: Callable[[str], str]) -> bool:
    """Whether documents of two different stories give different values (values keyed by document id)."""
    # With two values and two stories, some pair differs in both: a document of one story has a value some
    # document of another story does not share (or, if every other document is of its story, one of its
    # own value's documents is of another story and pairs with a document of another value).
    distinct: list[Any] = []
    for value in values.values():
        if value not in distinct:
            distinct.append(value)
            if len(distinct) > 1:
                break
    return len(distinct) > 1 and len({story_of(doc) for doc in values}) > 1


@dataclass
class IncidentTable:
    """Records with what is needed to name their actors and sources."""

    records: list[IncidentRecord]
    documents: dict[str, Document]
    actor_names: dict[str, str]
    story_ids: dict[str, str] = field(default_factory=dict)  # document id -> its story's id

    @classmethod
    def of(cls, documents: Sequence[Document], facts: Sequence[DocumentFacts],
           stories: Sequence[Story] = ()) -> IncidentTable:
        """The merged incidents of these documents (grouped into `stories`, else each a story of its own)."""
        names = {actor.id: actor.name for item in facts for actor in item.actors}
        records = merge_incidents(incident for item in facts for incident in item.incidents)
        return cls(records, {document.id: document for document in documents}, names, _story_ids(stories))

    @classmethod
    def of_merged(cls, documents: Sequence[Document], facts: FactSet, stories: Sequence[Story] = ()) -> IncidentTable:
        """The merged incidents of a fact set (facts already merged across documents, corrections applied)."""
        names = {actor.id: actor.name for actor in facts.actors}
        return cls(merge_incidents(facts.incidents), {document.id: document for document in documents}, names,
                   _story_ids(stories))

    def story_of(self, doc_id: str) -> str:
        """The id of the story a document tells (its own id when it is in no story)."""
        return self.story_ids.get(doc_id, doc_id)

    def source_name(self, doc_id: str) -> str:
        """How a source is named: its outlet, else its title, else its path."""
        document = self.documents.get(doc_id)
        if document is None:
            return doc_id
        return document.outlet or document.title or document.path

    def row(self, record: IncidentRecord) -> dict[str, Any]:
        """The record as one ACLED-like row (COLUMNS)."""
        dated, placed = record.dated, record.placed
        first = record.incidents[0]
        fatalities, fatalities_high = record.toll("fatalities_low", "fatalities_high")
        injured, injured_high = record.toll("injured_low", "injured_high")
        return {
            "event_date": dated.event_date, "time_precision": dated.time_precision,
            "event_type": first.event_type, "sub_event_type": _most_told(record, "sub_event_type"),
            "actor1": self._actor(record, "actor1"), "actor2": self._actor(record, "actor2"),
            "location": placed.location_name, "latitude": placed.latitude, "longitude": placed.longitude,
            "geo_precision": placed.geo_precision, "fatalities": fatalities, "fatalities_high": fatalities_high,
            "injured": injured, "injured_high": injured_high,
            "source": "; ".join(dict.fromkeys(self.source_name(doc) for doc in record.sources)),
            "sources": len(record.sources), "notes": self.notes(record),
        }

    def _actor(self, record: IncidentRecord, role: str) -> str | None:
        actor = next((getattr(item, role) for item in record.incidents if getattr(item, role)), None)
        return self.actor_names.get(actor, actor) if actor else None

    def notes(self, record: IncidentRecord) -> str:
        """The sentence of the most precisely dated account, then where the sources (stories) disagree."""
        first = record.dated
        document = self.documents.get(first.doc)
        parts = [" ".join(document.text[first.start : first.end].split())] if document else []
        for label, values in (("fatalities", record.fatalities_by_source), ("date", record.dates_by_source),
                              ("place", record.places_by_source)):
            if differ_between_stories(values, self.story_of):
                told = ", ".join(f"{_shown(value)} ({self._graded_name(doc)})" for doc, value in self.by_grade(values))
                parts.append(f"Sources differ on {label}: {told}.")
        return " ".join(parts)

    def by_grade(self, values: dict[str, Any]) -> list[tuple[str, Any]]:
        """Each source's value, the best-graded source first (`briefgen.grading`), then in the order told."""
        return sorted(values.items(), key=lambda pair: rank_of(self._grade(pair[0])))

    def _grade(self, doc_id: str) -> str | None:
        document = self.documents.get(doc_id)
        return document.grade if document else None

    def _graded_name(self, doc_id: str) -> str:
        """'Reuters, B2'; the name alone when the source is ungraded."""
        grade = self._grade(doc_id)
        return f"{self.source_name(doc_id)}, {grade}" if grade else self.source_name(doc_id)

    def detail(self, record: IncidentRecord) -> dict[str, Any]:
        """The row with each source named and each disagreeing value with its source."""
        row = self.row(record)
        row["sources"] = [self._source(doc) for doc in record.sources]
        row["fatalities_by_source"] = [{"source": doc, "low": low, "high": high}
                                       for doc, (low, high) in self.by_grade(record.fatalities_by_source)]
        row["dates_by_source"] = [{"source": doc, "date": date} for doc, date in self.by_grade(record.dates_by_source)]
        row["places_by_source"] = [{"source": doc, "place": place}
                                   for doc, place in self.by_grade(record.places_by_source)]
        row["accounts"] = [{"source": item.doc, "start": item.start, "end": item.end, "id": item.id}
                           for item in record.incidents]
        return row

    def _source(self, doc_id: str) -> dict[str, Any]:
        document = self.documents.get(doc_id)
        if document is None:
            return {"id": doc_id}
        return {"id": doc_id, "name": self.source_name(doc_id), "title": document.title, "path": document.path,
                "published": document.published, "url": document.url, "outlet": document.outlet,
                "grade": document.grade, "story": self.story_of(doc_id)}


def _story_ids(stories: Sequence[Story]) -> dict[str, str]:
    return {document.id: story.id for story in stories for document in story.documents}


def _most_told(record: IncidentRecord, attribute: str) -> Any:
    values = [getattr(item, attribute) for item in record.incidents]
    return max(dict.fromkeys(values), key=values.count)


def _shown(value: Any) -> str:
    if isinstance(value, tuple):
        low, high = value
        if low == high:
            return str(low)
        return f"at least {low}" if high is None else f"up to {high}" if low is None else f"{low}-{high}"
    return str(value)


def as_csv(table: IncidentTable) -> str:
    """The records as CSV with a header row (COLUMNS)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in table.records:
        writer.writerow(table.row(record))
    return buffer.getvalue()


def as_json(table: IncidentTable) -> str:
    """The records as a JSON object {"incidents": [...]}, each naming its sources."""
    return json.dumps({"incidents": [table.detail(record) for record in table.records]},
                      ensure_ascii=False, indent=2) + "\n"


def as_geojson(table: IncidentTable) -> tuple[str, int]:
    """The records with coordinates as a GeoJSON FeatureCollection of Points, and how many had none."""
    features = []
    for record in table.records:
        properties = table.detail(record)
        latitude, longitude = properties.pop("latitude"), properties.pop("longitude")
        if latitude is None or longitude is None:
            continue
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
                         "properties": properties})
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, indent=2) + "\n", len(table.records) - len(features)
