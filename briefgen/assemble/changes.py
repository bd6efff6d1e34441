"""The "Changes since edition N" section: computed from the store's facts, not by diffing text."""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from briefgen.assemble.citations import unique
from briefgen.assemble.happenings import country_ids, same_happening, specific_places
from briefgen.assemble.sections import SectionInput, date_label, figure_key, timeline_entry
from briefgen.assemble.views import (
    ActorCard,
    ChangesSection,
    FigureChange,
    JudgmentChange,
    MovedEntry,
    TimelineEntry,
)
from briefgen.config import ChangesSection as ChangesConfig
from briefgen.config import ThreatSummarySection
from briefgen.extract import merge_facts
from briefgen.facts import Document, DocumentFacts, Event, FactSet, Quantity


@dataclass
class PreviousEdition:
    """What the previous edition was built from."""

    number: int
    build_date: str
    documents: list[Document]
    facts: list[DocumentFacts]
    judgments: dict[str, Any] = field(default_factory=dict)


def changes(title: str, config: ChangesConfig, previous: PreviousEdition, data: SectionInput,
            judgments: dict[str, Any], figure_terms: list[str], old: FactSet | None = None) -> ChangesSection:
    """Compare this edition's facts and judgments with the previous edition's (`old`: its facts merged, by
    default as extracted; the brief passes them with today's corrections, so a correction is no change)."""
    old = old if old is not None else merge_facts(previous.facts)
    cap = config.max_items
    old_docs = {document.id for document in previous.documents}
    added, moved = _timeline_changes(config, old, data)
    return ChangesSection(
        kind="changes", title=title, anchor="changes", since=previous.number,
        since_date=previous.build_date,
        new_sources=[source for source in data.citer.sources if source.doc_id not in old_docs][:cap],
        new_actors=_new_actors(old, data)[:cap],
        timeline_added=added[:cap], timeline_moved=moved[:cap],
        figures_changed=_figure_changes(old, previous.documents, data, figure_terms)[:cap],
        judgments_changed=judgment_changes(previous.judgments, judgments),
    )


def capped(section: ChangesSection, cap: int) -> ChangesSection:
    """A copy of the section with at most `cap` items in each list of what changed (the judgments the analyst
    changed are all kept)."""
    return dataclasses.replace(
        section, new_sources=section.new_sources[:cap], new_actors=section.new_actors[:cap],
        timeline_added=section.timeline_added[:cap], timeline_moved=section.timeline_moved[:cap],
        figures_changed=section.figures_changed[:cap])


def _new_actors(old: FactSet, data: SectionInput) -> list[ActorCard]:
    known = {actor.id for actor in old.actors}
    fresh = [actor for actor in data.facts.actors if actor.id not in known]
    fresh.sort(key=lambda actor: -len(actor.mentions))
    return [
        ActorCard(name=actor.name, kind=actor.kind, role=actor.role, affiliation=actor.affiliation,
                  aliases=actor.aliases, mentions=len(actor.mentions), cites=data.citer.cite_mentions(actor.mentions))
        for actor in fresh
    ]


def _timeline_changes(config: ChangesConfig, old: FactSet,
                      data: SectionInput) -> tuple[list[TimelineEntry], list[MovedEntry]]:
    countries = country_ids(old) | country_ids(data.facts)
    old_events = [event for event in old.events if event.date and event.kind in config.event_kinds]
    old_keys = {(event.date, _subject(event)) for event in old_events}
    earlier_events = _OldEvents(old_events, countries)
    added: list[TimelineEntry] = []
    moved: list[MovedEntry] = []
    reported: set[tuple[str, tuple[str, ...]]] = set()
    for event in data.facts.events:
        if not event.date or event.kind not in config.event_kinds:
            continue
        key = (event.date, _subject(event))
        if key in old_keys or key in reported:
            continue
        reported.add(key)
        entry = timeline_entry(event, data)
        earlier = _earlier_dates(event, earlier_events, countries)
        if earlier:
            moved.append(MovedEntry(what=entry.what, kind=entry.kind, new_label=entry.date_label,
                                    old_label=", ".join(date_label(d, _precision(d)) for d in sorted(earlier)),
                                    cites=entry.cites))
        else:
            added.append(entry)
    return added, moved


class _OldEvents:
    """The previous edition's dated events, with the (date, kind) pairs they give and, by each specific place
    (`happenings.specific_places`), the events naming it."""

    def __init__(self, events: list[Event], countries: set[str]) -> None:
        self.dated_kinds = {(event.date, event.kind) for event in events}
        self._places = [specific_places(event.locations, countries) for event in events]
        self._events = events
        self._at: dict[str, list[int]] = {}
        for number, places in enumerate(self._places):
            for place in places:
                self._at.setdefault(place, []).append(number)

    def naming(self, places: set[str]) -> list[tuple[Event, set[str]]]:
        """The events naming one of these places, each with its specific places, in order."""
        numbers = sorted({number for place in places for number in self._at.get(place, [])})
        return [(self._events[number], self._places[number]) for number in numbers]


