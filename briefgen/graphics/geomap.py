"""The offline map: country borders and lakes from the bundled world basemap, places as sized symbols.

The basemap (see BASEMAP.md) comes at two scales, `basemap-coarse.json.gz` for wide views and
`basemap-fine.json.gz` for close ones; the map picks one from its extent. Water names come from
`water.json`. All of it ships with briefgen: nothing is fetched at render time.
"""

from __future__ import annotations

import functools
import gzip
import itertools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from markupsafe import Markup

from briefgen.graphics._svg import (
    ACCENT,
    GREY,
    INK,
    INK_2,
    WARN,
    esc,
    num,
    svg_root,
    text,
    text_width,
)
from briefgen.graphics.incident_marks import marker, ordered, shape

SOURCE_LINE = ("Borders, lakes and rivers: Natural Earth (public domain); "
               "points: project gazetteer, GeoNames (CC BY 4.0)")

SEA = "#dfe6ee"
LAND = "#eceef1"
LAND_FOCUS = "#fbfbf9"
BORDER = "#a4adb8"
BORDER_FOCUS = "#7c8794"
SHORE = "#a9b9ca"
RIVER = "#a6bdd4"
GRATICULE = "#b9c4d0"
WATER_TEXT = "#5f7894"
CITY = "#2f3742"

MIN_SPAN = 4.0  # degrees of ground width (about 440 km): the closest the map zooms in
MIN_RATIO, MAX_RATIO = 0.62, 0.85  # plot height / width
LAT_LIMITS = (-80.0, 84.0)
COARSE_MAX_ERROR = 1.5  # pixels: the coarse basemap is used while its tolerance stays under this on the page
WATER_ZOOM_OUT = 10.0  # a water body's name is left off maps more than this many times wider than it
LABEL_GRID = (13, 9)  # candidate points across a country's visible part when its own label point is out of view

KIND_ORDER = ("base", "camp", "city", "region", "other")
KIND_LABEL = {"base": "Military base", "camp": "Camp or prison", "city": "City or town",
              "region": "Area or region", "other": "Other site"}
_KIND_ALIASES = {
    "base": ("base", "airbase", "air base", "military", "outpost", "garrison", "airfield", "airport"),
    "camp": ("camp", "prison", "detention", "jail"),
    "city": ("city", "town", "village", "capital", "settlement", "neighbourhood", "neighborhood"),
    "region": ("region", "area", "province", "governorate", "district", "desert", "mountain", "valley", "wadi",
               "border", "zone", "river", "lake", "country"),
}
_WATER_STYLE = {"ocean": (10.0, 1.6), "lake": (8.5, 0.0)}  # font size, letter spacing; others: (9.0, 0.3)

Ring = list[tuple[float, float]]
Box = tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max


@dataclass
class MapPoint:
    """A place to show: `kind` is base, camp, city, region (or anything else); `weight` is its mention count."""

    name: str
    lat: float
    lon: float
    kind: str = "city"
    weight: int = 1


@dataclass
class IncidentMark:
    """An incident to show: its ACLED event type (drawn as that type's symbol, see incident_marks), where,
    its fatalities (the lowest reported; None when no source states a toll: the smallest symbol) and a line
    for its tooltip (date, place, actors; untrusted text, escaped when drawn)."""

    event_type: str
    lat: float
    lon: float
    fatalities: int | None = None
    label: str = ""
    place: str = ""  # its place's name, written beside it when no place symbol of the map stands there


# ---- data -------------------------------------------------------------------------------------------


@dataclass
class _Shape:
    """Rings (outer rings and holes alike, even-odd) stored as grid steps, decoded on first use."""

    bbox: Box
    encoded: list[list[int]]
    quantum: float

    @functools.cached_property
    def rings(self) -> list[Ring]:
        """The rings in degrees."""
        return [_decode(flat, self.quantum) for flat in self.encoded]

    @functools.cached_property
    def ring_boxes(self) -> list[Box]:
        """Each ring's extent."""
        return [_bounds(ring) for ring in self.rings]

    def contains(self, lon: float, lat: float) -> bool:
        """Whether the point lies inside (holes excluded)."""
        x0, y0, x1, y1 = self.bbox
        return x0 <= lon <= x1 and y0 <= lat <= y1 and _in_rings(self.rings, (lon, lat))


@dataclass
class _Country(_Shape):
    name: str = ""
    abbrev: str = ""
    label: tuple[float, float] = (0.0, 0.0)
    rank: int = 5
    assigned: bool = True  # False: land the source leaves to no country (a disputed area)


@dataclass
class _River:
    """A river's course stored as grid steps, decoded on first use."""

    bbox: Box
    encoded: list[int]
    quantum: float

    @functools.cached_property
    def points(self) -> Ring:
        return _decode(self.encoded, self.quantum)


@dataclass(frozen=True)
class _Basemap:
    tolerance: float
    countries: tuple[_Country, ...]
    lakes: tuple[_Shape, ...]
    rivers: tuple[_River, ...]


def _decode(flat: list[int], quantum: float) -> Ring:
    """Points from grid steps: the first point's x, y, then the change from each point to the next."""
    points: Ring = []
    x = y = 0
    for i in range(0, len(flat), 2):
        x += flat[i]
        y += flat[i + 1]
        points.append((x * quantum, y * quantum))
    return points


@dataclass(frozen=True)
class _Water:
    name: str
    kind: str
    size: float
    anchors: tuple[tuple[float, float], ...]


@functools.lru_cache(maxsize=2)
def _basemap(scale: str) -> _Basemap:
    """One scale of the bundled basemap (made by scripts/make_basemap.py)."""
    raw = resources.files(__package__).joinpath(f"basemap-{scale}.json.gz").read_bytes()
    data = json.loads(gzip.decompress(raw))
    quantum = float(data["quantum"])
    countries = tuple(
        _Country(bbox=_box(c["bbox"]), encoded=c["rings"], quantum=quantum, name=c["name"],
                 abbrev=c.get("abbrev") or c["name"], label=(c["label"][0], c["label"][1]),
                 rank=int(c.get("label_rank", 5)), assigned=bool(c.get("assigned", True)))
        for c in data["countries"]
    )
    lakes = tuple(_Shape(bbox=_box(lake["bbox"]), encoded=lake["rings"], quantum=quantum) for lake in data["lakes"])
    rivers = tuple(_River(bbox=_box(r["bbox"]), encoded=r["line"], quantum=quantum) for r in data["rivers"])
    return _Basemap(float(data["tolerance"]), countries, lakes, rivers)


