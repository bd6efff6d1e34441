"""The incidents chart (stacked bars by month and type) and incidents on the map: real SVG, parsed."""

from __future__ import annotations

import dataclasses
import math
import re
import xml.etree.ElementTree as ET

from briefgen.assemble.views import IncidentMonth
from briefgen.graphics import IncidentMark, MapPoint, incident_chart_svg, map_svg
from briefgen.graphics.incident_marks import COLOURS, EVENT_TYPES, SHAPES, marker
from tests.graphics.test_graphics import HOSTILE, SVG, assert_escaped, check_svg, texts


def month(iso: str, label: str, **by_type: int) -> IncidentMonth:
    """A month of the chart counting incidents: keyword names are the types' first words."""
    full = {kind.split("/")[0].split(" ")[0]: kind for kind in EVENT_TYPES}
    counts = {full[name]: value for name, value in by_type.items()}
    return IncidentMonth(month=iso, label=label, by_type=counts, incidents=sum(counts.values()))


MONTHS = [
    month("2025-07", "July 2025", Battles=2, Explosions=1),
    month("2025-08", "August 2025"),
    month("2025-09", "September 2025"),
    month("2025-10", "October 2025", Violence=3),
    month("2025-11", "November 2025", Battles=1, Strategic=2),
]


def bars(root: ET.Element) -> dict[str, dict[str, int]]:
    """Each month's drawn segments: month -> {type: value}."""
    found: dict[str, dict[str, int]] = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "gfx-month":
            found[group.get("data-month") or ""] = {
                rect.get("data-type") or "": int(rect.get("data-value") or 0) for rect in group.iter(f"{SVG}rect")}
    return found


def test_the_chart_has_a_bar_per_month_counting_each_type() -> None:
    root = check_svg(incident_chart_svg(MONTHS))
    assert bars(root) == {
        "2025-07": {"Battles": 2, "Explosions/Remote violence": 1},
        "2025-08": {}, "2025-09": {},
        "2025-10": {"Violence against civilians": 3},
        "2025-11": {"Battles": 1, "Strategic developments": 2},
    }


def test_segments_stack_in_the_fixed_order_in_the_type_colours_and_heights_scale() -> None:
    root = check_svg(incident_chart_svg(MONTHS))
    july = next(g for g in root.iter(f"{SVG}g") if g.get("data-month") == "2025-07")
    battles, explosions = list(july.iter(f"{SVG}rect"))
    assert battles.get("fill") == COLOURS["Battles"] and explosions.get("fill") == COLOURS["Explosions/Remote violence"]
    assert float(explosions.get("y")) + float(explosions.get("height")) == float(battles.get("y"))  # on top
    assert math.isclose(float(battles.get("height")), 2 * float(explosions.get("height")), rel_tol=0.02)


def test_empty_months_keep_their_place_and_show_a_zero() -> None:
    root = check_svg(incident_chart_svg(MONTHS))
    months = [g for g in root.iter(f"{SVG}g") if g.get("class") == "gfx-month"]
    assert [g.get("data-month") for g in months] == [m.month for m in MONTHS]
    august = months[1]
    assert not list(august.iter(f"{SVG}rect")) and texts(august) == ["0"]
    assert "Aug" in texts(root) and "Sep" in texts(root)


def test_the_legend_lists_only_the_types_present_and_the_description_every_month() -> None:
    root = check_svg(incident_chart_svg(MONTHS))
    shown = set(texts(root))
    assert {"Battles", "Explosions/Remote violence", "Violence against civilians", "Strategic developments"} <= shown
    assert "Protests" not in shown and "Riots" not in shown
    desc = root.find(f"{SVG}desc").text or ""
    assert "August 2025: 0" in desc and "July 2025: 3 (Battles 2, Explosions/Remote violence 1)" in desc


def test_the_second_row_gives_fatalities_or_a_dash_when_none_is_stated() -> None:
    months = [dataclasses.replace(MONTHS[0], fatalities=7, tolls_stated=True), MONTHS[1], MONTHS[3]]
    root = check_svg(incident_chart_svg(months))
    row = [t for t in texts(root) if t in ("7", "–")]
    assert row == ["7", "–"]  # July's toll, October's incidents with none stated; nothing under August


