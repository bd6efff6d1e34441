"""Schedules: fire times across DST, cron weekday numbering, missed runs, locks, the scheduler, export."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.date import DateTrigger

from briefgen.config import Schedule
from briefgen.errors import BriefgenError, ConfigError
from briefgen.locks import LockHeldError, RunLock
from briefgen.schedule import (
    CronSchedule,
    Job,
    RetryPolicy,
    RunOutcome,
    RunState,
    Scheduler,
    due_runs,
    export_cron,
    export_systemd,
    jobs,
    next_runs,
    on_calendar,
    parse_cron,
    run_due,
)
from tests.schedule.conftest import MakeProject

BAGHDAD = ZoneInfo("Asia/Baghdad")
BERLIN = ZoneInfo("Europe/Berlin")
REPO = Path(__file__).resolve().parents[2]


def job(cron: str, timezone: str = "Europe/Berlin", missed: str = "run_once") -> Job:
    return Job("iraq-security", 0, Schedule(cron=cron, timezone=timezone, missed=missed))


# --- fire times -------------------------------------------------------------------


def test_weekly_monday_in_baghdad_has_no_dst() -> None:
    runs = next_runs(job("0 6 * * MON", "Asia/Baghdad"), dt.datetime(2026, 3, 4, 12, tzinfo=BAGHDAD), 4)
    assert [run.isoformat() for run in runs] == [
        "2026-03-09T06:00:00+03:00", "2026-03-16T06:00:00+03:00",
        "2026-03-23T06:00:00+03:00", "2026-03-30T06:00:00+03:00",
    ]


def test_next_runs_are_strictly_after_the_given_time() -> None:
    monday_six = dt.datetime(2026, 3, 9, 6, tzinfo=BAGHDAD)
    assert next_runs(job("0 6 * * MON", "Asia/Baghdad"), monday_six, 1)[0] == monday_six + dt.timedelta(days=7)


@pytest.mark.parametrize("start", [dt.datetime(2026, 3, 26, 12), dt.datetime(2026, 10, 22, 12)])
def test_daily_six_oclock_stays_six_oclock_across_both_dst_changes(start: dt.datetime) -> None:
    runs = next_runs(job("0 6 * * *"), start.replace(tzinfo=BERLIN), 6)
    assert [(run.hour, run.minute) for run in runs] == [(6, 0)] * 6
    assert len({run.utcoffset() for run in runs}) == 2  # the change happened in between
    assert [run.date() for run in runs] == [start.date() + dt.timedelta(days=n) for n in range(1, 7)]


def test_a_time_skipped_by_spring_forward_runs_once_moved_forward_by_the_gap() -> None:
    # On 29 March 2026 Berlin clocks jump from 02:00 to 03:00: 02:30 does not exist that day.
    runs = next_runs(job("30 2 * * *"), dt.datetime(2026, 3, 28, 12, tzinfo=BERLIN), 3)
    on_the_day = [run for run in runs if run.date() == dt.date(2026, 3, 29)]
    assert [run.isoformat() for run in on_the_day] == ["2026-03-29T03:30:00+02:00"]
    assert runs[1].isoformat() == "2026-03-30T02:30:00+02:00"


def test_a_time_repeated_by_fall_back_runs_once_at_its_first_occurrence() -> None:
    # On 25 October 2026 Berlin clocks go back from 03:00 to 02:00: 02:30 happens twice.
    runs = next_runs(job("30 2 * * *"), dt.datetime(2026, 10, 24, 12, tzinfo=BERLIN), 3)
    assert [run.isoformat() for run in runs] == [
        "2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00", "2026-10-27T02:30:00+01:00",
    ]


def test_frequent_runs_never_repeat_or_go_backwards_through_dst() -> None:
    for start in (dt.datetime(2026, 3, 28, 23, tzinfo=BERLIN), dt.datetime(2026, 10, 24, 23, tzinfo=BERLIN)):
        runs = next_runs(job("*/15 * * * *"), start, 24 * 4)
        instants = [run.timestamp() for run in runs]
        assert instants == sorted(set(instants))


@pytest.mark.parametrize(("cron", "weekday"), [
    ("0 6 * * MON", 0), ("0 6 * * mon", 0), ("0 6 * * 1", 0), ("0 6 * * 0", 6), ("0 6 * * SUN", 6),
    ("0 6 * * 6", 5), ("0 6 * * FRI", 4),
])
def test_weekdays_are_numbered_as_in_cron_sunday_zero(cron: str, weekday: int) -> None:
    runs = next_runs(job(cron, "Asia/Baghdad"), dt.datetime(2026, 1, 1, tzinfo=BAGHDAD), 5)
    assert {run.weekday() for run in runs} == {weekday}  # Python: Monday 0 ... Sunday 6


def test_seven_is_sunday_and_ranges_and_steps_use_cron_numbering() -> None:
    assert parse_cron("0 6 * * 7").weekday.values == (0,)
    assert parse_cron("0 6 * * 1-5").weekday.values == (1, 2, 3, 4, 5)
    assert parse_cron("0 6 * * */2").weekday.values == (0, 2, 4, 6)  # Sun, Tue, Thu, Sat
    trigger = CronSchedule(parse_cron("0 6 * * 5-7"), BAGHDAD)
    start = dt.datetime(2026, 1, 1, tzinfo=BAGHDAD)
    fired, previous = [], start
    for _ in range(6):
        previous = trigger.get_next_fire_time(previous, previous)
        fired.append(previous.strftime("%a"))
    assert fired == ["Fri", "Sat", "Sun", "Fri", "Sat", "Sun"]


def test_day_of_month_or_day_of_week_as_in_cron() -> None:
    # Both restricted: the 13th OR a Friday (cron), not Friday the 13th (APScheduler alone).
    runs = next_runs(job("0 6 13 * FRI"), dt.datetime(2026, 4, 1, tzinfo=BERLIN), 4)
    assert [run.date().isoformat() for run in runs] == ["2026-04-03", "2026-04-10", "2026-04-13", "2026-04-17"]


@pytest.mark.parametrize("cron", ["0 6 * *", "0 25 * * *", "0 6 * * 8", "0 6 5-1 * *", "0 6 L * *", "0 6 * * 5#3"])
def test_non_standard_cron_is_refused(cron: str) -> None:
    with pytest.raises(ValueError):
        parse_cron(cron)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_runs(job("0 6 * * *"), dt.datetime(2026, 1, 1))


# --- missed runs ---------------------------------------------------------------------


MONDAY_TEN = dt.datetime(2026, 3, 9, 10, tzinfo=BAGHDAD)
MONDAY_SIX = dt.datetime(2026, 3, 9, 6, tzinfo=BAGHDAD)
THREE_WEEKS_AGO = dt.datetime(2026, 2, 16, 6, tzinfo=BAGHDAD)


def test_run_once_catches_up_several_missed_runs_with_one_run() -> None:
    assert due_runs(job("0 6 * * MON", "Asia/Baghdad", "run_once"), THREE_WEEKS_AGO, MONDAY_TEN) == [MONDAY_SIX]


def test_run_once_catches_up_even_long_ago() -> None:
    long_ago = dt.datetime(2024, 1, 1, tzinfo=BAGHDAD)
    assert due_runs(job("0 6 * * MON", "Asia/Baghdad", "run_once"), long_ago, MONDAY_TEN) == [MONDAY_SIX]


def test_skip_drops_missed_runs() -> None:
    assert due_runs(job("0 6 * * MON", "Asia/Baghdad", "skip"), THREE_WEEKS_AGO, MONDAY_TEN) == []


@pytest.mark.parametrize("missed", ["skip", "run_once"])
def test_a_run_within_the_grace_window_is_on_time(missed: str) -> None:
    now = MONDAY_SIX + dt.timedelta(minutes=9)
    assert due_runs(job("0 6 * * MON", "Asia/Baghdad", missed), THREE_WEEKS_AGO, now) == [MONDAY_SIX]
    assert due_runs(job("0 6 * * MON", "Asia/Baghdad", missed), None, now) == [MONDAY_SIX]


def test_nothing_is_due_twice_or_before_its_time() -> None:
    weekly = job("0 6 * * MON", "Asia/Baghdad", "run_once")
    assert due_runs(weekly, MONDAY_SIX, MONDAY_TEN) == []
    assert due_runs(weekly, None, MONDAY_TEN) == []  # never ran: nothing was missed
    just_before = MONDAY_SIX - dt.timedelta(seconds=1)
    assert due_runs(weekly, THREE_WEEKS_AGO, just_before) == [MONDAY_SIX - dt.timedelta(days=7)]


def test_run_once_with_frequent_runs_missed_gives_the_newest() -> None:
    hourly = job("0 * * * *", "Europe/Berlin", "run_once")
    now = dt.datetime(2026, 3, 9, 10, 30, tzinfo=BERLIN)
    assert due_runs(hourly, now - dt.timedelta(days=3), now) == [now.replace(minute=0)]


# --- locks -------------------------------------------------------------------------------


HOLD_LOCK = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from briefgen.locks import RunLock
    lock = RunLock(Path(sys.argv[1]), "iraq-security")
    assert lock.acquire()
    print("held", flush=True)
    time.sleep(60)
""")


