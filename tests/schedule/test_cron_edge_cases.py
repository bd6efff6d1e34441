"""Cron expressions that never fire are refused at validation; odd but valid ones never crash a computation."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.cli import main
from briefgen.config import Schedule
from briefgen.errors import ConfigError
from briefgen.schedule import (
    CronExpression,
    Job,
    due_runs,
    export_cron,
    export_systemd,
    next_runs,
    on_calendar,
    parse_cron,
)
from tests.schedule.conftest import MakeProject

UTC = dt.UTC


def job(cron: str, timezone: str = "UTC") -> Job:
    return Job("iraq-security", 0, Schedule(cron=cron, timezone=timezone))


# --- never fires ----------------------------------------------------------------------


@pytest.mark.parametrize(("cron", "reason"), [
    ("0 0 31 2 *", "never fires: no month in 2 has a day 31"),
    ("0 0 30 2 *", "never fires: no month in 2 has a day 30"),
    ("0 0 30,31 FEB *", "never fires: no month in 2 has a day 30 or 31"),
    ("0 0 31 4,6,9,11 *", "never fires: no month in 4, 6, 9, 11 has a day 31"),
    ("0 0 31 2,4 *", "never fires: no month in 2, 4 has a day 31"),
    ("0 0 30 2 */7", "never fires: no month in 2 has a day 30"),  # '*' weekday: AND, as in cron
])
def test_an_expression_that_can_never_fire_is_refused_with_the_reason(cron: str, reason: str) -> None:
    with pytest.raises(ValueError, match=f"^{reason}$"):
        parse_cron(cron)


@pytest.mark.parametrize("cron", [
    "0 0 29 2 *",  # leap years
    "0 0 31 2 MON",  # both day fields restricted: the Mondays of February (cron's OR rule)
    "0 0 30 2 0-7",  # every day of February
    "0 0 31 1-2 *", "0 0 */31 2 *", "0 0 1-31/30 2,3 *",
])
def test_expressions_that_do_fire_are_accepted(cron: str) -> None:
    assert len(next_runs(job(cron), dt.datetime(2026, 1, 1, tzinfo=UTC), 3)) == 3


def test_feb_29_fires_in_leap_years_only() -> None:
    runs = next_runs(job("30 6 29 2 *"), dt.datetime(2026, 1, 1, tzinfo=UTC), 3)
    assert [run.date().isoformat() for run in runs] == ["2028-02-29", "2032-02-29", "2036-02-29"]


def test_or_with_an_impossible_day_fires_on_the_weekdays_only() -> None:
    runs = next_runs(job("0 6 30 2 MON"), dt.datetime(2026, 1, 1, tzinfo=UTC), 5)
    assert {run.strftime("%a %b") for run in runs} == {"Mon Feb"}
    assert on_calendar(job("0 6 30 2 MON")) == ["Mon *-02-* 06:00:00 UTC"]


def test_a_never_firing_schedule_is_a_config_error_with_file_line_and_column(example_project: Path) -> None:
    from briefgen.project import load_project

    brief = example_project / "config/briefs/iraq-security.yaml"
    brief.write_text(brief.read_text().replace('cron: "0 6 * * MON"', 'cron: "0 0 31 4,6,9,11 *"'))
    with pytest.raises(ConfigError) as caught:
        load_project(example_project)
    (line,) = caught.value.lines
    where, _, message = line.partition(": ")
    assert message == ("schedules.0.cron: invalid cron expression '0 0 31 4,6,9,11 *': never fires: "
                       "no month in 4, 6, 9, 11 has a day 31")
    label, row, column = where.split(":")
    assert label == "config/briefs/iraq-security.yaml"
    assert brief.read_text().splitlines()[int(row) - 1][int(column) - 1:].startswith('cron: "0 0 31 4,6,9,11 *"')


def test_briefgen_check_reports_a_never_firing_schedule(make_project: MakeProject) -> None:
    project = make_project()
    brief = project.root / "config/briefs/iraq-security.yaml"
    brief.write_text(brief.read_text().replace('cron: "0 6 * * MON"', 'cron: "0 0 31 2 *"'))
    result = CliRunner().invoke(main, ["check", "--project", str(project.root)])
    assert result.exit_code == 2
    assert "schedules.0.cron: invalid cron expression '0 0 31 2 *': never fires: no month in 2 has a day 31" \
        in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("cron", ["0 6 * * *\n", "0 6\n* * *", "0\x006 * * *", "0 6 * * ١", "0 6 ² * *"])
def test_line_breaks_and_non_ascii_digits_are_refused(cron: str) -> None:
    with pytest.raises(ValueError):
        parse_cron(cron)


# --- odd but valid expressions never crash ----------------------------------------------------


ODD = ["0 0 29 2 */7", "0 0 29 2 1", "59 23 31 12 *", "0 0 31 * *", "*/15 * * * *", "0 2 * * *",
       "30 2 * 3 SUN", "0 0 * * *", "0 0 1 1 *", "0 0 30 12 *", "0 0 31 2 MON", "0-59/59 0,23 1,31 * 0,6"]
ZONES = ["UTC", "Europe/Berlin", "America/Santiago", "Pacific/Apia", "Australia/Lord_Howe", "Asia/Kathmandu"]


@pytest.mark.parametrize(("cron", "zone"), list(itertools.product(ODD, ZONES)))
def test_odd_expressions_compute_runs_in_any_zone(cron: str, zone: str) -> None:
    weekly = job(cron, zone)
    now = dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    runs = next_runs(weekly, now, 3)
    assert len(runs) == 3 and runs == sorted(runs) and runs[0] > now
    assert len(due_runs(weekly, now - dt.timedelta(days=3000), now)) <= 1
    assert on_calendar(weekly)


def test_next_issue_and_exports_survive_odd_schedules(make_project: MakeProject) -> None:
    from briefgen.build import next_issue

    project = make_project('\nschedules:\n  - cron: "0 0 29 2 */7"\n    audiences: [analyst]\n'
                           '  - cron: "0 6 31 2 MON"\n    timezone: Asia/Baghdad\n')
    assert next_issue(project, "iraq-security", "analyst")
    assert "0 0 29 2 */7" in export_cron(project) and "OnCalendar=Mon *-02-* 06:00:00" in export_systemd(project)


# --- property: parse, 'never fires' and the fire times agree with a brute-force reading of cron ---


def _field(low: int, high: int) -> st.SearchStrategy[str]:
    value = st.integers(low, high)
    single = value.map(str)
    span = st.tuples(value, value).map(lambda pair: f"{min(pair)}-{max(pair)}")
    stepped = st.tuples(st.sampled_from(["*", f"{low}"]), st.integers(1, high)).map(lambda pair: "/".join(
        (pair[0], str(pair[1]))))
    return st.one_of(st.just("*"), stepped, st.lists(st.one_of(single, span), min_size=1, max_size=3).map(",".join))


EXPRESSIONS = st.tuples(_field(0, 59), _field(0, 23), _field(1, 31), _field(1, 12), _field(0, 7)).map(" ".join)
# Days late in the month in short months, where 'never fires' and leap days live.
LATE_DAYS = st.tuples(_field(0, 59), _field(0, 23), st.sampled_from(["29", "30", "31", "30,31", "29-31", "31/5"]),
                      st.sampled_from(["2", "4,6", "2,4,6,9,11", "FEB", "4-6/2", "2,3"]),
                      st.sampled_from(["*", "*/2", "*/7", "MON", "0-7", "SUN,SAT"])).map(" ".join)


def _day_matches(cron: CronExpression, day: dt.date) -> bool:
    """Cron's day rule: both fields restricted -> either matches; otherwise both must."""
    in_month = day.day in cron.day.values
    in_week = day.isoweekday() % 7 in cron.weekday.values
    if day.month not in cron.month.values:
        return False
    return in_month or in_week if cron.either_day else in_month and in_week