@functools.lru_cache(maxsize=1)
def _water() -> tuple[_Water, ...]:
    """Names of seas, gulfs and lakes with their label points (water.json), smallest water body first."""
    data = json.loads(resources.files(__package__).joinpath("water.json").read_text(encoding="utf-8"))
    labels = [_Water(w["name"], w["kind"], float(w["size"]), tuple((a[0], a[1]) for a in w["anchors"]))
              for w in data["labels"]]
    return tuple(sorted(labels, key=lambda w: w.size))


def _box(values: Sequence[float]) -> Box:
    return float(values[0]), float(values[1]), float(values[2]), float(values[3])


# ---- the map ----------------------------------------------------------------------------------------


@dataclass
class _Rect:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlap(self, other: _Rect) -> float:
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return w * h if w > 0 and h > 0 else 0.0

    def inside(self, other: _Rect) -> bool:
        return self.x0 >= other.x0 and self.y0 >= other.y0 and self.x1 <= other.x1 and self.y1 <= other.y1

    def samples(self) -> list[tuple[float, float]]:
        xs = (self.x0, (self.x0 + self.x1) / 2, self.x1)
        ys = (self.y0, (self.y0 + self.y1) / 2, self.y1)
        return [(x, y) for x in xs for y in ys]


@dataclass(frozen=True)
class _View:
    """The map's extent in degrees and its plot frame on the page (equirectangular, true to scale at mid-latitude)."""

    box: Box
    frame: _Rect
    k: float  # cos(mid-latitude): horizontal shrink of a degree of longitude
    s: float  # units per degree of latitude

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        return self.frame.x0 + (lon - self.box[0]) * self.k * self.s, self.frame.y0 + (self.box[3] - lat) * self.s

    def unproject(self, x: float, y: float) -> tuple[float, float]:
        return self.box[0] + (x - self.frame.x0) / (self.k * self.s), self.box[3] - (y - self.frame.y0) / self.s

    def shows(self, lon: float, lat: float) -> bool:
        lon0, lat0, lon1, lat1 = self.box
        return lon0 <= lon <= lon1 and lat0 <= lat <= lat1

    @property
    def span(self) -> float:
        """Ground width in degrees of latitude (about 111 km each)."""
        return (self.box[2] - self.box[0]) * self.k


@dataclass
class _Visible:
    country: _Country
    rings: list[Ring]  # page coordinates, clipped to the frame
    focus: bool  # a shown place lies in it
    path: str = ""

    @functools.cached_property
    def outline(self) -> list[Ring]:
        """The rings with points under two units apart dropped: cheap enough for label tests."""
        return [r for r in (_thin(ring, 2.0) for ring in self.rings) if len(r) >= 3]

    @functools.cached_property
    def sketch(self) -> list[Ring]:
        """Coarser still (points five units apart), for scoring label positions."""
        return [r for r in (_thin(ring, 5.0) for ring in self.outline) if len(r) >= 3]

    @functools.cached_property
    def bounds(self) -> Box:
        return _bounds([p for ring in self.outline or self.rings for p in ring])


def map_svg(points: list[MapPoint], width: int = 680, extent: Sequence[float] | None = None,
            incidents: Sequence[IncidentMark] = ()) -> Markup | None:
    """A map of `extent` (lon_min, lat_min, lon_max, lat_max), or by default of the area around `points` and
    `incidents`: country borders, lakes, rivers and the names of countries and waters that fit, the points as
    symbols sized by weight with non-overlapping labels, each incident as its type's symbol sized by its
    fatalities (those at one place set around it), graticule ticks, a scale bar, a legend and the data source.
    None when nothing has valid coordinates: there is nothing to map."""
    located = [p for p in points if _valid(p)]
    marks = [m for m in incidents if _valid(m)]
    if not located and not marks:
        return None
    view = _view(normalise_extent(extent) if extent is not None else fit_extent([*located, *marks]), width)
    shown = [p for p in located if view.shows(p.lon, p.lat)]
    shown_marks = [m for m in marks if view.shows(m.lon, m.lat)]
    basemap = _basemap(_scale_for(view))
    visible = _visible_countries(basemap, view, [*shown, *shown_marks])
    lakes = _visible_lakes(basemap, view)

    out = [_rect(view.frame, fill=SEA)]
    out.extend(_country_paths(visible))
    out.extend(_river_paths(basemap, view))
    out.extend(_lake_paths(lakes, visible))
    grid, ticks = _graticule(view)
    out.append(grid)
    symbols = _symbols(shown, view)
    out.extend(svg for *_, svg in symbols)
    obstacles = [_Rect(x - core, y - core, x + core, y + core) for _, _, x, y, core, _ in symbols]
    sizes = _IncidentSizes(shown_marks)
    drawn, incident_svg, unnamed = _incident_symbols(shown_marks, view, symbols, sizes)
    out.extend(incident_svg)
    obstacles += [_Rect(x - r, y - r, x + r, y + r) for x, y, r in drawn]
    labels, label_svg = _point_labels(symbols, view.frame, obstacles)
    label_svg += _incident_place_labels(unnamed, view.frame, obstacles, labels)
    taken = obstacles + labels
    out.extend(_country_labels(visible, view, taken))
    out.extend(_water_labels(view, visible, lakes, taken))
    out.extend(label_svg)
    out.append(_rect(view.frame, fill="none", stroke=INK_2, width=0.8))
    out.extend(ticks)
    out.extend(_scale_bar(view, taken))
    outside = (len(located) - len(shown), len(marks) - len(shown_marks))
    legend, height = _legend(view.frame, [kind for _, kind, *_ in symbols], outside,
                             [m.event_type for m in shown_marks], sizes)
    out.extend(legend)
    title = "Map of reported locations" + (" and incidents" if marks else "")
    return svg_root(width, height, title, _description(view, shown, shown_marks), out, "map")


def _description(view: _View, shown: list[MapPoint], marks: list[IncidentMark]) -> str:
    lon0, lat0, lon1, lat1 = view.box
    where = f"longitude {lon0:.1f} to {lon1:.1f}, latitude {lat0:.1f} to {lat1:.1f}"
    listed = "; ".join(f"{p.name} ({_kind(p.kind)}, {p.weight} mentions)" for p in shown)
    line = f"Map of {where}, {len(shown)} locations" + (f": {listed}" if listed else "") + "."
    if marks:
        told = "; ".join(_incident_tip(m) for m in marks)
        line += f" {len(marks)} incident{'s' if len(marks) != 1 else ''}: {told}."
    return f"{line} {SOURCE_LINE}."


# ---- extent -----------------------------------------------------------------------------------------


