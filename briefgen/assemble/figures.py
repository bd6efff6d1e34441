"""Key figures: one row for each thing counted, about one subject, in one period, with every value sources give.

A row holds the figures that count the same thing (`counted.same_thing`): the same noun, the same
outcome (killed, wounded, present ...), the same place (or force) and the same period; unrelated
counts are rows of their own. Its label says what, where and when ('Soldiers killed, <town>, Mar
2025'). Within a row, equal values are one value with every source; a row is marked *sources differ*
when two independent sources give values that do not agree, and *corroborated* when two independent
sources give the same value. Independent means different stories from different outlets: copies of
one wire story (`briefgen.stories`) are one source however many outlets run them, and two copies
giving different values are taken for an update of one report, each value shown but not marked as a
disagreement. A row's values are newest first; when its sources differ, the value of the best-graded
source comes first (`briefgen.grading`), then newest first. A value's as-of date is its source's
publication date, or the date of an earlier period its sentence ties it to ('down from roughly 57,000
at the end of 2024').
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from markupsafe import Markup

from briefgen.assemble.clauses import figure_words
from briefgen.assemble.counted import (
    SAME_DAYS,
    Counted,
    Reader,
    SameThings,
    names_a_term,
    names_outcome,
    period_label,
)
from briefgen.assemble.happenings import dates_agree
from briefgen.assemble.index import CitationSet
from briefgen.assemble.sections import SectionInput, cap_items, date_label, keep_pinned, precision_of
from briefgen.assemble.views import Citation, FigureItem, FigureValue, KeyFigure, KeyFiguresSection
from briefgen.config import KeyFiguresSection as KeyFiguresConfig
from briefgen.facts import Quantity
from briefgen.graphics import figures_chart_svg


@dataclass
class _Value:
    """One value of a row while it is gathered: the sources giving it and its newest as-of date."""

    quantity: Quantity
    projected: bool
    disputed: bool
    as_of: str
    as_of_event: bool
    docs: list[str] = field(default_factory=list)
    cites: list[Citation] = field(default_factory=list)
    # Gathered while values merge (`_add`); `docs` and `cites` are set from them once the rows are made.
    told_by: dict[str, None] = field(default_factory=dict)
    cited: CitationSet = field(default_factory=CitationSet)

    def settle(self) -> None:
        """Set `docs` and `cites` from what was gathered."""
        self.docs, self.cites = list(self.told_by), self.cited.ordered()

    def overlaps(self, other: _Value) -> bool:
        (low, high), (other_low, other_high) = self.quantity.allowed(), other.quantity.allowed()
        if self.quantity.bound == "lower" or other.quantity.bound == "lower":  # "more than 1,500" and 1,600 agree
            high = other_high = math.inf
        return low <= other_high and other_low <= high


@dataclass
class _Row:
    """The figures that count one thing, as read, and their values."""

    members: list[Counted]
    values: list[_Value] = field(default_factory=list)
    alike: SameThings = field(default_factory=SameThings)
    by_size: dict[tuple[float, float], _Value] = field(default_factory=dict)  # values by (low, high)

    def takes(self, counted: Counted) -> bool:
        """Whether a figure counts the same thing as every figure of the row (`same_thing`)."""
        return self.alike.takes(counted)

    def join(self, counted: Counted) -> None:
        """Add a figure that counts the row's thing."""
        self.members.append(counted)
        self.alike.add(counted)


