"""The world map: any region of the world, its extent from the places or given, names from data only."""

from __future__ import annotations

import gzip
import io
import json
import math
import re
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import pytest

from briefgen.graphics import MapPoint, geomap, map_svg
from briefgen.graphics._svg import text_width
from tests.graphics.test_graphics import HOSTILE, POINTS, SVG, assert_escaped, check_svg, texts

SAHEL = [
    MapPoint("Gao", 16.27, -0.04, "city", 9),
    MapPoint("Menaka", 15.92, 2.40, "city", 6),
    MapPoint("Niamey", 13.51, 2.11, "city", 7),
    MapPoint("Ouagadougou", 12.37, -1.53, "city", 5),
    MapPoint("Timbuktu", 16.77, -3.01, "city", 4),
]
GREAT_LAKES = [
    MapPoint("Goma", -1.68, 29.23, "city", 8), MapPoint("Bukavu", -2.51, 28.86, "city", 4),
    MapPoint("Beni", 0.49, 29.47, "city", 6), MapPoint("Kampala", 0.35, 32.58, "city", 2),
    MapPoint("Kigali", -1.95, 30.06, "city", 3), MapPoint("Uvira", -3.4, 29.14, "city", 2),
]
MOGADISHU = [MapPoint("Mogadishu", 2.05, 45.32, "city", 3)]
GRAPHICS = Path(geomap.__file__).parent


def render(points: list[MapPoint], **options: object) -> ET.Element:
    svg = map_svg(points, **options)  # type: ignore[arg-type]
    assert svg is not None
    return check_svg(svg)


def extent_of(root: ET.Element) -> tuple[float, float, float, float]:
    """The extent the map states in its description."""
    found = re.search(r"longitude (-?[\d.]+) to (-?[\d.]+), latitude (-?[\d.]+) to (-?[\d.]+)",
                      root.find(f"{SVG}desc").text)
    assert found
    lon0, lon1, lat0, lat1 = map(float, found.groups())
    return lon0, lat0, lon1, lat1


def frame_of(root: ET.Element) -> tuple[float, float]:
    """Width and height of the plot frame."""
    frame = next(r for r in root.iter(f"{SVG}rect") if r.get("fill") == "none" and r.get("stroke") == geomap.INK_2)
    return float(frame.get("width")), float(frame.get("height"))


def paths(root: ET.Element, cls: str) -> list[ET.Element]:
    return [p for p in root.iter(f"{SVG}path") if p.get("class") == cls]


def styled(root: ET.Element, fill: str, **attrs: str) -> list[str]:
    """The texts drawn in `fill` with the given attributes (e.g. font_weight='bold')."""
    wanted = {key.replace("_", "-"): value for key, value in attrs.items()}
    return [t.text for t in root.iter(f"{SVG}text")
            if t.get("fill") == fill and all(t.get(k) == v for k, v in wanted.items())]


def water_names(root: ET.Element) -> list[str]:
    return styled(root, geomap.WATER_TEXT)


def place_xy(root: ET.Element, name: str) -> tuple[float, float]:
    for group in root.iter(f"{SVG}g"):
        if "gfx-place" in (group.get("class") or "").split() and group.find(f"{SVG}title").text.startswith(name + " ("):
            shape = group[1]
            if shape.tag == f"{SVG}circle":
                return float(shape.get("cx")), float(shape.get("cy"))
            if shape.tag == f"{SVG}rect":
                return (float(shape.get("x")) + float(shape.get("width")) / 2,
                        float(shape.get("y")) + float(shape.get("height")) / 2)
            xs, ys = zip(*(map(float, p.split(",")) for p in shape.get("points").split()), strict=True)
            return sum(xs) / len(xs), sum(ys) / len(ys)
    raise AssertionError(f"no place {name}")


def label_boxes(root: ET.Element) -> list[tuple[float, float, float, float, str]]:
    """Boxes of the names inside the frame (places, countries, water), halos left out."""
    width, height = frame_of(root)
    boxes = []
    for t in root.iter(f"{SVG}text"):
        x, y = float(t.get("x")), float(t.get("y"))
        if t.get("fill") == "#ffffff" or not (36 < x < 36 + width and 8 < y < 8 + height) or not t.text:
            continue
        if t.text.endswith(" km") or t.text in {"0"} or re.fullmatch(r"[\d.]+", t.text):
            continue  # the scale bar
        size = float(t.get("font-size"))
        spacing = float(t.get("letter-spacing") or 0)
        w = text_width(t.text, size, bold=t.get("font-weight") == "bold", spacing=spacing)
        anchor = t.get("text-anchor", "start")
        x0 = x if anchor == "start" else x - w if anchor == "end" else x - w / 2
        boxes.append((x0, y - size * 0.72, x0 + w, y + size * 0.2, t.text))
    return boxes


