"""One scheduled time publishes one edition, whatever fails: failed deliveries are reported (exit 1, one line
each, the run record) and retried by resending only them, in this process or in a later one."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from apscheduler.triggers.date import DateTrigger
from click.testing import CliRunner, Result

import briefgen
from briefgen.build import BuildRequest, build
from briefgen.cli import _print_outcome, main
from briefgen.editions import RunRecord, Runs
from briefgen.periodic import run_scheduled, slot_trigger
from briefgen.project import load_project
from briefgen.schedule import Job, RetryPolicy, RunOutcome, RunState, Scheduler, jobs
from briefgen.store import FactStore
from tests.servers import Collector

UTC = dt.UTC
RECIPIENTS = ["ana@desk.example.org", "gone@desk.example.org", "cy@desk.example.org"]
GONE = RECIPIENTS[1]
SLOT = dt.datetime(dt.datetime.now(UTC).year, 1, 1, tzinfo=UTC)  # '0 0 1 1 *': due (caught up) all year
SOURCE_ROOT = Path(briefgen.__file__).resolve().parents[1]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def project(example_project: Path, server: tuple[Collector, int]) -> Path:
    """The example project, its brief built every 1 January and mailed to RECIPIENTS through the test server.

    Its last run is recorded two years back, so the run of this year's 1 January is due (missed: run_once).
    """
    settings = example_project / "config/briefgen.yaml"
    settings.write_text(settings.read_text() + (
        f"  smtp:\n    host: 127.0.0.1\n    port: {server[1]}\n    security: none\n"
        "    sender: briefs@desk.example.org\n    timeout: 5\n  attempts: 1\n  backoff: 0\n"))
    brief = example_project / "config/briefs/iraq-security.yaml"
    schedule = ('schedules:\n  - cron: "0 0 1 1 *"\n    timezone: UTC\n    audiences: [analyst]\n'
                "    formats: [html]\n    missed: run_once\n    recipients:\n"
                f"      analyst: [{', '.join(RECIPIENTS)}]\n")
    brief.write_text(brief.read_text().split("schedules:")[0] + schedule)
    loaded = load_project(example_project)
    RunState.for_project(loaded).record(the_job(example_project), SLOT.replace(year=SLOT.year - 2))
    return example_project


def the_job(root: Path) -> Job:
    (job,) = jobs(load_project(root))
    return job


def slot_done(root: Path) -> None:
    """Record this year's 1 January run as done: only the test's own trigger then runs."""
    RunState.for_project(load_project(root)).record(the_job(root), SLOT)


def editions(root: Path) -> list[str]:
    return sorted(path.name for path in (root / "output/iraq-security").iterdir()
                  if path.is_dir() and not path.is_symlink() and not path.name.startswith("."))


def runs_of(root: Path) -> list[RunRecord]:
    with FactStore(load_project(root).store_location) as store:
        return Runs(store).recent("iraq-security")


def test_schedule_once_with_a_failed_delivery_exits_1_names_it_and_records_it(
        project: Path, server: tuple[Collector, int]) -> None:
    handler = server[0]
    handler.refuse = {GONE}
    result = run("schedule", "once", "--project", str(project))
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert any(re.match(r"delivery failed iraq-security#0 for \d{4}-01-01 00:00 UTC after 1 attempt\(s\): "
                        r"1 of 4 deliveries failed$", line) for line in lines), lines
    assert f"  failed email {GONE} (analyst), 1 attempt(s): recipient refused: 550 5.1.1 <{GONE}>: " \
           "mailbox unavailable" in lines
    assert handler.received_by() == Counter({RECIPIENTS[0]: 1, RECIPIENTS[2]: 1})

    (record,) = runs_of(project)
    assert record.status == "delivery failed" and record.edition == 1
    assert record.error == (f"1 of 4 deliveries failed: email {GONE} (analyst): recipient refused: 550 5.1.1 "
                            f"<{GONE}>: mailbox unavailable")
    table = run("runs", "--project", str(project))
    assert table.exit_code == 0 and "delivery failed" in table.stdout

    assert "nothing due" in run("schedule", "once", "--project", str(project)).stderr  # the slot is done
    handler.refuse = set()
    resent = run("deliver", "--project", str(project), "--brief", "iraq-security")
    assert resent.exit_code == 0, resent.output
    assert handler.received_by() == Counter(RECIPIENTS)
    (record,) = runs_of(project)
    assert (record.status, record.error) == ("succeeded", None)
    assert editions(project) == [f"{SLOT.year}-01-01"]


def test_retries_of_a_slot_redeliver_only_and_never_publish_another_edition(
        project: Path, server: tuple[Collector, int], capsys: pytest.CaptureFixture[str]) -> None:
    handler = server[0]
    handler.refuse = {GONE}
    slot_done(project)
    outcomes: list[RunOutcome] = []
    done = threading.Event()

    def report(outcome: RunOutcome) -> None:  # what `briefgen schedule run` does, plus a note for the test
        _print_outcome(outcome)
        outcomes.append(outcome)
        done.set()

    scheduler = Scheduler(load_project(project), lambda job, when: run_scheduled(project, job, when),
                          report=report, retry=RetryPolicy(retries=2, delay=0.05), triggers=lambda job: DateTrigger())
    scheduler.start()
    try:
        assert done.wait(120)
    finally:
        scheduler.stop()
    (outcome,) = outcomes
    assert (outcome.status, outcome.attempts, outcome.error) == ("delivery failed", 3, "1 of 4 deliveries failed")
    assert [(item.target, item.attempts) for item in outcome.failed_deliveries] == [(GONE, 3)]
    assert editions(project) == [outcome.scheduled.date().isoformat()]  # one edition for the slot, not three
    (record,) = runs_of(project)
    assert record.status == "delivery failed"
    assert handler.refused[GONE] == 3
    assert handler.received_by() == Counter({RECIPIENTS[0]: 1, RECIPIENTS[2]: 1})  # nobody got a second copy
    err = capsys.readouterr().err
    assert "delivery failed iraq-security#0" in err and f"  failed email {GONE} (analyst), 3 attempt(s)" in err


def test_a_retry_that_gets_through_sends_only_what_had_failed(project: Path, server: tuple[Collector, int]) -> None:
    handler = server[0]
    handler.refuse = {GONE}
    slot_done(project)
    calls: list[dt.datetime] = []

    def run_job(job: Job, when: dt.datetime) -> list[object]:
        calls.append(when)
        try:
            return run_scheduled(project, job, when)  # type: ignore[return-value]
        finally:
            handler.refuse = set()  # the mailbox is back for the second try

    outcomes: list[RunOutcome] = []
    scheduler = Scheduler(load_project(project), run_job, report=outcomes.append,
                          retry=RetryPolicy(retries=3, delay=0.05), triggers=lambda job: DateTrigger())
    scheduler.start()
    try:
        deadline = time.monotonic() + 120
        while not outcomes and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        scheduler.stop()
    (outcome,) = outcomes
    assert (outcome.status, outcome.attempts, len(set(calls))) == ("ok", 2, 1)
    assert handler.received_by() == Counter(RECIPIENTS)
    assert len(editions(project)) == 1
    (record,) = runs_of(project)
    assert record.status == "succeeded"


def test_schedule_once_after_a_crashed_schedule_run_redelivers_and_builds_nothing(
        project: Path, server: tuple[Collector, int], tmp_path: Path) -> None:
    handler = server[0]
    handler.refuse = {GONE}
    log = tmp_path / "schedule-run.log"
    with log.open("w") as output:
        process = subprocess.Popen([sys.executable, "-m", "briefgen", "schedule", "run", "--project", str(project)],
                                   stdout=output, stderr=subprocess.STDOUT, cwd=SOURCE_ROOT,
                                   env={**os.environ, "PYTHONPATH": str(SOURCE_ROOT)})
    try:
        # The first try fails one delivery; the scheduler then waits 60 s to retry: kill it there.
        assert wait_for_failed_delivery(project, process, 180), log.read_text()
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    assert handler.received_by() == Counter({RECIPIENTS[0]: 1, RECIPIENTS[2]: 1})
    assert RunState.for_project(load_project(project)).last_runs()["iraq-security#0"] != SLOT  # never recorded

    handler.refuse = set()
    result = run("schedule", "once", "--project", str(project))
    assert result.exit_code == 0, result.output
    assert re.search(r"^ok iraq-security#0 for \d{4}-01-01 00:00 UTC", result.stderr, re.MULTILINE)
    assert handler.received_by() == Counter(RECIPIENTS)
    assert editions(project) == [f"{SLOT.year}-01-01"]
    (record,) = runs_of(project)
    assert record.trigger == slot_trigger(the_job(project), SLOT) and record.status == "succeeded"


def wait_for_failed_delivery(root: Path, process: subprocess.Popen[bytes], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        for record in (root / "output/iraq-security").glob("*/deliveries.json"):
            try:
                if any(item["status"] == "failed" for item in json.loads(record.read_text())):
                    return True
            except ValueError:
                pass
        time.sleep(0.2)
    return False


def test_a_slot_published_but_never_delivered_is_delivered_from_its_files(
        project: Path, server: tuple[Collector, int]) -> None:
    handler = server[0]
    loaded = load_project(project)
    # A run that stopped right after publishing: the edition exists, no delivery was planned or made.
    build(loaded, BuildRequest(briefs=["iraq-security"], audiences=["analyst"], formats=("html",),
                               build_date=SLOT.date()), trigger=slot_trigger(the_job(project), SLOT))
    result = run("schedule", "once", "--project", str(project))
    assert result.exit_code == 0, result.output
    assert handler.received_by() == Counter(RECIPIENTS)
    assert editions(project) == [f"{SLOT.year}-01-01"]
    message = handler.messages()[0]
    assert message["Subject"] == "[TLP:AMBER] Iraq Security Situation Brief — Analyst brief, edition 1"
    delivered = json.loads((project / f"output/iraq-security/{SLOT.year}-01-01/deliveries.json").read_text())
    assert {(item["method"], item["status"]) for item in delivered} == {("email", "sent"), ("drop", "sent")}


def test_a_slot_killed_after_publishing_but_before_recording_is_not_built_again(
        project: Path, server: tuple[Collector, int]) -> None:
    handler = server[0]
    loaded = load_project(project)
    build(loaded, BuildRequest(briefs=["iraq-security"], audiences=["analyst"], formats=("html",),
                               build_date=SLOT.date()), trigger=slot_trigger(the_job(project), SLOT))
    # Killed after the edition folder's rename: the store neither records the edition nor ends the run.
    with FactStore(loaded.store_location) as store:
        store.connection.execute("DELETE FROM editions")
        store.connection.execute("UPDATE runs SET status = 'running', edition = NULL, finished = NULL")
    result = run("schedule", "once", "--project", str(project))
    assert result.exit_code == 0, result.output
    assert editions(project) == [f"{SLOT.year}-01-01"]
    assert handler.received_by() == Counter(RECIPIENTS)
    (first,) = runs_of(project)
    assert first.status == "failed" and first.error is not None and "interrupted" in first.error


def test_a_bad_recipient_stops_the_run_before_anything_is_built_or_sent(
        project: Path, server: tuple[Collector, int]) -> None:
    brief = project / "config/briefs/iraq-security.yaml"
    brief.write_text(brief.read_text().replace(GONE, '"gone@desk.example.org\\nBcc: all@example.org"'))
    result = run("schedule", "once", "--project", str(project))
    assert result.exit_code == 2
    assert "schedules.0.recipients.analyst.1: 'gone@desk.example.org\\nBcc: all@example.org' is not a valid " \
           "email address" in result.stderr
    assert not (project / "output/iraq-security").exists()
    assert server[0].envelopes == []