def test_a_lock_held_by_another_process_is_refused_and_freed_when_that_process_is_killed(tmp_path: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        lock = RunLock(tmp_path, "iraq-security")
        assert not lock.acquire()
        with pytest.raises(LockHeldError, match=f"process {holder.pid}"):
            lock.__enter__()
        assert RunLock(tmp_path, "another-brief").acquire()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
    with RunLock(tmp_path, "iraq-security") as lock:
        assert lock.held
        assert not RunLock(tmp_path, "iraq-security").acquire()  # another taker in this process too
    assert not lock.held
    assert RunLock(tmp_path, "iraq-security").acquire()


# --- run_due (briefgen schedule once) ------------------------------------------------------


TWO_SCHEDULES = """
schedules:
  - cron: "0 6 * * MON"
    timezone: Asia/Baghdad
    missed: run_once
  - cron: "30 7 * * *"
    timezone: UTC
    missed: skip
"""


def test_run_due_runs_what_is_due_and_reports_it(make_project: MakeProject) -> None:
    project = make_project(TWO_SCHEDULES)
    state = RunState.for_project(project)
    ran: list[tuple[str, dt.datetime]] = []

    def record(outcome: RunOutcome) -> None:
        state.record(outcome.job, outcome.scheduled)

    last_runs = {"iraq-security#0": THREE_WEEKS_AGO, "iraq-security#1": MONDAY_TEN - dt.timedelta(days=1)}
    outcomes = run_due(project, MONDAY_TEN, last_runs, lambda job, when: ran.append((job.id, when)), report=record)
    assert ran == [("iraq-security#0", MONDAY_SIX)]
    assert [(o.job.id, o.status, o.attempts) for o in outcomes] == [("iraq-security#0", "ok", 1)]
    assert state.last_runs() == {"iraq-security#0": MONDAY_SIX}
    again = run_due(project, MONDAY_TEN, state.last_runs(), lambda job, when: ran.append((job.id, when)))
    assert again == []


def test_run_due_skips_a_locked_brief_and_records_failures(make_project: MakeProject) -> None:
    project = make_project()
    last_runs = {"iraq-security#0": THREE_WEEKS_AGO}
    with RunLock(project.root / ".briefgen" / "locks", "iraq-security"):
        outcomes = run_due(project, MONDAY_TEN, last_runs, lambda job, when: None)
    assert [(o.status, o.attempts) for o in outcomes] == [("locked", 0)]
    assert "already being built" in (outcomes[0].error or "")

    def broken(job: Job, when: dt.datetime) -> None:
        raise RuntimeError("renderer crashed")

    outcomes = run_due(project, MONDAY_TEN, last_runs, broken, retry=RetryPolicy(retries=2, delay=0.01))
    assert [(o.status, o.attempts, o.error) for o in outcomes] == [("failed", 3, "RuntimeError: renderer crashed")]
    with pytest.raises(BriefgenError, match="unknown brief 'nope'"):
        run_due(project, MONDAY_TEN, last_runs, broken, briefs=["nope"])


def test_a_config_error_is_not_retried(make_project: MakeProject) -> None:
    calls = []

    def misconfigured(job: Job, when: dt.datetime) -> None:
        calls.append(when)
        raise ConfigError("config/audiences/analyst.yaml: bad")

    outcomes = run_due(make_project(), MONDAY_TEN, {"iraq-security#0": THREE_WEEKS_AGO}, misconfigured,
                       retry=RetryPolicy(retries=3, delay=0.01))
    assert len(calls) == 1 and outcomes[0].status == "failed"


def test_non_standard_cron_is_a_config_error_naming_file_line_and_job(make_project: MakeProject) -> None:
    # APScheduler's own syntax ('last') is not cron: what runs must match what cron and systemd would do.
    with pytest.raises(ConfigError, match=r"iraq-security\.yaml:\d+:\d+: schedules\.0\.cron: invalid cron "
                                          r"expression '0 6 last \* \*': day of month"):
        make_project('\nschedules:\n  - cron: "0 6 last * *"\n')


# --- the long-running scheduler -------------------------------------------------------------


class Outcomes:
    """Collects reported outcomes; wait() until `count` have come."""

    def __init__(self) -> None:
        self.items: list[RunOutcome] = []
        self._changed = threading.Condition()

    def __call__(self, outcome: RunOutcome) -> None:
        with self._changed:
            self.items.append(outcome)
            self._changed.notify_all()

    def wait(self, count: int, timeout: float = 10) -> list[RunOutcome]:
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.items) >= count, timeout), self.items
            return list(self.items)


