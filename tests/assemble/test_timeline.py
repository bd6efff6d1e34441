"""The example's withdrawal timeline: each entry's status, planned vs actual dates, dates sources differ on."""

from __future__ import annotations

import datetime as dt

from lxml import html

from briefgen.assemble.happenings import dates_agree, reports_done, same_happening
from briefgen.assemble.views import TimelineEntry, TimelineSection
from briefgen.facts import Event
from briefgen.render import Renderer
from tests.assemble.conftest import Example, section


def timeline(example: Example, build_date: dt.date | None = None) -> TimelineSection:
    view = example.view() if build_date is None else example.view(build_date=build_date)
    found = section(view, "withdrawal_timeline")
    assert isinstance(found, TimelineSection)
    return found


def entry_about(found: TimelineSection, words: str) -> TimelineEntry:
    (entry,) = [entry for entry in [*found.past, *found.upcoming] if words in entry.what]
    return entry


def test_ain_al_asad_is_done_with_planned_and_actual_dates_and_the_disagreeing_date(example: Example) -> None:
    entry = entry_about(timeline(example), "Ain al-Asad")
    assert entry.status == "done" and not entry.upcoming
    assert entry.date_label == "September 2025"
    assert [(claim.date_label, claim.sources) for claim in entry.planned_dates] == [
        ("September 2025", ["Tigris Wire", "Levant Monitor"]), ("January 2026", ["Gulf Security Review"])]
    assert [(claim.date_label, claim.sources) for claim in entry.done_dates] == [
        ("September 2025", ["Northern Field Desk", "Euphrates Dispatch"])]
    assert entry.dates_differ


def test_the_january_date_is_not_a_second_entry(example: Example) -> None:
    found = timeline(example)
    assert not [entry for entry in [*found.past, *found.upcoming] if entry.date == "2026-01"]


def test_final_withdrawal_is_planned_before_its_date_and_overdue_after_it(example: Example) -> None:
    before = entry_about(timeline(example), "final withdrawal")
    assert (before.status, before.upcoming, before.date_label) == ("planned", True, "September 2026")
    after = entry_about(timeline(example, dt.date(2026, 11, 21)), "final withdrawal")
    assert (after.status, after.upcoming) == ("overdue", False)


def test_an_event_reported_as_happened_is_done(example: Example) -> None:
    entry = entry_about(timeline(example), "still deployed")
    assert entry.status == "done" and not entry.planned


def test_html_shows_status_and_each_date_with_its_sources(example: Example) -> None:
    page = html.fromstring(Renderer(example.project).html(example.view()))
    (item,) = [li for li in page.xpath('//section[@id="withdrawal-timeline"]//li')
               if "Ain al-Asad" in li.text_content()]
    text = " ".join(item.text_content().split())
    assert item.xpath('.//span[contains(@class, "status-done")]/text()') == ["done"]
    assert item.xpath('.//dl[contains(@class, "dates-differ")]')
    assert "Sources differ" in text
    assert "Planned September 2025 Tigris Wire, Levant Monitor" in text
    assert "January 2026 Gulf Security Review" in text
    assert "Done September 2025 Northern Field Desk, Euphrates Dispatch" in text


def event(kind: str, date: str, planned: bool, places: list[str]) -> Event:
    return Event(id=f"{kind}-{date}", date=date, date_text=date, kind=kind, what="", doc="d", start=0, end=1,
                 planned=planned, locations=places)


def test_same_happening_rule_is_kind_or_both_plans_and_a_shared_place() -> None:
    plan, other_plan = event("withdrawal", "2025-09", True, ["base"]), event("agreement", "2026-01", True, ["base"])
    assert same_happening(plan, other_plan, {"base"}, {"base"})
    assert not same_happening(plan, other_plan, {"base"}, {"camp"})
    assert not same_happening(plan, event("attack", "2025-09", False, ["base"]), {"base"}, {"base"})


def test_a_report_of_a_loose_kind_at_the_plans_place_says_it_happened() -> None:
    plan = event("agreement", "2025-09", True, ["base"])
    assert reports_done(event("other", "2025-09", False, ["base"]), plan, {"base"}, {"base"})
    assert not reports_done(event("deployment", "2025-09", False, ["base"]), plan, {"base"}, {"base"})
    assert not reports_done(event("other", "2025-09", True, ["base"]), plan, {"base"}, {"base"})


def test_dates_agree_when_one_narrows_the_other() -> None:
    assert dates_agree("2025-09", "2025-09-27") and dates_agree("2025", "2025-09")
    assert not dates_agree("2025-09", "2026-01") and not dates_agree("2025-01", "2025-10")
