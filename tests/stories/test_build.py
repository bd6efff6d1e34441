"""One story, counted once, in a real build: a wire story three outlets ran is one source in Sources, and
its figures are corroborated only by an independent report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lxml import html

from briefgen.assemble import assemble_brief
from briefgen.assemble.views import BriefView, KeyFiguresSection, SourcesSection
from briefgen.build import BuildReport, NoProgress, brief_input, brief_pool, gather
from briefgen.project import load_project
from briefgen.store import FactStore
from briefgen.storymemory import MEMORY_FILE, StoryMemory
from tests.projects import BRIEF, build, make_project

WIRE = """\
Gunmen ambushed an army patrol near the town of Menaka on Saturday, killing nine soldiers, the
defence ministry said. Fourteen soldiers were wounded near Menaka and flown to hospital.

The patrol was returning from a market village when its lead vehicle struck a mine, a ministry
statement said. The gunmen then fired on the soldiers from both sides of the road.

No group claimed the ambush. Fighters of the Islamic State Sahel Province have attacked several
patrols on the roads around Menaka since the start of the rainy season, residents said.

The army said reinforcements had been sent to the area and that an operation to find the gunmen
was under way.
"""
INDEPENDENT = """\
Families in Gao waited outside the military hospital on Sunday for news of the soldiers evacuated
after Saturday's attack on a patrol.

A nurse at the hospital said the wounded had arrived by helicopter overnight. Local officials said
nine soldiers were killed near Menaka, and that the dead would be buried in their home villages.