def test_a_failing_run_is_retried_with_backoff_and_reported(make_project: MakeProject) -> None:
    project = make_project()
    calls: list[tuple[float, dt.datetime]] = []

    def flaky(job: Job, when: dt.datetime) -> None:
        calls.append((time.monotonic(), when))
        if len(calls) <= 2:
            raise OSError("store busy")

    outcomes = Outcomes()
    scheduler = Scheduler(project, flaky, report=outcomes, retry=RetryPolicy(retries=3, delay=0.1),
                          triggers=lambda job: DateTrigger())
    scheduler.start()
    try:
        [outcome] = outcomes.wait(1)
    finally:
        scheduler.stop()
    assert (outcome.status, outcome.attempts, outcome.error) == ("ok", 3, None)
    assert len({when for _, when in calls}) == 1  # every try is for the same scheduled run
    gaps = [later - earlier for (earlier, _), (later, _) in itertools.pairwise(calls)]
    assert gaps[0] >= 0.1 and gaps[1] >= 0.2  # 0.1 s, then doubled
    assert RunState.for_project(project).last_runs() == {"iraq-security#0": calls[0][1]}


def test_a_run_failing_every_time_is_reported_failed(make_project: MakeProject) -> None:
    outcomes = Outcomes()

    def broken(job: Job, when: dt.datetime) -> None:
        raise BriefgenError("no source matched")

    scheduler = Scheduler(make_project(), broken, report=outcomes, retry=RetryPolicy(retries=2, delay=0.01),
                          triggers=lambda job: DateTrigger())
    scheduler.start()
    try:
        [outcome] = outcomes.wait(1)
    finally:
        scheduler.stop()
    assert (outcome.status, outcome.attempts, outcome.error) == ("failed", 3, "no source matched")


