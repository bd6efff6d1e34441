"""Periodic briefs: cron schedules, missed runs, run locks, the long-running scheduler, cron/systemd export.

Cron expressions are standard (Vixie/cronie) cron: `minute hour day-of-month month day-of-week`,
with numbers, `*`, lists, ranges, steps and three-letter names; 0 and 7 are Sunday. When both
day fields are restricted (neither starts with `*`) a day matching either one fires, as in cron.

APScheduler 3.x computes the fire times, but its `from_crontab` reads day-of-week 0 as Monday
(documented there as a historical mistake), so every field is parsed here and handed to it as
explicit values and weekday names.

An expression that can never fire (`0 0 31 2 *`: no February has a 31st) is refused when parsed;
29 February is accepted (it fires in leap years), and so is any day when the weekday field is
restricted too, since cron then also fires on the weekdays.

Daylight saving time, in each job's own zone:

- a local time that does not exist (spring forward) fires once, moved forward by the gap:
  02:30 on the day Europe/Berlin jumps from 02:00 to 03:00 fires at 03:30 CEST;
- a local time that occurs twice (autumn) fires once, at its first occurrence.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import re
import shlex
import shutil
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, Literal
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

from briefgen import locks
from briefgen.atomic import write_atomically
from briefgen.config import Schedule
from briefgen.deliver import Delivery, undelivered
from briefgen.errors import BriefgenError, ConfigError
from briefgen.locks import RunLock
from briefgen.project import Project

UTC = dt.UTC
# With missed="skip", a run counts as on time (not missed) if it starts within this window.
SKIP_GRACE = dt.timedelta(minutes=10)
# How far back to look for the newest missed run, widened step by step (the last step: to the last run).
_LOOK_BACK = [dt.timedelta(hours=1), dt.timedelta(days=1), dt.timedelta(days=8), dt.timedelta(days=32),
              dt.timedelta(days=367), dt.timedelta(days=4 * 366 + 1)]
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # cron numbering: 0 = Sunday
_SYSTEMD_WEEKDAYS = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # February: 29 in leap years
log = logging.getLogger("briefgen.schedule")

# A run builds and delivers one scheduled edition; it returns the deliveries made (or None: nothing to deliver).
RunJob = Callable[["Job", dt.datetime], Sequence[Delivery] | None]
Status = Literal["ok", "failed", "delivery failed", "locked", "stopped", "missed"]


# --- jobs and cron expressions -----------------------------------------------


@dataclass(frozen=True)
class Job:
    """One schedule of one brief."""

    brief: str
    index: int
    schedule: Schedule

    @property
    def id(self) -> str:
        """'BRIEF#INDEX': the brief's name and the schedule's position in its `schedules` list."""
        return f"{self.brief}#{self.index}"

    @property
    def zone(self) -> ZoneInfo:
        """The time zone the cron expression is read in."""
        return ZoneInfo(self.schedule.timezone)


@dataclass(frozen=True)
class CronField:
    """One field of a cron expression: the values it allows, and whether it was written with `*`."""

    values: tuple[int, ...]
    star: bool
    full: bool


@dataclass(frozen=True)
class CronExpression:
    """A parsed standard cron expression; weekdays numbered 0 (Sunday) to 6."""

    minute: CronField
    hour: CronField
    day: CronField
    month: CronField
    weekday: CronField

    @property
    def either_day(self) -> bool:
        """True when cron fires on days matching day-of-month OR day-of-week (both restricted)."""
        return not self.day.star and not self.weekday.star


def parse_cron(expression: str) -> CronExpression:
    """Parse a standard five-field cron expression; raise ValueError saying what is wrong."""
    if not all(char.isprintable() or char == "\t" for char in expression):
        raise ValueError("holds a line break or control character")
    parts = expression.split()
    if len(parts) != 5:
        raise ValueError(f"expected 5 fields (minute hour day month weekday), got {len(parts)}")
    minute = _parse_field(parts[0], "minute", 0, 59, ())
    hour = _parse_field(parts[1], "hour", 0, 23, ())
    day = _parse_field(parts[2], "day of month", 1, 31, ())
    month = _parse_field(parts[3], "month", 1, 12, _MONTHS)
    weekday = _parse_field(parts[4], "day of week", 0, 7, _WEEKDAYS)
    sundays = {0 if value == 7 else value for value in weekday.values}
    weekday = CronField(tuple(sorted(sundays)), weekday.star, len(sundays) == 7)
    cron = CronExpression(minute, hour, day, month, weekday)
    if not cron.either_day and not _day_exists(day, month):
        raise ValueError(f"never fires: no month in {_joined(month.values, ', ')} has a day "
                         f"{_joined(day.values, ' or ')}")
    return cron


def _day_exists(day: CronField, month: CronField) -> bool:
    """True when some allowed month has some allowed day (29 February counts: leap years have it)."""
    return any(value <= _MONTH_DAYS[number - 1] for number in month.values for value in day.values)


def _joined(values: tuple[int, ...], separator: str) -> str:
    return separator.join(str(value) for value in values)


def _parse_field(text: str, name: str, low: int, high: int, names: tuple[str, ...]) -> CronField:
    values: set[int] = set()
    for item in text.lower().split(","):
        body, slash, step_text = item.partition("/")
        step = _number(step_text, name, 1, high) if slash else 1
        if body == "*":
            start, end = low, high
        elif "-" in body:
            first, last = body.split("-", 1)
            start, end = _value(first, name, low, high, names), _value(last, name, low, high, names)
        else:
            start = _value(body, name, low, high, names)
            end = high if slash else start
        if start > end:
            raise ValueError(f"{name}: range '{body}' runs backwards")
        values.update(range(start, end + 1, step))
    return CronField(tuple(sorted(values)), text.startswith("*"), len(values) == high - low + 1)


def _value(text: str, name: str, low: int, high: int, names: tuple[str, ...]) -> int:
    if text in names:
        return names.index(text) + (1 if names is _MONTHS else 0)
    return _number(text, name, low, high)


def _number(text: str, name: str, low: int, high: int) -> int:
    if not (text.isascii() and text.isdigit()):  # not '²' or '٣', which cron does not read
        raise ValueError(f"{name}: '{text}' is not standard cron (numbers, *, lists, ranges, steps, names)")
    if not low <= int(text) <= high:
        raise ValueError(f"{name}: {text} is outside {low}-{high}")
    return int(text)


def parse_job(job: Job) -> CronExpression:
    """The job's parsed cron expression; a BriefgenError naming the job when it is not standard cron."""
    try:
        return parse_cron(job.schedule.cron)
    except ValueError as error:
        raise ConfigError(f"config/briefs/{job.brief}.yaml: schedules.{job.index}.cron: "
                          f"'{job.schedule.cron}': {error}") from None