# ---- where things go ------------------------------------------------------------------------------------------


def test_points_are_placed_by_their_coordinates() -> None:
    root = render(POINTS)
    baghdad, damascus = place_xy(root, "Baghdad"), place_xy(root, "Damascus")
    mosul, basra = place_xy(root, "Mosul"), place_xy(root, "Basra")
    assert baghdad[0] > damascus[0]
    assert mosul[1] < basra[1]  # SVG y grows downwards: Mosul is drawn above Basra
    assert abs(baghdad[1] - damascus[1]) < 20  # about the same latitude


def test_the_map_draws_borders_lakes_rivers_names_scale_and_source() -> None:
    root = render(POINTS)
    assert len(paths(root, "gfx-country")) >= 8
    assert paths(root, "gfx-lake") and paths(root, "gfx-river")  # the Tigris, the Euphrates, Lake Tharthar
    shown = texts(root)
    assert "IRAQ" in shown and "SYRIA" in shown
    assert any(t.endswith(" km") for t in shown)
    assert geomap.SOURCE_LINE in shown
    for name in ("Baghdad", "Erbil", "al-Hol camp", "Wadi Hauran"):
        assert name in shown


def test_no_two_names_on_the_map_overlap() -> None:
    for points in (POINTS, SAHEL, GREAT_LAKES, MOGADISHU):
        boxes = label_boxes(render(points))
        assert len(boxes) >= len(points) + 1
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_sahel_places_get_a_map_of_the_sahel() -> None:
    root = render(SAHEL)
    lon0, lat0, lon1, lat1 = extent_of(root)
    assert lon0 < -3.01 and lon1 > 2.40 and lat0 < 12.37 and lat1 > 16.77  # every town, with a margin
    assert lon0 > -8 and lon1 < 8 and lat0 > 8 and lat1 < 21  # and not much more
    assert {"MALI", "NIGER", "BURKINA FASO"} <= set(styled(root, geomap.GREY, font_weight="bold"))  # focus
    assert "BENIN" in texts(root) and "IRAQ" not in texts(root)
    assert paths(root, "gfx-river")  # the Niger
    assert water_names(root) == []  # no sea in view, so no sea named
    for name in ("Gao", "Menaka", "Niamey", "Ouagadougou", "Timbuktu"):
        assert name in texts(root)


def test_a_single_place_gets_a_regional_map_not_a_street_map() -> None:
    root = render(MOGADISHU)
    lon0, lat0, lon1, lat1 = extent_of(root)
    ground = (lon1 - lon0) * math.cos(math.radians((lat0 + lat1) / 2))
    assert geomap.MIN_SPAN - 0.1 <= ground <= geomap.MIN_SPAN + 0.1
    assert lon0 < 45.32 < lon1 and lat0 < 2.05 < lat1
    width, height = frame_of(root)
    assert geomap.MIN_RATIO - 0.01 <= height / width <= geomap.MAX_RATIO + 0.01
    assert "SOMALIA" in texts(root)
    assert water_names(root) == ["Indian Ocean"]  # no label point of it in view: placed on open water near one


def test_a_wide_spread_of_places_gets_a_continent() -> None:
    points = [MapPoint("Dakar", 14.7, -17.4), MapPoint("Mogadishu", 2.05, 45.32), MapPoint("Cape Town", -33.9, 18.4)]
    root = render(points)
    lon0, lat0, lon1, lat1 = extent_of(root)
    assert lon0 < -17.4 and lon1 > 45.32 and lat0 < -33.9 and lat1 > 14.7
    assert {"SOMALIA", "SOUTH AFRICA"} <= set(styled(root, geomap.GREY, font_weight="bold"))
    assert {"Atlantic Ocean", "Indian Ocean"} <= set(water_names(root))


