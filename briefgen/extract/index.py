"""Per-document index of actor and place mentions, shared by the later extraction steps."""

from __future__ import annotations

import bisect
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

    def sort(self) -> None:
        """Sort mention spans by offset (call once after filling)."""
        self.actor_spans.sort()
        self.place_spans.sort()

    @staticmethod
    def _within(spans: list[tuple[int, int, str, str]], start: int, end: int) -> list[str]:
        first = bisect.bisect_left(spans, (start,))
        ids: list[str] = []
        for span in spans[first:]:
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
        for span in self.actor_spans[max(bisect.bisect_left(self.actor_spans, (start,)) - 1, 0) :]:
            if span[0] >= end:
                break
            if span[1] > start:
                return span[2], span[3]
        return None

    def mentions_from(self, start: int, end: int) -> list[tuple[int, int, str, str]]:
        """Actor mention spans that start inside [start, end), in order."""
        first = bisect.bisect_left(self.actor_spans, (start,))
        found = []
        for span in self.actor_spans[first:]:
            if span[0] >= end:
                break
            found.append(span)
        return found

    def person_in(self, start: int, end: int) -> tuple[str, str] | None:
        """The first person mentioned inside [start, end), else the first actor, else None."""
        inside = [span for span in self.actor_spans if start <= span[0] < end]
        persons = [span for span in inside if self.actors[span[2]].kind == "person"]
        chosen = (persons or inside or [None])[0]
        return (chosen[2], chosen[3]) if chosen else None

    def last_person_before(self, offset: int, skip: list[tuple[int, int]]) -> tuple[str, str] | None:
        """The last person mentioned before `offset`, ignoring mentions inside `skip` spans (quotes)."""
        position = bisect.bisect_left(self.actor_spans, (offset,))
        for span in reversed(self.actor_spans[:position]):
            actor = self.actors[span[2]]
            if actor.kind == "person" and not any(a <= span[0] < b for a, b in skip):
                return span[2], actor.name
        return None