def jobs(project: Project) -> list[Job]:
    """Every schedule of every brief, in brief-name order; ConfigError listing any non-standard cron."""
    found = [Job(name, index, schedule) for name in sorted(project.briefs)
             for index, schedule in enumerate(project.briefs[name].schedules)]
    problems = []
    for job in found:
        try:
            parse_job(job)
        except ConfigError as error:
            problems += error.lines
    if problems:
        raise ConfigError(*problems)
    return found


class CronSchedule(BaseTrigger):
    """An APScheduler trigger for a standard cron expression in a time zone (see the module docstring)."""

    def __init__(self, cron: CronExpression, zone: ZoneInfo, label: str = "") -> None:
        self.zone = zone
        self.label = label
        self._triggers = [CronTrigger.from_crontab(text, timezone=zone) for text in _apscheduler_crontabs(cron)]

    def get_next_fire_time(self, previous_fire_time: dt.datetime | None, now: dt.datetime) -> dt.datetime | None:
        """The first fire time after `previous_fire_time` (if given) and not before `now`, in the job's zone."""
        previous, start = previous_fire_time, now
        for _ in range(10_000):
            times = [trigger.get_next_fire_time(previous, start) for trigger in self._triggers]
            found = [time for time in times if time is not None]
            if not found:
                return None
            # Compare instants, not wall times: same-zone datetime comparison ignores `fold`.
            candidate = datetime_in(min(found, key=lambda time: time.timestamp()), self.zone)
            too_early = previous_fire_time is not None and candidate.timestamp() <= previous_fire_time.timestamp()
            if not too_early and not _second_occurrence(candidate):
                return candidate
            previous, start = None, candidate.astimezone(UTC) + dt.timedelta(seconds=1)
        raise RuntimeError(f"no next fire time found for {self}")

    def __str__(self) -> str:
        return f"cron[{self.label} {self.zone.key}]"