def fit_extent(points: Iterable[MapPoint | IncidentMark]) -> Box:
    """The extent around `points`: their span with a margin (more on the right, where labels mostly go),
    then as `normalise_extent` makes it."""
    pts = list(points)
    lon0, lon1 = min(p.lon for p in pts), max(p.lon for p in pts)
    lat0, lat1 = min(p.lat for p in pts), max(p.lat for p in pts)
    pad_lon = max(0.15 * (lon1 - lon0), 1.0)
    pad_lat = max(0.2 * (lat1 - lat0), 0.8)
    return normalise_extent((lon0 - pad_lon, lat0 - pad_lat, lon1 + pad_lon * 1.4, lat1 + pad_lat))


def normalise_extent(extent: Sequence[float]) -> Box:
    """`extent` (lon_min, lat_min, lon_max, lat_max) widened, never cut: to at least MIN_SPAN degrees of ground
    width (so one town is not a street map), to a height between MIN_RATIO and MAX_RATIO of the width, and
    shifted (or cut, when it is wider) into longitude -180..180 and latitude LAT_LIMITS."""
    lon0, lat0, lon1, lat1 = (float(v) for v in extent)
    if not all(map(math.isfinite, (lon0, lat0, lon1, lat1))) or lon0 >= lon1 or lat0 >= lat1:
        raise ValueError(f"not an extent [lon_min, lat_min, lon_max, lat_max]: {list(extent)}")
    k = _shrink(lat0, lat1)
    lon0, lon1 = _widen(lon0, lon1, MIN_SPAN / k)
    lat0, lat1 = _widen(lat0, lat1, MIN_SPAN * MIN_RATIO)
    ratio = (lat1 - lat0) / ((lon1 - lon0) * k)
    if ratio < MIN_RATIO:
        lat0, lat1 = _widen(lat0, lat1, MIN_RATIO * (lon1 - lon0) * k)
    elif ratio > MAX_RATIO:
        lon0, lon1 = _widen(lon0, lon1, (lat1 - lat0) / (MAX_RATIO * k))
    lon0, lon1 = _shift_into(lon0, lon1, -180.0, 180.0)
    lat0, lat1 = _shift_into(lat0, lat1, *LAT_LIMITS)
    return lon0, lat0, lon1, lat1


def _shrink(lat0: float, lat1: float) -> float:
    """cos of the mid-latitude, kept within the latitudes the map shows."""
    mid = min(max((lat0 + lat1) / 2, LAT_LIMITS[0]), LAT_LIMITS[1])
    return math.cos(math.radians(mid))


def _widen(a: float, b: float, span: float) -> tuple[float, float]:
    if b - a >= span:
        return a, b
    mid = (a + b) / 2
    return mid - span / 2, mid + span / 2


def _shift_into(a: float, b: float, lo: float, hi: float) -> tuple[float, float]:
    if b - a >= hi - lo:
        return lo, hi
    if a < lo:
        return lo, b + lo - a
    if b > hi:
        return a - (b - hi), hi
    return a, b


def _view(box: Box, width: int) -> _View:
    ml, mr, mt = 36.0, 8.0, 8.0
    pw = width - ml - mr
    k = _shrink(box[1], box[3])
    s = pw / ((box[2] - box[0]) * k)
    return _View(box, _Rect(ml, mt, ml + pw, mt + (box[3] - box[1]) * s), k, s)


def _scale_for(view: _View) -> str:
    """'coarse' while the coarse basemap's simplification stays under COARSE_MAX_ERROR units, else 'fine'."""
    return "coarse" if _basemap("coarse").tolerance * view.s <= COARSE_MAX_ERROR else "fine"


def _valid(p: MapPoint | IncidentMark) -> bool:
    try:
        return math.isfinite(p.lat) and math.isfinite(p.lon) and -90 <= p.lat <= 90 and -180 <= p.lon <= 180
    except TypeError:
        return False


# ---- land and water ---------------------------------------------------------------------------------------


def _page_rings(shape: _Shape, view: _View) -> list[Ring]:
    """The shape's rings that reach into the view, clipped to it, on the page, with sub-pixel detail dropped."""
    lon0, lat0, lon1, lat1 = view.box
    out = []
    for ring, (x0, y0, x1, y1) in zip(shape.rings, shape.ring_boxes, strict=True):
        if x1 < lon0 or x0 > lon1 or y1 < lat0 or y0 > lat1:
            continue
        part = _clip(ring, view.box)
        if len(part) >= 3:
            page = _thin([view.project(x, y) for x, y in part], 0.9)
            px0, py0, px1, py1 = _bounds(page)
            if len(page) >= 3 and max(px1 - px0, py1 - py0) >= 2.0:  # smaller: a speck, not worth drawing
                out.append(page)
    return out


def _overlaps(bbox: Box, view: _View) -> bool:
    lon0, lat0, lon1, lat1 = view.box
    return not (bbox[2] < lon0 or bbox[0] > lon1 or bbox[3] < lat0 or bbox[1] > lat1)


def _visible_countries(basemap: _Basemap, view: _View, shown: Sequence[MapPoint | IncidentMark]) -> list[_Visible]:
    """The countries in view, those holding a shown place (the focus) last so their borders draw on top."""
    visible = []
    for country in basemap.countries:
        if _overlaps(country.bbox, view):
            rings = _page_rings(country, view)
            if rings:
                visible.append(_Visible(country, rings, focus=False))
    for p in shown:
        home = next((v for v in visible if v.country.contains(p.lon, p.lat)), None) or _nearest(visible, p, view)
        if home:
            home.focus = True
    return sorted(visible, key=lambda v: v.focus)


def _nearest(visible: list[_Visible], p: MapPoint | IncidentMark, view: _View, reach: float = 4.0) -> _Visible | None:
    """The country whose outline passes within `reach` units of a place on no country's land (a port that the
    simplified coast leaves in the sea)."""
    x, y = view.project(p.lon, p.lat)
    near = [(_edge_distance(v.outline, x, y), v.country.name, v) for v in visible
            if v.outline and _boxes_meet(v.bounds, (x - reach, y - reach, x + reach, y + reach))]
    best = min(near, key=lambda t: t[:2], default=None)
    return best[2] if best and best[0] <= reach else None


def _visible_lakes(basemap: _Basemap, view: _View) -> list[list[Ring]]:
    lakes = (_page_rings(lake, view) for lake in basemap.lakes if _overlaps(lake.bbox, view))
    return [rings for rings in lakes if rings]


def _path_data(rings: list[Ring]) -> str:
    return "".join("M" + "L".join(f"{num(x)} {num(y)}" for x, y in ring) + "Z" for ring in rings)


