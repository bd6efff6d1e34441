"""Timeline entries a reader can trust: statuses from what sources report, one entry per occurrence,
clean clauses. Facts are given as reports (see timeline_facts); assembly and rendering are real."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from lxml import html

from briefgen.assemble.clauses import clean_clause
from tests.assemble.timeline_facts import Report, Source, build, entries, render, timelines, write_project

PLAN = Report("The last troops are to leave Camp Aurora by 20 December 2024.", "2024-12-20", "withdrawal",
              planned=True, places=("Camp Aurora",))
LEFT = Report("The last troops left Camp Aurora on Friday.", "2024-12-20", "withdrawal", places=("Camp Aurora",))


def withdrawals(root: Path, sources: list[Source], build_date: dt.date) -> list[tuple[str, str, bool]]:
    """(date label, status, upcoming) of each withdrawal timeline entry."""
    found = timelines(build(root, sources, build_date))[0]
    return [(entry.date_label, entry.status, entry.upcoming) for entry in entries(found)]


def test_a_past_event_never_planned_is_done_whenever_the_brief_is_built(tmp_path: Path) -> None:
    root = write_project(tmp_path)
    for build_date in (dt.date(2025, 1, 5), dt.date(2026, 1, 5)):
        assert withdrawals(root, [Source("Wire B", "2024-12-22", [LEFT])], build_date) == [
            ("20 December 2024", "done", False)]


def test_a_plan_is_planned_while_its_date_is_ahead_and_overdue_once_passed_with_no_report(tmp_path: Path) -> None:
    root = write_project(tmp_path)
    plan = [Source("Wire A", "2024-11-01", [PLAN])]
    assert withdrawals(root, plan, dt.date(2024, 12, 1)) == [("20 December 2024", "planned", True)]
    assert withdrawals(root, plan, dt.date(2025, 6, 1)) == [("20 December 2024", "overdue", False)]


def test_a_plan_a_source_reports_done_is_one_done_entry(tmp_path: Path) -> None:
    root = write_project(tmp_path)
    sources = [Source("Wire A", "2024-11-01", [PLAN]), Source("Wire B", "2024-12-22", [LEFT])]
    (entry,) = entries(timelines(build(root, sources, dt.date(2025, 6, 1)))[0])
    assert entry.status == "done" and entry.date_label == "20 December 2024"
    assert [claim.sources for claim in entry.planned_dates] == [["Wire A"]]
    assert [claim.sources for claim in entry.done_dates] == [["Wire B"]]


def test_a_december_event_reported_as_happened_is_not_overdue_when_a_later_source_tells_the_plan(
        tmp_path: Path) -> None:
    root = write_project(tmp_path)
    told_later = Report("The troops had been due to leave Camp Aurora in December 2024.", "2024-12", "withdrawal",
                        planned=True, places=("Camp Aurora",))
    sources = [Source("Wire B", "2024-12-22", [LEFT]), Source("Review C", "2025-03-10", [told_later])]
    assert withdrawals(root, sources, dt.date(2025, 6, 1)) == [("20 December 2024", "done", False)]


def test_a_deadline_naming_no_place_is_met_by_its_own_story_s_report(tmp_path: Path) -> None:
    root = write_project(tmp_path)
    deadline = Report("All of them would leave by 15 September.", "2024-09-15", "withdrawal", planned=True,
                      date_text="15 September")
    handed = Report("The troops handed Camp Aurora to the army on 5 August, completing their withdrawal.",
                    "2024-08-05", "withdrawal", places=("Camp Aurora",))
    other_story = [Source("Wire A", "2024-08-06", [deadline]), Source("Wire B", "2024-08-06", [handed])]
    assert ("15 September 2024", "overdue", False) in withdrawals(root, other_story, dt.date(2025, 6, 1))
    first_step = Report("The troops had already left Camp Borealis on 7 July.", "2024-07-07", "withdrawal",
                        places=("Camp Borealis",))
    same_story = [Source("Wire A", "2024-08-06", [deadline, first_step, handed])]
    found = withdrawals(root, same_story, dt.date(2025, 6, 1))
    assert ("15 September 2024", "overdue", False) not in found
    (entry,) = [entry for entry in entries(timelines(build(root, same_story, dt.date(2025, 6, 1)))[0])
                if entry.planned_dates]
    assert entry.status == "done" and entry.date_label == "5 August 2024" and not entry.dates_differ


def test_a_plan_set_for_a_later_date_is_not_met_by_its_own_story_s_earlier_report(tmp_path: Path) -> None:
    """A story that tells a plan as still to come on a set day does not report it met before that day; a
    deadline ("by 15 September", above) can be met early."""
    root = write_project(tmp_path)
    talks = Report("A new round of talks on the agreement is expected to begin on 13 March.", "2025-03-13",
                   "agreement", planned=True, date_text="13 March")
    agreed = Report("On 27 November, the two governments agreed to form joint brigades.", "2024-11-27", "agreement")
    story = [Source("Wire A", "2024-11-28", [agreed, talks])]
    assert withdrawals(root, story, dt.date(2024, 12, 1)) == [("27 November 2024", "done", False),
                                                              ("13 March 2025", "planned", True)]
    assert withdrawals(root, story, dt.date(2025, 6, 1))[-1] == ("13 March 2025", "overdue", False)


def test_copies_of_one_story_telling_the_steps_of_a_plan_complete_it_once(tmp_path: Path) -> None:
    root = write_project(tmp_path)
    deadline = Report("All of them would leave by 15 September.", "2024-09-15", "withdrawal", planned=True,
                      date_text="15 September")
    first_step = Report("The troops had already left Camp Borealis on 7 July.", "2024-07-07", "withdrawal",
                        places=("Camp Borealis",))
    handed = Report("The troops handed Camp Aurora to the army on 5 August, completing their withdrawal.",
                    "2024-08-05", "withdrawal", places=("Camp Aurora",))
    told = [deadline, first_step, handed]
    copies = [Source("Wire A", "2024-08-06", told), Source("Paper B", "2024-08-07", told)]
    view = build(root, copies, dt.date(2025, 6, 1))
    assert [[copy.outlet for copy in source.copies] for source in view.sources] == [["Paper B"]]
    (entry,) = [entry for entry in entries(timelines(view)[0]) if entry.planned_dates]
    assert entry.status == "done" and entry.date_label == "5 August 2024" and not entry.dates_differ


def test_copies_of_one_story_dating_a_plan_differently_are_an_update_not_sources_differing(tmp_path: Path) -> None:
    plan = "Coalition forces will withdraw from Camp Zeta"
    copies = [Source("Wire A", "2025-06-01", [Report(plan, "2025-09", "withdrawal", True, ("Camp Zeta",))]),
              Source("Paper B", "2025-06-10", [Report(plan, "2026-01", "withdrawal", True, ("Camp Zeta",))])]
    independent = [*copies, Source("Review C", "2025-06-12", [Report(
        "Officials told the Review that the last coalition troops would be out of Camp Zeta", "2025-12",
        "withdrawal", True, ("Camp Zeta",))])]
    (updated,) = entries(timelines(build(write_project(tmp_path / "a"), copies, dt.date(2025, 7, 1)))[0])
    (differing,) = entries(timelines(build(write_project(tmp_path / "b"), independent, dt.date(2025, 7, 1)))[0])
    assert len(updated.planned_dates) == 2 and not updated.dates_differ
    assert updated.date_label == "January 2026"  # the latest date of a plan that slipped
    assert differing.dates_differ


RAID = Report("Fighters of the Red Banner stormed the army post at Sabra on Sunday.", "2025-01-05", "attack",
              places=("Sabra",), actors=("Red Banner",))


def test_reports_of_one_attack_are_one_entry_citing_every_story(tmp_path: Path) -> None:
    root = write_project(tmp_path)
    month_only = Report("In January the Red Banner killed six soldiers in a raid on a base.", "2025-01", "attack",
                        actors=("Red Banner",))
    wire_copy = Report("NORTHGATE, Jan. 6 (Wire) -- Fighters of the Red Banner stormed the army post at Sabra on "
                       "Sunday.", "2025-01-05", "attack", places=("Sabra",))
    sources = [Source("Wire A", "2025-01-06", [RAID]), Source("Paper B", "2025-01-07", [wire_copy]),
               Source("Review C", "2025-01-20", [month_only])]
    view = build(root, sources, dt.date(2025, 6, 1))
    (entry,) = entries(timelines(view)[1])
    assert entry.date_label == "5 January 2025"
    # Paper B ran Wire A's story: one source (number 1) published by both, and Review C's report.
    assert sorted(cite.number for cite in entry.cites) == [1, 2]
    assert [(source.outlet, [copy.outlet for copy in source.copies]) for source in view.sources] == [
        ("Wire A", ["Paper B"]), ("Review C", [])]
    page = html.fromstring(render(root, view))
    (item,) = page.xpath('//section[@id="attacks"]//li[contains(@class, "event")]')
    assert "NORTHGATE" not in item.text_content() and "Fighters of the Red Banner stormed" in item.text_content()


def test_a_year_long_trend_joins_no_attack_and_chains_none_together(tmp_path: Path) -> None:
    root = write_project(tmp_path)
    july = Report("A raid in late July bore that out.", "2025-07", "attack", actors=("Red Banner",))
    trend = Report("The Red Banner stepped up attacks around Sabra in 2025.", "2025", "attack", places=("Sabra",),
                   actors=("Red Banner",))
    november = Report("On 9 November gunmen attacked a checkpoint at Sabra.", "2025-11-09", "attack",
                      places=("Sabra",))
    view = build(root, [Source("Wire A", "2025-08-01", [july]), Source("Wire B", "2025-11-20", [trend, november])],
                 dt.date(2025, 12, 1))
    assert [entry.date for entry in entries(timelines(view)[1])] == ["2025", "2025-07", "2025-11-09"]


def test_a_month_joins_one_day_of_it_not_two(tmp_path: Path) -> None:
    root = write_project(tmp_path)
    month = Report("The Red Banner raided Sabra in September.", "2025-09", "attack", places=("Sabra",),
                   actors=("Red Banner",))
    first = Report("Gunmen raided Sabra on 5 September.", "2025-09-05", "attack", places=("Sabra",))
    second = Report("Gunmen raided Sabra again on 27 September.", "2025-09-27", "attack", places=("Sabra",))
    view = build(root, [Source("Wire A", "2025-10-01", [month]), Source("Wire B", "2025-10-02", [first, second])],
                 dt.date(2025, 12, 1))
    assert [(entry.date, len(entry.cites)) for entry in entries(timelines(view)[1])] == [
        ("2025-09-05", 2), ("2025-09-27", 1)]


def test_attacks_on_one_day_at_different_places_stay_apart(tmp_path: Path) -> None:
    root = write_project(tmp_path)
    elsewhere = Report("Fighters of the Red Banner stormed a checkpoint at Dorn on Sunday.", "2025-01-05", "attack",
                       places=("Dorn",), actors=("Red Banner",))
    view = build(root, [Source("Wire A", "2025-01-06", [RAID, elsewhere])], dt.date(2025, 6, 1))
    assert len(entries(timelines(view)[1])) == 2


def test_withdrawals_by_one_actor_on_one_day_from_different_countries_stay_apart(tmp_path: Path) -> None:
    root = write_project(tmp_path)
    first = Report("The Stabilisation Mission's last soldiers left Veland on Friday.", "2023-12-22", "withdrawal",
                   places=("Veland",), actors=("Stabilisation Mission",))
    second = Report("The Stabilisation Mission also left Ostra.", "2023-12-22", "withdrawal", places=("Ostra",),
                    actors=("Stabilisation Mission",))
    sources = [Source("Wire A", "2023-12-23", [first]), Source("Wire B", "2023-12-23", [second])]
    assert len(withdrawals(root, sources, dt.date(2024, 6, 1))) == 2


@pytest.mark.parametrize(("written", "clean"), [
    ("NIAMEY, Aug. 5 (Xinhua) -- The last troops left.", "The last troops left."),
    ("ERBIL, Kurdistan Region - The general vowed to stay.", "The general vowed to stay."),
    ("Kurdistan Region - The general vowed to stay.", "The general vowed to stay."),
    ("KHARTOUM/PORT SUDAN - The army said it retook the bridge.", "The army said it retook the bridge."),
    ("(Reuters) - Militants targeted the convoy.", "Militants targeted the convoy."),
    ("By Jane Doe NAIROBI, Kenya (AP) — Fighters stormed the town.", "Fighters stormed the town."),
    ("By: AGENCY AND OUTLET - Fighters captured the town.", "Fighters captured the town."),
    ("which centers on the withdrawal of the troops", "Centers on the withdrawal of the troops"),
    ("that the troops left on Friday", "The troops left on Friday"),
])
def test_datelines_bylines_and_joining_words_are_trimmed(written: str, clean: str) -> None:
    assert clean_clause(written) == clean


@pytest.mark.parametrize("kept", [
    "By December, the troops will have left.",
    "That attack killed five soldiers.",
    "UNMIX - the mission - left the town.",
    "US-led forces withdrew on Friday.",
    "(UNMIX) peacekeepers left the town.",
])
def test_clauses_that_only_look_like_datelines_are_kept(kept: str) -> None:
    assert clean_clause(kept) == kept