def _apscheduler_crontabs(cron: CronExpression) -> list[str]:
    """Crontab lines APScheduler reads as cron does: explicit values, weekday names, OR-ed day fields."""
    minute, hour, day, month = (_listed(field) for field in (cron.minute, cron.hour, cron.day, cron.month))
    weekday = "*" if cron.weekday.full else ",".join(_WEEKDAYS[value] for value in cron.weekday.values)
    if cron.either_day:
        by_weekday = f"{minute} {hour} * {month} {weekday}"
        if not _day_exists(cron.day, cron.month):  # '0 6 30 2 MON' fires on Mondays only
            return [by_weekday]
        return [f"{minute} {hour} {day} {month} *", by_weekday]
    return [f"{minute} {hour} {day} {month} {weekday}"]


def _listed(field: CronField) -> str:
    return "*" if field.full else ",".join(str(value) for value in field.values)


def _second_occurrence(moment: dt.datetime) -> bool:
    """True for the second of two instants sharing a local time (the repeated hour in autumn)."""
    return moment.fold == 1 and moment.replace(fold=0).utcoffset() != moment.utcoffset()


def datetime_in(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The same instant as a canonical local time in `zone` (with the right offset and fold)."""
    return dt.datetime.fromtimestamp(moment.timestamp(), zone)


def trigger_for(job: Job) -> CronSchedule:
    """The job's APScheduler trigger."""
    return CronSchedule(parse_job(job), job.zone, job.schedule.cron)


def next_runs(job: Job, after: dt.datetime, count: int = 3) -> list[dt.datetime]:
    """The job's next `count` fire times strictly after `after`, as aware datetimes in the job's zone."""
    _require_aware(after, "after")
    trigger = trigger_for(job)
    runs: list[dt.datetime] = []
    previous = after
    while len(runs) < count:
        following = trigger.get_next_fire_time(previous, previous)
        if following is None:
            break
        runs.append(following)
        previous = following
    return runs


def _runs_between(trigger: BaseTrigger, start: dt.datetime, end: dt.datetime) -> Iterator[dt.datetime]:
    """Fire times in (start, end], for any APScheduler trigger."""
    following = trigger.get_next_fire_time(None, start + dt.timedelta(microseconds=1))
    while following is not None and following.timestamp() <= end.timestamp():
        if following.timestamp() > start.timestamp():
            yield following
        following = trigger.get_next_fire_time(following, following)


def latest_run(trigger: BaseTrigger, since: dt.datetime | None, now: dt.datetime) -> dt.datetime | None:
    """The newest fire time in (since, now] (since=None: no lower bound), looking back step by step."""
    windows = [SKIP_GRACE, *_LOOK_BACK]
    for window in windows:
        start = now - window
        if since is not None and start.timestamp() <= since.timestamp():
            start = since
        newest = None
        for newest in _runs_between(trigger, start, now):  # noqa: B007 - the last one is wanted
            pass
        if newest is not None or start is since:
            return newest
    return None


def due_runs(job: Job, last_run: dt.datetime | None, now: dt.datetime) -> list[dt.datetime]:
    """The scheduled times in (last_run, now] to run now, after the job's missed-run policy: at most one.

    - a run scheduled within SKIP_GRACE (10 minutes) before `now` is on time and always due;
    - missed="skip": older runs are dropped;
    - missed="run_once": the newest of any runs missed since `last_run` is due, once.

    A job that never ran (last_run None) has missed nothing: only an on-time run is due.
    """
    _require_aware(now, "now")
    if last_run is not None:
        _require_aware(last_run, "last_run")
    trigger = trigger_for(job)
    on_time_since = now - SKIP_GRACE
    if last_run is not None and last_run.timestamp() > on_time_since.timestamp():
        on_time_since = last_run
    newest = latest_run(trigger, on_time_since, now)
    if newest is None and job.schedule.missed == "run_once" and last_run is not None:
        newest = latest_run(trigger, last_run, now)
    return [newest] if newest is not None else []


def _require_aware(moment: dt.datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {moment!r}")


# --- locks and run state ------------------------------------------------------


def lock_folder(project: Project) -> Path:
    """Where run locks live: PROJECT/.briefgen/locks."""
    return locks.lock_folder(project.root)


class RunState:
    """When each job last ran (its scheduled time), in a JSON file: {"BRIEF#INDEX": ISO time}.

    Safe to share between processes: updates take an exclusive lock and replace the file atomically.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def for_project(cls, project: Project) -> RunState:
        """The project's state file: PROJECT/.briefgen/schedule-state.json."""
        return cls(project.root / ".briefgen" / "schedule-state.json")

    def last_runs(self) -> dict[str, dt.datetime | None]:
        """Job id -> the scheduled time of its last run."""
        return {key: dt.datetime.fromisoformat(value) if value else None for key, value in self._read().items()}

    def record(self, job: Job, scheduled: dt.datetime) -> None:
        """Remember that the job's run scheduled at `scheduled` has been done."""
        with self._locked():
            data = self._read()
            data[job.id] = scheduled.isoformat()
            write_atomically(self.path, json.dumps(data, indent=2, sort_keys=True) + "\n")

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            raise BriefgenError(f"{self.path}: unreadable schedule state ({error}); delete it to start afresh "
                                "(runs missed so far are then not caught up)") from None
        if not isinstance(data, dict):
            raise BriefgenError(f"{self.path}: unreadable schedule state; delete it to start afresh")
        return data

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield


# --- running jobs ------------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    """How a failed run is retried: `retries` more tries, `delay` seconds before the first, doubling."""

    retries: int = 3
    delay: float = 60.0

    def delays(self) -> list[float]:
        """The waits before each retry: 60, 120, 240 seconds by default."""
        return [self.delay * 2**number for number in range(self.retries)]


@dataclass(frozen=True)
class RunOutcome:
    """What became of one scheduled run.

    status:
    - ok: the edition was published and every delivery was made;
    - delivery failed: the edition was published but some deliveries still failed after every retry
      (`failed_deliveries` says which; the run record has status "delivery failed" too, and
      `briefgen deliver --brief NAME` resends them);
    - failed: the run failed after every retry (or at once, for a ConfigError);
    - locked: another process was building the brief: not run;
    - stopped: the scheduler was stopped before the run or between retries;
    - missed: missed="skip" and the run could not start within SKIP_GRACE of its time, e.g. behind a
      long build: not run.

    `deliveries` holds every delivery of the slot's edition as the last try left them.
    """

    job: Job
    scheduled: dt.datetime
    status: Status
    attempts: int = 0
    error: str | None = None
    deliveries: tuple[Delivery, ...] = field(default=(), hash=False)

    @property
    def done(self) -> bool:
        """True when the run counts as done for the missed-run policy (it ran, well or not)."""
        return self.status in ("ok", "failed", "delivery failed")

    @property
    def failed_deliveries(self) -> list[Delivery]:
        """The deliveries that were not made."""
        return undelivered(self.deliveries)


def run_with_retries(job: Job, scheduled: dt.datetime, run_job: RunJob, folder: Path,
                     retry: RetryPolicy, stop: threading.Event | None = None) -> RunOutcome:
    """Run one job under its brief's lock, retrying failures; a ConfigError is not retried.

    A try whose deliveries partly failed is retried like a failed one: `run_job` is called again for
    the same scheduled time and must then only resend what failed (periodic.run_scheduled does).
    Waits between tries end early when `stop` is set; the try in progress is never interrupted.
    """
    stop = stop or threading.Event()
    lock = RunLock(folder, job.brief)
    if not lock.acquire():
        return RunOutcome(job, scheduled, "locked", 0, f"already being built by process {lock.holder()}")
    try:
        return _tries(job, scheduled, run_job, [0.0, *retry.delays()], stop)
    finally:
        lock.release()


def _tries(job: Job, scheduled: dt.datetime, run_job: RunJob, waits: list[float],
           stop: threading.Event) -> RunOutcome:
    """Try the run after each wait in turn until one succeeds, fails for good, or `stop` is set."""
    outcome = RunOutcome(job, scheduled, "failed")
    for attempt, wait in enumerate(waits, start=1):
        if wait and stop.wait(wait):
            return RunOutcome(job, scheduled, "stopped", attempt - 1, f"retries abandoned: {outcome.error}",
                              outcome.deliveries)
        outcome, final = _try(job, scheduled, run_job, attempt)
        if final:
            return outcome
        log.warning("%s: run of %s failed (try %d of %d): %s", job.id, scheduled.isoformat(),
                    attempt, len(waits), outcome.error)
    return outcome


def _try(job: Job, scheduled: dt.datetime, run_job: RunJob, attempt: int) -> tuple[RunOutcome, bool]:
    """One try: its outcome, and whether it is final (True) or worth trying again."""
    try:
        deliveries = tuple(run_job(job, scheduled) or ())
    except ConfigError as problem:
        return RunOutcome(job, scheduled, "failed", attempt, "; ".join(problem.lines)), True
    except Exception as problem:
        return RunOutcome(job, scheduled, "failed", attempt, _describe(problem)), False
    failed = undelivered(deliveries)  # held ones await approval: not a failure
    if not failed:
        return RunOutcome(job, scheduled, "ok", attempt, None, deliveries), True
    error = f"{len(failed)} of {len(deliveries)} deliveries failed"
    return RunOutcome(job, scheduled, "delivery failed", attempt, error, deliveries), False


def _describe(error: BaseException) -> str:
    if isinstance(error, BriefgenError):
        return "; ".join(error.lines)
    return f"{type(error).__name__}: {error}"


def run_due(project: Project, now: dt.datetime, last_runs: dict[str, dt.datetime | None], run_job: RunJob, *,
            briefs: list[str] | None = None, retry: RetryPolicy | None = None, folder: Path | None = None,
            report: Callable[[RunOutcome], None] | None = None) -> list[RunOutcome]:
    """Run every job that is due at `now` (for `briefgen schedule once`), oldest first; return the outcomes.

    `briefs` limits it to those briefs. A job whose brief is locked by another process is not run
    (outcome "locked"). `report` is called after each job, e.g. to record the run in RunState at once.
    """
    _check_briefs(project, briefs)
    retry = retry or RetryPolicy(retries=0)
    folder = folder or lock_folder(project)
    due = [(when, job) for job in jobs(project) if briefs is None or job.brief in briefs
           for when in due_runs(job, last_runs.get(job.id), now)]
    outcomes = []
    for when, job in sorted(due, key=lambda pair: (pair[0].timestamp(), pair[1].id)):
        outcome = run_with_retries(job, when, run_job, folder, retry)
        if outcome.status == "locked":
            log.warning("%s: not run: %s", job.id, outcome.error)
        outcomes.append(outcome)
        if report:
            report(outcome)
    return outcomes


def _check_briefs(project: Project, briefs: list[str] | None) -> None:
    for name in briefs or []:
        if name not in project.briefs:
            raise BriefgenError(f"unknown brief '{name}'; valid briefs: {', '.join(sorted(project.briefs))}")


def now_utc() -> dt.datetime:
    """The current time, aware, in UTC."""
    return dt.datetime.now(UTC)


class Scheduler:
    """`briefgen schedule run`: builds each brief when its schedules say, until SIGTERM or SIGINT.

    An APScheduler BackgroundScheduler holds one job per schedule (coalesced, one instance at a
    time); runs go through a single worker thread, so builds never overlap. At start-up the
    missed-run policy is applied using `state`. A failing run is retried per `retry`; every
    outcome goes to `report` (called from the worker thread) and is recorded in `state`.

    `clock` gives "now" for the start-up catch-up; `triggers` replaces the cron trigger per job
    (tests use frequent triggers).
    """

    def __init__(self, project: Project, run_job: RunJob, *, state: RunState | None = None,
                 report: Callable[[RunOutcome], None] | None = None, retry: RetryPolicy | None = None,
                 briefs: list[str] | None = None, clock: Callable[[], dt.datetime] = now_utc,
                 folder: Path | None = None, triggers: Callable[[Job], BaseTrigger] | None = None) -> None:
        _check_briefs(project, briefs)
        self.project = project
        self.run_job = run_job
        self.state = state or RunState.for_project(project)
        self.report = report
        self.retry = retry or RetryPolicy()
        self.clock = clock
        self.folder = folder or lock_folder(project)
        self.jobs = [job for job in jobs(project) if briefs is None or job.brief in briefs]
        self._triggers = {job.id: (triggers or trigger_for)(job) for job in self.jobs}
        self._stop = threading.Event()
        self._scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max_workers=1)},
            job_defaults={"coalesce": True, "max_instances": 1}, timezone=UTC,
        )
        self._scheduler.add_listener(self._on_missed, EVENT_JOB_MISSED)

    def start(self) -> list[Job]:
        """Start scheduling in the background; queue one catch-up run per job the missed-run policy wants."""
        last_runs = self.state.last_runs()
        now = self.clock()
        caught_up = []
        for job in self.jobs:
            grace = None if job.schedule.missed == "run_once" else int(SKIP_GRACE.total_seconds())
            self._scheduler.add_job(self._fire, self._triggers[job.id], args=[job, None], id=job.id,
                                    name=job.id, misfire_grace_time=grace)
            for when in due_runs(job, last_runs.get(job.id), now):
                self._scheduler.add_job(self._fire, DateTrigger(), args=[job, when], id=f"{job.id}@catch-up",
                                        name=f"{job.id} (catch-up)", misfire_grace_time=None)
                caught_up.append(job)
        self._scheduler.start()
        return caught_up

    def stop(self) -> None:
        """Stop: no new runs start; the run in progress finishes; then the scheduler shuts down."""
        self._stop.set()
        if self._scheduler.running:
            self._scheduler.shutdown(wait=True)

    def request_stop(self) -> None:
        """Ask run() to stop (safe from a signal handler or another thread)."""
        self._stop.set()

    def run(self) -> None:
        """Start, then wait until SIGTERM/SIGINT (or request_stop) and stop cleanly."""
        previous = {number: signal.signal(number, self._on_signal) for number in (signal.SIGTERM, signal.SIGINT)}
        try:
            self.start()
            while not self._stop.wait(1.0):
                pass
            self.stop()
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    def next_run_times(self) -> dict[str, dt.datetime | None]:
        """Job id -> its next scheduled time (after start)."""
        return {job.id: job.next_run_time for job in self._scheduler.get_jobs() if "@" not in job.id}

    def _on_signal(self, number: int, frame: FrameType | None) -> None:
        self._stop.set()
        signal.signal(number, signal.SIG_DFL)  # a second signal stops at once

    def _fire(self, job: Job, scheduled: dt.datetime | None) -> None:
        when = scheduled or self._scheduled_time(job)
        if self._stop.is_set():
            outcome = RunOutcome(job, when, "stopped", 0, "the scheduler was stopping")
        else:
            outcome = run_with_retries(job, when, self.run_job, self.folder, self.retry, self._stop)
        if outcome.done:
            self.state.record(job, when)
        self._report(outcome)

    def _on_missed(self, event: JobExecutionEvent) -> None:
        job = next((job for job in self.jobs if job.id == event.job_id.partition("@")[0]), None)
        if job is None:
            return
        when = datetime_in(event.scheduled_run_time, job.zone)
        self._report(RunOutcome(job, when, "missed", 0, f"could not start within {SKIP_GRACE} of its time"))

    def _scheduled_time(self, job: Job) -> dt.datetime:
        # APScheduler does not pass a job its scheduled time; with coalescing it is the newest one due.
        now = now_utc()
        newest = latest_run(self._triggers[job.id], None, now)
        return newest or datetime_in(now, job.zone)

    def _report(self, outcome: RunOutcome) -> None:
        if self.report is None:
            return
        try:
            self.report(outcome)
        except Exception:
            log.exception("reporting the outcome of %s failed", outcome.job.id)


