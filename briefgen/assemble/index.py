"""The brief's merged facts indexed once per assembly: by id, by document and by place, and merged incidents.

Section builders look facts up here instead of scanning every fact for each item they show, so that
assembling a brief takes time in proportion to its facts (see benchmarks/assembly_scaling.py). Each
index is built the first time it is asked for; lists keep the order of the facts they come from.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable
from functools import cached_property
from typing import Any, TypeVar

from briefgen.assemble.citations import unique
from briefgen.assemble.readings import Readings, read_once
from briefgen.assemble.views import Citation
from briefgen.facts import Actor, Event, FactSet, Location, Quantity, Quote

Fact = TypeVar("Fact", Event, Quote, Quantity)
T = TypeVar("T")


class FactIndex:
    """Look-ups into one fact set (which must not change while it is indexed)."""

    def __init__(self, facts: FactSet, readings: Readings | None = None) -> None:
        self.facts = facts
        self._computed: dict[Hashable, Any] = {}
        # shared by the indexes of every set of one build's documents (all sources, the releasable ones ...)
        self._readings = {} if readings is None else readings

    def read_once(self, key: Hashable, compute: Callable[[], T]) -> T:
        """What `compute` returns, computed the first time `key` is asked for by any index sharing this one's
        readings: for what is read from one document's text, publication date and facts alone, which every set
        holding the document holds alike (the analysts' corrections apply to each). `key` must name the fact it is
        read for, and the answer must name other facts by id: each set has its own merged places and actors."""
        return read_once(self._readings, key, compute)

    def once(self, key: Hashable, compute: Callable[[], T]) -> T:
        """What `compute` returns, computed the first time `key` is asked for: a section's items before its
        limits cut them, shared by the assemblies that fit one audience's brief to its pages (`briefgen.fit`).
        `key` must name everything `compute` reads besides the fact set and its citer."""
        if key not in self._computed:
            self._computed[key] = compute()
        return self._computed[key]

    def location(self, place: str) -> Location:
        """The place of an id."""
        return self._locations[place]

    @cached_property
    def _locations(self) -> dict[str, Location]:
        return {place.id: place for place in reversed(self.facts.locations)}  # the first of an id

    def event_in(self, doc: str, event: str) -> Event:
        """The event of an id read from a document."""
        return next(found for found in self.events_in(doc) if found.id == event)

    @cached_property
    def actors(self) -> dict[str, Actor]:
        """Actors by id (the first of an id, as a scan would find it)."""
        found: dict[str, Actor] = {}
        for actor in self.facts.actors:
            found.setdefault(actor.id, actor)
        return found

    @cached_property
    def _quotes_by_doc(self) -> dict[str, list[Quote]]:
        return _by_doc(self.facts.quotes)

    @cached_property
    def _events_by_doc(self) -> dict[str, list[Event]]:
        return _by_doc(self.facts.events)

    @cached_property
    def _quantities_by_doc(self) -> dict[str, list[Quantity]]:
        return _by_doc(self.facts.quantities)

    def quotes_in(self, doc: str) -> list[Quote]:
        """The quotes and claims read from one document, in the facts' order."""
        return self._quotes_by_doc.get(doc, [])

    def events_in(self, doc: str) -> list[Event]:
        """The events read from one document, in the facts' order."""
        return self._events_by_doc.get(doc, [])

    def quantities_in(self, doc: str) -> list[Quantity]:
        """The figures read from one document, in the facts' order."""
        return self._quantities_by_doc.get(doc, [])

    def events_of(self, actor: str) -> list[Event]:
        """The events an actor takes part in, in the facts' order."""
        return self._events_by_actor.get(actor, [])

    @cached_property
    def _events_by_actor(self) -> dict[str, list[Event]]:
        grouped: dict[str, list[Event]] = {}
        for event in self.facts.events:
            for actor in dict.fromkeys(event.actors):  # an actor named twice in one event lists it once
                grouped.setdefault(actor, []).append(event)
        return grouped

    @cached_property
    def _places_by_doc(self) -> dict[str, tuple[list[int], list[tuple[int, int, Location]]]]:
        """Document -> the starts of its place mentions, and the mentions (start, end, place), in the order written."""
        found: dict[str, list[tuple[int, int, Location]]] = {}
        for place in self.facts.locations:
            for mention in place.mentions:
                found.setdefault(mention.doc, []).append((mention.start, mention.end, place))
        by_doc: dict[str, tuple[list[int], list[tuple[int, int, Location]]]] = {}
        for doc, mentions in found.items():
            mentions.sort(key=lambda mention: mention[:2])
            by_doc[doc] = [start for start, _, _ in mentions], mentions
        return by_doc

    def places_within(self, doc: str, start: int, end: int) -> list[tuple[int, int, Location]]:
        """The place mentions lying inside `start`..`end` of a document, as (start, end, place) in the order written."""
        starts, mentions = self._places_by_doc.get(doc, ([], []))
        inside = mentions[bisect_left(starts, start):bisect_right(starts, end)]
        return [mention for mention in inside if mention[1] <= end]

    def clause_places(self, event: Event) -> set[str]:
        """The places named inside the event's own clause (`happenings.clause_places`)."""
        return {place.id for _, _, place in self.places_within(event.doc, event.start, event.end)
                if place.id in event.locations}


class CitationSet:
    """Citations gathered one by one, kept as `citations.unique` keeps them: one per source number, the
    first given; `ordered` sorts them by number. Adding is constant time however many are gathered."""

    def __init__(self, citations: Iterable[Citation | None] = ()) -> None:
        self._by_number: dict[int, Citation] = {}
        self.add(citations)

    def add(self, citations: Iterable[Citation | None]) -> None:
        """Keep each citation whose source number is not kept yet."""
        for citation in citations:
            if citation is not None:
                self._by_number.setdefault(citation.number, citation)

    def ordered(self) -> list[Citation]:
        """The citations by source number, as `citations.unique` returns them."""
        return unique(self._by_number.values())


def _by_doc(facts: Iterable[Fact]) -> dict[str, list[Fact]]:
    grouped: dict[str, list[Fact]] = {}
    for fact in facts:
        grouped.setdefault(fact.doc, []).append(fact)
    return grouped