def _border_style(focus: bool) -> str:
    return (f'stroke="{BORDER_FOCUS if focus else BORDER}" stroke-width="{0.9 if focus else 0.6}" '
            f'stroke-linejoin="round"')


def _country_paths(visible: list[_Visible]) -> list[str]:
    out = []
    for v in visible:
        v.path = _path_data(v.rings)
        out.append(f'<path class="gfx-country" d="{v.path}" fill="{LAND_FOCUS if v.focus else LAND}" '
                   f'fill-rule="evenodd" {_border_style(v.focus)}/>')
    return out


def _lake_paths(lakes: list[list[Ring]], visible: list[_Visible]) -> list[str]:
    """Lakes over the land, then the borders of the countries around them again: a border across a lake shows."""
    if not lakes:
        return []
    out = [f'<path class="gfx-lake" d="{"".join(_path_data(rings) for rings in lakes)}" fill="{SEA}" '
           f'fill-rule="evenodd" stroke="{SHORE}" stroke-width="0.5" stroke-linejoin="round"/>']
    lake_boxes = [_bounds([p for ring in rings for p in ring]) for rings in lakes]
    for v in visible:
        if any(_boxes_meet(v.bounds, box) for box in lake_boxes):
            out.append(f'<path class="gfx-border" d="{v.path}" fill="none" {_border_style(v.focus)}/>')
    return out


def _river_paths(basemap: _Basemap, view: _View) -> list[str]:
    """The rivers in view as one path of thin lines."""
    parts = []
    for river in basemap.rivers:
        if _overlaps(river.bbox, view):
            for piece in _clip_line(river.points, view.box):
                page = _thin([view.project(x, y) for x, y in piece], 0.9)
                if len(page) >= 2:
                    parts.append("M" + "L".join(f"{num(x)} {num(y)}" for x, y in page))
    if not parts:
        return []
    return [f'<path class="gfx-river" d="{"".join(parts)}" fill="none" stroke="{RIVER}" stroke-width="0.8" '
            f'stroke-linecap="round" stroke-linejoin="round"/>']


def _on_water(point: tuple[float, float], visible: list[_Visible], lakes: list[list[Ring]]) -> bool:
    land = any(_in_box(v.bounds, point) and _in_rings(v.outline, point) for v in visible)
    return not land or any(_in_rings(rings, point) for rings in lakes)


# ---- graticule, scale bar, legend ---------------------------------------------------------------------------


def _graticule(view: _View) -> tuple[str, list[str]]:
    """Faint lines every whole step of degrees (about eight at most across), and ticks with labels outside."""
    lon0, lat0, lon1, lat1 = view.box
    frame = view.frame
    step = next((s for s in (1, 2, 5, 10, 15, 30) if (lon1 - lon0) / s <= 8), 60)
    grid: list[str] = []
    ticks: list[str] = []
    for lon in _multiples(lon0, lon1, step):
        x, _ = view.project(lon, lat0)
        grid.append(f"M{num(x)} {num(frame.y0)}V{num(frame.y1)}")
        ticks.append(f'<line x1="{num(x)}" y1="{num(frame.y1)}" x2="{num(x)}" y2="{num(frame.y1 + 4)}" '
                     f'stroke="{GREY}" stroke-width="0.7"/>')
        ticks.append(text(x, frame.y1 + 13, _degrees(lon, "EW"), size=8.5, fill=GREY, anchor="middle"))
    for lat in _multiples(lat0, lat1, step):
        _, y = view.project(lon0, lat)
        grid.append(f"M{num(frame.x0)} {num(y)}H{num(frame.x1)}")
        ticks.append(f'<line x1="{num(frame.x0 - 4)}" y1="{num(y)}" x2="{num(frame.x0)}" y2="{num(y)}" '
                     f'stroke="{GREY}" stroke-width="0.7"/>')
        ticks.append(text(frame.x0 - 6, y + 3, _degrees(lat, "NS"), size=8.5, fill=GREY, anchor="end"))
    path = f'<path d="{"".join(grid)}" fill="none" stroke="{GRATICULE}" stroke-width="0.5" stroke-dasharray="2 3"/>'
    return path, ticks


def _multiples(a: float, b: float, step: int) -> list[int]:
    return list(range(math.ceil(a / step - 1e-9) * step, math.floor(b / step + 1e-9) * step + 1, step))


def _degrees(value: float, hemispheres: str) -> str:
    rounded = round(value)
    suffix = "" if rounded == 0 else hemispheres[0] if rounded > 0 else hemispheres[1]
    return f"{abs(rounded)}\u00b0{suffix}"


def _scale_bar(view: _View, taken: list[_Rect]) -> list[str]:
    """A bar of a round length, about a fifth of the width, in the first free corner."""
    frame = view.frame
    km_per_unit = (view.box[2] - view.box[0]) * view.k * 111.32 / (frame.x1 - frame.x0)
    target_km = (frame.x1 - frame.x0) * 0.2 * km_per_unit
    lengths = (10, 20, 25, 50, 100, 150, 200, 250, 500, 1000, 2000, 2500, 5000)
    length_km = max([n for n in lengths if n <= target_km] or [10])
    length = length_km / km_per_unit
    for corner in ("bl", "br", "tl", "tr"):
        x = frame.x0 + 10 if corner[1] == "l" else frame.x1 - 10 - length - 20
        y = frame.y1 - 12 if corner[0] == "b" else frame.y0 + 24
        box = _Rect(x - 6, y - 16, x + length + 28, y + 8)
        if not any(box.overlap(t) for t in taken):
            break
    half = length / 2
    return [
        _rect(box, fill="#ffffff", extra='fill-opacity="0.8"'),
        _rect(_Rect(x, y - 3, x + half, y + 1), fill=INK_2, stroke=INK_2, width=0.6),
        _rect(_Rect(x + half, y - 3, x + length, y + 1), fill="#ffffff", stroke=INK_2, width=0.6),
        text(x, y - 6, "0", size=8, fill=INK_2, anchor="middle"),
        text(x + half, y - 6, f"{length_km / 2:g}", size=8, fill=INK_2, anchor="middle"),
        text(x + length - text_width(f"{length_km:g}", 8) / 2, y - 6, f"{length_km:g} km", size=8, fill=INK_2),
    ]


