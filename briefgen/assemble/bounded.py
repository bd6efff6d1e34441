"""A brief of bounded size: a few citations per item and a Sources list of the sources the brief cites.

However many sources report an item, the brief shows at most `max_citations` of them (the audience's option):

- An item's citations are stories (copies of one report share a number, `citations.Citer`), so the ones
  shown are always independent. The best Admiralty grade comes first, then the earliest published (the
  lowest number); they are shown in number order, followed by "+N more", N counting the other stories.
- Names of sources beside a value (key figures, incident tolls, dates that differ) keep their order (best
  graded first) and show the first `max_citations`, then "and N more"; so do the different values sources
  give for one item (a key figure's values, the dates of a plan, an incident's tolls) and the copies of a
  story in its Sources entry.
- The Sources section lists only the sources the shown brief cites (citations, and the new sources the
  changes section names), renumbered from 1 in their order (earliest first); the others are counted in
  one line that points to the edition's data export, which lists every source and every citation.

The view `assemble_brief` returns is left whole (the review desk and the data export read every citation);
`bound` returns the bounded copy the templates render.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from briefgen.assemble.views import BriefView, Citation, GradedSource, Shown, SourceEntry, SourcesSection
from briefgen.grading import rank_of

# Fields that name the sources of a value, as outlets or titles: shown capped, like citations.
NAME_FIELDS = frozenset({"sources", "graded_sources", "old_sources"})
# Fields that hold the different values sources give for one item (a key figure's values, the dates given for
# a plan, an incident's tolls), in the item's own order (best graded, then newest): shown capped, like citations.
VALUE_FIELDS = frozenset({"values", "planned_dates", "done_dates", "fatalities_by_source"})


@dataclasses.dataclass
class BoundedBrief:
    """The bounded view, and the number each listed source has in it (by its number in the whole view)."""

    view: BriefView
    numbers: dict[int, int]


def bound(view: BriefView, max_citations: int, export: str | None = None) -> BoundedBrief:
    """A copy of `view` with at most `max_citations` citations (and source names) per item and a Sources
    section holding only the sources it cites; `export` names the data export the brief points to."""
    sections = [section if isinstance(section, SourcesSection) else _rebuilt(section, _capper(max_citations))
                for section in view.sections]
    numbers = _new_numbers(sections)
    renumber = _renumberer(numbers)
    sections = [_listed(section, numbers, export, max_citations) if isinstance(section, SourcesSection)
                else _rebuilt(section, renumber) for section in sections]
    return BoundedBrief(dataclasses.replace(view, sections=sections, export=export), numbers)


def shown_citations(cites: list[Citation], limit: int) -> Shown[Citation]:
    """The `limit` citations an item shows (best grade, then earliest), in number order, counting the rest."""
    unique = list({cite.number: cite for cite in reversed(cites)}.values())
    best = sorted(unique, key=lambda cite: (rank_of(cite.grade), cite.number))[:limit]
    return Shown(sorted(best, key=lambda cite: cite.number), more=len(unique) - len(best))


def shown_names(names: list[Any], limit: int) -> Shown[Any]:
    """The first `limit` source names of a value (they come best graded first), counting the rest."""
    return Shown(names[:limit], more=max(0, len(names) - limit))


Visit = Callable[[str, Any], Any]


def _rebuilt(value: Any, visit: Visit, name: str = "") -> Any:
    """A copy of a view object in which each part `visit(field name, part)` returns something for (list items
    are visited with the name '') is replaced by it."""
    replacement = visit(name, value)
    if replacement is not None:
        return replacement
    if isinstance(value, Shown):
        return Shown([_rebuilt(item, visit) for item in value], value.more)
    if isinstance(value, list):
        return [_rebuilt(item, visit) for item in value]
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    changed = {field.name: _rebuilt(getattr(value, field.name), visit, field.name)
               for field in dataclasses.fields(value) if field.init}
    return dataclasses.replace(value, **changed)


def _capper(limit: int) -> Visit:
    def cap(name: str, value: Any) -> Any:
        if not isinstance(value, list) or not value:
            return None
        if all(isinstance(item, Citation) for item in value):
            return shown_citations(value, limit)
        if name in NAME_FIELDS and all(isinstance(item, str | GradedSource) for item in value):
            return shown_names(value, limit)
        if name in VALUE_FIELDS:
            return Shown([_rebuilt(item, cap) for item in value[:limit]], more=max(0, len(value) - limit))
        return None
    return cap


def _new_numbers(sections: list[Any]) -> dict[int, int]:
    """Old number to new: the sources the sections cite or name, numbered from 1 in their old order."""
    cited: set[int] = set()

    def collect(name: str, value: Any) -> None:
        if isinstance(value, Citation | SourceEntry):
            cited.add(value.number)
    for section in sections:
        if not isinstance(section, SourcesSection):
            _rebuilt(section, collect)
    return {old: new for new, old in enumerate(sorted(cited), start=1)}


def _renumberer(numbers: dict[int, int]) -> Visit:
    def renumber(name: str, value: Any) -> Any:
        if isinstance(value, Citation | SourceEntry) and value.number in numbers:
            return dataclasses.replace(value, number=numbers[value.number])
        return None
    return renumber


def _listed(section: SourcesSection, numbers: dict[int, int], export: str | None, limit: int) -> SourcesSection:
    listed = [dataclasses.replace(entry, number=numbers[entry.number], copies=shown_names(entry.copies, limit))
              for entry in section.sources if entry.number in numbers]
    return dataclasses.replace(section, sources=listed, unlisted=len(section.sources) - len(listed), export=export)


# The lists of a section kind that its audience limit (`limits: {KIND: N}`) caps; the analyst's own items
# (judgments, indicators, gaps) and the sources are never cut to fit a page limit.
LIMITED_ITEMS: dict[str, tuple[str, ...]] = {
    "key_judgments": ("incidents",),
    "changes": ("new_sources", "new_actors", "timeline_added", "timeline_moved", "figures_changed"),
    "key_figures": ("figures",),
    "threat_summary": ("figures", "zones", "tactics", "warnings"),
    "incidents": ("incidents",),
    "timeline": ("past", "upcoming"),
    "withdrawal_timeline": ("past", "upcoming"),
    "key_actors": ("actors",),
}
# Lists that a limit caps together: a timeline's past and upcoming entries share one cap.
_SHARED_CAP = frozenset({"timeline", "withdrawal_timeline"})


def item_counts(view: BriefView) -> dict[str, int]:
    """How many items each section kind of the view shows, in the unit its audience limit caps: the longest
    of its lists (a timeline: its past and upcoming entries together); the largest over sections of a kind."""
    counts: dict[str, int] = {}
    for section in view.sections:
        kind = str(getattr(section, "kind", ""))
        lengths = [len(getattr(section, name)) for name in LIMITED_ITEMS.get(kind, ())]
        if lengths:
            shown = sum(lengths) if kind in _SHARED_CAP else max(lengths)
            counts[kind] = max(counts.get(kind, 0), shown)
    return counts