class _Rows:
    """The rows in the order they were started, found for a figure among those that could take it: `same_thing`
    asks every figure of a row, so a row whose first figure fails it for this one cannot. Those looked at share
    the figure's projection or not, outcome and head noun; a place (`_settings`: for a figure naming no place, a
    row of placeless figures with one from its source, or of its noun's force); and a first figure whose period
    may be the figure's (`_near`)."""

    def __init__(self) -> None:
        self.rows: list[_Row] = []
        # row numbers by (projection, outcome, head noun, setting) and then the month of their first figure
        self._started: dict[tuple[bool, str | None, str, _Setting], dict[str, list[int]]] = {}
        self._settings_of: list[set[_Setting]] = []
        self._first_days: list[int | None] = []  # the day number of each row's first figure, when it is exact

    def row_for(self, counted: Counted) -> _Row:
        """The first row that takes the figure, else a new one; the figure joins it."""
        kind = (counted.projected, counted.outcome, counted.noun.head)
        settings = _settings(counted)
        day = dt.date.fromisoformat(counted.when) if counted.exact else None
        number = day.toordinal() if day is not None else None
        candidates = sorted({index for setting in settings
                             for index in self._near(self._started.get((*kind, setting), {}), counted.when, day)
                             if not _days_apart(self._first_days[index], number)})
        at = next((index for index in candidates if self.rows[index].takes(counted)), None)
        if at is None:
            at = len(self.rows)
            self.rows.append(_Row([]))
            self._settings_of.append(set())
            self._first_days.append(number)
        for setting in settings:
            if setting not in self._settings_of[at]:
                self._settings_of[at].add(setting)
                first_month = self.rows[at].members[0].when[:7] if self.rows[at].members else counted.when[:7]
                self._started.setdefault((*kind, setting), {}).setdefault(first_month, []).append(at)
        row = self.rows[at]
        row.join(counted)
        return row

    @staticmethod
    def _near(by_month: dict[str, list[int]], when: str, day: dt.date | None) -> Iterator[int]:
        """The rows whose first figure's month (or year, or no date) may be in the same period as a figure's
        `when` (`same_period`): for a figure dated to the `day`, the months of the days `SAME_DAYS` either side
        and its year; for one dated to a month, that month and its year."""
        month = when[:7]
        if len(month) != len("YYYY-MM"):
            for first_month, indexes in by_month.items():  # a year or no date: those it agrees with
                if dates_agree(first_month, month):
                    yield from indexes
            return
        near = {month, month[:4]}
        if day is not None:
            near |= {(day + dt.timedelta(days=days)).isoformat()[:7] for days in (-SAME_DAYS, SAME_DAYS)}
        for first_month in near:
            yield from by_month.get(first_month, ())


# Where a row's figures are set: a place's id; for figures that name no place, a source ("doc", id) or the force
# their noun names ("force", qualifiers), the only ways two placeless figures count the same thing (`same_thing`).
_Setting = str | tuple[str, str | frozenset[str]]


def _settings(counted: Counted) -> list[_Setting]:
    """Where a figure is set, as rows are found by: its places, else its source and its noun's force."""
    if counted.where:
        return [place.id for place in counted.where]
    qualifiers = counted.noun.qualifiers
    return [("doc", counted.quantity.doc), *([("force", qualifiers)] if qualifiers else [])]


def _days_apart(first: int | None, second: int | None) -> bool:
    """Whether two figures dated to the day are more than `SAME_DAYS` apart (never one of a period: `same_period`)."""
    return first is not None and second is not None and abs(first - second) > SAME_DAYS


def key_figures(title: str, config: KeyFiguresConfig, data: SectionInput) -> KeyFiguresSection:
    """One row for each thing counted (module docstring): disagreements first, then corroborated rows,
    then those most sources give, then the largest."""
    figures = data.index.once(("key_figures", tuple(config.figure_terms), data.pinned),
                              lambda: _ranked(config, data))
    shown = keep_pinned(figures, cap_items(config.max_figures, data.limit), lambda ranked: ranked.pinned)
    return KeyFiguresSection(kind="key_figures", title=title, anchor="key-figures",
                             figures=[ranked.figure for ranked in shown],
                             chart=_chart(shown, data.max_citations) if data.graphics else None)


