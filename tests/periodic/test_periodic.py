"""Scheduled runs end to end: build the edition, email it through a real SMTP server, retry failures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result

from briefgen.cli import main
from briefgen.editions import Runs
from briefgen.periodic import run_scheduled
from briefgen.project import load_project
from briefgen.schedule import jobs
from briefgen.store import FactStore
from tests.servers import Collector

RECIPIENTS = ("chief@desk.example.org", "analyst@desk.example.org")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def scheduled_project(example_project: Path, server: tuple[Collector, int]) -> Path:
    """The example project set to mail its analyst edition to two recipients through the test server."""
    settings = example_project / "config/briefgen.yaml"
    settings.write_text(settings.read_text() + (
        f"  smtp:\n    host: 127.0.0.1\n    port: {server[1]}\n    security: none\n"
        "    sender: briefs@desk.example.org\n    timeout: 5\n  attempts: 2\n  backoff: 0\n"))
    brief = example_project / "config/briefs/iraq-security.yaml"
    brief.write_text(brief.read_text().replace(
        "    audiences: [executive, analyst]\n",
        f"    audiences: [analyst]\n    recipients:\n      analyst: [{', '.join(RECIPIENTS)}]\n"))
    return example_project


def monday_run(project: Path) -> list[object]:
    (job,) = jobs(load_project(project))
    return run_scheduled(project, job, dt.datetime(2026, 11, 23, 6, 0, tzinfo=ZoneInfo("Asia/Baghdad")))


def test_schedule_list_shows_next_runs_in_local_time_and_utc(example_project: Path) -> None:
    result = run("schedule", "list", "--project", str(example_project))
    assert result.exit_code == 0, result.output
    assert "iraq-security#0" in result.stdout and "0 6 * * MON" in result.stdout
    assert "Mon" in result.stdout and "06:00 +03" in result.stdout and "03:00 UTC" in result.stdout


def test_a_scheduled_run_mails_the_pdf_with_the_tlp_label(scheduled_project: Path,
                                                          server: tuple[Collector, int]) -> None:
    deliveries = monday_run(scheduled_project)
    handler = server[0]
    assert sorted(handler.received_by()) == sorted(RECIPIENTS)
    message = handler.messages()[0]
    assert message["Subject"] == "[TLP:AMBER] Iraq Security Situation Brief — Analyst brief, edition 1"
    (attachment,) = [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
    written = scheduled_project / "output/iraq-security/2026-11-23/analyst.pdf"
    assert attachment.get_content() == written.read_bytes()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Iraq Security Situation Brief" in html
    assert {item.status for item in deliveries} == {"sent"}
    assert (scheduled_project / "outbox/iraq-security/2026-11-23/analyst.pdf").is_file()


def test_one_failed_recipient_is_retried_without_rebuilding_or_resending(
        scheduled_project: Path, server: tuple[Collector, int]) -> None:
    handler = server[0]
    handler.refuse = {RECIPIENTS[1]}
    deliveries = monday_run(scheduled_project)
    status = {item.target: item.status for item in deliveries if item.method == "email"}
    assert status == {RECIPIENTS[0]: "sent", RECIPIENTS[1]: "failed"}
    assert handler.refused[RECIPIENTS[1]] == 2
    with FactStore(load_project(scheduled_project).store_location) as store:
        (record,) = Runs(store).recent("iraq-security")
    assert record.trigger.startswith("schedule iraq-security#0")
    assert {(item["target"], item["status"]) for item in record.deliveries if item["method"] == "email"} == {
        (RECIPIENTS[0], "sent"), (RECIPIENTS[1], "failed")}

    handler.refuse = set()
    result = run("deliver", "--project", str(scheduled_project), "--brief", "iraq-security")
    assert result.exit_code == 0, result.output
    assert handler.received_by() == {RECIPIENTS[0]: 1, RECIPIENTS[1]: 1}
    assert sorted(path.name for path in (scheduled_project / "output/iraq-security").iterdir()) == [
        "2026-11-23", "index.html", "latest"]


def test_schedule_once_with_nothing_due_says_so(example_project: Path) -> None:
    result = run("schedule", "once", "--project", str(example_project))
    assert result.exit_code == 0, result.output
    assert "nothing due" in result.stderr


def test_schedule_export_prints_cron_and_systemd(example_project: Path) -> None:
    cron = run("schedule", "export", "--cron", "--project", str(example_project))
    assert cron.exit_code == 0 and "CRON_TZ=Asia/Baghdad" in cron.stdout and "0 6 * * MON" in cron.stdout
    systemd = run("schedule", "export", "--systemd", "--project", str(example_project))
    assert systemd.exit_code == 0 and "OnCalendar=Mon *-*-* 06:00:00 Asia/Baghdad" in systemd.stdout
