"""A scheduled run: build the brief's next edition, then deliver it to each audience's recipients.

Used by `briefgen schedule run` and `briefgen schedule once`, and by `briefgen deliver` to retry
deliveries that failed, from the files already written (nothing is rebuilt, nobody gets a copy twice).

One scheduled time of a job (a "slot") publishes at most one edition, however often it is tried.
The build records the slot with its edition, as the trigger `schedule BRIEF#INDEX TIME` (in the
store and in the edition folder's own edition.json). Before building, `run_scheduled` settles what
a killed build left (an edition folder published but not yet recorded is recorded) and looks for
the slot's edition; when there is one it builds nothing and only delivers what that edition has not
delivered yet, from its deliveries.json, which is written (every delivery "pending") before the
first message goes out. The store and the edition folders are shared by every process, and a
brief's runs hold its RunLock, so this holds for the retries of `schedule run` and for a
`schedule once` after a `schedule run` that crashed, at any moment. A message being sent when a
process is killed may be sent again.

An audience with `approval: required` gets a draft: its deliveries (emails and drop copies) are
planned "held" and made only when a reviewer approves the draft (briefgen.approval.approve, which
calls `deliver_approved`). Whether a delivery is held is decided from the configuration and the
store's approvals each time deliveries are planned, so an edition settled after a crash is held too,
and a held delivery of an approved audience is released by the next retry.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from pathlib import Path

from briefgen.build import BuildReport, BuildRequest, WrittenFile, build
from briefgen.config import Schedule
from briefgen.deliver import (
    Delivery,
    load_deliveries,
    plan_edition,
    retry_failed,
    save_deliveries,
    subject_for,
    undelivered,
)
from briefgen.editions import Approvals, EditionRecord, Editions, Runs, settle
from briefgen.errors import BriefgenError
from briefgen.locks import RunLock, lock_folder
from briefgen.project import Project, load_project
from briefgen.schedule import Job, datetime_in
from briefgen.store import FactStore

DELIVERIES = "deliveries.json"
DELIVERY_FAILED = "delivery failed"  # the run status of a published edition with failed deliveries
_SLOT_LOOK_BACK = 500  # how many of a brief's latest runs are searched for a slot's edition
log = logging.getLogger("briefgen.periodic")


def slot_trigger(job: Job, scheduled: dt.datetime) -> str:
    """The trigger recorded with the run and edition of a job's scheduled time: 'schedule BRIEF#INDEX ISO-TIME'."""
    return f"schedule {job.id} {datetime_in(scheduled, job.zone).isoformat()}"


def run_scheduled(root: Path, job: Job, scheduled: dt.datetime) -> list[Delivery]:
    """Build and deliver one scheduled edition; the configuration is read afresh for each run.

    When this scheduled time has published its edition already (an earlier try, maybe by another
    process), nothing is built: only the deliveries still missing are made.
    """
    from briefgen.approval import notify_reviewers, unnotified  # approval builds on this module

    project = load_project(root)
    trigger = slot_trigger(job, scheduled)
    published = published_edition(project, job.brief, trigger)
    if published is not None:
        delivered = redeliver(project, published, job.schedule.recipients)
        _log(notify_reviewers(project, unnotified(project, published)))
        return delivered
    schedule = job.schedule
    request = BuildRequest(briefs=[job.brief], audiences=schedule.audiences, formats=tuple(schedule.formats),
                           build_date=scheduled.date(), fetch=True)
    report = build(project, request, trigger=trigger)
    if report.fetch and report.fetch.sources:
        log.info("%s: %s", job.id, report.fetch.summary())
        for path in report.fetch.new + report.fetch.updated:
            log.info("%s: %s source %s", job.id, "new" if path in report.fetch.new else "updated", path)
        _log([f"{job.id}: fetch: {line}" for line in report.fetch.failed])
    delivered = deliver_report(project, report, schedule.recipients)
    _log(notify_reviewers(project, report.drafts))
    return delivered


def _log(warnings: list[str]) -> None:
    for line in warnings:
        log.warning("%s", line)


def published_edition(project: Project, brief: str, trigger: str) -> EditionRecord | None:
    """The edition a slot published, if it did; what killed builds left is settled first."""
    with FactStore(project.store_path) as store:
        settle(project.root, project.output_dir, store, brief)
        return Editions(store).for_trigger(brief, trigger)


def deliver_report(project: Project, report: BuildReport, recipients: dict[str, list[str]]) -> list[Delivery]:
    """Deliver each audience's files of a build; record the results with the run and beside the edition."""
    edition, run_id = report.editions[0], report.run_ids[0]
    folder = project.output_dir / edition.brief / edition.folder
    planned = _plan(project, edition, _files_by_audience(report.written), recipients)
    return _deliver(project, run_id, folder, planned)