def test_a_skip_run_that_cannot_start_in_time_is_reported_missed(make_project: MakeProject) -> None:
    project = make_project('\nschedules:\n  - cron: "0 6 * * MON"\n    missed: skip\n')
    ran: list[dt.datetime] = []
    outcomes = Outcomes()
    too_late = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=11)
    scheduler = Scheduler(project, lambda job, when: ran.append(when), report=outcomes,
                          triggers=lambda job: DateTrigger(too_late))
    scheduler.start()
    try:
        [outcome] = outcomes.wait(1)
    finally:
        scheduler.stop()
    assert (outcome.status, outcome.scheduled.timestamp(), ran) == ("missed", too_late.timestamp(), [])


@pytest.mark.parametrize(("missed", "expected"), [("run_once", [MONDAY_SIX]), ("skip", [])])
def test_the_scheduler_applies_the_missed_run_policy_at_start_up(make_project: MakeProject, missed: str,
                                                                 expected: list[dt.datetime]) -> None:
    project = make_project(f'\nschedules:\n  - cron: "0 6 * * MON"\n    timezone: Asia/Baghdad\n'
                           f"    missed: {missed}\n")
    [weekly] = jobs(project)
    RunState.for_project(project).record(weekly, THREE_WEEKS_AGO)
    ran: list[dt.datetime] = []
    outcomes = Outcomes()
    scheduler = Scheduler(project, lambda job, when: ran.append(when), report=outcomes, clock=lambda: MONDAY_TEN)
    caught_up = scheduler.start()
    try:
        if expected:
            outcomes.wait(1)
        else:
            time.sleep(0.3)
        next_times = scheduler.next_run_times()
    finally:
        scheduler.stop()
    assert ran == expected and len(caught_up) == len(expected)
    assert next_times["iraq-security#0"].strftime("%a %H:%M %z") == "Mon 06:00 +0300"


SCHEDULER_PROCESS = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from apscheduler.triggers.date import DateTrigger
    from briefgen.project import load_project
    from briefgen.schedule import RetryPolicy, Scheduler

    root, marks = Path(sys.argv[1]), Path(sys.argv[2])

    def run_job(job, when):
        (marks / "started").write_text(when.isoformat())
        time.sleep(1.5)
        (marks / "finished").write_text("done")

    scheduler = Scheduler(load_project(root), run_job, retry=RetryPolicy(0, 0), triggers=lambda job: DateTrigger(),
                          report=lambda outcome: print(outcome.status, flush=True))
    scheduler.run()
    print("stopped", flush=True)