def test_measuring_fatalities_titles_the_chart_so() -> None:
    root = check_svg(incident_chart_svg(MONTHS, measure="fatalities"))
    assert root.find(f"{SVG}title").text == "Fatalities by month and type"


def test_no_incident_in_any_month_makes_no_chart() -> None:
    assert incident_chart_svg([MONTHS[1], MONTHS[2]]) is None
    assert incident_chart_svg([]) is None


def test_an_unknown_hostile_type_is_escaped_in_the_chart() -> None:
    svg = incident_chart_svg([IncidentMonth("2025-07", "July 2025", {HOSTILE: 2}, incidents=2)])
    assert svg is not None
    check_svg(svg)
    assert_escaped(svg)


# ---- the map --------------------------------------------------------------------------------------------

PLACES = [MapPoint("Kirkuk", 35.47, 44.39, "city", 5), MapPoint("Baghdad", 33.31, 44.37, "city", 3)]
INCIDENTS = [
    IncidentMark("Battles", 34.55, 44.55, None, "13 October 2025, Hamrin Mountains"),
    IncidentMark("Explosions/Remote violence", 33.9, 43.2, 20, "2 November 2025, Ramadi"),
    IncidentMark("Violence against civilians", 34.2, 43.9, 3, "5 November 2025, Tikrit"),
    IncidentMark("Protests", 32.6, 44.0, 0, "9 November 2025, Karbala"),
]


def incident_groups(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "gfx-incident"]


def centre_and_size(group: ET.Element) -> tuple[float, float, float]:
    """A symbol's centre and half its width, from its polygon's corners or its circle."""
    shape = next(child for child in group if child.tag != f"{SVG}title")
    if shape.tag == f"{SVG}polygon":
        points = [tuple(map(float, pair.split(","))) for pair in (shape.get("points") or "").split()]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2, (max(xs) - min(xs)) / 2
    circle = next(shape.iter(f"{SVG}circle"))
    return float(circle.get("cx")), float(circle.get("cy")), float(circle.get("r"))


def render_map(points: list[MapPoint], incidents: list[IncidentMark], **options: object) -> ET.Element:
    svg = map_svg(points, incidents=incidents, **options)  # type: ignore[arg-type]
    assert svg is not None
    return check_svg(svg)


def test_each_incident_is_one_symbol_of_its_types_shape() -> None:
    root = render_map(PLACES, INCIDENTS)
    groups = incident_groups(root)
    assert sorted(g.get("data-type") for g in groups) == sorted(m.event_type for m in INCIDENTS)
    for group in groups:
        kind = group.get("data-type") or ""
        assert group.get("data-shape") == SHAPES[kind]
        drawn = [child for child in group if child.tag != f"{SVG}title"]
        assert len(drawn) == 1 and f"gfx-mark-{SHAPES[kind]}" in (drawn[0].get("class") or "")


def test_the_types_have_distinct_shapes_not_only_colours() -> None:
    assert len(set(SHAPES.values())) == len(EVENT_TYPES) and len(set(COLOURS.values())) == len(EVENT_TYPES)
    outlines = {re.sub(r"[\d.]+", "n", marker(kind, 50, 50, 6)) for kind in EVENT_TYPES}
    assert len(outlines) == len(EVENT_TYPES)


def test_symbols_grow_with_fatalities_and_no_toll_is_the_smallest() -> None:
    root = render_map(PLACES, INCIDENTS)
    size = {g.get("data-type"): centre_and_size(g)[2] / _shape_scale(g.get("data-shape") or "")
            for g in incident_groups(root)}
    assert size["Explosions/Remote violence"] > size["Violence against civilians"] > size["Battles"]
    assert math.isclose(size["Battles"], size["Protests"], rel_tol=0.05)  # none stated, none killed


def _shape_scale(shape: str) -> float:
    """Half-width of each shape for radius 1, to compare sizes across shapes."""
    root = ET.fromstring(f'<svg xmlns="http://www.w3.org/2000/svg"><g>'
                         f'{marker(next(k for k, s in SHAPES.items() if s == shape), 0, 0, 10)}</g></svg>')
    return centre_and_size(root[0])[2] / 10


