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
    close_dates,
    country_ids,
    dates_agree,
    reports_done,
    same_happening,
    same_occurrence,
    specific_places,
)
from briefgen.assemble.incident_rows import in_theatre
from briefgen.assemble.index import CitationSet, FactIndex
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
from briefgen.extract.eventwords import event_words
from briefgen.facts import Event, FactSet
from briefgen.graphics import timeline_svg


@dataclass
class _Happening:
    """The timeline events reporting one happening, the entry shown for them and their specific places."""

    events: list[Event]
    entry: TimelineEntry
    places: set[str]
    cited: CitationSet  # the entry's citations while happenings merge (`entry.cites` is set from them)

    @property
    def planned(self) -> bool:
        """Whether the happening is a plan (its events say it is to happen)."""
        return self.entry.planned


class _Places:
    """The places each event names in its own clause, worked out once per event."""

    def __init__(self, facts: FactSet, theatre: frozenset[str] = frozenset(), index: FactIndex | None = None) -> None:
        self._index = index if index is not None else FactIndex(facts)
        self.countries = country_ids(facts)
        # places of countries outside the theatre locate nothing in it ("an agreement with Washington")
        self.countries |= {place.id for place in facts.locations if not in_theatre(place, theatre)}
        self._known: dict[tuple[str, str, int], set[str]] = {}

    def named(self, event: Event) -> set[str]:
        """Every place (countries too) the event names in its own clause."""
        key = (event.doc, event.id, event.start)
        if key not in self._known:
            self._known[key] = self._index.clause_places(event)
        return self._known[key]

    def of(self, event: Event) -> set[str]:
        """The event's specific places (not countries) named in its own clause."""
        return specific_places(self.named(event), self.countries)


def timeline(title: str, config: TimelineConfig | WithdrawalTimelineConfig, data: SectionInput,
             gazetteer: Gazetteer) -> TimelineSection:
    """Dated events of the section's kinds, one entry per happening, each with its status, split at the
    build date; without `event_kinds`, events of every kind but statements and 'other'."""
    shown_kinds = list(config.event_kinds or default_timeline_kinds(gazetteer))
    # the entries before the limit cuts them, made once for every assembly from these facts (the section's
    # config lives as long as the build, so its id names it)
    key = ("timeline entries", id(config), tuple(shown_kinds), data.pinned, data.build_date)
    entries, pinned = data.index.once(key, lambda: _entries(shown_kinds, data))
    cap = cap_items(config.max_entries, data.limit)
    past, upcoming = _split(entries, cap, pinned)
    graphic = data.index.once((*key, "graphic", title, cap), lambda: timeline_svg(
        [*past, *upcoming], data.build_date, title)) if data.graphics and past + upcoming else None
    return TimelineSection(kind=config.kind, title=title, anchor=anchor_of(title), past=past, upcoming=upcoming,
                           graphic=graphic, event_kinds=shown_kinds)


def _entries(shown_kinds: list[str], data: SectionInput) -> tuple[list[TimelineEntry], set[int]]:
    """The timeline's entries in date order, one per happening, and the `id()`s of those an analyst pinned."""
    places = _Places(data.facts, data.theatre, data.index)
    dated = _Dated(sorted((event for event in data.facts.events
                           if event.date and event.kind in {*shown_kinds, *LOOSE_KINDS}),
                          key=lambda event: (data.citer.published(event.doc), event.start)), places)
    happenings = _merge_plans(_merge_reports([event for event in dated.events if event.kind in shown_kinds],
                                             places, data))
    for happening in happenings:
        happening.entry.cites = happening.cited.ordered()
    used: set[int] = set()
    for happening in happenings:
        used |= _settle(happening, dated, places, data)
    shown = [happening for happening in happenings
             if happening.planned or not {id(event) for event in happening.events} <= used]
    pinned = {id(happening.entry) for happening in shown
              if any(event.id in data.pinned for event in happening.events)}
    entries = sorted((happening.entry for happening in shown), key=lambda entry: (entry.date, entry.what))
    return entries, pinned


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
    occurrences = _Occurrences(places)
    for event in events:
        entry, event_places = timeline_entry(event, data), places.of(event)
        twin = occurrences.first(event)
        if twin is None:
            occurrences.add(_Happening([event], entry, set(event_places), CitationSet(entry.cites)), event)
            continue
        twin.events.append(event)
        twin.cited.add(entry.cites)
        twin.places |= event_places
        if len(entry.date) > len(twin.entry.date):  # the most precise date the reports give
            twin.entry.date, twin.entry.date_label, twin.entry.precision = entry.date, entry.date_label, entry.precision
        occurrences.add(twin, event)
    return occurrences.happenings