def redeliver(project: Project, edition: EditionRecord, recipients: dict[str, list[str]]) -> list[Delivery]:
    """Make the deliveries an edition still lacks: what failed or was never tried; nothing is rebuilt.

    Without a delivery record (the process stopped between publishing and delivering) every
    delivery is made, from the edition's files.
    """
    folder = project.output_dir / edition.brief / edition.folder
    run_id = _run_of(project, edition)
    if (folder / DELIVERIES).exists():
        previous = load_deliveries(folder / DELIVERIES)
        updated = retry_failed(release_approved(project, edition, previous), project.settings.delivery)
        _record(project, run_id, folder, updated, previous)
        return updated
    files: dict[str, list[Path]] = {}
    for name in edition.files:
        files.setdefault(Path(name).stem, []).append(folder / name)
    return _deliver(project, run_id, folder, _plan(project, edition, files, recipients))


def _run_of(project: Project, edition: EditionRecord) -> int | None:
    """The run that published an edition (none when it was killed before recording its end)."""
    with FactStore(project.store_path) as store:
        runs = Runs(store).recent(edition.brief, _SLOT_LOOK_BACK)
    return next((run.id for run in runs if run.edition == edition.number), None)


def retry_deliveries(project: Project, brief: str) -> list[Delivery]:
    """Resend what failed for the newest edition of a brief, from its written files (under the brief's lock)."""
    if brief not in project.briefs:
        raise BriefgenError(f"unknown brief '{brief}'; valid briefs: {', '.join(sorted(project.briefs))}")
    with RunLock(lock_folder(project.root), brief):
        with FactStore(project.store_path) as store:
            latest = Editions(store).latest(brief)
            runs = Runs(store).recent(brief, _SLOT_LOOK_BACK)
        if latest is None:
            raise BriefgenError(f"brief '{brief}' has no edition yet; run 'briefgen build --brief {brief}'")
        run = next((run for run in runs if run.edition == latest.number), None)
        folder = project.output_dir / brief / latest.folder
        previous = load_deliveries(folder / DELIVERIES)
        updated = retry_failed(release_approved(project, latest, previous), project.settings.delivery)
        _record(project, run.id if run else None, folder, updated, previous)
    return updated


def release_approved(project: Project, edition: EditionRecord, deliveries: list[Delivery]) -> list[Delivery]:
    """The deliveries with the held ones of approved audiences made pending (to be made now)."""
    if not any(item.status == "held" for item in deliveries):
        return deliveries
    with FactStore(project.store_path) as store:
        approved = Approvals(store).approved(edition.brief, edition.number)
    return [dataclasses.replace(item, status="pending") if item.status == "held" and item.audience in approved
            else item for item in deliveries]


def deliver_approved(project: Project, edition: EditionRecord, audiences: list[str]) -> list[Delivery]:
    """Make the held deliveries of audiences just approved (call it holding the brief's RunLock); return them.

    An audience whose deliveries were never planned (an edition built by hand, or a run stopped
    before planning) gets them planned now: a slot's edition to its schedule's recipients, an edition
    built by hand to the recipients every schedule of the brief gives the audience (each address once),
    with the drop copies; nothing when no schedule gives the audience recipients. Deliveries of other
    audiences are left as they are.
    """
    if not audiences:
        return []
    folder = project.output_dir / edition.brief / edition.folder
    previous = load_deliveries(folder / DELIVERIES) if (folder / DELIVERIES).exists() else []
    planned = release_approved(project, edition, previous) + _plan_missing(project, edition, folder, audiences, {
        item.audience for item in previous})
    chosen = [number for number, item in enumerate(planned)
              if item.audience in audiences and item.status in ("failed", "pending")]
    if not chosen:
        return []
    save_deliveries(folder / DELIVERIES, planned)
    updated = list(planned)
    for number, item in zip(chosen, retry_failed([planned[n] for n in chosen], project.settings.delivery),
                            strict=True):
        updated[number] = item
    _record(project, _run_of(project, edition), folder, updated, previous)
    return [updated[number] for number in chosen]


def _plan_missing(project: Project, edition: EditionRecord, folder: Path, audiences: list[str],
                  planned: set[str]) -> list[Delivery]:
    """The deliveries of the audiences that have none planned: see deliver_approved()."""
    slot = slot_schedule(project, edition)
    recipients = slot.recipients if slot is not None else schedule_recipients(project, edition.brief)
    files: dict[str, list[Path]] = {}
    for name in edition.files:
        audience = Path(name).stem
        if audience in audiences and audience not in planned and (slot is not None or recipients.get(audience)):
            files.setdefault(audience, []).append(folder / name)
    return _plan(project, edition, files, recipients)