Relatives said the patrol had been on the road for a week and had asked for an escort that never came.
"""


def _source(outlet: str, published: str, title: str, text: str) -> str:
    return f"---\ntitle: {title}\npublished: {published}\noutlet: {outlet}\n---\n{text}"


def write_wire_project(root: Path, *, independent: bool = True) -> Path:
    """A project whose sources are one wire story run by three outlets, and (by default) an independent
    report giving one of its figures."""
    sources = {
        "sources/wire.md": _source("Sahel Wire", "2025-05-04", "Nine soldiers killed in ambush near Menaka", WIRE),
        "sources/courier.md": _source("Daily Courier", "2025-05-05", "Ambush kills <i>nine</i> soldiers",
                                      "TESSIT (Sahel Wire) -\n\n" + WIRE),
        "sources/times.md": _source("Niger Times", "2025-05-05", "Soldiers killed near Menaka",
                                    WIRE + "\nCopyright Niger Times. All rights reserved.\n"),
    }
    if independent:
        sources["sources/hospital.md"] = _source("Gao Herald", "2025-05-05", "Families wait for news", INDEPENDENT)
    brief_extra = "  - kind: key_figures\n"
    return make_project(root, sources=dict(sources), brief_extra=brief_extra)


def assembled(root: Path) -> BriefView:
    """The analyst brief of a project, assembled from its sources read and extracted for real."""
    project = load_project(root)
    with FactStore(project.store_location) as store:
        documents, facts = gather(project, store, [BRIEF], BuildReport(), NoProgress())
    pool = brief_pool(project, BRIEF, documents, facts)
    return assemble_brief(brief_input(project, BRIEF, "analyst", pool, dt.date(2025, 5, 10), 1, None))


def test_a_wire_story_three_outlets_ran_is_one_source_naming_them_all(tmp_path: Path) -> None:
    view = assembled(write_wire_project(tmp_path))
    (story, independent) = view.sources
    assert (story.outlet, story.path) == ("Sahel Wire", "sources/wire.md")
    assert [(copy.outlet, copy.published) for copy in story.copies] == [
        ("Niger Times", "2025-05-05"), ("Daily Courier", "2025-05-05")]
    assert (independent.outlet, independent.copies) == ("Gao Herald", [])
    (sources,) = [item for item in view.sections if isinstance(item, SourcesSection)]
    assert sources.summary.startswith("4 sources: 2 independent stories from 4 outlets")


def test_a_figure_only_the_copies_give_is_not_corroborated_one_an_independent_report_gives_is(
        tmp_path: Path) -> None:
    view = assembled(write_wire_project(tmp_path))
    (figures,) = [item for item in view.sections if isinstance(item, KeyFiguresSection)]
    by_value = {value.text: figure for figure in figures.figures for value in figure.values}
    killed, wounded = by_value["nine"], by_value["Fourteen"]
    assert killed.corroborated and {cite.number for value in killed.values for cite in value.cites} == {1, 2}
    assert not wounded.corroborated and not wounded.sources_differ
    assert {cite.number for value in wounded.values for cite in value.cites} == {1}


def test_the_sources_page_shows_the_story_once_with_the_outlets_that_ran_it(tmp_path: Path) -> None:
    root = write_wire_project(tmp_path, independent=False)
    result = build(root)
    assert result.exit_code == 0, result.output
    page = html.fromstring(next((root / "output" / BRIEF).glob("*/analyst.html")).read_bytes())
    (entry,) = page.xpath('//ol[@class="sources"]/li')
    assert entry.xpath('string(.//span[@class="source-outlet"])') == "Sahel Wire"
    copies = [" ".join(copy.text_content().split()) for copy in entry.xpath('.//span[@class="source-copy"]')]
    assert copies == ["Niger Times (2025-05-05)", "Daily Courier (2025-05-05)"]
    assert entry.xpath('.//span[@class="source-copy"]/@title')[1] == "Ambush kills <i>nine</i> soldiers"
    assert not entry.xpath(".//i")  # article metadata is text, never markup
    summary = page.xpath('string(//p[contains(@class, "sources-summary")])')
    assert summary.startswith("3 sources: 1 independent story from 3 outlets")


def test_the_next_build_groups_with_what_the_last_one_learned_and_follows_what_changed(tmp_path: Path) -> None:
    root = write_wire_project(tmp_path, independent=False)
    times = root / "sources" / "times.md"
    reprint = times.read_text(encoding="utf-8")
    times.unlink()
    assert (result := build(root)).exit_code == 0, result.output
    with StoryMemory(root / ".briefgen" / MEMORY_FILE) as memory:
        (first,) = memory.groupings(BRIEF)  # one grouping: every source is releasable
    assert len(set(original for _key, original in first.homes.values())) == 1  # the courier ran the wire story
    # Since: a third outlet reprints the wire story, and the courier's piece is replaced by its own report.
    times.write_text(reprint, encoding="utf-8")
    (root / "sources" / "courier.md").write_text(
        _source("Daily Courier", "2025-05-05", "Families wait for news", INDEPENDENT), encoding="utf-8")
    assert (result := build(root)).exit_code == 0, result.output
    latest = max((root / "output" / BRIEF).glob("*/analyst.html"), key=lambda path: path.stat().st_mtime_ns)
    page = html.fromstring(latest.read_bytes())
    entries = page.xpath('//ol[@class="sources"]/li')
    assert [entry.xpath('string(.//span[@class="source-outlet"])') for entry in entries] == [
        "Sahel Wire", "Daily Courier"]
    assert [" ".join(copy.text_content().split()) for copy in entries[0].xpath('.//span[@class="source-copy"]')] \
        == ["Niger Times (2025-05-05)"]
    with StoryMemory(root / ".briefgen" / MEMORY_FILE) as memory:
        (second,) = memory.groupings(BRIEF)
    assert len(set(original for _key, original in second.homes.values())) == 2
    # The review desk and the preview server group with the same help (they read the memory, never write it).
    project = load_project(root)
    with FactStore(project.store_location) as store:
        documents, facts = gather(project, store, [BRIEF], BuildReport(), NoProgress())
    pool = brief_pool(project, BRIEF, documents, facts)
    assert pool.remembered == [second]
    view = assemble_brief(brief_input(project, BRIEF, "analyst", pool, dt.date(2025, 5, 10), 1, None))
    assert [(source.outlet, [copy.outlet for copy in source.copies]) for source in view.sources] == [
        ("Sahel Wire", ["Niger Times"]), ("Daily Courier", [])]