def _legend(frame: _Rect, kinds_shown: list[str], outside: tuple[int, int], types_shown: list[str],
            sizes: _IncidentSizes) -> tuple[list[str], float]:
    """Symbol keys (places; incident types with the size key), notes on places and incidents outside the
    extent, and the source line; the svg's height."""
    out: list[str] = []
    y = frame.y1 + 32
    x = frame.x0
    for kind in (k for k in KIND_ORDER if k in kinds_shown):
        out.append(_symbol(kind, x + 7, y - 3.5, 6.5 if kind == "region" else 4.6))
        out.append(text(x + 20, y, KIND_LABEL[kind], size=8.5, fill=GREY))
        x += 20 + text_width(KIND_LABEL[kind], 8.5) + 16
    if kinds_shown:
        out.append(text(frame.x1, y, "Symbol size: mentions in sources", size=8.5, fill=GREY, anchor="end"))
        y += 17
    if types_shown:
        incident_key, y = _incident_legend(frame, ordered(set(types_shown)), sizes, y)
        out.extend(incident_key)
    for count, noun in zip(outside, ("located place", "incident"), strict=True):
        if count:
            note = f"{count} {noun}{'s' if count != 1 else ''} {'lies' if count == 1 else 'lie'} outside this map"
            out.append(text(frame.x0, y, esc(note), size=8.5, fill=WARN))
            y += 14
    out.append(text(frame.x0, y, SOURCE_LINE, size=8, fill=GREY))
    return out, y + 6


def _incident_legend(frame: _Rect, types: list[str], sizes: _IncidentSizes, y: float) -> tuple[list[str], float]:
    """'Incidents:' and a symbol and name per type present, flowing onto more lines as needed, then the size
    key: the smallest symbol for no toll stated, and circles for round fatality counts up to the largest."""
    out = [text(frame.x0, y, "Incidents", size=8.5, fill=INK_2, bold=True)]
    x = frame.x0 + text_width("Incidents", 8.5, bold=True) + 10
    for kind in types:
        w = 18 + text_width(kind, 8.5) + 14
        if x + w > frame.x1:
            x, y = frame.x0 + text_width("Incidents", 8.5, bold=True) + 10, y + 17
        out.append(marker(kind, x + 6, y - 3.2, 5.0))
        out.append(text(x + 15, y, esc(kind), size=8.5, fill=GREY))
        x += w
    largest = sizes.radius(sizes.key()[-1]) if sizes.key() else sizes.MIN_R
    y += 10 + largest * 2
    out.append(text(frame.x0, y, "Killed", size=8.5, fill=INK_2, bold=True))
    x = frame.x0 + text_width("Killed", 8.5, bold=True) + 10
    for value in [None, *sizes.key()]:
        r = sizes.radius(value)
        label = "none stated" if value is None else f"{value:,}"
        out.append(f'<circle cx="{num(x + r)}" cy="{num(y - 3.2)}" r="{num(r)}" fill="#ffffff" '
                   f'stroke="{INK_2}" stroke-width="0.8"/>')
        out.append(text(x + 2 * r + 4, y, esc(label), size=8.5, fill=GREY))
        x += 2 * r + 4 + text_width(label, 8.5) + 14
    out.append(text(frame.x1, y, "Symbol area: the lowest toll reported", size=8.5, fill=GREY, anchor="end"))
    return out, y + 8 + 9


def _rect(box: _Rect, fill: str, stroke: str | None = None, width: float = 0.0, extra: str = "") -> str:
    attrs = f'x="{num(box.x0)}" y="{num(box.y0)}" width="{num(box.x1 - box.x0)}" height="{num(box.y1 - box.y0)}"'
    line = f' stroke="{stroke}" stroke-width="{num(width)}"' if stroke else ""
    return f'<rect {attrs} fill="{fill}"{line}{" " + extra if extra else ""}/>'


# ---- geometry -------------------------------------------------------------------------------------------


def _clip(ring: Ring, box: Box) -> Ring:
    """Sutherland-Hodgman clipping of a ring to a lon/lat box."""
    x0, y0, x1, y1 = box
    out = ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else list(ring)
    for axis, limit, keep_above in ((0, x0, True), (0, x1, False), (1, y0, True), (1, y1, False)):
        if not out:
            break
        src, out = out, []
        prev = src[-1]
        for cur in src:
            cur_in = cur[axis] >= limit if keep_above else cur[axis] <= limit
            prev_in = prev[axis] >= limit if keep_above else prev[axis] <= limit
            if cur_in != prev_in:
                t = (limit - prev[axis]) / (cur[axis] - prev[axis])
                other = 1 - axis
                point = [0.0, 0.0]
                point[axis] = limit
                point[other] = prev[other] + t * (cur[other] - prev[other])
                out.append((point[0], point[1]))
            if cur_in:
                out.append(cur)
            prev = cur
    return out


def _clip_line(line: Ring, box: Box) -> list[Ring]:
    """The pieces of a polyline inside a lon/lat box (Liang-Barsky on each segment)."""
    pieces: list[Ring] = []
    current: Ring = []
    for a, b in itertools.pairwise(line):
        segment = _clip_segment(a, b, box)
        if segment is None:
            current = []
            continue
        start, end = segment
        if not current or current[-1] != start:
            current = [start]
            pieces.append(current)
        current.append(end)
    return pieces


def _clip_segment(a: tuple[float, float], b: tuple[float, float],
                  box: Box) -> tuple[tuple[float, float], tuple[float, float]] | None:
    dx, dy = b[0] - a[0], b[1] - a[1]
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, a[0] - box[0]), (dx, box[2] - a[0]), (-dy, a[1] - box[1]), (dy, box[3] - a[1])):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return None
    start = (a[0] + t0 * dx, a[1] + t0 * dy) if t0 > 0 else a
    end = (a[0] + t1 * dx, a[1] + t1 * dy) if t1 < 1 else b
    return start, end


def _thin(ring: Ring, min_step: float) -> Ring:
    """Drop points closer than `min_step` (page units) to the last kept one."""
    out = [ring[0]]
    for x, y in ring[1:]:
        if abs(x - out[-1][0]) + abs(y - out[-1][1]) >= min_step:
            out.append((x, y))
    return out