# --- export to cron and systemd ------------------------------------------------


def _command_words(command: str) -> list[str]:
    """The command as words, the program made absolute when found on PATH (cron and systemd have little PATH)."""
    words = shlex.split(command)
    if words and "/" not in words[0]:
        words[0] = shutil.which(words[0]) or words[0]
    return words


def _once_command(command: str, brief: str) -> list[str]:
    return [*_command_words(command), "schedule", "once", "--brief", brief]


def export_cron(project: Project, command: str = "briefgen") -> str:
    """Crontab lines running `briefgen schedule once --brief NAME` for every schedule (cronie syntax)."""
    lines = [
        f"# briefgen schedules for {project.root}",
        "# CRON_TZ sets the time zone of the lines after it (cronie, systemd-cron); a cron that ignores it",
        "# reads these times in the system zone. Keep these lines at the end of the crontab.",
        "# 'schedule once' runs only what is due (see 'missed'); @reboot lines catch up runs missed while down.",
    ]
    lines += _password_note(project)
    for job in jobs(project):
        schedule = job.schedule
        run = "cd " + shlex.quote(str(project.root)) + " && " + shlex.join(_once_command(command, job.brief))
        run = run.replace("%", "\\%")  # cron turns an unescaped % into a newline
        lines += ["", f"# {job.id}: '{schedule.cron}' in {schedule.timezone}; missed runs: {schedule.missed}",
                  f"CRON_TZ={schedule.timezone}", f"{schedule.cron} {run}"]
        if schedule.missed == "run_once":
            lines.append(f"@reboot {run}")
    return "\n".join(lines) + "\n"