def slot_schedule(project: Project, edition: EditionRecord) -> Schedule | None:
    """The schedule whose slot built an edition ('schedule BRIEF#INDEX TIME'); None for one built by hand."""
    words = edition.trigger.split()
    if len(words) != 3 or words[0] != "schedule" or not words[1].startswith(f"{edition.brief}#"):
        return None
    index = words[1].rpartition("#")[2]
    schedules = project.briefs[edition.brief].schedules
    return schedules[int(index)] if index.isdigit() and int(index) < len(schedules) else None


def schedule_recipients(project: Project, brief: str) -> dict[str, list[str]]:
    """Per audience, the recipients every schedule of a brief gives it, each address once (first spelling kept)."""
    merged: dict[str, list[str]] = {}
    for schedule in project.briefs[brief].schedules:
        for audience, addresses in schedule.recipients.items():
            known = merged.setdefault(audience, [])
            known += [address for address in addresses
                      if address.lower() not in {seen.lower() for seen in known}]
    return merged


def _plan(project: Project, edition: EditionRecord, files: dict[str, list[Path]],
          recipients: dict[str, list[str]]) -> list[Delivery]:
    """Every delivery of an edition: per audience, an email per recipient and the drop copies; pending, or
    held for an audience with `approval: required` whose draft is not approved (its draft is recorded)."""
    title, planned, held = project.briefs[edition.brief].title, [], []
    with FactStore(project.store_path) as store:
        approved = Approvals(store).approved(edition.brief, edition.number)
    for audience, paths in files.items():
        config = project.audiences.get(audience)
        if config is None:
            raise BriefgenError(f"edition {edition.number} of '{edition.brief}' is for audience '{audience}', "
                                "which is no longer configured (config/audiences/)")
        subject = subject_for(title, config.label, edition.number, config.marking)
        ours = plan_edition(project.settings.delivery, project.root, audience, subject, paths,
                            recipients.get(audience, []), relative_to=project.output_dir)
        if config.approval == "required" and audience not in approved:
            ours = [dataclasses.replace(item, status="held") for item in ours]
            held.append(audience)
        planned += ours
    if held:
        with FactStore(project.store_path) as store:
            Approvals(store).add_drafts(edition.brief, edition.number, held)
    return planned


def _deliver(project: Project, run_id: int | None, folder: Path, planned: list[Delivery]) -> list[Delivery]:
    """Save the plan beside the edition (a run stopped from here on can be finished), then deliver it."""
    if not planned:
        return []
    save_deliveries(folder / DELIVERIES, planned)
    delivered = retry_failed(planned, project.settings.delivery)
    _record(project, run_id, folder, delivered, planned)
    return delivered


def _record(project: Project, run_id: int | None, folder: Path, deliveries: list[Delivery],
            previous: list[Delivery]) -> None:
    """Save the deliveries beside the edition, add the new results to the run, and set the run's status."""
    if not deliveries:
        return
    save_deliveries(folder / DELIVERIES, deliveries)
    if run_id is None:
        return
    changed = [dataclasses.asdict(item) for item in deliveries if item not in previous]
    with FactStore(project.store_path) as store:
        runs = Runs(store)
        runs.add_deliveries(run_id, changed)
        _mark_run(runs, run_id, deliveries)


def _mark_run(runs: Runs, run_id: int, deliveries: list[Delivery]) -> None:
    """A published run's status: 'delivery failed' (naming each failure) while any delivery is not made."""
    run = runs.get(run_id)
    failed = undelivered(deliveries)
    status = DELIVERY_FAILED if failed else "succeeded"
    error = delivery_summary(failed, len(deliveries)) if failed else None
    if run.status in ("succeeded", DELIVERY_FAILED) and (run.status, run.error) != (status, error):
        runs.finish(run_id, status, error=error, edition=run.edition, documents=run.documents, files=run.files)


def delivery_summary(failed: list[Delivery], total: int) -> str:
    """One line naming each failed delivery: '1 of 3 deliveries failed: email a@x.org (analyst): 550 ...'."""
    named = "; ".join(f"{item.method} {item.target} ({item.audience}): {item.error or item.status}"
                      for item in failed)
    return f"{len(failed)} of {total} deliveries failed: {named}"


def _files_by_audience(written: list[WrittenFile]) -> dict[str, list[Path]]:
    grouped: dict[str, list[Path]] = {}
    for item in written:
        grouped.setdefault(item.audience, []).append(item.path)
    return grouped