class _Occurrences:
    """The happenings `_merge_reports` has made, found for an event among those it could join without
    comparing it with every report: only happenings of its kind (plan or not) whose dates can all be close
    to its date (`close_dates`: the same day, or its month; any date of its month for a month) are asked,
    and of their reports, one per shape `same_occurrence` reads, and those of the event's own document."""

    def __init__(self, places: _Places) -> None:
        self.places = places
        self.happenings: list[_Happening] = []
        self._numbers: dict[int, int] = {}  # id(happening) -> its number
        self._by_date: dict[tuple[str, bool, str], list[int]] = {}  # (kind, planned, a date of it) -> numbers
        self._by_month: dict[tuple[str, bool, str], list[int]] = {}  # (kind, planned, a month of its dates) -> numbers
        self._dates: list[set[str]] = []
        self._shapes: list[dict[tuple[object, ...], Event]] = []
        self._by_doc: list[dict[str, list[Event]]] = []

    def add(self, happening: _Happening, event: Event) -> None:
        """Note that `event` is one of the happening's reports (a new happening when it is the first)."""
        number = self._numbers.get(id(happening))
        if number is None:
            number = self._numbers[id(happening)] = len(self.happenings)
            self.happenings.append(happening)
            self._dates.append(set())
            self._shapes.append({})
            self._by_doc.append({})
        date = event.date or ""
        if date not in self._dates[number]:
            self._dates[number].add(date)
            self._by_date.setdefault((event.kind, event.planned, date), []).append(number)
            parts = date.split("-")
            if len(parts) >= 2:
                numbers = self._by_month.setdefault((event.kind, event.planned, "-".join(parts[:2])), [])
                if number not in numbers[-1:]:
                    numbers.append(number)
        shape = (date, frozenset(self.places.named(event)), frozenset(event.actors), event.what)
        self._shapes[number].setdefault(shape, event)
        self._by_doc[number].setdefault(event.doc, []).append(event)

    def first(self, event: Event) -> _Happening | None:
        """The first happening the event tells (`_same_entry`), None when it tells a new one."""
        date = event.date or ""
        parts, kind = date.split("-"), (event.kind, event.planned)
        if len(parts) >= 3:
            numbers = {*self._by_date.get((*kind, date), []), *self._by_date.get((*kind, "-".join(parts[:2])), [])}
        elif len(parts) == 2:
            numbers = set(self._by_month.get((*kind, date), []))
        else:
            numbers = set(self._by_date.get((*kind, date), []))
        return next((self.happenings[number] for number in sorted(numbers) if self._same_entry(number, event)), None)

    def _same_entry(self, number: int, event: Event) -> bool:
        """Whether the event tells the occurrence one of the happening's reports tells (`same_occurrence`), at a
        date all of them agree with (so that no chain of reports joins two occurrences)."""
        if not all(close_dates(known, event.date or "") for known in self._dates[number]):
            return False
        told_here = self._by_doc[number].get(event.doc, [])
        if any(known.start < event.end and event.start < known.end for known in told_here):
            return True  # one clause read twice (`same_occurrence`)
        named = self.places.named(event)
        return any(same_occurrence(known, event, (self.places.named(known), named), self.places.countries)
                   for known in self._shapes[number].values())