def test_a_given_extent_is_kept_and_places_outside_it_are_counted() -> None:
    root = render(POINTS, extent=(38.0, 29.0, 49.0, 38.0))
    lon0, lat0, lon1, lat1 = extent_of(root)
    assert lon0 <= 38.0 and lat0 <= 29.0 and lon1 >= 49.0 and lat1 >= 38.0  # widened to the aspect, not cut
    assert (lon0, lat0, lon1, lat1) == tuple(round(v, 1) for v in geomap.normalise_extent((38, 29, 49, 38)))
    assert "Damascus" not in texts(root) and "Idlib" not in texts(root)
    assert "2 located places lie outside this map" in texts(root)


def test_an_extent_with_no_place_inside_still_maps_it_and_says_so() -> None:
    root = render(MOGADISHU, extent=(-6.0, 10.0, 5.0, 19.0))
    assert "MALI" in texts(root) and "Mogadishu" not in texts(root)
    assert "1 located place lies outside this map" in texts(root)


def test_no_located_place_means_no_map() -> None:
    assert map_svg([]) is None
    assert map_svg([MapPoint("Nowhere", float("nan"), 44.0), MapPoint("Off", 95.0, 44.0)]) is None


def test_bad_coordinates_are_ignored_and_hostile_names_escaped() -> None:
    root = render([MapPoint("Nowhere", float("nan"), 44.0, "city", 1), MapPoint("Baghdad", 33.31, 44.37, "city", 2)])
    assert "Nowhere" not in texts(root) and "Baghdad" in texts(root)
    svg = map_svg([MapPoint(HOSTILE, 33.3, 44.4, "city", 3), MapPoint("Erbil", 36.19, 44.01, HOSTILE, 1)])
    assert svg is not None
    check_svg(svg)
    assert_escaped(svg)


# ---- the extent and the scale ---------------------------------------------------------------------------------


@pytest.mark.parametrize("extent", [
    (44.0, 33.0, 44.5, 33.2),  # a town: widened to the minimum
    (-20.0, -35.0, 52.0, 38.0),  # Africa
    (120.0, 30.0, 121.0, 60.0),  # tall and thin
    (170.0, 60.0, 179.0, 83.0),  # against the edges of the world
    (-180.0, -90.0, 180.0, 90.0),  # the world
])
def test_an_extent_is_widened_to_the_minimum_and_the_proportions_never_cut(
        extent: tuple[float, float, float, float]) -> None:
    lon0, lat0, lon1, lat1 = geomap.normalise_extent(extent)
    assert -180 <= lon0 < lon1 <= 180 and geomap.LAT_LIMITS[0] <= lat0 < lat1 <= geomap.LAT_LIMITS[1]
    k = math.cos(math.radians((lat0 + lat1) / 2))
    assert (lon1 - lon0) * k >= geomap.MIN_SPAN - 1e-6 or lon1 - lon0 == 360
    inside_world = max(extent[1], geomap.LAT_LIMITS[0]), min(extent[3], geomap.LAT_LIMITS[1])
    assert lon0 <= extent[0] and lon1 >= extent[2] and lat0 <= inside_world[0] and lat1 >= inside_world[1]
    ratio = (lat1 - lat0) / ((lon1 - lon0) * k)
    if lon1 - lon0 < 360 and lat1 - lat0 < geomap.LAT_LIMITS[1] - geomap.LAT_LIMITS[0]:
        assert geomap.MIN_RATIO - 1e-6 <= ratio <= geomap.MAX_RATIO + 1e-6


@pytest.mark.parametrize("extent", [(10, 5, 5, 8), (0, 5, 10, 5), (0, float("nan"), 1, 2)])
def test_an_empty_or_inverted_extent_is_refused(extent: tuple[float, float, float, float]) -> None:
    with pytest.raises(ValueError, match="not an extent"):
        geomap.normalise_extent(extent)


def test_the_scale_is_picked_from_the_extent() -> None:
    coarse, fine = geomap._basemap("coarse"), geomap._basemap("fine")
    assert coarse.tolerance > 4 * fine.tolerance
    assert sum(len(r) for c in fine.countries for r in c.encoded) > 4 * sum(len(r) for c in coarse.countries
                                                                          for r in c.encoded)
    assert geomap._scale_for(geomap._view(geomap.normalise_extent((-20, -35, 52, 38)), 680)) == "coarse"
    assert geomap._scale_for(geomap._view(geomap.fit_extent(SAHEL), 680)) == "fine"
    assert geomap._scale_for(geomap._view(geomap.fit_extent(MOGADISHU), 680)) == "fine"


# ---- water ------------------------------------------------------------------------------------------------