def _bounds(points: Iterable[tuple[float, float]]) -> Box:
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def _boxes_meet(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _in_box(box: Box, point: tuple[float, float]) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def _in_rings(rings: list[Ring], point: tuple[float, float]) -> bool:
    """Even-odd point in polygon over all rings (holes included)."""
    x, y = point
    inside = False
    for ring in rings:
        for (xa, ya), (xb, yb) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (ya > y) != (yb > y) and x < xa + (y - ya) * (xb - xa) / (yb - ya):
                inside = not inside
    return inside


def _edge_distance(rings: list[Ring], x: float, y: float) -> float:
    best = math.inf
    for ring in rings:
        for (xa, ya), (xb, yb) in zip(ring, ring[1:] + ring[:1], strict=True):
            dx, dy = xb - xa, yb - ya
            length = dx * dx + dy * dy
            t = 0.0 if length == 0 else max(0.0, min(1.0, ((x - xa) * dx + (y - ya) * dy) / length))
            best = min(best, math.hypot(x - xa - t * dx, y - ya - t * dy))
    return best


# ---- symbols and labels --------------------------------------------------------------------------------

_Symbol = tuple[MapPoint, str, float, float, float, str]  # point, kind, x, y, core radius, svg


def _kind(kind: str) -> str:
    kind = (kind or "").lower().replace("_", " ")
    for name, aliases in _KIND_ALIASES.items():
        if any(alias in kind for alias in aliases):
            return name
    return "other"


def _symbols(shown: list[MapPoint], view: _View) -> list[_Symbol]:
    """A symbol for each shown place, sized by weight: areas first, then larger under smaller."""
    wmax = max((max(p.weight, 1) for p in shown), default=1)
    placed = []
    for p in shown:
        kind = _kind(p.kind)
        share = math.sqrt(max(p.weight, 1) / wmax)
        r = (11 + 11 * share) if kind == "region" else (3.4 + 3.6 * share)
        x, y = view.project(p.lon, p.lat)
        placed.append((p, kind, x, y, r))
    placed.sort(key=lambda t: (t[1] != "region", -t[4]))
    out = []
    for p, kind, x, y, r in placed:
        tip = f"{p.name} ({kind}, {p.weight} mention{'s' if p.weight != 1 else ''})"
        svg = f'<g class="gfx-place gfx-{kind}"><title>{esc(tip)}</title>{_symbol(kind, x, y, r)}</g>'
        out.append((p, kind, x, y, r, svg))
    return out


def _symbol(kind: str, x: float, y: float, r: float) -> str:
    if kind == "base":
        side = r * 1.7
        return (f'<rect x="{num(x - side / 2)}" y="{num(y - side / 2)}" width="{num(side)}" height="{num(side)}" '
                f'fill="{ACCENT}" stroke="#ffffff" stroke-width="1"/>')
    if kind == "camp":
        h = r * 2.0
        corners = ((x, y - h * 0.6), (x + h * 0.58, y + h * 0.4), (x - h * 0.58, y + h * 0.4))
        pts = " ".join(f"{num(cx)},{num(cy)}" for cx, cy in corners)
        return f'<polygon points="{pts}" fill="{WARN}" stroke="#ffffff" stroke-width="1" stroke-linejoin="round"/>'
    if kind == "city":
        return (f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(r)}" fill="{CITY}" stroke="#ffffff" '
                f'stroke-width="1.1"/>')
    if kind == "region":
        return (f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(r)}" fill="{ACCENT}" fill-opacity="0.13" '
                f'stroke="{ACCENT}" stroke-width="0.9" stroke-dasharray="3 2"/>')
    d = r * 1.3
    pts = " ".join(f"{num(cx)},{num(cy)}" for cx, cy in ((x, y - d), (x + d, y), (x, y + d), (x - d, y)))
    return f'<polygon points="{pts}" fill="{GREY}" stroke="#ffffff" stroke-width="1"/>'


class _IncidentSizes:
    """Incident symbols' radii: area grows with fatalities, from MIN_R (none stated, or none killed) to MAX_R
    (the most killed, or SIZE_REFERENCE when that is more, so three deaths never look like a massacre)."""

    MIN_R, MAX_R = 4.2, 13.0
    SIZE_REFERENCE = 20

    def __init__(self, marks: Sequence[IncidentMark]) -> None:
        self.most = max((m.fatalities or 0 for m in marks), default=0)
        self._per_death = (self.MAX_R ** 2 - self.MIN_R ** 2) / max(self.most, self.SIZE_REFERENCE)

    def radius(self, fatalities: int | None) -> float:
        """The radius of a symbol for this many fatalities (None: no toll stated)."""
        return math.sqrt(self.MIN_R ** 2 + self._per_death * max(fatalities or 0, 0))

    def key(self) -> list[int]:
        """The fatality counts the size key shows: a round count near a quarter of the most, and the most."""
        if self.most <= 0:
            return []
        step = next((n for n in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000) if n >= self.most / 4),
                    self.most)
        return sorted({step, self.most}) if step < self.most else [self.most]


_Unnamed = tuple[str, float, float, float]  # a place's name, the centre and radius of its incidents' cluster


def _incident_symbols(marks: list[IncidentMark], view: _View, places: list[_Symbol],
                      sizes: _IncidentSizes) -> tuple[list[tuple[float, float, float]], list[str], list[_Unnamed]]:
    """Each incident as its type's symbol, sized by fatalities. Incidents at one spot (or on a place's symbol)
    are set in a ring around it, joined to it by a short line, so none hides another. Returns each symbol's
    centre and radius, the svg (lines first, then the largest symbols under the smaller), and the spots that
    no place symbol names, with their place's name."""
    groups: list[tuple[float, float, list[IncidentMark]]] = []
    for m in marks:
        x, y = view.project(m.lon, m.lat)
        found = next((g for g in groups if math.hypot(g[0] - x, g[1] - y) < 2.5), None)
        if found is None:
            groups.append((x, y, [m]))
        else:
            found[2].append(m)
    placed: list[tuple[IncidentMark, float, float, float]] = []
    leaders: list[str] = []
    unnamed: list[_Unnamed] = []
    for gx, gy, group in groups:
        group.sort(key=lambda m: (-(m.fatalities or 0), m.event_type, m.label))
        radii = [sizes.radius(m.fatalities) for m in group]
        hole = max((core for _, kind, px, py, core, _ in places
                    if kind != "region" and math.hypot(px - gx, py - gy) < core + radii[0]), default=0.0)
        named = hole or any(math.hypot(px - gx, py - gy) < 3.0 for _, _, px, py, _, _ in places)
        name = next((m.place for m in group if m.place), "")
        if len(group) == 1 and not hole:
            placed.append((group[0], gx, gy, radii[0]))
            if name and not named:
                unnamed.append((name, gx, gy, radii[0]))
            continue
        widest = max(radii)
        around = widest * 1.08 / math.sin(math.pi / len(group)) if len(group) > 1 else 0.0
        distance = max(hole + widest + 3.5, around)
        start = -135.0 if len(group) == 1 else -90.0
        for i, (m, r) in enumerate(zip(group, radii, strict=True)):
            angle = math.radians(start + 360.0 * i / len(group))
            x, y = gx + distance * math.cos(angle), gy + distance * math.sin(angle)
            leaders.append(f'<line class="gfx-incident-leader" x1="{num(gx)}" y1="{num(gy)}" x2="{num(x)}" '
                           f'y2="{num(y)}" stroke="{INK_2}" stroke-width="0.6"/>')
            placed.append((m, x, y, r))
        if name and not named:
            unnamed.append((name, gx, gy, distance + widest))
    svg = list(leaders)
    for m, x, y, r in sorted(placed, key=lambda t: -t[3]):
        tip = _incident_tip(m)
        svg.append(f'<g class="gfx-incident" data-type="{esc(m.event_type)}" data-shape="{shape(m.event_type)}" '
                   f'data-fatalities="{"" if m.fatalities is None else m.fatalities}">'
                   f"<title>{esc(tip)}</title>{marker(m.event_type, x, y, r)}</g>")
    return [(x, y, r) for _, x, y, r in placed], svg, unnamed


