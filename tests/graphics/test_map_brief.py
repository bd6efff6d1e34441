"""The map in a brief: its optional extent in the brief's YAML, and a line of text when nothing can be mapped."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from briefgen.assemble.citations import Citer
from briefgen.assemble.sections import SectionInput, threat_summary
from briefgen.assemble.views import AudienceView, BriefView, ThreatSummarySection, ZoneItem
from briefgen.config import ThreatSummarySection as ThreatSummaryConfig
from briefgen.errors import ConfigError
from briefgen.facts import FactSet, Location
from briefgen.graphics import geomap
from briefgen.project import load_project
from briefgen.render import Renderer

BRIEF = "config/briefs/iraq-security.yaml"
ANCHOR = "    max_warnings: 6\n"  # a line of the example brief's threat_summary section (sections.3)
NO_MAP = "No located places to map"


def with_map_options(project: Path, options: str) -> Path:
    """The example brief with `options` (YAML lines under `map:`) in its threat summary."""
    path = project / BRIEF
    source = path.read_text()
    assert ANCHOR in source
    path.write_text(source.replace(ANCHOR, ANCHOR + "    map:\n" + options, 1))
    return project


def brief_error(project: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_project(project)
    (line,) = caught.value.lines
    return line


# ---- configuration ----------------------------------------------------------------------------------------


def test_an_extent_in_the_brief_is_loaded(example_project: Path) -> None:
    project = load_project(with_map_options(example_project, "      extent: [-6, 10, 5, 19.5]\n"))
    assert project.briefs["iraq-security"].section("threat_summary").map.extent == [-6, 10, 5, 19.5]


def test_without_an_extent_the_map_fits_its_places(example_project: Path) -> None:
    assert load_project(example_project).briefs["iraq-security"].section("threat_summary").map.extent is None


@pytest.mark.parametrize(("extent", "message"), [
    ("[40, 30, 50]", "give four numbers [lon_min, lat_min, lon_max, lat_max], not 3"),
    ("[50, 30, 40, 35]", "lon_min 50 must be less than lon_max 40 (west to east, without crossing the 180th"),
    ("[40, 35, 50, 30]", "lat_min 35 must be less than lat_max 30 (south to north)"),
    ("[40, 30, 200, 35]", "lon_max 200 is outside -180..180"),
    ("[40, -95, 50, 35]", "lat_min -95 is outside -90..90"),
    ("[40, north, 50, 35]", "Input should be a valid number"),
])
def test_a_bad_extent_is_named_with_its_line_and_what_is_wrong(example_project: Path, extent: str,
                                                              message: str) -> None:
    line = brief_error(with_map_options(example_project, f"      extent: {extent}\n"))
    assert re.match(rf"{re.escape(BRIEF)}:\d+:\d+: sections\.3\.map\.extent(\.\d)?: ", line), line
    assert message in line


def test_an_unknown_map_option_is_named_with_the_valid_ones(example_project: Path) -> None:
    line = brief_error(with_map_options(example_project, "      extnt: [40, 30, 50, 35]\n"))
    assert line.startswith(f"{BRIEF}:")
    assert "sections.3.map.extnt: unknown field 'extnt'; valid fields: extent" in line


# ---- the section --------------------------------------------------------------------------------------------


def section_for(places: list[Location], graphics: bool = True,
                extent: list[float] | None = None) -> ThreatSummarySection:
    config = ThreatSummaryConfig.model_validate({"kind": "threat_summary", "map": {"extent": extent}})
    data = SectionInput(facts=FactSet(locations=places), citer=Citer([], []), build_date=dt.date(2025, 10, 1),
                        limit=None, graphics=graphics)
    return threat_summary("Threat summary", config, data)


LOCATED = [Location("gao", "Gao", "city", lat=16.27, lon=-0.04), Location("niamey", "Niamey", "city", 13.51, 2.11)]
UNLOCATED = [Location("badia", "the Badia", "region"), Location("camp", "the camp", "camp")]


def test_the_section_maps_its_located_zones() -> None:
    section = section_for(LOCATED + UNLOCATED)
    assert section.map is not None and not section.map_empty
    assert "Gao" in section.map and "Niamey" in section.map and "the Badia" not in section.map


def test_the_section_passes_the_brief_extent_to_the_map() -> None:
    section = section_for(LOCATED, extent=[-6, 10, 5, 19.5])
    lon0, lat0, lon1, lat1 = geomap.normalise_extent((-6, 10, 5, 19.5))
    assert section.map is not None
    assert f"longitude {lon0:.1f} to {lon1:.1f}, latitude {lat0:.1f} to {lat1:.1f}" in section.map


def test_zones_without_coordinates_make_no_map_but_a_note() -> None:
    section = section_for(UNLOCATED)
    assert section.zones and section.map is None and section.map_empty
    off = section_for(UNLOCATED, graphics=False)
    assert off.map is None and not off.map_empty  # graphics off: neither a map nor a note about one


# ---- the page -----------------------------------------------------------------------------------------------


def page(project: Path, section: ThreatSummarySection) -> str:
    view = BriefView(
        name="test", title="Test brief", subtitle=None,
        audience=AudienceView(name="analyst", label="Analyst brief", marking=None, citations=True),
        build_date=dt.date(2025, 10, 1), generated_at="1 October 2025 09:00 +03", producer="Desk", contact=None,
        period_start=None, period_end=None, page_size="A4", sections=[section], sources=[],
    )
    return Renderer(load_project(project)).html(view)


def test_the_page_says_when_there_is_nothing_to_map(example_project: Path) -> None:
    html = page(example_project, section_for(UNLOCATED))
    assert NO_MAP in html and 'class="graphic graphic-map"' not in html
    html = page(example_project, section_for(LOCATED))
    assert NO_MAP not in html and 'class="graphic graphic-map"' in html and "<svg" in html


def test_a_hand_made_view_without_a_map_says_nothing_about_one(example_project: Path) -> None:
    zone = ZoneItem(name="Gao", kind="city", country="Mali", mentions=2)
    section = ThreatSummarySection(kind="threat_summary", title="Threat summary", anchor="threat-summary",
                                   figures=[], zones=[zone], tactics=[], warnings=[])
    assert NO_MAP not in page(example_project, section)