def _merge_plans(happenings: list[_Happening]) -> list[_Happening]:
    """Plans for the same happening that sources date differently become one happening."""
    merged: list[_Happening] = []
    planned_at: dict[str, list[int]] = {}  # place id -> the numbers of the merged plans naming it
    for happening in happenings:
        candidates = sorted({number for place in happening.places for number in planned_at.get(place, [])})
        twin = next((merged[number] for number in candidates if merged[number].planned and happening.planned
                     and same_happening(merged[number].events[0], happening.events[0], merged[number].places,
                                        happening.places)), None)
        if twin is None:
            merged.append(happening)
            if happening.planned:
                for place in happening.places:
                    planned_at.setdefault(place, []).append(len(merged) - 1)
            continue
        number = next(number for number in candidates if merged[number] is twin)
        for place in happening.places - twin.places:
            planned_at.setdefault(place, []).append(number)
        twin.events += happening.events
        twin.places |= happening.places
        twin.cited.add(happening.cited.ordered())
    return merged


class _Dated:
    """The timeline's dated events (those of its kinds and of `LOOSE_KINDS`) in order, indexed by the specific
    places each names in its own clause, plans apart from reports, and reports by document."""

    def __init__(self, events: list[Event], places: _Places) -> None:
        self.events = events
        self.plans_at: dict[str, list[int]] = {}
        self.reports_at: dict[str, list[int]] = {}
        self.reports_in: dict[str, list[int]] = {}
        for number, event in enumerate(events):
            for place in places.of(event):
                (self.plans_at if event.planned else self.reports_at).setdefault(place, []).append(number)
            if not event.planned:
                self.reports_in.setdefault(event.doc, []).append(number)

    def among(self, numbers: set[int]) -> list[Event]:
        """The events of these numbers, in order."""
        return [self.events[number] for number in sorted(numbers)]


def _settle(happening: _Happening, dated: _Dated, places: _Places, data: SectionInput) -> set[int]:
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


def _plans_for(happening: _Happening, dated: _Dated, places: _Places) -> list[Event]:
    """The happening's own events and every other plan for it (a statement of the same plan counts too)."""
    # Only plans naming one of its places can be plans for it (`same_happening`).
    candidates = dated.among({number for place in happening.places for number in dated.plans_at.get(place, [])})
    own = {id(event) for event in happening.events}
    others = [event for event in candidates if event.planned and id(event) not in own
              and same_happening(event, happening.events[0], places.of(event), happening.places)]
    return [*happening.events, *others]


def _reports_for(happening: _Happening, plans: list[Event], dated: _Dated, places: _Places,
                 data: SectionInput) -> list[Event]:
    """Reports that the plan happened, up to the build date, and not before the plan was first reported
    or its earliest date (a plan told after its date is still matched by the report of it)."""
    since = min([_period_start(data.citer.published(plan.doc)) for plan in plans if data.citer.published(plan.doc)]
                + [_period_start(plan.date or "") for plan in plans], default=dt.date.min)
    told_with = {plan.doc for plan in plans}  # a story that tells the plan may report it met before it was told
    # ... unless it tells the plan as still to come on a set date (not a deadline, which can be met early): then
    # none of its reports is the plan met ("talks are expected to begin on 13 March" is not met by a deal in May).
    still_ahead = {plan.doc for plan in plans if (published := data.citer.published(plan.doc)) and not _deadline(plan)
                   and _period_start(plan.date or "") > _period_start(published)}
    # Only reports naming one of its places (or, when it names none, of its plans' documents) can report it
    # done (`reports_done`), which reads of a plan whether it is one, its kind and (then) its document.
    if happening.places:
        numbers = {number for place in happening.places for number in dated.reports_at.get(place, [])}
        shapes = {(own.planned, own.kind, ""): own for own in happening.events}
    else:
        numbers = {number for own in happening.events for number in dated.reports_in.get(own.doc, [])}
        shapes = {(own.planned, own.kind, own.doc): own for own in happening.events}
    return [
        event for event in dated.among(numbers)
        if any(reports_done(event, plan, places.of(event), happening.places) for plan in shapes.values())
        and (since <= period_end(event.date or "") or event.doc in told_with) and event.doc not in still_ahead
        and _period_start(event.date or "") <= data.build_date
    ]


def _deadline(plan: Event) -> bool:
    """Whether a plan's date is a deadline ("by 15 September", "no later than May"), as its clause tells it."""
    before = "|".join(re.escape(words) for words in event_words().planned_before)
    return bool(plan.date_text and re.search(rf"\b(?:{before})\s+{re.escape(plan.date_text)}", plan.what, re.I))


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
