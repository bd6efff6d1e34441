"""Timeline dates sources differ on: the best-graded source's date first, each source with its grade."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from lxml import html

from tests.assemble.timeline_facts import Report, Source, build, entries, render, timelines, write_project

WITHDRAWAL = "Coalition forces will withdraw from Camp Zeta"
SOURCES = [
    Source("Tigris Wire", "2025-06-01", [Report(WITHDRAWAL, "2025-09", "withdrawal", True, ("Camp Zeta",))]),
    Source("Gulf Review", "2025-06-10", [Report("Officials told the Gulf Review that the coalition would be out of "
                                                "Camp Zeta", "2026-01", "withdrawal", True, ("Camp Zeta",))]),
]


@pytest.mark.parametrize(("grades", "order"), [
    ("", [("September 2025", "Tigris Wire", None), ("January 2026", "Gulf Review", None)]),
    ("grades:\n  Gulf Review: B2\n  Tigris Wire: D4\n",
     [("January 2026", "Gulf Review", "B2"), ("September 2025", "Tigris Wire", "D4")]),
    ("grades:\n  Gulf Review: C\n", [("January 2026", "Gulf Review", "C"), ("September 2025", "Tigris Wire", None)]),
])
def test_differing_dates_come_best_graded_first_then_by_date(
        tmp_path: Path, grades: str, order: list[tuple[str, str, str | None]]) -> None:
    view = build(write_project(tmp_path, settings=grades), SOURCES, dt.date(2025, 7, 1))
    (entry,) = entries(timelines(view)[0])
    assert entry.dates_differ
    assert [(claim.date_label, source.name, source.grade)
            for claim in entry.planned_dates for source in claim.graded_sources] == order


def test_each_date_shows_its_sources_grade(tmp_path: Path) -> None:
    root = write_project(tmp_path, settings="grades:\n  Gulf Review: B2\n")
    page = html.fromstring(render(root, build(root, SOURCES, dt.date(2025, 7, 1))))
    claims = [" ".join(item.text_content().split()) for item in page.xpath('//span[@class="date-claim"]')]
    assert claims == ["January 2026 Gulf Review (B2)2", "September 2025 Tigris Wire (ungraded)1"]


def test_grades_order_the_dates_but_not_the_date_an_entry_is_shown_at(tmp_path: Path) -> None:
    shown = []
    for grades in ("", "grades:\n  Tigris Wire: A1\n  Gulf Review: E5\n", "grades:\n  Gulf Review: A1\n"):
        root = write_project(tmp_path / str(len(shown)), settings=grades)
        (entry,) = entries(timelines(build(root, SOURCES, dt.date(2025, 7, 1)))[0])
        shown.append((entry.date_label, entry.status))
    assert shown == [("January 2026", "planned")] * 3  # a plan that slipped is due at its latest date
