"""Timelines: dated events of the section's kinds merged per happening, each with a status.

A brief may have several timelines (withdrawals, attacks ...), each with its title, kinds and anchor.
Reports of one occurrence become one entry citing every source (`happenings.same_occurrence`);
plans that sources date differently ("September 2025" in one, "January 2026" in another) become one
entry showing every date with its sources. Statuses: an event never planned is `done` once its date
has come; a plan is `done` when a report says it happened, with its planned and actual dates,
`planned` while its date is ahead, and `overdue` only once its date has passed with no such report.
What counts as the same happening is decided in `happenings`, the rule the changes section uses
too, on the places each event names in its own clause.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from briefgen.assemble.citations import unique
from briefgen.assemble.happenings import (
    LOOSE_KINDS,
    clause_places,
    close_dates,
    country_ids,
    dates_agree,
    reports_done,
    same_happening,
    same_occurrence,
    specific_places,
)
from briefgen.assemble.incident_rows import in_theatre
from briefgen.assemble.sections import (
    SectionInput,
    cap_items,
    date_label,
    keep_pinned,
    period_end,
    precision_of,
    timeline_entry,
)
from briefgen.assemble.views import DateClaim, TimelineEntry, TimelineSection
from briefgen.config import Gazetteer
from briefgen.config import TimelineSection as TimelineConfig
from briefgen.config import WithdrawalTimelineSection as WithdrawalTimelineConfig
from briefgen.eventkinds import default_timeline_kinds
from briefgen.facts import Event, FactSet
from briefgen.graphics import timeline_svg


@dataclass
class _Happening:
    """The timeline events reporting one happening, the entry shown for them and their specific places."""

    events: list[Event]
    entry: TimelineEntry
    places: set[str]

    @property
    def planned(self) -> bool:
        """Whether the happening is a plan (its events say it is to happen)."""
        return self.entry.planned


class _Places:
    """The places each event names in its own clause, worked out once per event."""

    def __init__(self, facts: FactSet, theatre: frozenset[str] = frozenset()) -> None:
        self._facts = facts
        self.countries = country_ids(facts)
        # places of countries outside the theatre locate nothing in it ("an agreement with Washington")
        self.countries |= {place.id for place in facts.locations if not in_theatre(place, theatre)}
        self._known: dict[tuple[str, str, int], set[str]] = {}

    def named(self, event: Event) -> set[str]:
        """Every place (countries too) the event names in its own clause."""
        key = (event.doc, event.id, event.start)
        if key not in self._known:
            self._known[key] = clause_places(event, self._facts)
        return self._known[key]

    def of(self, event: Event) -> set[str]:
        """The event's specific places (not countries) named in its own clause."""
        return specific_places(self.named(event), self.countries)


def timeline(title: str, config: TimelineConfig | WithdrawalTimelineConfig, data: SectionInput,
             gazetteer: Gazetteer) -> TimelineSection:
    """Dated events of the section's kinds, one entry per happening, each with its status, split at the
    build date; without `event_kinds`, events of every kind but statements and 'other'."""
    shown_kinds = list(config.event_kinds or default_timeline_kinds(gazetteer))
    places = _Places(data.facts, data.theatre)
    dated = sorted((event for event in data.facts.events
                    if event.date and event.kind in {*shown_kinds, *LOOSE_KINDS}),
                   key=lambda event: (data.citer.published(event.doc), event.start))
    happenings = _merge_plans(_merge_reports([event for event in dated if event.kind in shown_kinds], places, data))
    used: set[int] = set()
    for happening in happenings:
        used |= _settle(happening, dated, places, data)
    shown = [happening for happening in happenings
             if happening.planned or not {id(event) for event in happening.events} <= used]
    pinned = {id(happening.entry) for happening in shown
              if any(event.id in data.pinned for event in happening.events)}
    entries = sorted((happening.entry for happening in shown), key=lambda entry: (entry.date, entry.what))
    past, upcoming = _split(entries, cap_items(config.max_entries, data.limit), pinned)
    graphic = timeline_svg([*past, *upcoming], data.build_date, title) if data.graphics and past + upcoming else None
    return TimelineSection(kind=config.kind, title=title, anchor=anchor_of(title), past=past, upcoming=upcoming,
                           graphic=graphic, event_kinds=shown_kinds)