def _incident_place_labels(unnamed: list[_Unnamed], frame: _Rect, obstacles: list[_Rect],
                           labels: list[_Rect]) -> list[str]:
    """The names of places that only incidents mark (no zone symbol there), in grey, placed as place names are
    (where they overlap least, clear of the frame's edge); `labels` gains their boxes."""
    svg: list[str] = []
    for name, x, y, r in unnamed:
        placed = _place_point_label(name, "other", x, y, r, frame, obstacles + labels)
        if placed is not None:
            svg.extend(_placed_label(placed, name, labels, fill=GREY))
    return svg


def _incident_tip(m: IncidentMark) -> str:
    toll = "no toll stated" if m.fatalities is None else f"{m.fatalities} killed"
    return f"{m.event_type}: {' '.join(m.label.split()) or 'incident'} ({toll})"


def _halo_text(x: float, y: float, content: str, **style: Any) -> list[str]:
    """Text over a white halo (a stroked copy underneath), legible over borders and symbols."""
    halo = 'stroke="#ffffff" stroke-width="2.6" stroke-linejoin="round" stroke-opacity="0.9"'
    return [text(x, y, content, extra=halo, **{**style, "fill": "#ffffff"}), text(x, y, content, **style)]


def _text_box(x: float, y: float, w: float, size: float, anchor: str) -> _Rect:
    x0 = x if anchor == "start" else x - w if anchor == "end" else x - w / 2
    return _Rect(x0 - 1.5, y - size * 0.78, x0 + w + 1.5, y + size * 0.26)


def _point_labels(symbols: list[_Symbol], frame: _Rect, obstacles: list[_Rect]) -> tuple[list[_Rect], list[str]]:
    """The places' names, most mentioned first, each where it overlaps least; their boxes and svg."""
    labels: list[_Rect] = []
    svg: list[str] = []
    for p, kind, x, y, r, _ in sorted(symbols, key=lambda t: (-t[0].weight, t[0].name)):
        placed = _place_point_label(p.name, kind, x, y, r, frame, obstacles + labels)
        if placed is not None:
            svg.extend(_placed_label(placed, p.name, labels, fill=INK_2 if kind == "region" else INK,
                                     italic=kind == "region", bold=kind == "base"))
    return labels, svg


def _placed_label(placed: _PointLabel, name: str, labels: list[_Rect], **style: Any) -> list[str]:
    """The svg of a place name where `_place_point_label` put it (with its leader line, if any); `labels`
    gains its box."""
    box, tx, ty, anchor, leader = placed
    labels.append(box)
    svg = []
    if leader:
        svg.append(f'<line x1="{num(leader[0])}" y1="{num(leader[1])}" x2="{num(leader[2])}" '
                   f'y2="{num(leader[3])}" stroke="{GREY}" stroke-width="0.6"/>')
    return svg + _halo_text(tx, ty, esc(name), size=9.5, anchor=anchor, **style)


_PointLabel = tuple[_Rect, float, float, str, tuple[float, float, float, float] | None]


def _label_candidates(kind: str, x: float, y: float, r: float, size: float) -> list[tuple[float, float, str, float]]:
    """Where a place's name may go: (x, y, anchor, leader length), nearest first."""
    g = r + 3.0 if kind != "region" else 3.0
    lift = size * 0.35  # baseline offset that centres the text on y
    candidates: list[tuple[float, float, str, float]] = []
    if kind == "region":
        candidates.append((x, y + lift, "middle", 0))
        g = r + 2.0
    diag = g * 0.72
    candidates += [
        (x + g, y + lift, "start", 0), (x - g, y + lift, "end", 0),
        (x + diag, y - diag, "start", 0), (x + diag, y + diag + size * 0.75, "start", 0),
        (x - diag, y - diag, "end", 0), (x - diag, y + diag + size * 0.75, "end", 0),
        (x, y - g - 1, "middle", 0), (x, y + g + size * 0.8, "middle", 0),
    ]
    for far in (14.0, 26.0):  # further out, with a leader line
        candidates += [
            (x + g + far, y + lift, "start", far), (x - g - far, y + lift, "end", far),
            (x + diag + far * 0.7, y - diag - far * 0.7, "start", far),
            (x - diag - far * 0.7, y - diag - far * 0.7, "end", far),
            (x + diag + far * 0.7, y + diag + far * 0.7 + size * 0.75, "start", far),
            (x - diag - far * 0.7, y + diag + far * 0.7 + size * 0.75, "end", far),
        ]
    return candidates


def _place_point_label(name: str, kind: str, x: float, y: float, r: float, frame: _Rect,
                       taken: list[_Rect]) -> _PointLabel | None:
    size = 9.5
    w = text_width(name, size, bold=kind == "base")
    best: tuple[float, _PointLabel] | None = None
    for tx, ty, anchor, far in _label_candidates(kind, x, y, r, size):
        box = _text_box(tx, ty, w, size, anchor)
        if not box.inside(frame):
            continue
        cost = sum(box.overlap(o) for o in taken) * 2 + far * 0.5
        if best is None or cost < best[0]:
            leader = None
            if far:
                lx = box.x0 if anchor == "start" else box.x1 if anchor == "end" else tx
                ly = min(max(y, box.y0), box.y1)
                angle = math.atan2(ly - y, lx - x)
                leader = (x + math.cos(angle) * (r + 1), y + math.sin(angle) * (r + 1), lx, ly)
            best = (cost, (box, tx, ty, anchor, leader))
        if cost == 0:
            break
    return best[1] if best else None


def _country_labels(visible: list[_Visible], view: _View, taken: list[_Rect]) -> list[str]:
    """Country names where they fit inside the country's visible part, focus countries first, then by
    Natural Earth's label rank; countries too small for their name or its abbreviation go unnamed."""
    out = []
    for v in sorted(visible, key=lambda v: (not v.focus, v.country.rank, v.country.name)):
        placed = _place_country_label(v, visible, view, taken)
        if placed:
            taken.append(placed[0])
            out.append(placed[1])
    return out