def _password_note(project: Project) -> list[str]:
    smtp = project.settings.delivery.smtp
    if smtp is None or smtp.password is None:
        return []
    return [f"# Email needs the SMTP password in the environment variable {smtp.password.env}."]


def systemd_units(project: Project, command: str = "briefgen") -> dict[str, str]:
    """A .service and a .timer per schedule: file name -> content."""
    units: dict[str, str] = {}
    for job in jobs(project):
        name = "briefgen-" + re.sub(r"[^A-Za-z0-9_.:-]", "_", job.brief) + f"-{job.index}"
        units[f"{name}.service"] = _service(project, job, command)
        units[f"{name}.timer"] = _timer(job, name)
    return units


def export_systemd(project: Project, command: str = "briefgen") -> str:
    """systemd_units() as one text, each unit headed by a comment naming its file."""
    parts = [f"# ---- {file_name} ----\n{content}" for file_name, content in systemd_units(project, command).items()]
    return "\n".join(parts)


def _service(project: Project, job: Job, command: str) -> str:
    smtp = project.settings.delivery.smtp
    lines = ["[Unit]", f"Description=briefgen: build and deliver {job.brief} (schedule {job.index})", "",
             "[Service]", "Type=oneshot", "WorkingDirectory=" + str(project.root).replace("%", "%%"),
             "ExecStart=" + " ".join(_systemd_quote(word) for word in _once_command(command, job.brief))]
    if smtp is not None and smtp.password is not None:
        lines.append(f"# Define {smtp.password.env} (the SMTP password) in a file readable only by this service:")
        lines.append("# EnvironmentFile=/etc/briefgen/smtp.env")
    return "\n".join(lines) + "\n"


