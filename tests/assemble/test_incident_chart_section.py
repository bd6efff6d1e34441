"""The incidents-by-month section and incidents on the threat summary's map: real assembly from hand-made
incident facts (the incidents table's test sources), rendered HTML."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from lxml import html

import briefgen
from briefgen.assemble import BUILDERS, assemble_brief
from briefgen.assemble.incident_chart import chart_months
from briefgen.assemble.views import BriefView, IncidentChartSection, ThreatSummarySection
from briefgen.build import SourcePool, brief_input
from briefgen.config import DEFAULT_TITLES, SECTION_KINDS
from briefgen.errors import ConfigError
from briefgen.facts import Location
from briefgen.project import Project, load_project
from briefgen.render import Renderer
from tests.assemble.conftest import BRIEF, BUILD_DATE, section
from tests.assemble.test_incidents_section import SECOND, SENTENCES, document
from tests.graphics.test_graphics import HOSTILE as HOSTILE_NAME

# The example brief's window starts 2024-06-01; the newest test source is of 29 November 2025.
LAST_12 = ["2024-12", "2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08",
           "2025-09", "2025-10", "2025-11"]


@pytest.fixture
def project(example_project: Path) -> Project:
    """The example project (its brief has an incident_chart section)."""
    return load_project(example_project)


def view(project: Project, audience: str = "analyst", pairs: list[tuple[object, object]] | None = None,
         **options: object) -> BriefView:
    """The example brief assembled from the incidents table's test sources, the chart's options changed."""
    pairs = pairs or [document("one", SENTENCES, "Outlet One"), document("two", [SECOND], "Outlet Two")]
    pool = SourcePool([pair[0] for pair in pairs], [pair[1] for pair in pairs])  # type: ignore[misc]
    given = brief_input(project, BRIEF, audience, pool, BUILD_DATE, 1, None)
    sections = [item.model_copy(update=options) if item.kind == "incident_chart" else item
                for item in given.brief.sections]
    return assemble_brief(dataclasses.replace(given, brief=given.brief.model_copy(update={"sections": sections})))


def chart(project: Project, **options: object) -> IncidentChartSection:
    found = section(view(project, **options), "incident_chart")
    assert isinstance(found, IncidentChartSection)
    return found


def test_the_section_kind_is_registered_with_its_title_builder_and_template() -> None:
    assert "incident_chart" in SECTION_KINDS and DEFAULT_TITLES["incident_chart"] == "Incidents by month and type"
    assert set(BUILDERS) == set(SECTION_KINDS) == set(DEFAULT_TITLES)
    templates = Path(briefgen.__file__).parent / "templates" / "sections"
    assert all((templates / f"{kind}.html").is_file() for kind in SECTION_KINDS)


def test_each_month_counts_the_tables_incidents_by_type(project: Project) -> None:
    found = chart(project)
    assert found.title == "Incidents by month and type"
    counted = {month.month: month.by_type for month in found.months if month.by_type}
    # The table's five rows: one in October (told by two sources: one incident), four in November. The
    # March 2023 incident (before the window) and the one dated only to 2025 are not counted.
    assert counted == {
        "2025-10": {"Violence against civilians": 1},
        "2025-11": {"Battles": 1, "Explosions/Remote violence": 1, "Protests": 1, "Strategic developments": 1},
    }
    assert found.incidents == 5 and found.outside == 0


def test_every_month_of_the_span_is_listed_empty_ones_too(project: Project) -> None:
    found = chart(project)
    assert [month.month for month in found.months] == LAST_12
    assert [month.incidents for month in found.months] == [0] * 10 + [1, 4]
    assert found.months[0].label == "December 2024"


def test_fatalities_per_month_are_the_lowest_reported(project: Project) -> None:
    months = {month.month: month for month in chart(project).months}
    # October: 100 by one source and 5 by another: 5. November: 3 killed near Beta, no toll for the rest.
    assert (months["2025-10"].fatalities, months["2025-10"].tolls_stated) == (5, True)
    assert (months["2025-11"].fatalities, months["2025-11"].tolls_stated) == (3, True)
    assert not months["2025-09"].tolls_stated


def test_measuring_fatalities_stacks_the_tolls(project: Project) -> None:
    found = chart(project, measure="fatalities")
    counted = {month.month: month.by_type for month in found.months if any(month.by_type.values())}
    assert counted == {"2025-10": {"Violence against civilians": 5}, "2025-11": {"Explosions/Remote violence": 3}}


def test_months_and_types_narrow_the_chart(project: Project) -> None:
    found = chart(project, months=2, event_types=["Battles", "Protests"])
    assert [month.month for month in found.months] == ["2025-10", "2025-11"]
    assert found.incidents == 2 and found.event_types == ["Battles", "Protests"]


def test_an_incident_before_the_months_shown_is_counted_as_outside(project: Project) -> None:
    assert chart(project, months=1).outside == 1  # October's


def test_the_span_ends_with_the_newest_source_and_never_starts_before_the_window() -> None:
    assert chart_months(dt.date(2026, 11, 30), "2025-11-18", None, 3) == ["2025-09", "2025-10", "2025-11"]
    assert chart_months(dt.date(2025, 2, 1), "2025-03-01", None, 2) == ["2025-01", "2025-02"]  # not ahead of today
    assert chart_months(dt.date(2025, 3, 1), None, dt.date(2025, 2, 10), 12) == ["2025-02", "2025-03"]
    assert chart_months(dt.date(2025, 1, 5), "2024", None, 2) == ["2024-12", "2025-01"]  # a year says no month


def test_without_incidents_the_section_says_so_in_one_sentence(project: Project) -> None:
    source, facts = document("one", SENTENCES, "Outlet One")
    facts.incidents.clear()
    brief = view(project, pairs=[(source, facts)])
    found = section(brief, "incident_chart")
    assert isinstance(found, IncidentChartSection) and found.chart is None
    assert found.summary == "No incidents were found in the sources from December 2024 to November 2025."
    page = html.fromstring(Renderer(project).html(brief))
    body = page.xpath('//section[@id="incident-chart"]')[0]
    assert [" ".join(p.text_content().split()) for p in body.xpath(".//p")] == [found.summary]
    assert not body.xpath(".//svg") and not body.xpath(".//table")


def test_html_has_the_chart_a_caption_and_a_hidden_table_of_the_counts(project: Project) -> None:
    page = html.fromstring(Renderer(project).html(view(project)))
    body = page.xpath('//section[@id="incident-chart"]')[0]
    assert len(body.xpath(".//svg[@role='img']")) == 1
    caption = " ".join(body.xpath(".//figcaption")[0].text_content().split())
    assert caption.startswith("5 incidents from December 2024 to November 2025, at least 8 killed")
    assert "the most in November 2025 (4)" in caption and "10 months without any" in caption
    (wrap,) = body.xpath(".//div[contains(@class, 'incident-months-wrap')]")
    assert "visually-hidden" in wrap.get("class")
    rows = [[" ".join(cell.text_content().split()) for cell in row] for row in wrap.xpath(".//tbody/tr")]
    assert len(rows) == 12 and rows[0][0] == "December 2024"
    header = [" ".join(cell.text_content().split()) for cell in wrap.xpath(".//thead//th")]
    assert header == ["Month", "Battles", "Explosions/Remote violence", "Violence against civilians", "Protests",
                      "Strategic developments", "Incidents", "Killed"]
    assert rows[-1] == ["November 2025", "1", "1", "0", "1", "1", "4", "3"]


def test_without_graphics_the_table_is_shown_instead(project: Project) -> None:
    plain = dataclasses.replace(project, audiences={**project.audiences, "analyst": project.audiences[
        "analyst"].model_copy(update={"graphics": False})})
    page = html.fromstring(Renderer(plain).html(view(plain)))
    body = page.xpath('//section[@id="incident-chart"]')[0]
    assert not body.xpath(".//svg")
    assert "visually-hidden" not in body.xpath(".//div[contains(@class, 'incident-months-wrap')]")[0].get("class")


def test_a_bad_measure_is_a_config_error_naming_file_line_and_key(example_project: Path) -> None:
    path = example_project / "config/briefs/iraq-security.yaml"
    text = path.read_text()
    line = next(line for line in text.splitlines() if line.startswith("    months: 12"))
    path.write_text(text.replace(line, "    measure: deaths", 1))
    number = 1 + path.read_text().splitlines().index("    measure: deaths")
    with pytest.raises(ConfigError) as caught:
        load_project(example_project)
    (message,) = caught.value.lines
    assert message.startswith(f"config/briefs/iraq-security.yaml:{number}:") and "measure" in message


def test_the_map_draws_each_located_incident_of_the_table(project: Project) -> None:
    source, facts = document("one", SENTENCES, "Outlet One")
    second = document("two", [SECOND], "Outlet Two")
    located = {"alpha": (35.0, 44.0), "beta": (34.0, 43.0), "gamma": (33.5, 44.5), "delta": (34.5, 42.5)}
    for pair in (facts, second[1]):
        pair.locations[:] = [dataclasses.replace(place, lat=located[place.id][0], lon=located[place.id][1])
                             for place in pair.locations]
    summary = section(view(project, pairs=[(source, facts), second]), "threat_summary")
    assert isinstance(summary, ThreatSummarySection) and summary.map is not None
    types = re.findall(r'class="gfx-incident" data-type="([^"]+)"', str(summary.map))
    # The table's five incidents (the October one told twice is one), none from before the window or a year.
    assert sorted(types) == sorted(["Violence against civilians", "Explosions/Remote violence", "Protests",
                                    "Strategic developments", "Battles"])


def test_hostile_place_and_actor_names_are_escaped_on_the_map(project: Project) -> None:
    source, facts = document("one", SENTENCES[:2], "Outlet One")
    facts.locations.append(Location(id="bad", name=HOSTILE_NAME, kind="city", lat=34.0, lon=44.0))
    facts.incidents.append(dataclasses.replace(facts.incidents[1], id="one-bad", location="bad",
                                               location_name=HOSTILE_NAME, actor1="hostile"))
    facts.actors[0] = dataclasses.replace(facts.actors[0], id="hostile", name=HOSTILE_NAME)
    summary = section(view(project, pairs=[(source, facts)]), "threat_summary")
    assert isinstance(summary, ThreatSummarySection) and summary.map is not None
    svg = str(summary.map)
    assert "gfx-incident" in svg and "<script" not in svg and "&lt;script&gt;" in svg
