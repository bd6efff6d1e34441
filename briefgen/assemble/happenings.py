"""When dated events report the same happening: one rule for the timeline and the changes section.

Two events are the same happening when they share a place more specific than a
country and are of the same kind, or are both plans (a plan's verb — "is due to",
"are to leave" — says little about its kind). A report that a plan happened is an
event that is not itself a plan, at a place the plan names, of the plan's kind or
of a kind the extractor gives when the verb says little (`LOOSE_KINDS`).
"""

from __future__ import annotations

from collections.abc import Iterable

from briefgen.facts import Event, FactSet

LOOSE_KINDS = frozenset({"other", "statement"})


def specific_places(places: Iterable[str], countries: set[str]) -> set[str]:
    """The places other than countries: a country alone does not make two events one."""
    return set(places) - countries


def country_ids(facts: FactSet) -> set[str]:
    """The ids of the places that are countries."""
    return {place.id for place in facts.locations if place.kind == "country"}


def same_happening(first: Event, second: Event, first_places: set[str], second_places: set[str]) -> bool:
    """Whether two events (with their specific places) report the same happening."""
    kinds_agree = first.kind == second.kind or (first.planned and second.planned)
    return kinds_agree and bool(first_places & second_places)


def reports_done(report: Event, plan: Event, report_places: set[str], plan_places: set[str]) -> bool:
    """Whether `report` says that the plan `plan` happened."""
    if report.planned or not plan.planned:
        return False
    kinds_agree = report.kind == plan.kind or report.kind in LOOSE_KINDS
    return kinds_agree and bool(report_places & plan_places)


def dates_agree(first: str, second: str) -> bool:
    """Whether two ISO dates can name the same day: '2025-09' agrees with '2025-09-27', not with '2026-01'."""
    first_parts, second_parts = first.split("-"), second.split("-")
    shared = min(len(first_parts), len(second_parts))
    return first_parts[:shared] == second_parts[:shared]


def clause_places(event: Event, facts: FactSet) -> set[str]:
    """The places named inside the event's own clause, not just elsewhere in its sentence."""
    return {
        place.id for place in facts.locations
        if place.id in event.locations and any(
            mention.doc == event.doc and event.start <= mention.start and mention.end <= event.end
            for mention in place.mentions)
    }