def _systemd_quote(word: str) -> str:
    word = word.replace("%", "%%")  # systemd expands %-specifiers in ExecStart
    if re.fullmatch(r"[A-Za-z0-9_./:=@+%-]+", word):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _timer(job: Job, name: str) -> str:
    lines = ["[Unit]", f"Description=briefgen: when to build {job.brief} ('{job.schedule.cron}' "
                       f"in {job.schedule.timezone})", "", "[Timer]"]
    lines += [f"OnCalendar={spec}" for spec in on_calendar(job)]
    lines += [f"Persistent={'true' if job.schedule.missed == 'run_once' else 'false'}",
              f"Unit={name}.service", "", "[Install]", "WantedBy=timers.target"]
    return "\n".join(lines) + "\n"


def on_calendar(job: Job) -> list[str]:
    """systemd OnCalendar= values for the job's cron expression; two when its day fields are OR-ed."""
    cron = parse_job(job)
    time = f"{_component(cron.hour, 23)}:{_component(cron.minute, 59)}:00 {job.schedule.timezone}"
    month = _component(cron.month, 12)
    weekdays = "" if cron.weekday.full else _systemd_weekdays(cron.weekday.values) + " "
    if cron.either_day:
        by_day = [f"*-{month}-{_component(cron.day, 31)} {time}"] if _day_exists(cron.day, cron.month) else []
        return [f"{weekdays}*-{month}-* {time}", *by_day]
    return [f"{weekdays}*-{month}-{_component(cron.day, 31)} {time}"]


