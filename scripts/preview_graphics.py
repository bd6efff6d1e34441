#!/usr/bin/env python3
"""Render the three briefgen graphics with sample data to HTML, PDF and (with pdftoppm) PNG pages.

    python scripts/preview_graphics.py [OUT_DIR]        # default: /tmp/briefgen-graphics
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

from weasyprint import CSS, HTML

from briefgen.assemble.views import FigureItem, TimelineEntry
from briefgen.graphics import MapPoint, figures_chart_svg, map_svg, timeline_svg

STATIC = Path(__file__).resolve().parent.parent / "briefgen" / "static"
BUILD_DATE = dt.date(2025, 10, 1)


def entry(date: str, label: str, what: str, precision: str = "day", planned: bool = False) -> TimelineEntry:
    parts = [int(p) for p in date.split("-")]
    end = dt.date(parts[0], parts[1], parts[2] if len(parts) > 2 else 28)
    upcoming = end >= BUILD_DATE
    return TimelineEntry(date=date, date_label=label, precision=precision, what=what, kind="withdrawal",
                         planned=planned or upcoming, upcoming=upcoming)


TIMELINE = [
    entry("2024-11", "November 2024", "Coalition announces two-phase end of the military mission in Iraq",
          "month"),
    entry("2025-01-15", "15 January 2025", "US forces begin drawdown from Baghdad and Ain al-Asad"),
    entry("2025-03", "March 2025", "ISIS cells step up attacks in the Hamrin Mountains", "month"),
    entry("2025-06-10", "10 June 2025", "Iraqi forces take over Victory Base security"),
    entry("2025-08-20", "20 August 2025", "Raid on ISIS hideout in Wadi Hauran kills senior commander"),
    entry("2025-09", "September 2025", "Ain al-Asad Air Base handed over to Iraqi command", "month"),
    entry("2025-10-15", "15 October 2025", "Coalition troops relocate to Harir Air Base in Erbil"),
    entry("2026-01", "January 2026", "Review of remaining advisory presence in Kurdistan Region", "month"),
    entry("2026-09", "September 2026", "Coalition mission in Iraq scheduled to end", "month"),
    entry("2026-09-30", "30 September 2026", "Transition to bilateral security partnerships"),
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
    MapPoint("Idlib", 35.93, 36.63, "city", 2),
]


def page() -> str:
    figures = figures_chart_svg(FIGURES)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>briefgen graphics preview</title>
<style>{(STATIC / "brief.css").read_text()}
.graphic {{ margin: 0 0 1.2rem; break-inside: avoid; page-break-inside: avoid; }}
.graphic figcaption {{ font-size: 0.8rem; color: #646d78; margin-top: 0.3rem; }}
</style></head>
<body>
<section class="section"><h2>Withdrawal timeline</h2>
<figure class="graphic">{timeline_svg(TIMELINE, BUILD_DATE)}</figure></section>
<section class="section"><h2>Threat summary</h2>
<figure class="graphic">{figures}</figure></section>
<section class="section"><h2>Active zones</h2>
<figure class="graphic">{map_svg(POINTS)}</figure></section>
</body></html>"""


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/briefgen-graphics")
    out.mkdir(parents=True, exist_ok=True)
    html = page()
    (out / "preview.html").write_text(html, encoding="utf-8")
    HTML(string=html, base_url=str(out)).write_pdf(
        out / "preview.pdf", stylesheets=[CSS(filename=str(STATIC / "print.css"))]
    )
    print(out / "preview.html")
    print(out / "preview.pdf")
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "70", str(out / "preview.pdf"), str(out / "page")], check=True)
        for png in sorted(out.glob("page*.png")):
            print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
