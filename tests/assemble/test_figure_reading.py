"""How a figure is read from its sentence: what happened to what it counts, where, and which figures count sources.

Made-up sentences, extracted with the real spaCy pipeline and assembled into key figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from typing import Any

import pytest

from briefgen.assemble.citations import Citer
from briefgen.assemble.counted import sentence_bounds
from briefgen.assemble.figures import key_figures
from briefgen.assemble.index import FactIndex
from briefgen.assemble.sections import SectionInput
from briefgen.config import Gazetteer
from briefgen.config import KeyFiguresSection as KeyFiguresConfig
from briefgen.extract import Extractor, merge_facts
from briefgen.facts import Document

Rows = Callable[..., list[tuple[str, list[str]]]]


@pytest.fixture(scope="module")
def rows() -> Rows:
    """Key figures rows (label, values as written) of documents given as (outlet, published, text)."""
    extractor = Extractor(Gazetteer())

    def assemble(*sources: tuple[str, str, str]) -> list[tuple[str, list[str]]]:
        documents = [Document(id=f"d{number}", path=f"d{number}.md", text=text, title=outlet, published=published,
                              outlet=outlet) for number, (outlet, published, text) in enumerate(sources)]
        facts = list(extractor.extract(documents))
        data = SectionInput(merge_facts(facts), Citer(documents, facts), dt.date(2025, 6, 1), None, graphics=False)
        section = key_figures("Key figures", KeyFiguresConfig(kind="key_figures"), data)
        return sorted((figure.label, [value.text for value in figure.values]) for figure in section.figures)

    return assemble


def test_each_figure_takes_the_outcome_nearest_it(rows: Rows) -> None:
    assert rows(("Wire", "2025-05-06", "Three soldiers were killed and two others wounded when a roadside bomb "
                                       "struck a patrol near Diffa.")) == [
        ("Soldiers killed, Diffa, May 2025", ["three"]), ("Soldiers wounded, Diffa, May 2025", ["two"])]


def test_an_outcome_in_the_next_clause_goes_with_that_clause_s_own_figure(rows: Rows) -> None:
    assert rows(("Wire", "2025-05-06", "The militia has an estimated 800 fighters in Ituri, and it is believed to "
                                       "hold about 300 hostages in forest camps.")) == [
        ("Fighters, Ituri, May 2025", ["an estimated 800"]), ("Hostages held, Ituri, May 2025", ["about 300"])]


def test_an_outcome_in_the_next_clause_serves_a_figure_when_that_clause_has_none(rows: Rows) -> None:
    assert rows(("Wire", "2025-05-06", "About 40 families from Ouallam, officials said, were displaced by the "
                                       "fighting.")) == [("Families displaced, Ouallam, May 2025", ["about 40"])]


def test_a_count_of_the_sources_a_report_cites_is_not_a_key_figure(rows: Rows) -> None:
    assert rows(("Wire", "2025-05-06", "The paper, citing two officers, said 12 soldiers died in the attack on "
                                       "Ouallam.")) == [("Soldiers killed, Ouallam, May 2025", ["12"])]


def test_the_place_is_where_the_figure_is_set_not_every_place_in_its_sentence(rows: Rows) -> None:
    assert rows(("Wire", "2025-05-06", "Gunmen from Menaka attacked a post near Ouallam, killing 11 soldiers.")) == [
        ("Soldiers killed, Ouallam, May 2025", ["11"])]


def test_a_dateline_says_where_a_report_was_filed_not_where_its_figures_are(rows: Rows) -> None:
    assert rows(("Wire", "2025-05-06", "NIAMEY — Nine soldiers were killed near Ouallam on Sunday.\n\n"
                                       "NIAMEY — About 40 families fled their homes, officials said.")) == [
        ("Families displaced, May 2025", ["about 40"]), ("Soldiers killed, Ouallam, May 2025", ["nine"])]


def test_one_force_written_two_ways_is_one_subject(rows: Rows) -> None:
    assert rows(("Wire", "2025-05-06", "About 1,200 U.S. troops remain in Niger, officials said."),
                ("Post", "2025-05-08", "About 1,200 US troops remain in Niger, a diplomat said.")) == [
        ("U.S. troops present, Niger, May 2025", ["about 1,200"])]


def test_sentences_do_not_end_at_abbreviations_or_initials() -> None:
    text = "Gen. Smith said 1,200 U.S. troops remain in Niger. Another 300 arrived in Niamey."
    assert text[slice(*sentence_bounds(text, text.index("1,200")))] == (
        "Gen. Smith said 1,200 U.S. troops remain in Niger.")
    assert text[slice(*sentence_bounds(text, text.index("300")))] == "Another 300 arrived in Niamey."


def test_reports_of_one_attack_either_side_of_a_month_s_end_are_one_row(rows: Rows) -> None:
    assert rows(("Wire", "2025-04-01", "Gunmen killed 12 soldiers near Ouallam on 31 March 2025."),
                ("Post", "2025-04-02", "Militants killed 14 soldiers near Ouallam on 1 April 2025."),
                ("Wire", "2025-05-02", "Gunmen killed 9 soldiers near Ouallam on 1 May 2025.")) == [
        ("Soldiers killed, Ouallam, Mar 2025", ["14", "12"]), ("Soldiers killed, Ouallam, May 2025", ["9"])]


def test_a_figure_read_for_one_set_of_sources_is_read_alike_for_another_holding_its_source() -> None:
    """A build reads each figure once for all the sets of sources it assembles (all, the releasable ones): the
    second set takes the first's reading, with its places as it merges them itself."""
    documents = [Document(id="d0", path="d0.md", text="Troops patrolled Ouallam on Sunday.", published="2025-05-05",
                          outlet="Post"),
                 Document(id="d1", path="d1.md", text="Gunmen killed 11 soldiers near Ouallam in Niger on Monday.",
                          published="2025-05-06", outlet="Wire")]
    facts = list(Extractor(Gazetteer()).extract(documents))
    for place in facts[0].locations:  # the first source to name it, here taken for a country: its kind is the set's
        place.kind = "country"

    def labels(chosen: set[str], readings: dict[Hashable, Any] | None) -> list[str]:
        kept = [item for item in facts if item.doc in chosen]
        merged = merge_facts(kept)
        data = SectionInput(merged, Citer([document for document in documents if document.id in chosen], kept),
                            dt.date(2025, 6, 1), None, graphics=False, indexed=FactIndex(merged, readings))
        return [figure.label for figure in key_figures("Key figures", KeyFiguresConfig(kind="key_figures"),
                                                       data).figures]

    readings: dict[Hashable, Any] = {}
    assert labels({"d0", "d1"}, readings) == labels({"d0", "d1"}, None) == [
        "Soldiers killed, Ouallam and Niger, May 2025"]
    assert labels({"d1"}, readings) == labels({"d1"}, None) == ["Soldiers killed, Ouallam, May 2025"]
    assert list(readings) == [("figure", "d1", facts[1].quantities[0].id)]
