"""Graphics: well-formed, accessible, self-contained SVG; hostile text escaped; geometry where it belongs.

The map has tests of its own in test_map.py."""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from briefgen.assemble.views import FigureItem, TimelineEntry
from briefgen.graphics import MapPoint, figures_chart_svg, map_svg, timeline_svg

SVG = "{http://www.w3.org/2000/svg}"
BUILD = dt.date(2025, 10, 1)
HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


def entry(date: str, what: str, upcoming: bool, precision: str | None = None, label: str | None = None):
    precision = precision or {1: "year", 2: "month", 3: "day"}[len(date.split("-"))]
    return TimelineEntry(date=date, date_label=label or date, precision=precision, what=what, kind="withdrawal",
                         planned=upcoming, upcoming=upcoming)


TIMELINE = [
    entry("2024-11", "Coalition announces the end of its mission in Iraq", False, label="November 2024"),
    entry("2025-01-15", "US forces begin drawdown from Baghdad", False),
    entry("2025-03", "ISIS cells step up attacks in the Hamrin Mountains", False),
    entry("2025-06-10", "Iraqi forces take over Victory Base", False),
    entry("2025-09", "Ain al-Asad Air Base handed over", False),
    entry("2025-10-15", "Coalition troops relocate to Harir Air Base", True),
    entry("2026-01", "Review of the advisory presence", True),
    entry("2026-09", "Coalition mission in Iraq scheduled to end", True),
]

FIGURES = [
    FigureItem(text="about 2,500", low=2500, high=2500, subject="US troops", unit=None, sentence=""),
    FigureItem(text="fewer than 500", low=0, high=500, subject="US troops", unit=None, sentence=""),
    FigureItem(text="roughly 1,000", low=1000, high=1000, subject="ISIS fighters", unit=None, sentence=""),
    FigureItem(text="150\u2013200", low=150, high=200, subject="micro-cells", unit=None, sentence=""),
]

POINTS = [
    MapPoint("Ain al-Asad Air Base", 33.80, 42.44, "base", 9),
    MapPoint("Harir Air Base", 36.54, 44.35, "base", 5),
    MapPoint("al-Hol camp", 36.37, 41.15, "camp", 7),
    MapPoint("Wadi Hauran", 33.0, 40.5, "region", 3),
    MapPoint("Hamrin Mountains", 34.6, 44.6, "region", 4),
    MapPoint("Erbil", 36.19, 44.01, "city", 6),
    MapPoint("Kirkuk", 35.47, 44.39, "city", 4),
    MapPoint("Baghdad", 33.31, 44.37, "city", 12),
    MapPoint("Damascus", 33.51, 36.29, "city", 3),
    MapPoint("Mosul", 36.34, 43.13, "city", 8),
    MapPoint("Basra", 30.51, 47.78, "city", 2),
    MapPoint("Idlib", 35.93, 36.63, "city", 2),
]


def parse(svg: Markup) -> ET.Element:
    assert isinstance(svg, Markup)
    return ET.fromstring(str(svg))


def check_svg(svg: Markup) -> ET.Element:
    """Well-formed, accessible, scalable and self-contained."""
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox", "").startswith("0 0 ")
    assert "width:100%" in root.get("style", "")
    assert "DejaVu Sans" in root.get("font-family", "")
    children = list(root)
    assert children[0].tag == f"{SVG}title" and children[0].text
    assert children[1].tag == f"{SVG}desc" and children[1].text
    for element in root.iter():
        assert element.tag.removeprefix(SVG) not in {"script", "image", "foreignObject", "use", "style", "a"}
        # class names of their own, so a page's stylesheet (brief.css has .bar, .event, .figure) cannot restyle them
        assert all(token.startswith("gfx") for token in element.get("class", "").split())
        for name, value in element.attrib.items():
            assert "href" not in name and not name.startswith("on")
            assert "url(" not in value and "http" not in value
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def assert_escaped(svg: Markup) -> None:
    source = str(svg)
    assert "<script" not in source and "<img" not in source
    assert "&lt;script&gt;" in source
    root = parse(svg)
    assert not [e for e in root.iter() if e.tag.removeprefix(SVG) in {"script", "img"}]


# ---- timeline ------------------------------------------------------------------------------------------


def test_timeline_is_well_formed_and_accessible() -> None:
    root = check_svg(timeline_svg(TIMELINE, BUILD))
    assert root.find(f"{SVG}title").text == "Timeline of events"
    shown = " ".join(texts(root))
    assert "November 2024" in shown and "Today 1 Oct 2025" in shown
    assert "Coalition mission in Iraq" in shown


def test_timeline_today_line_lies_between_past_and_upcoming() -> None:
    root = parse(timeline_svg(TIMELINE, BUILD))
    today = next(e for e in root.iter(f"{SVG}line") if e.get("class") == "gfx-today")
    today_x = float(today.get("x1"))
    past, upcoming = [], []
    for group in root.iter(f"{SVG}g"):
        if "gfx-event" not in (group.get("class") or "").split():
            continue
        x = float(group.find(f"{SVG}circle").get("cx"))
        (upcoming if "gfx-upcoming" in group.get("class") else past).append(x)
    assert len(past) == 5 and len(upcoming) == 3
    assert max(past) < today_x < min(upcoming)
    xs = past + upcoming
    assert xs == sorted(xs)  # markers in date order


def test_timeline_markers_filled_for_past_hollow_for_upcoming() -> None:
    root = parse(timeline_svg(TIMELINE, BUILD))
    for group in root.iter(f"{SVG}g"):
        if "gfx-event" in (group.get("class") or ""):
            fill = group.find(f"{SVG}circle").get("fill")
            assert (fill == "#ffffff") == ("gfx-upcoming" in group.get("class"))