def _label_point(v: _Visible, view: _View) -> list[tuple[float, float]]:
    """The source's label point of the country, if it lies in the visible part."""
    lx, ly = view.project(*v.country.label)
    return [(lx, ly)] if _in_box(v.bounds, (lx, ly)) and _in_rings(v.outline, (lx, ly)) else []


def _inner_points(v: _Visible, view: _View) -> list[tuple[float, float]]:
    """Points of a grid over the visible part that lie inside it, furthest from its edges first."""
    bx0, by0, bx1, by1 = v.bounds
    nx, ny = LABEL_GRID
    sketch = v.sketch
    grid = []
    for i in range(1, nx + 1):
        for j in range(1, ny + 1):
            gx, gy = bx0 + (bx1 - bx0) * i / (nx + 1), by0 + (by1 - by0) * j / (ny + 1)
            if _in_rings(sketch, (gx, gy)):
                grid.append((-_edge_distance(sketch, gx, gy), gx, gy))
    grid.sort()
    return [(gx, gy) for _, gx, gy in grid[:30]]


def _place_country_label(v: _Visible, visible: list[_Visible], view: _View,
                         taken: list[_Rect]) -> tuple[_Rect, str] | None:
    """The country's name (else its abbreviation) centred at the label point or the most inward grid point
    where it fits: in the frame, clear of everything placed so far, inside the country but for corners that
    may reach over water (never into a neighbour)."""
    size = 10.5 if v.focus else 9.0
    italic = not v.country.assigned  # an area, not a country: named like a region
    names = (v.country.name, v.country.abbrev) if italic else (v.country.name.upper(), v.country.abbrev.upper())
    bx0, by0, bx1, by1 = v.bounds
    widths = {label: text_width(label, size, bold=v.focus) for label in dict.fromkeys(names)}
    fitting = [label for label, w in widths.items() if w + 3 <= bx1 - bx0 and size * 1.1 <= by1 - by0]
    if not v.outline or not fitting:
        return None  # too small to name
    others = [o for o in visible if o is not v]
    anchors: dict[str, list[tuple[float, float]]] = {}
    for label in fitting:
        for kind, find in (("point", _label_point), ("grid", _inner_points)):
            if kind not in anchors:
                anchors[kind] = find(v, view)
            for cx, cy in anchors[kind]:
                ty = cy + size * 0.35
                box = _text_box(cx, ty, widths[label], size, "middle")
                if box.inside(view.frame) and not any(box.overlap(t) for t in taken) and _fits(box, v, others):
                    return box, text(cx, ty, esc(label), size=size, fill=GREY, anchor="middle", bold=v.focus,
                                     italic=italic)
    return None


def _fits(box: _Rect, v: _Visible, others: list[_Visible]) -> bool:
    """Whether a name's box lies in the country: its middle and at least six of its nine sample points inside,
    the rest over water."""
    inside = [_in_rings(v.outline, pt) for pt in box.samples()]
    if not inside[4] or sum(inside) < 6:
        return False
    outside = [pt for pt, ok in zip(box.samples(), inside, strict=True) if not ok]
    return not any(_in_box(o.bounds, pt) and _in_rings(o.outline, pt) for pt in outside for o in others)


def _water_labels(view: _View, visible: list[_Visible], lakes: list[list[Ring]], taken: list[_Rect]) -> list[str]:
    """Names of the seas, gulfs and lakes in view (from water.json), none for water bodies much smaller than
    the map: each at its first label point in view where it fits on open water; then, for seas without a
    label point in view, on the most central open water that lies nearer to one of their points than to
    any other water body's."""
    fitting = [w for w in _water() if w.size * WATER_ZOOM_OUT >= view.span]
    placed: dict[str, str] = {}
    for water in fitting:
        spots = [view.project(lon, lat) for lon, lat in water.anchors if view.shows(lon, lat)]
        label = _water_label(water, spots, view, visible, lakes, taken)
        if label:
            placed[water.name] = label
    for x, y in _open_water(view, visible, lakes):
        nearest = _nearest_water(view.unproject(x, y))
        if nearest is None or nearest.name in placed or nearest not in fitting:
            continue
        label = _water_label(nearest, [(x, y)], view, visible, lakes, taken)
        if label:
            placed[nearest.name] = label
    return list(placed.values())


def _water_label(water: _Water, spots: list[tuple[float, float]], view: _View, visible: list[_Visible],
                 lakes: list[list[Ring]], taken: list[_Rect]) -> str | None:
    """The water body's name at the first of `spots` where it fits on water, clear of what is placed."""
    size, spacing = _WATER_STYLE.get(water.kind, (9.0, 0.3))
    w = text_width(water.name, size, spacing=spacing)
    for x, y in spots:
        box = _Rect(x - w / 2 - 2, y - size, x + w / 2 + 2, y + size * 0.35)
        if not box.inside(view.frame) or any(box.overlap(t) for t in taken):
            continue
        if all(_on_water(pt, visible, lakes) for pt in box.samples()):
            taken.append(box)
            return text(x, y, esc(water.name), size=size, fill=WATER_TEXT, anchor="middle", italic=True,
                        spacing=spacing)
    return None


def _open_water(view: _View, visible: list[_Visible], lakes: list[list[Ring]]) -> list[tuple[float, float]]:
    """Grid points of the frame on the sea (not on land, not in a lake), nearest the middle of that water first."""
    f = view.frame
    points = [(f.x0 + (f.x1 - f.x0) * i / 14, f.y0 + (f.y1 - f.y0) * j / 10)
              for i in range(1, 14) for j in range(1, 10)]
    sea = [p for p in points if _on_water(p, visible, []) and not any(_in_rings(r, p) for r in lakes)]
    if not sea:
        return []
    mx, my = sum(x for x, _ in sea) / len(sea), sum(y for _, y in sea) / len(sea)
    return sorted(sea, key=lambda p: (p[0] - mx) ** 2 + (p[1] - my) ** 2)


def _nearest_water(point: tuple[float, float]) -> _Water | None:
    """The sea (not lake) with the label point nearest `point`, if within half its size."""
    lon, lat = point
    k = math.cos(math.radians(lat))
    best = min(((((a[0] - lon) * k) ** 2 + (a[1] - lat) ** 2, w) for w in _water() if w.kind != "lake"
                for a in w.anchors), key=lambda t: t[0], default=None)
    if best is None or math.sqrt(best[0]) > best[1].size / 2:
        return None
    return best[1]


__all__ = ["IncidentMark", "MapPoint", "fit_extent", "map_svg", "normalise_extent"]
