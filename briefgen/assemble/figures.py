"""Key figures: reported numbers grouped by what they count, each value with its as-of date and sources.

Figures count the same thing when `figure_key` reduces their subjects to the same
key ('US troop levels' and 'US troops'). Within a group, equal values from several
sources are one value with every source; values that do not agree are all shown,
newest first, and the group is marked as one on which sources differ. A value's
as-of date is its source's publication date, or the date of an earlier period its
sentence ties it to ('down from roughly 57,000 at the end of 2024').
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from markupsafe import Markup

from briefgen.assemble.citations import unique
from briefgen.assemble.happenings import dates_agree
from briefgen.assemble.sections import SectionInput, cap_items, date_label, figure_key, precision_of
from briefgen.assemble.views import Citation, FigureItem, FigureValue, KeyFigure, KeyFiguresSection
from briefgen.config import KeyFiguresSection as KeyFiguresConfig
from briefgen.facts import Event, Quantity
from briefgen.graphics import figures_chart_svg

# A figure is a projection when its sentence looks ahead and the figure is where things are headed:
# "troop levels are expected to drop from about 2,500 to fewer than 500".
_LOOKS_AHEAD = re.compile(r"\b(?:expect(?:s|ed)?|will|would|plan(?:s|ned)?|due|projected|forecast|aims?|target)\b",
                          re.IGNORECASE)
_HEADED_TO = re.compile(r"\b(?:to|by|below|under)\s*$", re.IGNORECASE)


@dataclass
class _Value:
    """One value of a group while it is gathered: the sources giving it and its newest as-of date."""

    quantity: Quantity
    projected: bool
    disputed: bool
    as_of: str
    as_of_event: bool
    docs: list[str] = field(default_factory=list)
    cites: list[Citation] = field(default_factory=list)

    def overlaps(self, other: _Value) -> bool:
        (low, high), (other_low, other_high) = self.quantity.allowed(), other.quantity.allowed()
        if self.quantity.bound == "lower" or other.quantity.bound == "lower":  # "more than 1,500" and 1,600 agree
            high = other_high = math.inf
        return low <= other_high and other_low <= high


def key_figures(title: str, config: KeyFiguresConfig, data: SectionInput) -> KeyFiguresSection:
    """Figures grouped by what they count, disagreeing groups first, then those most sources give."""
    groups: dict[str, list[_Value]] = {}
    for quantity in data.facts.quantities:
        key = figure_key(quantity.subject or "", list(config.figure_terms)) if not quantity.unit else None
        if key:
            _add(groups.setdefault(key, []), _value(quantity, data))
    figures = [_key_figure(values, data) for values in groups.values()]
    figures.sort(key=lambda figure: (not figure.sources_differ,
                                     -len({source for value in figure.values for source in value.sources}),
                                     -max(value.high for value in figure.values)))
    figures = figures[: cap_items(config.max_figures, data.limit)]
    return KeyFiguresSection(kind="key_figures", title=title, anchor="key-figures", figures=figures,
                             chart=_chart(figures) if data.graphics else None)


def _value(quantity: Quantity, data: SectionInput) -> _Value:
    """A quantity as a value: projection or count, disputed or not, and its as-of date."""
    event = _tied_event(quantity, data)
    return _Value(
        quantity=quantity, projected=_is_projection(data.citer.sentence_before(quantity.doc, quantity.start)),
        disputed=any(quote.disputed and quote.doc == quantity.doc and quote.start <= quantity.start < quote.end
                     for quote in data.facts.quotes),
        as_of=event.date if event and event.date else data.citer.published(quantity.doc),
        as_of_event=event is not None, docs=[quantity.doc],
        cites=unique([data.citer.cite(quantity.doc, quantity.start, quantity.end)]),
    )


def _add(values: list[_Value], value: _Value) -> None:
    """Add a value to its group, merged with an equal value from another source if there is one."""
    quantity = value.quantity
    twin = next((known for known in values if (known.quantity.low, known.quantity.high, known.projected)
                 == (quantity.low, quantity.high, value.projected)), None)
    if twin is None:
        values.append(value)
        return
    twin.cites = unique([*twin.cites, *value.cites])
    twin.docs = list(dict.fromkeys([*twin.docs, *value.docs]))
    twin.disputed = twin.disputed and value.disputed
    if value.as_of > twin.as_of:
        twin.as_of, twin.as_of_event, twin.quantity = value.as_of, value.as_of_event, value.quantity


def _key_figure(values: list[_Value], data: SectionInput) -> KeyFigure:
    ordered = sorted(values, key=lambda value: value.projected)
    ordered.sort(key=lambda value: value.as_of, reverse=True)  # newest first; counts before projections
    counted = [value for value in ordered if not value.projected]
    named = (counted or ordered)[0].quantity.subject or ""
    return KeyFigure(subject=named[:1].upper() + named[1:], values=[_view(value, data) for value in ordered],
                     sources_differ=_sources_differ(counted))


def _sources_differ(values: list[_Value]) -> bool:
    """Whether two values that do not overlap come from different sources."""
    return any(not first.overlaps(second) and len({*first.docs, *second.docs}) > 1
               for index, first in enumerate(values) for second in values[index + 1:])


def _view(value: _Value, data: SectionInput) -> FigureValue:
    newest_first = sorted(value.docs, key=data.citer.published, reverse=True)
    return FigureValue(
        text=" ".join(value.quantity.text.split()), low=value.quantity.allowed()[0], high=value.quantity.high,
        approximate=value.quantity.approximate, as_of=value.as_of,
        as_of_label=date_label(value.as_of, precision_of(value.as_of)) if value.as_of else "undated",
        as_of_event=value.as_of_event, sources=list(dict.fromkeys(data.citer.source_name(doc)
                                                                  for doc in newest_first)),
        projected=value.projected, disputed=value.disputed, cites=value.cites,
    )


def _is_projection(before: str) -> bool:
    """Whether the sentence up to a figure looks ahead and leads to it: '... expected to drop ... to'."""
    return bool(_HEADED_TO.search(before) and _LOOKS_AHEAD.search(before))


def _tied_event(quantity: Quantity, data: SectionInput) -> Event | None:
    """A reported event of an earlier period whose clause holds the figure and whose date words go with it."""
    published = data.citer.published(quantity.doc)
    for event in data.facts.events:
        if (event.doc != quantity.doc or event.planned or not event.date or not event.date_text
                or not event.start <= quantity.start < quantity.end <= event.end):
            continue
        # A date of the publication's own period ('this week', 'at the end of September') adds nothing.
        if published and (dates_agree(event.date, published) or event.date > published):
            continue
        if _date_words_go_with(quantity, event, data):
            return event
    return None


def _date_words_go_with(quantity: Quantity, event: Event, data: SectionInput) -> bool:
    """Whether the event's date words are found in its clause with no other figure between them and the figure."""
    at = data.citer.text(quantity.doc).find(event.date_text or "", event.start, event.end)
    if at < 0:
        return False
    low, high = (quantity.end, at) if at >= quantity.end else (at + len(event.date_text or ""), quantity.start)
    return not any(other.doc == quantity.doc and other is not quantity and low <= other.start < high
                   for other in data.facts.quantities)


def _chart(figures: list[KeyFigure]) -> Markup | None:
    """Bars for the values of the first figure that has two or more, each labelled with its source."""
    story = next((figure for figure in figures if len(figure.values) >= 2), None)
    if story is None:
        return None
    bars = [FigureItem(text=value.text, low=value.low, high=value.high, unit=None, sentence=value.text,
                       subject=value.sources[0] + (" (projected)" if value.projected else ""), cites=value.cites)
            for value in story.values]
    return figures_chart_svg(bars)