def test_the_legend_lists_the_types_present_and_a_size_key() -> None:
    shown = texts(render_map(PLACES, INCIDENTS[:2]))
    assert "Battles" in shown and "Explosions/Remote violence" in shown
    assert not {"Violence against civilians", "Protests", "Riots", "Strategic developments"} & set(shown)
    assert "none stated" in shown and "20" in shown and "Symbol area: the lowest toll reported" in shown


def test_a_map_without_incidents_has_no_incident_legend() -> None:
    shown = texts(render_map(PLACES, []))
    assert "Incidents" not in shown and "none stated" not in shown


def test_incidents_at_one_place_stay_apart_and_off_its_symbol() -> None:
    same = [IncidentMark(kind, 35.47, 44.39, None, f"incident {n}") for n, kind in
            enumerate(["Battles", "Battles", "Protests"])]
    root = render_map(PLACES, same)
    centres = [centre_and_size(g) for g in incident_groups(root)]
    assert len(centres) == 3
    kirkuk = next(c for c in root.iter(f"{SVG}circle") if c.get("fill") == "#2f3742")
    kx, ky = float(kirkuk.get("cx")), float(kirkuk.get("cy"))
    for i, (x, y, r) in enumerate(centres):
        assert math.hypot(x - kx, y - ky) >= r  # not on the town's dot
        for x2, y2, r2 in centres[i + 1:]:
            assert math.hypot(x - x2, y - y2) >= (r + r2) * 0.9  # not on each other


def test_the_extent_takes_in_incident_points() -> None:
    far = IncidentMark("Battles", 35.34, 40.14, 4, "Deir ez-Zor")  # west of every place
    root = render_map(PLACES, [far])
    desc = root.find(f"{SVG}desc").text or ""
    lon0 = float(re.search(r"longitude (-?[\d.]+) to", desc).group(1))  # type: ignore[union-attr]
    assert lon0 < 40.14 and "1 incident" in desc
    assert map_svg([], incidents=[far]) is not None  # incidents alone make a map
    assert map_svg([], incidents=[IncidentMark("Battles", float("nan"), 40.0)]) is None


def test_place_labels_still_avoid_incident_symbols() -> None:
    root = render_map(PLACES, [IncidentMark("Battles", 35.47, 44.75, 50, "east of Kirkuk")])
    x, y, r = centre_and_size(incident_groups(root)[0])
    label = next(t for t in root.iter(f"{SVG}text") if "".join(t.itertext()) == "Kirkuk" and t.get("fill") != "#ffffff")
    lx, ly = float(label.get("x")), float(label.get("y"))
    assert not (x - r <= lx <= x + r and y - r <= ly <= y + r)


def test_hostile_incident_text_is_escaped_on_the_map() -> None:
    svg = map_svg(PLACES, incidents=[IncidentMark("Battles", 34.5, 44.0, 2, f"Place {HOSTILE}, actors {HOSTILE}"),
                                     IncidentMark(HOSTILE, 34.0, 44.0, None, "x")])
    assert svg is not None
    check_svg(svg)
    assert_escaped(svg)


def test_a_place_only_incidents_mark_is_named_once_and_a_zone_is_not_named_twice() -> None:
    marks = [IncidentMark("Strategic developments", 33.8, 42.44, None, "handover", "Ain al-Asad Air Base"),
             IncidentMark("Battles", 35.47, 44.39, 2, "clash", "Kirkuk")]
    shown = texts(render_map(PLACES, marks))
    assert shown.count("Ain al-Asad Air Base") == 2  # the name over its white halo
    assert shown.count("Kirkuk") == 2  # the zone's own label only


def test_the_axis_counts_in_whole_numbers() -> None:
    root = check_svg(incident_chart_svg([month("2025-07", "July 2025", Battles=9)]))
    axis = [t.get("x") == "56" and "".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert [label for label in axis if label] == ["0", "2", "4", "6", "8", "10", "Incidents", "Killed"]