class _Ranked:
    """A row, whether an analyst pinned one of its figures, and the row as the section shows it (made when a brief
    shows it: a year of sources gives thousands of rows, a brief shows a handful)."""

    def __init__(self, row: _Row, data: SectionInput) -> None:
        self.row, self._data = row, data
        self.pinned = any(member.quantity.id in data.pinned for member in row.members)

    @cached_property
    def figure(self) -> KeyFigure:
        return _key_figure(self.row, self._data)


def _ranked(config: KeyFiguresConfig, data: SectionInput) -> list[_Ranked]:
    """The rows, most significant first (`_rank`)."""
    return sorted((_Ranked(row, data) for row in _rows(config, data)), key=lambda item: _rank(item.row, data))


def _rank(row: _Row, data: SectionInput) -> tuple[bool, bool, int, float]:
    """Sorts disagreements first, then corroborated rows, then rows more stories give, then the largest."""
    sources = {cite.number for value in row.values for cite in value.cites}  # a number per story
    largest = max(value.quantity.high for value in row.values)
    return not _sources_differ(row.values, data), not _corroborated(row.values, data), -len(sources), -largest


def _rows(config: KeyFiguresConfig, data: SectionInput) -> list[_Row]:
    """The brief's counts (no unit, a subject naming one of the terms) gathered into rows, oldest source first."""
    reader = Reader(data.citer, data.index)
    quantities = [quantity for quantity in data.facts.quantities
                  if quantity.id in data.pinned
                  or (not quantity.unit and names_a_term(quantity.subject or "", config.figure_terms))]
    quantities.sort(key=lambda quantity: (data.citer.published(quantity.doc), quantity.doc, quantity.start))
    rows = _Rows()
    for quantity in quantities:
        counted = reader.read(quantity)
        if counted is None:
            continue
        row = rows.row_for(counted)
        _add(row, _value(counted, data))
    for row in rows.rows:
        for value in row.values:
            value.settle()
    return rows.rows


def _value(counted: Counted, data: SectionInput) -> _Value:
    """A figure as a value: disputed or not, its as-of date, and its sentence cited."""
    quantity = counted.quantity
    as_of, as_of_event = _as_of(counted, data)
    return _Value(
        quantity=quantity, projected=counted.projected,
        disputed=any(quote.disputed and quote.start <= quantity.start < quote.end
                     for quote in data.index.quotes_in(quantity.doc)),
        as_of=as_of, as_of_event=as_of_event, told_by={quantity.doc: None},
        cited=CitationSet([data.citer.cite_exact(quantity.doc, *counted.sentence)]),
    )


def _add(row: _Row, value: _Value) -> None:
    """Add a value to its row, merged with an equal value if there is one."""
    quantity = value.quantity
    twin = row.by_size.get((quantity.low, quantity.high))
    if twin is None:
        row.values.append(value)
        row.by_size[(quantity.low, quantity.high)] = value
        return
    twin.cited.add(value.cited.ordered())
    twin.told_by.update(value.told_by)
    twin.disputed = twin.disputed and value.disputed
    if value.as_of > twin.as_of:
        twin.as_of, twin.as_of_event, twin.quantity = value.as_of, value.as_of_event, value.quantity


def _key_figure(row: _Row, data: SectionInput) -> KeyFigure:
    ordered = _ordered(row.values, data)
    named = max((member.subject for member in row.members), key=lambda subject: len(subject.split()))
    return KeyFigure(subject=_capital(named), label=_label(row, named),
                     values=[_view(value, data) for value in ordered],
                     sources_differ=_sources_differ(ordered, data), corroborated=_corroborated(ordered, data))


def _ordered(values: list[_Value], data: SectionInput) -> list[_Value]:
    """A row's values newest first; when its sources differ, the value of the best-graded source first
    (`briefgen.grading`: A before F, credibility 1 before 6, ungraded last), then newest first."""
    ordered = sorted(values, key=lambda value: value.as_of, reverse=True)
    if _sources_differ(ordered, data):
        ordered.sort(key=lambda value: data.citer.best_rank(value.docs))  # stable: newest first within a grade
    return ordered