def _expected(cron: CronExpression, after: dt.datetime, count: int) -> list[dt.datetime]:
    found: list[dt.datetime] = []
    day = after.date()
    while len(found) < count and day.year < 2200:
        if _day_matches(cron, day):
            found += [moment for hour in cron.hour.values for minute in cron.minute.values
                      if (moment := dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)) > after]
        day += dt.timedelta(days=1)
    return found[:count]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(EXPRESSIONS, LATE_DAYS))
def test_any_expression_is_refused_or_fires_exactly_when_cron_would(expression: str) -> None:
    try:
        cron = parse_cron(expression)
    except ValueError as error:
        if "never fires" not in str(error):
            return  # e.g. a range running backwards: not an expression of this test
        days = dt.date(2024, 1, 1), dt.date(2052, 12, 31)  # a 28-year cycle of weekdays and leap days
        parsed = _parse_ignoring_firing(expression)
        assert not any(_day_matches(parsed, days[0] + dt.timedelta(n)) for n in range((days[1] - days[0]).days))
        return
    after = dt.datetime(2026, 1, 1, tzinfo=UTC)
    assert next_runs(Job("b", 0, Schedule(cron=expression)), after, 3) == _expected(cron, after, 3)


def _parse_ignoring_firing(expression: str) -> CronExpression:
    from briefgen import schedule

    original = schedule._day_exists
    schedule._day_exists = lambda day, month: True  # type: ignore[assignment]
    try:
        return parse_cron(expression)
    finally:
        schedule._day_exists = original


def test_the_repository_example_still_loads(example_project: Path) -> None:
    from briefgen.project import load_project

    assert load_project(example_project).briefs["iraq-security"].schedules
