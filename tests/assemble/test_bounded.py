"""A brief of bounded size: k citations per item then "+N", and a Sources list of the cited sources only."""

from __future__ import annotations

import dataclasses
from typing import Any

from briefgen.assemble.bounded import bound, item_counts, shown_citations, shown_names
from briefgen.assemble.views import (
    ChangesSection,
    Citation,
    GradedSource,
    IncidentsSection,
    KeyActorsSection,
    KeyFiguresSection,
    Shown,
    SourcesSection,
)
from tests.assemble.conftest import Example, section


def citations_in(value: Any) -> list[Citation]:
    """Every citation inside a view object, however deep."""
    if isinstance(value, Citation):
        return [value]
    if isinstance(value, list):
        return [cite for item in value for cite in citations_in(item)]
    if hasattr(value, "__dataclass_fields__"):
        return [cite for name in value.__dataclass_fields__ for cite in citations_in(getattr(value, name))]
    return []


def cite_lists_in(value: Any) -> list[list[Citation]]:
    """Every list of citations inside a view object."""
    if isinstance(value, list):
        if value and all(isinstance(item, Citation) for item in value):
            return [value]
        return [found for item in value for found in cite_lists_in(item)]
    if hasattr(value, "__dataclass_fields__"):
        return [found for name in value.__dataclass_fields__ for found in cite_lists_in(getattr(value, name))]
    return []


def test_an_item_shows_its_best_graded_then_earliest_sources_in_number_order_and_counts_the_rest() -> None:
    cites = [Citation(1, "a", "C3"), Citation(2, "b", None), Citation(3, "c", "A1"), Citation(4, "d", "B2"),
             Citation(5, "e", "A1"), Citation(3, "c again", "A1")]
    shown = shown_citations(cites, 3)
    assert [cite.number for cite in shown] == [3, 4, 5]  # A1, A1, B2 beat C3 and ungraded; shown by number
    assert shown.more == 2  # stories 1 and 2; the repeat of story 3 is not another source
    ungraded = shown_citations([Citation(number, "x") for number in (9, 2, 7, 4)], 2)
    assert [cite.number for cite in ungraded] == [2, 4] and ungraded.more == 2  # the earliest, by number
    assert shown_citations(cites[:2], 3).more == 0


def test_source_names_keep_their_order_and_count_the_rest() -> None:
    names = [GradedSource(f"Outlet {index}", None, "") for index in range(6)]
    shown = shown_names(names, 2)
    assert [name.name for name in shown] == ["Outlet 0", "Outlet 1"] and shown.more == 4
    assert shown_names(["One"], 2).more == 0


def test_bound_caps_every_citation_list_and_counts_the_independent_sources_left_out(example: Example) -> None:
    whole = example.view("analyst")
    bounded = bound(whole, 1).view
    cut_lists = cite_lists_in(_non_source_sections(bounded))
    assert cut_lists and all(isinstance(cut, Shown) and len(cut) == 1 for cut in cut_lists)
    actors_before, actors_after = section(whole, "key_actors"), section(bounded, "key_actors")
    assert isinstance(actors_before, KeyActorsSection) and isinstance(actors_after, KeyActorsSection)
    for before, after in zip(actors_before.actors, actors_after.actors, strict=True):
        assert isinstance(after.cites, Shown)
        assert after.cites.more == len({cite.number for cite in before.cites}) - 1
    assert any(card.cites.more for card in actors_after.actors if isinstance(card.cites, Shown))
    assert max(len(cites) for cites in cite_lists_in(whole.sections)) > 1, "the whole view is left whole"


def test_the_values_of_one_item_are_capped_like_its_citations(example: Example) -> None:
    whole, bounded = example.view("analyst"), bound(example.view("analyst"), 1).view
    figures_before, figures_after = section(whole, "key_figures"), section(bounded, "key_figures")
    assert isinstance(figures_before, KeyFiguresSection) and isinstance(figures_after, KeyFiguresSection)
    for before, after in zip(figures_before.figures, figures_after.figures, strict=True):
        assert isinstance(after.values, Shown) and len(after.values) == min(1, len(before.values))
        assert after.values.more == len(before.values) - len(after.values)
        assert [value.text for value in after.values] == [value.text for value in before.values[:1]]


def test_the_sources_section_lists_the_cited_sources_renumbered_and_counts_the_others(example: Example) -> None:
    executive = example.view("executive")  # its one key figure cites fewer than the brief's sources
    whole = dataclasses.replace(executive, sections=[section(executive, "key_figures"), section(executive, "sources")])
    bounded = bound(whole, 1, export="executive.facts.json")
    sources = section(bounded.view, "sources")
    assert isinstance(sources, SourcesSection)
    cited = {cite.number for cite in citations_in(_non_source_sections(bounded.view))}
    assert [entry.number for entry in sources.sources] == list(range(1, len(cited) + 1))
    assert cited == {entry.number for entry in sources.sources}
    assert sources.unlisted == len(whole.sources) - len(sources.sources) > 0
    assert sources.export == bounded.view.export == "executive.facts.json"
    # The same documents stand behind each renumbered source, in the same (publication) order.
    by_old = {entry.number: entry.doc_id for entry in whole.sources}
    assert [entry.doc_id for entry in sources.sources] == [by_old[old] for old in sorted(bounded.numbers)]
    assert len(bounded.view.sources) == len(whole.sources), "the masthead still counts every source"


def test_item_counts_measure_what_an_audience_limit_caps(example: Example) -> None:
    view = example.view("analyst")
    counts = item_counts(view)
    figures = section(view, "key_figures")
    incidents = section(view, "incidents")
    assert isinstance(figures, KeyFiguresSection) and isinstance(incidents, IncidentsSection)
    assert counts["key_figures"] == len(figures.figures) and counts["incidents"] == len(incidents.incidents)
    assert "sources" not in counts and "outlook" not in counts
    executive = item_counts(example.view("executive"))
    assert executive["key_figures"] == 1 and executive["withdrawal_timeline"] <= 2


def _non_source_sections(view: Any) -> list[object]:
    return [item for item in view.sections if not isinstance(item, SourcesSection)]


def test_the_new_sources_the_changes_section_names_stay_listed_under_their_new_numbers(example: Example) -> None:
    whole = example.view("analyst")
    newest = whole.sources[-1]
    changes = ChangesSection(kind="changes", title="Changes", anchor="changes", since=1, since_date="2025-01-01",
                             new_sources=[newest], new_actors=[], timeline_added=[], timeline_moved=[],
                             figures_changed=[], judgments_changed=[])
    view = dataclasses.replace(whole, sections=[changes, section(whole, "sources")])
    bounded = bound(view, 3).view
    shown_changes, sources = bounded.sections
    assert isinstance(shown_changes, ChangesSection) and isinstance(sources, SourcesSection)
    assert [(entry.number, entry.doc_id) for entry in sources.sources] == [(1, newest.doc_id)]
    assert shown_changes.new_sources[0].number == 1 and newest.number == len(whole.sources)