def anchor_of(title: str) -> str:
    """The HTML id a section titled so gets: 'Attacks and raids' -> 'attacks-and-raids'."""
    return re.sub(r"[\W_]+", "-", title.casefold()).strip("-") or "timeline"


def _split(entries: list[TimelineEntry], cap: int,
           pinned: set[int] | None = None) -> tuple[list[TimelineEntry], list[TimelineEntry]]:
    """The most recent past entries (done or overdue) and the nearest upcoming ones, within the cap; entries
    whose `id()` is in `pinned` are kept beyond it."""
    pinned = pinned or set()
    upcoming = [entry for entry in entries if entry.upcoming]
    past = [entry for entry in entries if not entry.upcoming]
    past_cap = min(cap, len(past))
    kept_past = [entry for index, entry in enumerate(past)
                 if index >= len(past) - past_cap or id(entry) in pinned]
    room = max(cap - past_cap, cap // 2) if cap else 0
    kept_upcoming = keep_pinned(upcoming, room, lambda entry: id(entry) in pinned)
    return kept_past, kept_upcoming


def _merge_reports(events: list[Event], places: _Places, data: SectionInput) -> list[_Happening]:
    """One happening per occurrence that several sources (or clauses) report (see `same_occurrence`)."""
    kept: list[_Happening] = []
    for event in events:
        entry, event_places = timeline_entry(event, data), places.of(event)
        twin = next((happening for happening in kept if _same_entry(happening, event, places)), None)
        if twin is None:
            kept.append(_Happening([event], entry, set(event_places)))
            continue
        twin.events.append(event)
        twin.entry.cites = unique([*twin.entry.cites, *entry.cites])
        twin.places |= event_places
        if len(entry.date) > len(twin.entry.date):  # the most precise date the reports give
            twin.entry.date, twin.entry.date_label, twin.entry.precision = entry.date, entry.date_label, entry.precision
    return kept


def _same_entry(happening: _Happening, event: Event, places: _Places) -> bool:
    """Whether the event tells the occurrence one of the happening's reports tells, at a date all of
    them agree with (so that no chain of reports joins two occurrences)."""
    return all(close_dates(known.date or "", event.date or "") for known in happening.events) and any(
        same_occurrence(known, event, (places.named(known), places.named(event)), places.countries)
        for known in happening.events)


def _merge_plans(happenings: list[_Happening]) -> list[_Happening]:
    """Plans for the same happening that sources date differently become one happening."""
    merged: list[_Happening] = []
    for happening in happenings:
        twin = next((kept for kept in merged if kept.planned and happening.planned and same_happening(
            kept.events[0], happening.events[0], kept.places, happening.places)), None)
        if twin is None:
            merged.append(happening)
            continue
        twin.events += happening.events
        twin.places |= happening.places
        twin.entry.cites = unique([*twin.entry.cites, *happening.entry.cites])
    return merged


def _settle(happening: _Happening, dated: list[Event], places: _Places, data: SectionInput) -> set[int]:
    """Give the happening its status and dates; return the reports (by id) that it absorbed as its outcome."""
    entry = happening.entry
    if not happening.planned:
        entry.status = "planned" if _period_start(entry.date) > data.build_date else "done"
        entry.upcoming = entry.status == "planned"
        return set()
    plans = _plans_for(happening, dated, places)
    done = _reports_for(happening, plans, dated, places, data)
    # One story telling the steps (in one document or in copies of it): the last step completes the plan.
    if len({data.citer.story_of(event.doc) for event in done}) == 1:
        done = [max(done, key=lambda event: event.date or "")]
    entry.planned_dates, entry.done_dates = _claims(plans, data), _claims(done, data)
    entry.dates_differ = any(len(claims) > 1 and len({data.citer.story_of(event.doc) for event in events}) > 1
                             for claims, events in ((entry.planned_dates, plans), (entry.done_dates, done)))
    shown = _shown_date(entry.done_dates) if done else _shown_date(entry.planned_dates, latest=True)
    entry.date, entry.date_label, entry.precision = shown.date, shown.date_label, precision_of(shown.date)
    if done:
        entry.status = "done"
    else:
        entry.status = "planned" if period_end(entry.date) >= data.build_date else "overdue"
    entry.upcoming = entry.status == "planned"
    return {id(event) for event in done}


def _plans_for(happening: _Happening, dated: list[Event], places: _Places) -> list[Event]:
    """The happening's own events and every other plan for it (a statement of the same plan counts too)."""
    others = [event for event in dated if event.planned and all(event is not own for own in happening.events)
              and same_happening(event, happening.events[0], places.of(event), happening.places)]
    return [*happening.events, *others]


def _reports_for(happening: _Happening, plans: list[Event], dated: list[Event], places: _Places,
                 data: SectionInput) -> list[Event]:
    """Reports that the plan happened, up to the build date, and not before the plan was first reported
    or its earliest date (a plan told after its date is still matched by the report of it)."""
    since = min([_period_start(data.citer.published(plan.doc)) for plan in plans if data.citer.published(plan.doc)]
                + [_period_start(plan.date or "") for plan in plans], default=dt.date.min)
    told_with = {plan.doc for plan in plans}  # a story that tells the plan may report it met before it was told
    return [
        event for event in dated
        if any(reports_done(event, plan, places.of(event), happening.places) for plan in happening.events)
        and (since <= period_end(event.date or "") or event.doc in told_with)
        and _period_start(event.date or "") <= data.build_date
    ]


def _shown_date(claims: list[DateClaim], latest: bool = False) -> DateClaim:
    """The date an entry is shown at, whatever the sources' grades: the latest of the dates (a plan that slipped
    is due at its latest), else the most precise (the earliest of those)."""
    by_date = sorted(claims, key=lambda claim: claim.date)
    return by_date[-1] if latest else max(by_date, key=lambda claim: len(claim.date))


def _claims(events: list[Event], data: SectionInput) -> list[DateClaim]:
    """The dates the events give, one claim per set of dates that agree, each with its sources; by date, or,
    when they differ, the date of the best-graded source first (`briefgen.grading`), then by date."""
    groups: list[list[Event]] = []
    for event in sorted(events, key=lambda event: -len(event.date or "")):  # the most precise date names a group
        group = next((group for group in groups if dates_agree(group[0].date or "", event.date or "")), None)
        if group is None:
            groups.append([event])
        else:
            group.append(event)
    ranked = sorted(((data.citer.best_rank(event.doc for event in group), _claim(group, data)) for group in groups),
                    key=lambda pair: pair[1].date)
    if len(ranked) > 1:  # the sources differ: the date of the best-graded source first
        ranked.sort(key=lambda pair: pair[0])
    return [claim for _, claim in ranked]


def _claim(group: list[Event], data: SectionInput) -> DateClaim:
    """The date a group of events agree on (as the first, most precise, gives it), with their sources."""
    named_by = group[0]
    date = named_by.date or ""
    by_publication = sorted(group, key=lambda event: data.citer.published(event.doc))
    return DateClaim(
        date=date, date_label=date_label(date, named_by.precision or precision_of(date)),
        sources=list(dict.fromkeys(data.citer.source_name(event.doc) for event in by_publication)),
        graded_sources=data.citer.graded_sources(event.doc for event in by_publication),
        cites=unique(data.citer.cite(event.doc, event.start, event.end) for event in group),
    )


def _period_start(iso: str) -> dt.date:
    """The first day of the period an ISO date names (a year, a month or a day)."""
    parts = [int(part) for part in iso.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])