def _label(row: _Row, named: str) -> str:
    """What, where and when: 'Soldiers killed, <town>, Mar 2025'; 'projected' for a projection's period. The
    places are the most specific ones the first figure's sentence sets it in."""
    first = row.members[0]
    outcome = first.outcome if first.outcome and not names_outcome(named) else None
    place = _listed([place.name for place in next((member.where for member in row.members if member.where), ())])
    when = "projected" if first.projected else period_label(first.when)
    return ", ".join(part for part in (_capital(" ".join([named, outcome or ""]).strip()), place, when) if part)


def _listed(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sources_differ(values: list[_Value], data: SectionInput) -> bool:
    """Whether two values that do not overlap come from different stories."""
    return any(not first.overlaps(second) and _independent(first.docs, second.docs, data)
               for index, first in enumerate(values) for second in values[index + 1:])


def _corroborated(values: list[_Value], data: SectionInput) -> bool:
    """Whether two independent stories give the same value."""
    return any(_independent(value.docs, value.docs, data) for value in values)


def _independent(first: list[str], second: list[str], data: SectionInput) -> bool:
    """Whether a document of `first` and one of `second` tell different stories from different outlets."""
    citer = data.citer
    tellers = {(citer.story_of(doc), citer.source_name(doc)) for doc in second}
    by_story = Counter(story for story, _ in tellers)
    by_name = Counter(name for _, name in tellers)
    # For each (story, source) of `first`: how many of `second` differ in both, by inclusion-exclusion.
    return any(len(tellers) - by_story[story] - by_name[name] + ((story, name) in tellers) > 0
               for story, name in {(citer.story_of(doc), citer.source_name(doc)) for doc in first})


def _view(value: _Value, data: SectionInput) -> FigureValue:
    newest_first = sorted(value.docs, key=data.citer.published, reverse=True)
    graded = data.citer.graded_sources(newest_first)
    return FigureValue(
        text=figure_words(value.quantity.text), low=value.quantity.allowed()[0], high=value.quantity.high,
        approximate=value.quantity.approximate, as_of=value.as_of,
        as_of_label=date_label(value.as_of, precision_of(value.as_of)) if value.as_of else "undated",
        as_of_event=value.as_of_event, sources=list(dict.fromkeys(data.citer.source_name(doc)
                                                                  for doc in newest_first)),
        projected=value.projected, disputed=value.disputed, cites=value.cites, graded_sources=graded,
    )


def _as_of(counted: Counted, data: SectionInput) -> tuple[str, bool]:
    """The date a value stands for: its source's publication date, or the date of an earlier period its
    sentence ties it to (an event dated in the figure's clause whose date words go with it)."""
    published = data.citer.published(counted.quantity.doc)
    event = counted.event
    if event is None or not event.date or not event.date_text or (published and dates_agree(event.date, published)):
        return published, False  # a date of the publication's own period ('this week') adds nothing
    return event.date, True


def _chart(shown: list[_Ranked], values_shown: int | None) -> Markup | None:
    """Bars for the rows that count the same noun (whatever the outcome, place or period), the set with the
    most values; a row's bars (the values its table row shows: `values_shown`, as `bounded` caps them) under
    its label."""
    sets: dict[tuple[str, frozenset[str]], list[KeyFigure]] = {}
    for ranked in shown:
        noun = ranked.row.members[0].noun
        sets.setdefault((noun.head, noun.qualifiers), []).append(ranked.figure)
    story = max(sets.values(), key=lambda figures: sum(len(figure.values) for figure in figures), default=[])
    bars = [FigureItem(text=value.text, low=value.low, high=value.high, unit=None, sentence=value.text,
                       subject=figure.label, cites=value.cites)
            for figure in story for value in figure.values[:values_shown]]
    return figures_chart_svg(bars) if len(bars) >= 2 else None
