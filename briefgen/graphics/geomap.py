"""The offline map: country borders from the bundled basemap, places as sized symbols."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
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

DEFAULT_BOX = (35.0, 29.0, 49.0, 38.0)  # lon_min, lat_min, lon_max, lat_max
SOURCE_LINE = "Borders: Natural Earth (public domain); points: project gazetteer, GeoNames (CC BY 4.0)"

SEA = "#dfe6ee"
LAND = "#eceef1"
LAND_FOCUS = "#fbfbf9"
BORDER = "#a4adb8"
BORDER_FOCUS = "#7c8794"
GRATICULE = "#b9c4d0"
WATER_TEXT = "#6f87a3"
CITY = "#2f3742"

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

WATER = (
    ("Mediterranean Sea", ((33.4, 34.1), (34.2, 33.3), (33.0, 33.6), (31.5, 34.2), (29.0, 33.6))),
    ("Persian Gulf", ((50.6, 27.6), (49.9, 28.4), (51.6, 26.8), (52.5, 25.9))),
    ("Caspian Sea", ((50.9, 41.6), (50.6, 40.2), (51.3, 39.0), (50.3, 43.3))),
    ("Red Sea", ((38.4, 20.6), (36.9, 22.8), (40.6, 17.4), (35.5, 25.3))),
    ("Black Sea", ((34.5, 43.1), (37.0, 42.6), (31.5, 43.6))),
    ("Gulf of Oman", ((58.6, 24.5),)),
    ("Arabian Sea", ((61.0, 19.0), (60.0, 21.0))),
    ("Gulf of Aden", ((47.5, 12.6),)),
)


@dataclass
class MapPoint:
    """A place to show: `kind` is base, camp, city, region (or anything else); `weight` is its mention count."""

    name: str
    lat: float
    lon: float
    kind: str = "city"
    weight: int = 1


@dataclass
class _Country:
    name: str
    abbrev: str
    label: tuple[float, float]
    rank: int
    rings: list[list[tuple[float, float]]]
    bbox: tuple[float, float, float, float]
    assigned: bool = True  # False: land the source leaves to no country (the Golan Heights)


@dataclass
class _Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlap(self, other: _Box) -> float:
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return w * h if w > 0 and h > 0 else 0.0

    def inside(self, other: _Box) -> bool:
        return self.x0 >= other.x0 and self.y0 >= other.y0 and self.x1 <= other.x1 and self.y1 <= other.y1


@functools.lru_cache(maxsize=1)
def _basemap() -> tuple[tuple[float, float, float, float], tuple[_Country, ...]]:
    """The bundled borders (basemap.json, made by scripts/make_basemap.py)."""
    data = json.loads(resources.files(__package__).joinpath("basemap.json").read_text(encoding="utf-8"))
    countries = []
    for feature in data["features"]:
        props = feature["properties"]
        rings = [[(p[0], p[1]) for p in ring] for polygon in feature["geometry"]["coordinates"] for ring in polygon]
        xs = [x for r in rings for x, _ in r]
        ys = [y for r in rings for _, y in r]
        countries.append(_Country(
            name=props["name"], abbrev=props.get("abbrev") or props["name"], label=tuple(props["label"]),
            rank=int(props.get("label_rank", 5)), rings=rings, bbox=(min(xs), min(ys), max(xs), max(ys)),
            assigned=bool(props.get("assigned", True)),
        ))
    return tuple(data["bbox"]), tuple(countries)


def map_svg(points: list[MapPoint], width: int = 680) -> Markup:
    """A map of the region around `points`: country borders and names, the points as symbols sized by
    weight with non-overlapping labels, graticule ticks, a scale bar, a legend and the data source."""
    region, countries = _basemap()
    points = [p for p in points if _valid(p)]
    lon0, lat0, lon1, lat1 = _fit(points, region)
    shown = [p for p in points if lon0 <= p.lon <= lon1 and lat0 <= p.lat <= lat1]

    ml, mr, mt = 36.0, 8.0, 8.0
    pw = width - ml - mr
    k = math.cos(math.radians((lat0 + lat1) / 2))
    s = pw / ((lon1 - lon0) * k)
    ph = (lat1 - lat0) * s
    frame = _Box(ml, mt, ml + pw, mt + ph)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return ml + (lon - lon0) * k * s, mt + (lat1 - lat) * s

    out: list[str] = [f'<rect x="{num(ml)}" y="{num(mt)}" width="{num(pw)}" height="{num(ph)}" fill="{SEA}"/>']

    # countries
    view = (lon0, lat0, lon1, lat1)
    visible: list[tuple[_Country, list[list[tuple[float, float]]], bool]] = []
    for country in countries:
        bx0, by0, bx1, by1 = country.bbox
        if bx1 < lon0 or bx0 > lon1 or by1 < lat0 or by0 > lat1:
            continue
        rings = []
        for ring in country.rings:
            part = _clip(ring, view)
            if len(part) >= 3:
                rings.append(_thin([project(x, y) for x, y in part], 0.35))
        rings = [r for r in rings if len(r) >= 3]
        if not rings:
            continue
        focus = any(_in_rings(country.rings, (p.lon, p.lat)) for p in shown)
        visible.append((country, rings, focus))
    for _, rings, focus in sorted(visible, key=lambda item: item[2]):
        d = "".join("M" + "L".join(f"{num(x)} {num(y)}" for x, y in ring) + "Z" for ring in rings)
        out.append(f'<path class="gfx-country" d="{d}" fill="{LAND_FOCUS if focus else LAND}" fill-rule="evenodd" '
                   f'stroke="{BORDER_FOCUS if focus else BORDER}" stroke-width="{0.9 if focus else 0.6}" '
                   f'stroke-linejoin="round"/>')

    # graticule lines (faint) and ticks with labels outside the frame
    step = 1 if lon1 - lon0 <= 9 else 2 if lon1 - lon0 <= 18 else 5
    grid: list[str] = []
    ticks: list[str] = []
    lon = math.ceil(lon0 / step) * step
    while lon <= lon1 + 1e-9:
        x, _ = project(lon, lat0)
        grid.append(f"M{num(x)} {num(frame.y0)}V{num(frame.y1)}")
        ticks.append(f'<line x1="{num(x)}" y1="{num(frame.y1)}" x2="{num(x)}" y2="{num(frame.y1 + 4)}" '
                     f'stroke="{GREY}" stroke-width="0.7"/>')
        ticks.append(text(x, frame.y1 + 13, f"{_deg(lon)}\u00b0{'E' if lon >= 0 else 'W'}", size=8.5,
                          fill=GREY, anchor="middle"))
        lon += step
    lat = math.ceil(lat0 / step) * step
    while lat <= lat1 + 1e-9:
        _, y = project(lon0, lat)
        grid.append(f"M{num(frame.x0)} {num(y)}H{num(frame.x1)}")
        ticks.append(f'<line x1="{num(frame.x0 - 4)}" y1="{num(y)}" x2="{num(frame.x0)}" y2="{num(y)}" '
                     f'stroke="{GREY}" stroke-width="0.7"/>')
        ticks.append(text(frame.x0 - 6, y + 3, f"{_deg(lat)}\u00b0{'N' if lat >= 0 else 'S'}", size=8.5,
                          fill=GREY, anchor="end"))
        lat += step
    out.append(f'<path d="{"".join(grid)}" fill="none" stroke="{GRATICULE}" stroke-width="0.5" '
               f'stroke-dasharray="2 3"/>')

    # point symbols: areas first, then larger under smaller
    wmax = max((max(p.weight, 1) for p in shown), default=1)
    symbols = []
    for p in shown:
        kind = _kind(p.kind)
        share = math.sqrt(max(p.weight, 1) / wmax)
        r = (11 + 11 * share) if kind == "region" else (3.4 + 3.6 * share)
        x, y = project(p.lon, p.lat)
        symbols.append((p, kind, x, y, r))
    symbols.sort(key=lambda t: (t[1] != "region", -t[4]))
    obstacles: list[_Box] = []
    for p, kind, x, y, r in symbols:
        tip = f"{p.name} ({kind}, {p.weight} mention{'s' if p.weight != 1 else ''})"
        out.append(f'<g class="gfx-place gfx-{kind}"><title>{esc(tip)}</title>{_symbol(kind, x, y, r)}</g>')
        core = 3.0 if kind == "region" else r + 1.5
        obstacles.append(_Box(x - core, y - core, x + core, y + core))

    # point labels, most mentioned first
    labels: list[_Box] = []
    label_svg: list[str] = []
    for p, kind, x, y, r in sorted(symbols, key=lambda t: (-t[0].weight, t[0].name)):
        placed = _place_point_label(p.name, kind, x, y, r, frame, obstacles, labels)
        if placed is None:
            continue
        box, tx, ty, anchor, leader = placed
        labels.append(box)
        if leader:
            label_svg.append(f'<line x1="{num(leader[0])}" y1="{num(leader[1])}" x2="{num(leader[2])}" '
                             f'y2="{num(leader[3])}" stroke="{GREY}" stroke-width="0.6"/>')
        label_svg.extend(_halo_text(tx, ty, esc(p.name), size=9.5, fill=INK_2 if kind == "region" else INK,
                                    anchor=anchor, italic=kind == "region", bold=kind == "base"))

    # country and water names: wherever they fit without touching the points and their labels
    taken = obstacles + labels
    names: list[str] = []
    for country, rings, focus in sorted(visible, key=lambda item: (not item[2], item[0].rank, item[0].name)):
        country_label = _place_country_label(country, rings, focus, project, frame, taken)
        if country_label:
            box, svg = country_label
            taken.append(box)
            names.append(svg)
    for name, anchors in WATER:
        for lon_w, lat_w in anchors:
            if not (lon0 < lon_w < lon1 and lat0 < lat_w < lat1):
                continue
            x, y = project(lon_w, lat_w)
            w = text_width(name, 9)
            box = _Box(x - w / 2 - 2, y - 9, x + w / 2 + 2, y + 3)
            if not box.inside(frame) or any(box.overlap(t) for t in taken):
                continue
            if any(_on_land(countries, _unproject(px, py, ml, mt, lon0, lat1, k, s))
                   for px, py in _box_samples(box)):
                continue
            taken.append(box)
            names.append(text(x, y, esc(name), size=9, fill=WATER_TEXT, anchor="middle", italic=True))
            break
    out.extend(names)
    out.extend(label_svg)

    # frame, scale bar
    out.append(f'<rect x="{num(ml)}" y="{num(mt)}" width="{num(pw)}" height="{num(ph)}" fill="none" '
               f'stroke="{INK_2}" stroke-width="0.8"/>')
    out.extend(ticks)
    out.extend(_scale_bar(frame, (lon1 - lon0) * k * 111.32 / pw, taken))

    # legend and source
    y = frame.y1 + 32
    x = ml
    kinds = [kind for kind in KIND_ORDER if any(t[1] == kind for t in symbols)]
    for kind in kinds:
        out.append(_symbol(kind, x + 7, y - 3.5, 6.5 if kind == "region" else 4.6))
        out.append(text(x + 20, y, KIND_LABEL[kind], size=8.5, fill=GREY))
        x += 20 + text_width(KIND_LABEL[kind], 8.5) + 16
    if symbols:
        out.append(text(frame.x1, y, "Symbol size: mentions in sources", size=8.5, fill=GREY, anchor="end"))
        y += 15
    out.append(text(ml, y, SOURCE_LINE, size=8, fill=GREY))
    height = y + 6

    title = "Map of reported locations"
    where = f"longitude {lon0:.1f} to {lon1:.1f}, latitude {lat0:.1f} to {lat1:.1f}"
    listed = "; ".join(f"{p.name} ({_kind(p.kind)}, {p.weight} mentions)" for p in shown)
    desc = f"Map of {where}, {len(shown)} locations" + (f": {listed}" if listed else "") + f". {SOURCE_LINE}."
    return svg_root(width, height, title, desc, out, "map")


# ---- view ------------------------------------------------------------------------------------------


def _valid(p: MapPoint) -> bool:
    try:
        return math.isfinite(p.lat) and math.isfinite(p.lon) and -90 <= p.lat <= 90 and -180 <= p.lon <= 180
    except TypeError:
        return False


def _fit(points: list[MapPoint], region: tuple[float, ...]) -> tuple[float, float, float, float]:
    """A lon/lat box around the points with margins, a sensible aspect ratio, inside the basemap region."""
    r0, r1, r2, r3 = region
    inside = [p for p in points if r0 <= p.lon <= r2 and r1 <= p.lat <= r3]
    if not inside:
        return DEFAULT_BOX
    lon0, lon1 = min(p.lon for p in inside), max(p.lon for p in inside)
    lat0, lat1 = min(p.lat for p in inside), max(p.lat for p in inside)
    pad_lon = max(0.15 * (lon1 - lon0), 1.0)
    pad_lat = max(0.25 * (lat1 - lat0), 1.0)
    lon0, lon1 = lon0 - pad_lon, lon1 + pad_lon * 1.4  # labels mostly go to the right
    lat0, lat1 = lat0 - pad_lat, lat1 + pad_lat
    lon0, lon1 = _widen(lon0, lon1, 4.0)
    lat0, lat1 = _widen(lat0, lat1, 2.6)
    k = math.cos(math.radians((lat0 + lat1) / 2))
    ratio = (lat1 - lat0) / ((lon1 - lon0) * k)  # plot height / width
    if ratio < 0.62:
        lat0, lat1 = _widen(lat0, lat1, 0.62 * (lon1 - lon0) * k)
    elif ratio > 0.85:
        lon0, lon1 = _widen(lon0, lon1, (lat1 - lat0) / (0.85 * k))
    lon0, lon1 = _shift_into(lon0, lon1, r0, r2)
    lat0, lat1 = _shift_into(lat0, lat1, r1, r3)
    return lon0, lat0, lon1, lat1


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


# ---- geometry -------------------------------------------------------------------------------------------


def _clip(ring: list[tuple[float, float]], box: tuple[float, float, float, float]) -> list[tuple[float, float]]:
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


def _thin(ring: list[tuple[float, float]], min_step: float) -> list[tuple[float, float]]:
    """Drop points closer than `min_step` (pixels) to the last kept one."""
    out = [ring[0]]
    for x, y in ring[1:]:
        if abs(x - out[-1][0]) + abs(y - out[-1][1]) >= min_step:
            out.append((x, y))
    return out


def _in_rings(rings: list[list[tuple[float, float]]], point: tuple[float, float]) -> bool:
    """Even-odd point in polygon over all rings (holes included)."""
    x, y = point
    inside = False
    for ring in rings:
        for (xa, ya), (xb, yb) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (ya > y) != (yb > y) and x < xa + (y - ya) * (xb - xa) / (yb - ya):
                inside = not inside
    return inside


def _on_land(countries: tuple[_Country, ...], point: tuple[float, float]) -> bool:
    x, y = point
    return any(
        c.bbox[0] <= x <= c.bbox[2] and c.bbox[1] <= y <= c.bbox[3] and _in_rings(c.rings, point) for c in countries
    )


def _unproject(px: float, py: float, ml: float, mt: float, lon0: float, lat1: float, k: float,
               s: float) -> tuple[float, float]:
    return lon0 + (px - ml) / (k * s), lat1 - (py - mt) / s


def _edge_distance(rings: list[list[tuple[float, float]]], x: float, y: float) -> float:
    best = math.inf
    for ring in rings:
        for (xa, ya), (xb, yb) in zip(ring, ring[1:] + ring[:1], strict=True):
            dx, dy = xb - xa, yb - ya
            length = dx * dx + dy * dy
            t = 0.0 if length == 0 else max(0.0, min(1.0, ((x - xa) * dx + (y - ya) * dy) / length))
            best = min(best, math.hypot(x - xa - t * dx, y - ya - t * dy))
    return best


def _box_samples(box: _Box) -> list[tuple[float, float]]:
    xs = (box.x0, (box.x0 + box.x1) / 2, box.x1)
    ys = (box.y0, (box.y0 + box.y1) / 2, box.y1)
    return [(x, y) for x in xs for y in ys]


def _deg(value: float) -> str:
    return str(abs(round(value)))


# ---- symbols and labels --------------------------------------------------------------------------------


def _kind(kind: str) -> str:
    kind = (kind or "").lower().replace("_", " ")
    for name, aliases in _KIND_ALIASES.items():
        if any(alias in kind for alias in aliases):
            return name
    return "other"


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


def _halo_text(x: float, y: float, content: str, **style: Any) -> list[str]:
    """Text over a white halo (a stroked copy underneath), legible over borders and symbols."""
    halo = 'stroke="#ffffff" stroke-width="2.6" stroke-linejoin="round" stroke-opacity="0.9"'
    return [text(x, y, content, extra=halo, **{**style, "fill": "#ffffff"}), text(x, y, content, **style)]


def _text_box(x: float, y: float, w: float, size: float, anchor: str) -> _Box:
    x0 = x if anchor == "start" else x - w if anchor == "end" else x - w / 2
    return _Box(x0 - 1.5, y - size * 0.78, x0 + w + 1.5, y + size * 0.26)


_PointLabel = tuple[_Box, float, float, str, tuple[float, float, float, float] | None]


def _place_point_label(name: str, kind: str, x: float, y: float, r: float, frame: _Box, obstacles: list[_Box],
                       labels: list[_Box]) -> _PointLabel | None:
    size = 9.5
    w = text_width(name, size, bold=kind == "base")
    g = r + 3.0 if kind != "region" else 3.0
    lift = size * 0.35  # baseline offset that centres the text on y
    candidates: list[tuple[float, float, str, float]] = []  # tx, ty, anchor, extra distance
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
    best: tuple[float, _PointLabel] | None = None
    for tx, ty, anchor, far in candidates:
        box = _text_box(tx, ty, w, size, anchor)
        if not box.inside(frame):
            continue
        cost = sum(box.overlap(o) for o in obstacles) + sum(box.overlap(o) for o in labels) * 2
        cost += far * 0.5
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


def _place_country_label(country: _Country, rings: list[list[tuple[float, float]]], focus: bool,
                         project: Callable[[float, float], tuple[float, float]], frame: _Box,
                         taken: list[_Box]) -> tuple[_Box, str] | None:
    size = 10.5 if focus else 9.0
    fill = GREY  # AA contrast for small text; focus countries stand out by size
    xs = [x for r in rings for x, _ in r]
    ys = [y for r in rings for _, y in r]
    bx0, by0, bx1, by1 = min(xs), min(ys), max(xs), max(ys)
    candidates: list[tuple[float, float]] = []
    lx, ly = project(*country.label)
    if frame.x0 < lx < frame.x1 and frame.y0 < ly < frame.y1 and _in_rings(rings, (lx, ly)):
        candidates.append((lx, ly))
    grid = []
    for i in range(1, 16):
        for j in range(1, 12):
            gx = bx0 + (bx1 - bx0) * i / 16
            gy = by0 + (by1 - by0) * j / 12
            if _in_rings(rings, (gx, gy)):
                grid.append((-_edge_distance(rings, gx, gy), gx, gy))
    grid.sort()
    candidates += [(gx, gy) for _, gx, gy in grid[:40]]
    italic = not country.assigned  # an area, not a country: named like a region
    names = (country.name, country.abbrev) if italic else (country.name.upper(), country.abbrev.upper())
    for label in names:
        w = text_width(label, size, bold=focus)
        for cx, cy in candidates:
            ty = cy + size * 0.35
            box = _text_box(cx, ty, w, size, "middle")
            if not box.inside(frame) or any(box.overlap(t) for t in taken):
                continue
            if not all(_in_rings(rings, pt) for pt in _box_samples(box)):
                continue
            return box, text(cx, ty, esc(label), size=size, fill=fill, anchor="middle", bold=focus, italic=italic)
    return None


def _scale_bar(frame: _Box, km_per_px: float, taken: list[_Box]) -> list[str]:
    target = frame.x1 - frame.x0
    target_km = target * 0.2 * km_per_px
    length_km = max([n for n in (10, 20, 25, 50, 100, 150, 200, 250, 500, 1000, 2000) if n <= target_km] or [10])
    length = length_km / km_per_px
    out: list[str] = []
    for corner in ("bl", "br", "tl", "tr"):
        x = frame.x0 + 10 if corner[1] == "l" else frame.x1 - 10 - length - 20
        y = frame.y1 - 12 if corner[0] == "b" else frame.y0 + 24
        box = _Box(x - 6, y - 16, x + length + 28, y + 8)
        if not any(box.overlap(t) for t in taken) or corner == "tr":
            break
    out.append(f'<rect x="{num(box.x0)}" y="{num(box.y0)}" width="{num(box.x1 - box.x0)}" '
               f'height="{num(box.y1 - box.y0)}" fill="#ffffff" fill-opacity="0.8"/>')
    half = length / 2
    out.append(f'<rect x="{num(x)}" y="{num(y - 3)}" width="{num(half)}" height="4" fill="{INK_2}" '
               f'stroke="{INK_2}" stroke-width="0.6"/>')
    out.append(f'<rect x="{num(x + half)}" y="{num(y - 3)}" width="{num(half)}" height="4" fill="#ffffff" '
               f'stroke="{INK_2}" stroke-width="0.6"/>')
    out.append(text(x, y - 6, "0", size=8, fill=INK_2, anchor="middle"))
    out.append(text(x + half, y - 6, f"{length_km / 2:g}", size=8, fill=INK_2, anchor="middle"))
    out.append(text(x + length - text_width(f"{length_km:g}", 8) / 2, y - 6, f"{length_km:g} km", size=8,
                    fill=INK_2))
    return out


__all__ = ["MapPoint", "map_svg"]
