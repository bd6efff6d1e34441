"""Key figures from several sources about different attacks in different towns and troops present in a country:
a row counts one thing at one place in one period; 'sources differ' and 'corroborated' only within a row.

The sources are made up for these tests (towns the gazetteer knows, events that did not happen); their facts are
extracted with the real spaCy pipeline, assembled and rendered.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import html

from briefgen.assemble import assemble_brief
from briefgen.assemble.clauses import figure_words
from briefgen.assemble.views import BriefView, KeyFigure, KeyFiguresSection
from briefgen.build import BuildReport, NoProgress, brief_input, brief_pool, gather
from briefgen.project import Project, load_project
from briefgen.render import Renderer
from briefgen.store import FactStore
from tests.assemble.conftest import section
from tests.projects import BRIEF, make_project


def source(published: str, outlet: str, body: str) -> str:
    """A Markdown source with front matter."""
    return f"---\ntitle: {outlet} report\npublished: {published}\noutlet: {outlet}\n---\n{body}\n"


OUTLETS = ("Sahel Courier", "River Times", "Savanna Wire", "Harmattan Review", "Delta Dispatch")
SOURCES = {
    # Two reports of one attack: they differ on the dead, agree on the wounded and on the troops present.
    "sources/2025-03-05-courier.md": source("2025-03-05", "Sahel Courier", (
        "Gunmen attacked an army post near Ouallam on 3 March 2025, killing 12 soldiers, the defence ministry "
        "said. Eight soldiers were wounded at the Ouallam post.\n\n"
        "About 200 US soldiers remain in Niger, officials said.")),
    "sources/2025-03-06-river.md": source("2025-03-06", "River Times", (
        "Fifteen soldiers were killed when militants stormed an army post near Ouallam on Monday, a local official "
        "said. Eight soldiers were wounded near Ouallam, the official added.\n\n"
        "Some 200 US soldiers remain in Niger, according to a diplomat.")),
    # Other attacks, other towns: the same count (12) in another town is another thing.
    "sources/2025-03-12-savanna.md": source("2025-03-12", "Savanna Wire", (
        "Militants killed 12 soldiers in an ambush near Menaka in Mali on 10 March. "
        "In Niger, an attack on a convoy near Diffa killed seven soldiers on Sunday.")),
    # 200 killed in the country where 200 US soldiers remain: another outcome, another thing.
    "sources/2025-03-20-harmattan.md": source("2025-03-20", "Harmattan Review", (
        "An attack on the town of Djibo in Burkina Faso on 18 March killed 30 soldiers and 20 civilians.\n\n"
        "The army said 200 soldiers had been killed in Niger since the start of March.")),
    # The troops present a month later: another period, not a disagreement.
    "sources/2025-04-15-delta.md": source("2025-04-15", "Delta Dispatch",
                                          "About 150 US soldiers remain in Niger, officials said."),
}
KEY_FIGURES = "  - kind: key_figures\n    max_figures: 20\n"


@dataclass
class Desk:
    """The made-up project and its analyst brief."""

    project: Project
    view: BriefView

    def figures(self) -> list[KeyFigure]:
        """The key figures rows."""
        figures = section(self.view, "key_figures")
        assert isinstance(figures, KeyFiguresSection)
        return figures.figures

    def row(self, label: str) -> KeyFigure:
        """The row with this label."""
        (row,) = [figure for figure in self.figures() if figure.label == label]
        return row


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Desk:
    """The project built from SOURCES, its facts extracted, its analyst brief assembled."""
    root = make_project(tmp_path_factory.mktemp("figures") / "project", sources=dict(SOURCES),
                        brief_extra=KEY_FIGURES)
    project = load_project(root)
    with FactStore(project.store_location) as store:
        documents, facts = gather(project, store, [BRIEF], BuildReport(), NoProgress())
    pool = brief_pool(project, BRIEF, documents, facts)
    return Desk(project, assemble_brief(brief_input(project, BRIEF, "analyst", pool, dt.date(2025, 5, 1), 1, None)))


def values(figure: KeyFigure) -> list[tuple[str, list[str]]]:
    """Each value of a row as written, with its sources."""
    return [(value.text, sorted(value.sources)) for value in figure.values]


def test_counts_of_different_attacks_in_different_towns_are_rows_of_their_own(desk: Desk) -> None:
    assert sorted(figure.label for figure in desk.figures()) == [
        "Civilians killed, Djibo, Mar 2025",
        "Soldiers killed, Diffa, Mar 2025",
        "Soldiers killed, Djibo, Mar 2025",
        "Soldiers killed, Menaka, Mar 2025",
        "Soldiers killed, Niger, Mar 2025",
        "Soldiers killed, Ouallam, Mar 2025",
        "Soldiers wounded, Ouallam, Mar 2025",
        "US soldiers present, Niger, Apr 2025",
        "US soldiers present, Niger, Mar 2025",
    ]
    menaka = desk.row("Soldiers killed, Menaka, Mar 2025")  # 12, as at Ouallam, but another attack
    assert values(menaka) == [("12", ["Savanna Wire"])]
    assert not menaka.sources_differ and not menaka.corroborated


def test_two_sources_giving_different_values_for_one_thing_place_and_period_differ(desk: Desk) -> None:
    ouallam = desk.row("Soldiers killed, Ouallam, Mar 2025")
    assert ouallam.sources_differ and not ouallam.corroborated
    assert values(ouallam) == [("Fifteen", ["River Times"]), ("12", ["Sahel Courier"])]  # newest first


def test_two_sources_giving_the_same_value_for_one_thing_place_and_period_corroborate(desk: Desk) -> None:
    for label, text in (("Soldiers wounded, Ouallam, Mar 2025", "eight"),
                        ("US soldiers present, Niger, Mar 2025", "some 200")):
        row = desk.row(label)
        assert row.corroborated and not row.sources_differ
        assert values(row) == [(text, ["River Times", "Sahel Courier"])]


def test_killed_and_present_are_different_things_whatever_the_count(desk: Desk) -> None:
    killed = desk.row("Soldiers killed, Niger, Mar 2025")
    assert values(killed) == [("200", ["Harmattan Review"])]
    assert not killed.corroborated and not killed.sources_differ


def test_one_source_is_not_corroboration_and_another_period_is_not_a_disagreement(desk: Desk) -> None:
    april = desk.row("US soldiers present, Niger, Apr 2025")
    assert values(april) == [("about 150", ["Delta Dispatch"])]
    assert not april.sources_differ
    assert not any(figure.corroborated for figure in desk.figures() if len(figure.values[0].sources) == 1)


def test_disagreements_come_first_then_corroborated_rows(desk: Desk) -> None:
    flags = [(figure.sources_differ, figure.corroborated) for figure in desk.figures()]
    assert flags[:3] == [(True, False), (False, True), (False, True)]
    assert all(flag == (False, False) for flag in flags[3:])


def test_each_value_cites_the_sentence_it_was_read_from(desk: Desk) -> None:
    cited = {cite.sentence for cite in desk.row("Soldiers killed, Ouallam, Mar 2025").values[1].cites}
    assert cited == {"Gunmen attacked an army post near Ouallam on 3 March 2025, killing 12 soldiers, "
                     "the defence ministry said."}


def test_html_rows_say_what_where_and_when_with_their_tags_and_sources(desk: Desk) -> None:
    page = html.fromstring(Renderer(desk.project).html(desk.view))
    groups = {" ".join(body.xpath('string(.//span[@class="kf-name"])').split()): body
              for body in page.xpath('//section[@id="key-figures"]//tbody')}
    assert set(groups) == {figure.label for figure in desk.figures()}
    differ = groups["Soldiers killed, Ouallam, Mar 2025"]
    assert "kf-differ" in differ.get("class")
    text = " ".join(differ.text_content().split())
    assert "Sources differ" in text and "Corroborated" not in text
    assert text.index("Fifteen") < text.index("River Times") < text.index("12") < text.index("Sahel Courier")
    corroborated = " ".join(groups["US soldiers present, Niger, Mar 2025"].text_content().split())
    assert "Corroborated" in corroborated and "Sources differ" not in corroborated
    assert "River Times, Sahel Courier" in corroborated
    alone = " ".join(groups["Soldiers killed, Niger, Mar 2025"].text_content().split())
    assert "Corroborated" not in alone and "Sources differ" not in alone


def test_chart_labels_say_what_and_where_never_the_outlet(desk: Desk) -> None:
    page = html.fromstring(Renderer(desk.project).html(desk.view))
    (chart,) = page.xpath('//section[@id="key-figures"]//svg')
    titles = [" ".join(title.text.split()) for title in chart.xpath('.//*[local-name()="title"]')[1:]]
    shown = " ".join(chart.xpath("string(.)").split())
    assert not any(outlet in shown for outlet in OUTLETS)
    # the rows counting soldiers, each bar titled by its row's label; a row with two values labels them once
    assert "Soldiers killed, Menaka, Mar 2025: 12" in titles
    assert {"Soldiers killed, Ouallam, Mar 2025: Fifteen", "Soldiers killed, Ouallam, Mar 2025: 12"} <= set(titles)
    drawn = [" ".join(label.text.split()) for label in chart.xpath('.//*[local-name()="text"]') if label.text]
    assert drawn.count("Soldiers killed, Ouallam, Mar 2025") == 1
    assert not any(title.startswith("US soldiers") for title in titles)


def test_a_brief_lists_the_terms_its_figures_count(desk: Desk, tmp_path: Path) -> None:
    extra = KEY_FIGURES + "    figure_terms: [civilian]\n"
    root = make_project(tmp_path / "project", sources=dict(SOURCES), brief_extra=extra)
    shutil.copyfile(desk.project.store_location, root / desk.project.settings.store)  # the facts, already extracted
    project = load_project(root)
    with FactStore(project.store_location) as store:
        documents, facts = gather(project, store, [BRIEF], BuildReport(), NoProgress())
    view = assemble_brief(brief_input(project, BRIEF, "analyst", brief_pool(project, BRIEF, documents, facts),
                                      dt.date(2025, 5, 1), 1, None))
    figures = section(view, "key_figures")
    assert isinstance(figures, KeyFiguresSection)
    assert [figure.label for figure in figures.figures] == ["Civilians killed, Djibo, Mar 2025"]


def test_a_figure_opening_its_sentence_reads_in_lower_case_inside_a_line() -> None:
    assert figure_words("Between 150 and  200") == "between 150 and 200"
    assert figure_words("About 1,000") == "about 1,000"
    assert figure_words("2,500") == "2,500" and figure_words("Dozens") == "dozens"