def test_timeline_labels_do_not_overlap_and_leaders_do_not_cross_labels() -> None:
    entries = [*TIMELINE, entry("2025-09-20", "Raid on an ISIS hideout", False),
               entry("2025-09-20", "Second event the same day", False)]
    root = parse(timeline_svg(entries, BUILD))
    boxes, leaders = [], []
    for group in root.iter(f"{SVG}g"):
        if "gfx-event" not in (group.get("class") or ""):
            continue
        rect = next(r for r in group.iter(f"{SVG}rect") if r.get("class") == "gfx-label-bg")
        x, y, w, h = (float(rect.get(k)) for k in ("x", "y", "width", "height"))
        boxes.append((x, y, x + w, y + h))
        line = next(ln for ln in group.iter(f"{SVG}line") if ln.get("class") == "gfx-leader")
        y1, y2 = sorted((float(line.get("y1")), float(line.get("y2"))))
        leaders.append((float(line.get("x1")), y1, y2))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
        for j, (lx, y1, y2) in enumerate(leaders):
            if j != i:
                crosses = a[0] + 0.5 < lx < a[2] - 0.5 and y1 < a[3] - 0.5 and a[1] + 0.5 < y2
                assert not crosses, (a, lx)


def test_timeline_cuts_only_what_three_lines_cannot_hold_with_an_ellipsis() -> None:
    long = "Coalition " + " ".join(["troops"] * 40)
    root = parse(timeline_svg([entry("2025-05-01", long, False)], BUILD))
    event = next(g for g in root.iter(f"{SVG}g") if "gfx-event" in (g.get("class") or ""))
    lines = [t for t in ("".join(e.itertext()) for e in event.iter(f"{SVG}text")) if "troops" in t]
    assert len(lines) == 3 and lines[0].startswith("Coalition troops")
    assert lines[-1].endswith("\u2026") and not any(line.endswith("\u2026") for line in lines[:-1])
    assert long in root.find(f"{SVG}desc").text  # the full text stays available


def test_timeline_escapes_hostile_text() -> None:
    svg = timeline_svg([entry("2025-05-01", HOSTILE, False, label=HOSTILE)], BUILD)
    check_svg(svg)
    assert_escaped(svg)


def test_timeline_handles_no_entries_and_bad_dates() -> None:
    root = check_svg(timeline_svg([], BUILD))
    assert "No dated events" in texts(root)
    root = check_svg(timeline_svg([entry("not-a-date", "x", False, precision="day"),
                                   entry("2030", "Far future", True)], BUILD))
    assert "2030" in " ".join(texts(root))


def test_timeline_long_span_uses_year_ticks() -> None:
    entries = [entry("2014-06", "Mosul falls", False), entry("2019-03-23", "Baghuz falls", False),
               entry("2026", "Mission ends", True)]
    shown = texts(parse(timeline_svg(entries, BUILD)))
    assert "2016" in shown and "Jan" not in shown


# ---- figures -------------------------------------------------------------------------------------------


def test_figures_chart_draws_bars_values_and_subjects() -> None:
    svg = figures_chart_svg(FIGURES)
    assert svg is not None
    root = check_svg(svg)
    shown = texts(root)
    for label in ("about 2,500", "fewer than 500", "roughly 1,000", "150\u2013200", "US troops", "Micro-cells"):
        assert label in shown
    bars = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "gfx-figure":
            title = group.find(f"{SVG}title").text
            bars[title] = {r.get("class"): float(r.get("width")) for r in group.iter(f"{SVG}rect")}
    assert bars["US troops: about 2,500"]["gfx-bar gfx-value"] == pytest.approx(
        2.5 * bars["ISIS fighters: roughly 1,000"]["gfx-bar gfx-value"], rel=0.01)
    assert set(bars["US troops: fewer than 500"]) == {"gfx-bar gfx-range"}  # 0..500: all lighter
    # solid to 150, lighter from 150 to 200
    assert set(bars["Micro-cells: 150\u2013200"]) == {"gfx-bar gfx-value", "gfx-bar gfx-range"}


def test_figures_chart_needs_two_unitless_figures() -> None:
    assert figures_chart_svg([]) is None
    assert figures_chart_svg(FIGURES[:1]) is None
    with_unit = FigureItem(text="3 km", low=3, high=3, subject="front", unit="km", sentence="")
    assert figures_chart_svg([FIGURES[0], with_unit]) is None


def test_figures_chart_escapes_hostile_text() -> None:
    hostile = FigureItem(text=HOSTILE, low=5, high=10, subject=HOSTILE, unit=None, sentence="")
    svg = figures_chart_svg([FIGURES[0], hostile])
    check_svg(svg)
    assert_escaped(svg)


# ---- PDF ------------------------------------------------------------------------------------------------------


def test_page_with_all_three_graphics_renders_to_pdf(caplog: pytest.LogCaptureFixture) -> None:
    from pypdf import PdfReader
    from weasyprint import HTML

    body = "".join(f"<figure>{svg}</figure>" for svg in (
        timeline_svg(TIMELINE, BUILD), figures_chart_svg(FIGURES), map_svg(POINTS)))
    head = '<head><meta charset="utf-8"><title>Graphics</title></head>'
    html = f'<!doctype html><html lang="en">{head}<body>{body}</body></html>'
    with caplog.at_level("WARNING", logger="weasyprint"):
        pdf = HTML(string=html).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert not [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for word in ("Baghdad", "about 2,500", "November 2024"):
        assert word in text