def test_seas_gulfs_and_lakes_are_named_from_the_data_file() -> None:
    aden = [MapPoint("Aden", 12.8, 45.03), MapPoint("Berbera", 10.44, 45.01)]
    assert "Gulf of Aden" in water_names(render(aden))
    lakes = render(GREAT_LAKES)
    assert "Lake Victoria" in water_names(lakes)
    assert paths(lakes, "gfx-lake") and paths(lakes, "gfx-border")  # borders across lakes drawn again on top


def test_water_names_come_only_from_the_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(geomap, "_water", lambda: (geomap._Water("Test Water", "sea", 20.0, ((46.5, 1.0),)),))
    root = render(MOGADISHU)
    assert water_names(root) == ["Test Water"]
    monkeypatch.setattr(geomap, "_water", lambda: (geomap._Water("Sea On Land", "sea", 1.0, ((44.0, 2.8),)),))
    assert water_names(render(MOGADISHU)) == []  # its point is on land, far from the sea: no label


# ---- data ------------------------------------------------------------------------------------------------------


def load_scale(scale: str) -> dict:
    return json.loads(gzip.decompress(resources.files("briefgen.graphics").joinpath(f"basemap-{scale}.json.gz")
                                      .read_bytes()))


def test_the_basemap_covers_the_world_is_small_and_public_domain() -> None:
    sizes = {name: len(resources.files("briefgen.graphics").joinpath(name).read_bytes())
             for name in ("basemap-coarse.json.gz", "basemap-fine.json.gz", "water.json")}
    assert sizes["basemap-coarse.json.gz"] < 200 * 1024 and sizes["basemap-fine.json.gz"] < 900 * 1024
    assert sum(sizes.values()) < 1.2 * 1024 * 1024
    names = {}
    for scale in ("coarse", "fine"):
        data = load_scale(scale)
        assert "Natural Earth" in data["source"] and "public domain" in data["source"]
        assert "Natural Earth" in data["water_source"] and "public domain" in data["water_source"]
        names[scale] = {c["name"] for c in data["countries"]}
        assert len(data["lakes"]) >= 50 and len(data["rivers"]) >= 100
        golan = next(c for c in data["countries"] if c["name"] == "Golan Heights")
        assert golan["assigned"] is False
    assert names["coarse"] == names["fine"] and len(names["fine"]) >= 240
    assert {"Iraq", "Mali", "Niger", "Burkina Faso", "Somalia", "Rwanda", "Democratic Republic of the Congo",
            "Brazil", "Australia", "Canada", "Indonesia", "Ukraine", "Haiti"} <= names["fine"]
    assert (GRAPHICS / "BASEMAP.md").is_file()


def test_the_water_names_file_is_well_formed() -> None:
    data = json.loads(resources.files("briefgen.graphics").joinpath("water.json").read_text(encoding="utf-8"))
    labels = data["labels"]
    assert len(labels) >= 100 and len({w["name"] for w in labels}) == len(labels)
    for water in labels:
        assert water["kind"] in {"ocean", "sea", "gulf", "bay", "channel", "lake"} and water["size"] > 0
        assert water["anchors"] and all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in water["anchors"])


def test_no_country_or_sea_name_in_the_map_code() -> None:
    names = {c["name"] for c in load_scale("coarse")["countries"]}
    names |= {w["name"] for w in json.loads((GRAPHICS / "water.json").read_text(encoding="utf-8"))["labels"]}
    names |= {"Middle East", "Sahel", "Great Lakes", "Levant", "Gulf"}
    for source in GRAPHICS.glob("*.py"):
        code = source.read_text(encoding="utf-8")
        found = sorted(n for n in names if re.search(rf"\b{re.escape(n)}\b", code))
        assert not found, f"{source.name} names {found}"


# ---- PDF ------------------------------------------------------------------------------------------------------


def test_maps_of_other_regions_render_to_pdf(caplog: pytest.LogCaptureFixture) -> None:
    from pypdf import PdfReader
    from weasyprint import HTML

    body = "".join(f"<figure>{map_svg(points)}</figure>" for points in (SAHEL, GREAT_LAKES))
    head = '<head><meta charset="utf-8"><title>Maps</title></head>'
    html = f'<!doctype html><html lang="en">{head}<body>{body}</body></html>'
    with caplog.at_level("WARNING", logger="weasyprint"):
        pdf = HTML(string=html).write_pdf()
    assert not [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for word in ("Timbuktu", "MALI", "Goma", "RWANDA", "Lake Victoria"):
        assert word in text
