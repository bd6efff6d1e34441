"""A scheduled run: build the brief's next edition, then deliver it to each audience's recipients.

Used by `briefgen schedule run` and `briefgen schedule once`, and by `briefgen deliver` to retry
deliveries that failed, from the files already written (nothing is rebuilt, nobody gets a copy twice).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from briefgen.build import BuildReport, BuildRequest, WrittenFile, build
from briefgen.deliver import Delivery, deliver_edition, load_deliveries, retry_failed, save_deliveries, subject_for
from briefgen.editions import Editions, Runs
from briefgen.errors import BriefgenError
from briefgen.project import Project, load_project
from briefgen.schedule import Job
from briefgen.store import FactStore

DELIVERIES = "deliveries.json"


def run_scheduled(root: Path, job: Job, scheduled: dt.datetime) -> list[Delivery]:
    """Build and deliver one scheduled edition; the configuration is read afresh for each run."""
    project = load_project(root)
    schedule = job.schedule
    request = BuildRequest(briefs=[job.brief], audiences=schedule.audiences, formats=tuple(schedule.formats),
                           build_date=scheduled.date())
    report = build(project, request, trigger=f"schedule {job.id} {scheduled.isoformat()}")
    return deliver_report(project, report, schedule.recipients)


def deliver_report(project: Project, report: BuildReport, recipients: dict[str, list[str]]) -> list[Delivery]:
    """Deliver each audience's files of a build; record the results with the run and beside the edition."""
    edition, run_id = report.editions[0], report.run_ids[0]
    brief = project.briefs[edition.brief]
    deliveries: list[Delivery] = []
    for audience, files in _files_by_audience(report.written).items():
        config = project.audiences[audience]
        subject = subject_for(brief.title, config.label, edition.number, config.marking)
        deliveries += deliver_edition(project.settings.delivery, project.root, audience, subject, files,
                                      recipients.get(audience, []), relative_to=project.output_dir)
    folder = project.output_dir / edition.brief / edition.folder
    _record(project, run_id, folder, deliveries, [])
    return deliveries


def retry_deliveries(project: Project, brief: str) -> list[Delivery]:
    """Resend what failed for the newest edition of a brief, from its written files."""
    with FactStore(project.store_path) as store:
        latest = Editions(store).latest(brief)
    if latest is None:
        raise BriefgenError(f"brief '{brief}' has no edition yet; run 'briefgen build --brief {brief}'")
    folder = project.output_dir / brief / latest.folder
    previous = load_deliveries(folder / DELIVERIES)
    updated = retry_failed(previous, project.settings.delivery)
    with FactStore(project.store_path) as store:
        run = next((r for r in Runs(store).recent(brief) if r.edition == latest.number), None)
    _record(project, run.id if run else None, folder, updated, previous)
    return updated


def _record(project: Project, run_id: int | None, folder: Path, deliveries: list[Delivery],
            previous: list[Delivery]) -> None:
    if not deliveries:
        return
    save_deliveries(folder / DELIVERIES, deliveries)
    if run_id is None:
        return
    changed = [dataclasses.asdict(item) for item in deliveries if item not in previous]
    with FactStore(project.store_path) as store:
        Runs(store).add_deliveries(run_id, changed)


def _files_by_audience(written: list[WrittenFile]) -> dict[str, list[Path]]:
    grouped: dict[str, list[Path]] = {}
    for item in written:
        grouped.setdefault(item.audience, []).append(item.path)
    return grouped