def _earlier_dates(event: Event, old_events: _OldEvents, countries: set[str]) -> set[str]:
    """Dates the previous edition gave for the same planned happening (see `happenings`): a deadline or a
    scheduled event that slipped. A report of something done on another day than an earlier report tells
    another occurrence (one more strike near a town, one more convoy leaving a base), not a date that moved."""
    places = specific_places(event.locations, countries)
    # A date the previous edition already gave for this kind of event is not a move, whatever the places.
    if not event.planned or not places or (event.date, event.kind) in old_events.dated_kinds:
        return set()
    # Only events sharing a specific place can be the same happening (`same_happening`).
    return {old.date for old, old_places in old_events.naming(places)
            if old.planned and old.date and old.date != event.date and same_happening(old, event, old_places, places)}


def _subject(event: Event) -> tuple[str, ...]:
    if event.locations:
        return (event.kind, *sorted(event.locations))
    return (event.kind, _normal(event.what)[:60])


def _figure_changes(old: FactSet, old_documents: list[Document], data: SectionInput,
                    terms: list[str]) -> list[FigureChange]:
    outlets = {document.id: document.outlet or document.title or document.path for document in old_documents}
    before = _figures_by_subject(old.quantities, terms)
    after = _figures_by_subject(data.facts.quantities, terms)
    changed = []
    for subject, quantities in after.items():
        old_values = {_value(q): q for q in before.get(subject, [])}
        new_values = {_value(q): q for q in quantities}
        fresh = {value: q for value, q in new_values.items() if value not in old_values}
        if not old_values or not fresh:
            continue
        changed.append(FigureChange(
            subject=quantities[0].subject or subject,
            old=sorted({q.text for q in old_values.values()}), new=sorted({q.text for q in fresh.values()}),
            old_sources=sorted({outlets.get(q.doc, "an earlier source") for q in old_values.values()}),
            cites=unique(data.citer.cite(q.doc, q.start, q.end) for q in fresh.values()),
        ))
    return changed


def _figures_by_subject(quantities: list[Quantity], terms: list[str]) -> dict[str, list[Quantity]]:
    grouped: dict[str, list[Quantity]] = defaultdict(list)
    for quantity in quantities:
        key = figure_key(quantity.subject or "", terms)
        if key and not quantity.unit:
            grouped[key].append(quantity)
    return grouped


def judgment_changes(before: dict[str, Any], after: dict[str, Any]) -> list[JudgmentChange]:
    """Judgments added, removed or revised between two snapshots (see `judgment_snapshot`)."""
    if not before:
        return []
    result = []
    if before.get("bottom_line", "").strip() != after.get("bottom_line", "").strip():
        result.append(JudgmentChange("revised", "Bottom line", None, None))
    old = {item["statement"]: item for item in before.get("judgments", [])}
    new = {item["statement"]: item for item in after.get("judgments", [])}
    for statement, item in new.items():
        if statement not in old:
            result.append(JudgmentChange("added", statement, None, _assessment(item)))
        elif _assessment(old[statement]) != _assessment(item):
            result.append(JudgmentChange("revised", statement, _assessment(old[statement]), _assessment(item)))
    result += [JudgmentChange("removed", statement, _assessment(item), None)
               for statement, item in old.items() if statement not in new]
    return result


def judgment_snapshot(bottom_line: str | None, judgments: list[Any]) -> dict[str, Any]:
    """What an edition said: kept with it so the next edition can tell what the analyst changed."""
    return {
        "bottom_line": bottom_line or "",
        "judgments": [{"statement": j.statement, "likelihood": j.likelihood, "confidence": j.confidence}
                      for j in judgments],
    }


def figure_terms(threat: ThreatSummarySection | None) -> list[str]:
    """The figure terms of the brief's threat summary, or its defaults."""
    return list((threat or ThreatSummarySection(kind="threat_summary")).figure_terms)


def _assessment(item: dict[str, Any]) -> str:
    parts = [item.get("likelihood"), f"{item['confidence']} confidence" if item.get("confidence") else None]
    return ", ".join(part for part in parts if part) or "no assessment"


def _value(quantity: Quantity) -> tuple[float, float]:
    return (quantity.low, quantity.high)


def _precision(iso: str) -> str:
    return {1: "year", 2: "month", 3: "day"}[len(iso.split("-"))]


def _normal(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