""")


def test_sigterm_stops_the_scheduler_after_the_running_job_finishes(make_project: MakeProject, tmp_path: Path) -> None:
    project = make_project()
    marks = tmp_path / "marks"
    marks.mkdir()
    process = subprocess.Popen([sys.executable, "-c", SCHEDULER_PROCESS, str(project.root), str(marks)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
    try:
        deadline = time.monotonic() + 10
        while not (marks / "started").exists():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the job never started"
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr
    assert (marks / "finished").read_text() == "done"
    assert stdout.split() == ["ok", "stopped"]
    state = json.loads((project.root / ".briefgen" / "schedule-state.json").read_text())
    assert list(state) == ["iraq-security#0"]


# --- export -------------------------------------------------------------------------------------


def test_export_cron(make_project: MakeProject) -> None:
    project = make_project()
    text = export_cron(project, "/usr/local/bin/briefgen")
    run = f"cd {project.root} && /usr/local/bin/briefgen schedule once --brief iraq-security"
    assert f"CRON_TZ=Asia/Baghdad\n0 6 * * MON {run}\n@reboot {run}\n" in text
    assert "# iraq-security#0: '0 6 * * MON' in Asia/Baghdad; missed runs: run_once" in text
    assert all(line.startswith(("#", "CRON_TZ=", "0 6", "@reboot")) for line in text.splitlines() if line)


def test_export_systemd(make_project: MakeProject) -> None:
    project = make_project()
    text = export_systemd(project, "/usr/local/bin/briefgen")
    assert "# ---- briefgen-iraq-security-0.service ----" in text
    assert "# ---- briefgen-iraq-security-0.timer ----" in text
    assert f"WorkingDirectory={project.root}\n" in text
    assert "ExecStart=/usr/local/bin/briefgen schedule once --brief iraq-security\n" in text
    timer = "OnCalendar=Mon *-*-* 06:00:00 Asia/Baghdad\nPersistent=true\nUnit=briefgen-iraq-security-0.service\n"
    assert timer in text
    assert "WantedBy=timers.target" in text
    skipping = make_project('\nschedules:\n  - cron: "0 6 * * MON"\n    timezone: Asia/Baghdad\n    missed: skip\n')
    assert "Persistent=false" in export_systemd(skipping, "/usr/local/bin/briefgen")


@pytest.mark.parametrize(("cron", "expected"), [
    ("0 6 * * MON", ["Mon *-*-* 06:00:00 Europe/Berlin"]),
    ("*/15 9-17 * * 1-5", ["Mon..Fri *-*-* 09,10,11,12,13,14,15,16,17:00/15:00 Europe/Berlin"]),
    ("0 0 * jan,jul sat,sun", ["Sat,Sun *-01,07-* 00:00:00 Europe/Berlin"]),
    ("30 8 1,15 * *", ["*-*-01,15 08:30:00 Europe/Berlin"]),
    ("0 6 13 * FRI", ["Fri *-*-* 06:00:00 Europe/Berlin", "*-*-13 06:00:00 Europe/Berlin"]),
    ("0 */6 */2 * *", ["*-*-01/2 00/6:00:00 Europe/Berlin"]),
])
def test_cron_to_on_calendar(cron: str, expected: list[str]) -> None:
    assert on_calendar(job(cron)) == expected


def test_sunday_as_seven_translates_too() -> None:
    # The config validator (APScheduler's from_crontab) still refuses 7, so build the schedule unvalidated.
    sundays = Job("iraq-security", 0, Schedule.model_construct(cron="5 4 * * 0,7", timezone="UTC"))
    assert on_calendar(sundays) == ["Sun *-*-* 04:05:00 UTC"]
    assert next_runs(sundays, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), 1)[0].isoformat() == "2026-01-04T04:05:00+00:00"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
@pytest.mark.parametrize(("cron", "timezone"), [
    ("0 6 * * MON", "Asia/Baghdad"), ("0 6 * * 0", "Europe/Berlin"), ("15 9-17/2 1,15 * mon-fri", "Europe/Berlin"),
    ("0 0 */2 * *", "UTC"), ("45 23 * jan,jul sat", "America/New_York"),
])
def test_systemd_fires_when_we_do(cron: str, timezone: str) -> None:
    scheduled = job(cron, timezone)
    now = dt.datetime.now(dt.UTC)
    ours = [run.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S") for run in next_runs(scheduled, now, 6)]
    theirs: set[str] = set()
    for spec in on_calendar(scheduled):
        output = subprocess.run(["systemd-analyze", "calendar", "--iterations=6", spec], capture_output=True,
                                text=True, check=True, env={**os.environ, "TZ": "UTC"}).stdout
        theirs |= set(re.findall(r"(?:Next elapse|Iter\. #\d+): \w+ (\S+ \S+) UTC", output))
    assert sorted(theirs)[:6] == ours