def _component(field: CronField, high: int) -> str:
    values = field.values
    if field.full:
        return "*"
    step = values[1] - values[0] if len(values) > 2 else 0
    if step > 1 and list(values) == list(range(values[0], high + 1, step)):
        return f"{values[0]:02d}/{step}"  # a repetition running to the end of the range: '00/15'
    return ",".join(f"{value:02d}" for value in values)


def _systemd_weekdays(values: tuple[int, ...]) -> str:
    iso_days = sorted(7 if day == 0 else day for day in values)  # Monday 1 ... Sunday 7
    runs: list[list[int]] = []
    for day in iso_days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(_weekday_run(run) for run in runs)


def _weekday_run(run: list[int]) -> str:
    names = [_SYSTEMD_WEEKDAYS[day % 7] for day in run]
    return f"{names[0]}..{names[-1]}" if len(names) >= 3 else ",".join(names)


def describe_jobs(project: Project, now: dt.datetime, count: int = 3) -> list[dict[str, Any]]:
    """For `briefgen schedule list`: each job with its expression, zone, policy and next runs."""
    return [{"id": job.id, "brief": job.brief, "cron": job.schedule.cron, "timezone": job.schedule.timezone,
             "missed": job.schedule.missed, "audiences": job.schedule.audiences,
             "next": next_runs(job, now, count)} for job in jobs(project)]
