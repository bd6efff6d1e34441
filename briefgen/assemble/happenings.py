"""When dated events report the same happening: one rule for the timeline and the changes section.

Two events are the same happening when they share a place more specific than a
country and are of the same kind, or are both plans (a plan's verb — "is due to",
"are to leave" — says little about its kind). A report that a plan happened is an
event that is not itself a plan, at a place the plan names, of the plan's kind or
of a kind the extractor gives when the verb says little (`LOOSE_KINDS`).

Two reports tell one occurrence (one timeline entry, citing both) when they are of
the same kind, both plans or both not, their dates agree (one may narrow the other),
and they have something in common (`same_occurrence`).
"""

from __future__ import annotations

import re
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
    if not plan_places:  # "all of them would leave by 15 September": met by its own story's report of that kind
        return report.doc == plan.doc and report.kind == plan.kind
    kinds_agree = report.kind == plan.kind or report.kind in LOOSE_KINDS
    return kinds_agree and bool(report_places & plan_places)


def same_occurrence(first: Event, second: Event, places: tuple[set[str], set[str]], countries: set[str]) -> bool:
    """Whether two reports (with the places named in their clauses) tell one occurrence: same kind, both
    plans or neither, close dates (`close_dates`), and places that overlap (specific places that do not make two),
    an actor in common, near-identical words, or the very same date with no place telling them apart."""
    if first.kind != second.kind or first.planned != second.planned:
        return False
    if not close_dates(first.date or "", second.date or ""):
        return False
    if first.doc == second.doc and first.start < second.end and second.start < first.end:
        return True  # one clause read twice
    specific = [specific_places(named, countries) for named in places]
    if specific[0] and specific[1]:
        return bool(specific[0] & specific[1])
    if places[0] and places[1] and not places[0] & places[1]:
        return False  # different countries
    if set(first.actors) & set(second.actors) or similar_words(first.what, second.what):
        return True
    # The same day (month, year): one unless their places tell them apart.
    return first.date == second.date and (not places[0] or not places[1] or bool(places[0] & places[1]))


def close_dates(first: str, second: str) -> bool:
    """Whether two ISO dates can be one occurrence's: the same, or agreeing to the month at least
    ('2025-09' and '2025-09-27'); a year alone ('2025') tells one occurrence from no other."""
    return first == second or (dates_agree(first, second) and min(first.count("-"), second.count("-")) >= 1)


def similar_words(first: str, second: str) -> bool:
    """Whether two clauses are nearly the same words (a wire story and its copy)."""
    words = [set(re.findall(r"\w+", text.casefold())) for text in (first, second)]
    if min(len(words[0]), len(words[1])) < 5:
        return False
    return len(words[0] & words[1]) / len(words[0] | words[1]) >= 0.6


def dates_agree(first: str, second: str) -> bool:
    """Whether two ISO dates can name the same day: '2025-09' agrees with '2025-09-27', not with '2026-01'."""
    first_parts, second_parts = first.split("-"), second.split("-")
    shared = min(len(first_parts), len(second_parts))
    return first_parts[:shared] == second_parts[:shared]


def clause_places(event: Event, facts: FactSet) -> set[str]:
    """The places named inside the event's own clause, not just elsewhere in its sentence (the rule, read
    from every place's mentions; a brief's assembly looks it up in `index.FactIndex.clause_places`)."""
    return {
        place.id for place in facts.locations
        if place.id in event.locations and any(
            mention.doc == event.doc and event.start <= mention.start and mention.end <= event.end
            for mention in place.mentions)
    }
