"""Per-document index of actor and place mentions, shared by the later extraction steps."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field

from briefgen.facts import Actor, Location


@dataclass
class EntityIndex:
    """Actors and places of one document with their mention spans, sorted by start."""

    actors: dict[str, Actor] = field(default_factory=dict)
    places: dict[str, Location] = field(default_factory=dict)
    # (start, end, id, surface text)
    actor_spans: list[tuple[int, int, str, str]] = field(default_factory=list)
    place_spans: list[tuple[int, int, str, str]] = field(default_factory=list)
    countries: set[str] = field(default_factory=set)  # ISO codes of the countries the document names

    def sort(self) -> None:
        """Sort mention spans by offset (call once after filling)."""
        self.actor_spans.sort()
        self.place_spans.sort()

    @staticmethod
    def _within(spans: list[tuple[int, int, str, str]], start: int, end: int) -> list[str]:
        ids: list[str] = []
        for span in _from(spans, start):
            if span[0] >= end:
                break
            if span[1] <= end and span[2] not in ids:
                ids.append(span[2])
        return ids

    def actors_in(self, start: int, end: int) -> list[str]:
        """Ids of actors mentioned inside [start, end)."""
        return self._within(self.actor_spans, start, end)

    def places_in(self, start: int, end: int) -> list[str]:
        """Ids of places mentioned inside [start, end)."""
        return self._within(self.place_spans, start, end)

    def actor_at(self, start: int, end: int) -> tuple[str, str] | None:
        """The (id, text) of an actor mention overlapping [start, end), if any."""
        for span in _from(self.actor_spans, start, back=1):
            if span[0] >= end:
                break
            if span[1] > start:
                return span[2], span[3]
        return None

    def mentions_from(self, start: int, end: int) -> list[tuple[int, int, str, str]]:
        """Actor mention spans that start inside [start, end), in order."""
        found = []
        for span in _from(self.actor_spans, start):
            if span[0] >= end:
                break
            found.append(span)
        return found

    def mentions_back(self, start: int, end: int) -> Iterator[tuple[int, int, str, str]]:
        """Actor mention spans that start inside [start, end), last first."""
        position = bisect.bisect_left(self.actor_spans, (end,)) - 1
        while position >= 0 and self.actor_spans[position][0] >= start:
            yield self.actor_spans[position]
            position -= 1

    def person_in(self, start: int, end: int) -> tuple[str, str] | None:
        """The first person mentioned inside [start, end), else the first actor, else None."""
        inside = self.mentions_from(start, end)
        persons = [span for span in inside if self.actors[span[2]].kind == "person"]
        chosen = (persons or inside)[:1]
        return (chosen[0][2], chosen[0][3]) if chosen else None


def _from(spans: list[tuple[int, int, str, str]], start: int, back: int = 0) -> Iterator[tuple[int, int, str, str]]:
    """The spans from the first that starts at `start` or later (`back` spans earlier), without copying."""
    for position in range(max(bisect.bisect_left(spans, (start,)) - back, 0), len(spans)):
        yield spans[position]
