"""The command line: `briefgen build | fetch | check | extract | facts | incidents | review | eval | init`."""

from __future__ import annotations

import functools
import json
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from briefgen import __version__
from briefgen.errors import BriefgenError
from briefgen.heap import left_at_exit

Command = TypeVar("Command", bound=Callable[..., Any])
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


class TerminatedError(BaseException):
    """SIGTERM arrived: unwind like Ctrl-C, so that locks, staging folders and worker processes are cleaned up."""


def _terminate(number: int, frame: object) -> None:
    raise TerminatedError


def user_errors(command: Command) -> Command:
    """Print user errors as one line each and exit non-zero; a traceback only with --debug."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            return command(*args, **kwargs)
        except BriefgenError as error:
            if debug:
                raise
            for line in error.lines:
                stderr.print(f"[bold red]error:[/] {line}", markup=True, soft_wrap=True)
            sys.exit(error.exit_code)
        except KeyboardInterrupt:
            stderr.print("interrupted; outputs already written are intact")
            sys.exit(130)
        except TerminatedError:
            stderr.print("stopped by SIGTERM; outputs already written are intact")
            sys.exit(143)
        except Exception as error:  # a bug, not a user error: say so in one line
            if debug:
                raise
            stderr.print(f"[bold red]internal error:[/] {type(error).__name__}: {error} "
                         "(run 'briefgen --debug ...' for the traceback and report it)")
            sys.exit(70)

    return run  # type: ignore[return-value]


def project_option(command: Command) -> Command:
    """The --project option shared by commands that work on a project."""
    return click.option(
        "--project", "project_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
        show_default=True, help="The project folder (the one holding config/).",
    )(command)


def cluster_options(command: Command) -> Command:
    """The --scheduler and --workers options: extraction on a Dask cluster (the `cluster` extra)."""
    command = click.option(
        "--workers", type=int, metavar="N",
        help="Extract on a Dask LocalCluster of N worker processes on this machine (needs briefgen[cluster]).",
    )(command)
    return click.option(
        "--scheduler", metavar="tcp://HOST:PORT",
        help="Extract on the workers of this running Dask scheduler (see 'Extraction on several machines').",
    )(command)


def _check_cluster(scheduler: str | None, workers: int | None) -> None:
    """Reject unusable --scheduler/--workers values with one line, before anything is read."""
    if scheduler is None and workers is None:
        return
    from briefgen.extract.cluster import check_cluster_options

    check_cluster_options(scheduler, workers)


def _split(values: tuple[str, ...]) -> list[str] | None:
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    return names or None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
def main(debug: bool) -> None:
    """briefgen: cited situation briefs, in HTML and PDF, from source reporting."""
    signal.signal(signal.SIGTERM, _terminate)
    left_at_exit()


@main.command()
@project_option
@click.option("--brief", "briefs", multiple=True, help="Brief name(s), comma-separated; default all.")
@click.option("--audience", "audiences", multiple=True, help="Audience name(s), comma-separated; default all.")
@click.option("--format", "formats", default="html,pdf", show_default=True, help="Formats: html, pdf or both.")
@click.option("--fetch", "fetch_first", is_flag=True, help="Fetch the briefs' feeds and pages first.")
@click.option("--force", is_flag=True, help="A new edition even when nothing it depends on changed since the last.")
@cluster_options
@user_errors
def build(project_dir: Path, briefs: tuple[str, ...], audiences: tuple[str, ...], formats: str,
          fetch_first: bool, force: bool, scheduler: str | None, workers: int | None) -> None:
    """Extract facts from new sources and write the briefs to output/ (offline, from the sources at hand,
    unless --fetch)."""
    from briefgen.build import FORMATS, BuildRequest
    from briefgen.build import build as run_build
    from briefgen.project import load_project

    chosen = tuple(_split((formats,)) or FORMATS)
    unknown = [fmt for fmt in chosen if fmt not in FORMATS]
    if unknown:
        raise BriefgenError(f"--format: unknown format '{unknown[0]}'; valid formats: {', '.join(FORMATS)}")
    _check_cluster(scheduler, workers)
    from briefgen.approval import notify_reviewers

    project = load_project(project_dir)
    request = BuildRequest(briefs=_split(briefs), audiences=_split(audiences), formats=chosen, fetch=fetch_first,
                           force=force, scheduler=scheduler, workers=workers)
    with _progress() as progress:
        report = run_build(project, request, progress)
    report.warnings += notify_reviewers(project, report.drafts)
    if report.fetch:
        _print_fetched(report.fetch, failures=False)  # the failures are among the build's warnings
    _print_report(project.root, Path(project.settings.output), report)


@main.command()
@project_option
@click.option("--brief", "briefs", multiple=True, help="Brief name(s), comma-separated; default all.")
@user_errors
def fetch(project_dir: Path, briefs: tuple[str, ...]) -> None:
    """Fetch the feeds and pages briefs list among their sources into the project (for offline builds)."""
    from briefgen.build import chosen_briefs
    from briefgen.fetch import fetch_sources
    from briefgen.project import load_project

    project = load_project(project_dir)
    names = chosen_briefs(project, _split(briefs))
    with _progress() as progress:
        report = fetch_sources(project, names, progress)
    if not report.sources:
        stderr.print("No feeds or pages to fetch: the briefs' sources are files (see 'Sources' in README.md).")
        return
    _print_fetched(report, failures=True)
    if report.failed and not (report.new or report.updated or report.unchanged):
        sys.exit(1)


def _print_fetched(report: Any, failures: bool) -> None:
    for path in report.new:
        stderr.print(f"new: {path}", markup=False)
    for path in report.updated:
        stderr.print(f"updated: {path}", markup=False)
    for line in report.failed if failures else []:
        stderr.print(f"[yellow]failed:[/] {line}")
    stderr.print(report.summary(), markup=False)


@main.command()
@project_option
@user_errors
def check(project_dir: Path) -> None:
    """Validate all configuration and templates without building."""
    from briefgen.errors import ConfigError
    from briefgen.project import load_project
    from briefgen.render import Renderer

    project = load_project(project_dir)
    renderer = Renderer(project)
    problems = [line for audience in sorted(project.audiences) for line in renderer.check_templates(audience)]
    if problems:
        raise ConfigError(*sorted(set(problems)))
    stderr.print(
        f"[green]ok:[/] {len(project.briefs)} brief(s), {len(project.audiences)} audience(s), "
        f"{len(project.gazetteer.actors)} known actors, {len(project.gazetteer.places)} known places"
    )


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@click.option("--with-text", is_flag=True, help="Include each document's plain text (offsets index it).")
@click.option("--gazetteer", type=click.Path(dir_okay=False, path_type=Path),
              help="Gazetteer YAML; default: config/gazetteer.yaml of the current folder if present.")
@cluster_options
@user_errors
def extract(files: tuple[Path, ...], fmt: str, with_text: bool, gazetteer: Path | None, scheduler: str | None,
            workers: int | None) -> None:
    """Extract facts from FILES alone (no project, no store) and print them as JSON."""
    from briefgen.config import Gazetteer, load_model
    from briefgen.export import facts_json
    from briefgen.extract import merge_facts
    from briefgen.ingest import read_sources

    _check_cluster(scheduler, workers)
    if gazetteer is None and Path("config/gazetteer.yaml").is_file():
        gazetteer = Path("config/gazetteer.yaml")
    known = load_model(Gazetteer, gazetteer, str(gazetteer)) if gazetteer else Gazetteer()
    ingested = read_sources(files, None)
    for line in ingested.skipped:
        stderr.print(f"[yellow]skipped:[/] {line}")
    if not ingested.documents:
        raise BriefgenError("no readable document among the files given")
    if scheduler is None and workers is None:
        from briefgen.extract import Extractor

        facts = list(Extractor(known).extract(ingested.documents))
    else:
        from briefgen.extract.cluster import extract_on_cluster

        facts = list(extract_on_cluster(known, ingested.documents, scheduler=scheduler, workers=workers,
                                        on_failure=None))
    _print_json(facts_json(ingested.documents, merge_facts(facts), with_text))


@main.command()
@project_option
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@click.option("--brief", help="Only the facts this brief would use.")
@click.option("--with-text", is_flag=True, help="Include each document's plain text (offsets index it).")
@user_errors
def facts(project_dir: Path, fmt: str, brief: str | None, with_text: bool) -> None:
    """Print the facts in the project's store as JSON (extracting new sources first), with the analysts'
    corrections (corrections.yaml) applied."""
    from briefgen.build import BuildRequest, corrected_facts, current_facts
    from briefgen.export import facts_json
    from briefgen.project import load_project

    project = load_project(project_dir)
    with _progress() as progress:
        documents, per_document = current_facts(project, BuildRequest(briefs=[brief] if brief else None), progress)
    _print_json(facts_json(documents, corrected_facts(project, documents, per_document), with_text))


@main.command()
@project_option
@click.option("--brief", help="Only the incidents of the sources this brief would use.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "geojson"]), default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (atomically) instead of standard output.")
@click.option("--releasable-only", is_flag=True,
              help="Only incidents told by sources marked releasable (as a public edition shows them).")
@user_errors
def incidents(project_dir: Path, brief: str | None, fmt: str, output: Path | None, releasable_only: bool) -> None:
    """Export the incidents in the project's store as ACLED-like records (extracting new sources first):
    one record per incident, citing every source that tells it."""
    from briefgen.atomic import write_atomically
    from briefgen.build import BuildRequest, corrected_facts, current_facts
    from briefgen.incidents import IncidentTable, as_csv, as_geojson, as_json
    from briefgen.project import load_project
    from briefgen.stories import group_stories

    project = load_project(project_dir)
    with _progress() as progress:
        documents, per_document = current_facts(project, BuildRequest(briefs=[brief] if brief else None), progress)
    if releasable_only:
        shared = {document.id for document in documents if document.releasable}
        documents = [document for document in documents if document.id in shared]
        per_document = [facts for facts in per_document if facts.doc in shared]
    stories = group_stories(documents, project.settings.stories.similarity)
    table = IncidentTable.of_merged(documents, corrected_facts(project, documents, per_document), stories)
    if fmt == "geojson":
        text, unplaced = as_geojson(table)
        if unplaced:
            stderr.print(f"{unplaced} incident(s) without coordinates left out of the GeoJSON")
    else:
        text = as_csv(table) if fmt == "csv" else as_json(table)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        write_atomically(output, text)
    except OSError as error:
        raise BriefgenError(f"{output}: cannot write ({error.strerror or error})") from None
    stderr.print(f"{len(table.records)} incident(s) written to {output}")


@main.command("eval")
@click.argument("gold_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--gazetteer", type=click.Path(dir_okay=False, path_type=Path),
              help="Gazetteer YAML; default: config/gazetteer.yaml of the current folder if present.")
@click.option("--details", is_flag=True, help="Per document: each miss, false positive and wrong attribute.")
@click.option("--check", "check_targets", is_flag=True, help="Exit 1 when a target is not met (for CI).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--save", type=click.Path(dir_okay=False, path_type=Path),
              help="Dev-set format only: also write the extracted facts as JSON (what score.py --json reads).")
@user_errors
def eval_command(gold_dir: Path, gazetteer: Path | None, details: bool, check_targets: bool, fmt: str,
                 save: Path | None) -> None:
    """Score extraction against the gold in GOLD_DIR: the team's gold files (see benchmarks/gold/README.md),
    or a dev-set folder holding texts/ and gold/ (scored by the dev set's rules)."""
    from briefgen.config import Gazetteer, load_model
    from briefgen.devset import is_devset, load_devset
    from briefgen.extract import Extractor

    if gazetteer is None and Path("config/gazetteer.yaml").is_file():
        gazetteer = Path("config/gazetteer.yaml")
    known = load_model(Gazetteer, gazetteer, str(gazetteer)) if gazetteer else Gazetteer()
    if is_devset(gold_dir):
        devset = load_devset(gold_dir)  # bad files are reported before spaCy loads
        report: Any = _eval_devset(devset, Extractor(known), gazetteer, fmt, details, save)
    elif save is not None:
        raise BriefgenError(f"--save: {gold_dir} is not a dev-set folder (texts/ and gold/); --save needs one")
    else:
        report = _eval_training(gold_dir, Extractor(known), fmt, details)
    if check_targets and not report.passed:
        stderr.print("[red]targets not met:[/] " + ", ".join(target.label for target in report.failures()))
        sys.exit(1)


def _eval_training(gold_dir: Path, extractor: Any, fmt: str, details: bool) -> Any:
    """Score the team's own gold files (the training set) and print the report."""
    from briefgen.evaluate import evaluate

    with stderr.status("extracting and scoring"):
        report = evaluate(gold_dir, extractor)
    for line in report.skipped:
        stderr.print(f"[yellow]skipped:[/] {line}")
    if not report.documents:
        raise BriefgenError(f"{gold_dir}: no gold file could be evaluated ({len(report.skipped)} skipped)")
    if fmt == "json":
        _print_json({"format": "training-set", **report.to_dict()})
    else:
        _print_evaluation(gold_dir, report, details)
    return report


def _eval_devset(devset: Any, extractor: Any, gazetteer: Path | None, fmt: str, details: bool,
                 save: Path | None) -> Any:
    """Extract the dev set's texts, score them by the dev set's rules and print the report."""
    from briefgen.atomic import write_atomically
    from briefgen.devset import evaluate_devset
    from briefgen.export import facts_json

    with stderr.status("extracting and scoring the dev set"):
        report, facts, documents = evaluate_devset(devset, extractor)
    for line in report.skipped:
        stderr.print(f"[yellow]skipped:[/] {line}")
    if not report.documents:
        raise BriefgenError(f"{devset.folder}: no gold file has its text ({len(report.skipped)} skipped)")
    if save is not None:
        data = json.dumps(facts_json(documents, facts, with_text=True), ensure_ascii=False, indent=2)
        write_atomically(save, data + "\n")
    if fmt == "json":
        _print_json({"gazetteer": str(gazetteer) if gazetteer else None, **report.to_dict()})
    else:
        _print_devset(report, gazetteer, details)
    return report


@main.command()
@project_option
@click.option("--brief", help="Only the runs of this brief.")
@click.option("--limit", default=20, show_default=True, help="How many runs, newest first.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@user_errors
def runs(project_dir: Path, brief: str | None, limit: int, fmt: str) -> None:
    """List recent runs: when, how they ended, the edition and files they made, deliveries, approvals."""
    from briefgen.editions import Runs, as_dict
    from briefgen.project import load_project
    from briefgen.store import FactStore

    project = load_project(project_dir)
    with FactStore(project.store_location) as store:
        Runs(store).reap_unlocked(project.root)
        records = Runs(store).recent(brief, limit)
    if fmt == "json":
        _print_json([as_dict(record) for record in records])
        return
    table = Table(title=f"Runs ({len(records)})", title_justify="left")
    for column in ("run", "brief", "trigger", "started", "finished", "status", "edition", "files", "deliveries",
                   "approval", "error"):
        table.add_column(column, overflow="fold")
    for record in records:
        sent = sum(1 for delivery in record.deliveries if delivery.get("status") == "sent")
        table.add_row(str(record.id), record.brief, record.trigger, record.started, record.finished or "",
                      record.status, str(record.edition or ""), str(len(record.files)),
                      f"{sent}/{len(record.deliveries)}" if record.deliveries else "",
                      "\n".join(_approval_text(item) for item in record.approvals), record.error or "")
    Console(width=220).print(table)


def _approval_text(approval: dict[str, Any]) -> str:
    """'analyst: approved by ana at 2026-11-30T15:02:11+00:00 (note)' or 'analyst: awaiting approval'."""
    if approval["state"] != "approved":
        return f"{approval['audience']}: awaiting approval"
    note = f" ({approval['note']})" if approval.get("note") else ""
    return f"{approval['audience']}: approved by {approval['approved_by']} at {approval['approved_at']}{note}"


@main.command()
@project_option
@click.option("--port", default=8000, show_default=True, help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; any but a loopback one asks for a token.")
@click.option("--token", envvar="BRIEFGEN_SERVE_TOKEN", default=None,
              help="The token asked for off loopback (default: a new one, printed once) [env: BRIEFGEN_SERVE_TOKEN].")
@user_errors
def serve(project_dir: Path, port: int, host: str, token: str | None) -> None:
    """Serve HTML previews of the briefs and the review page, rebuilt when config, templates or sources change."""
    import re
    import threading

    from briefgen.serve import serve as run_server

    if token is not None and not re.fullmatch(r"[A-Za-z0-9_-]{16,200}", token):
        raise BriefgenError("--token: 16 to 200 letters, digits, '-' or '_'")
    stop = threading.Event()
    try:
        run_server(project_dir.resolve(), port, stop, lambda line: stderr.print(line, markup=False, highlight=False),
                   host=host, token=token)
    except OSError as error:
        raise BriefgenError(f"cannot serve on {host}:{port}: {error.strerror or error}") from None


@main.group()
def schedule() -> None:
    """Periodic briefs: list, run, or export the schedules in config/briefs/*.yaml."""


@schedule.command("list")
@project_option
@click.option("--count", default=3, show_default=True, help="How many next runs per job.")
@user_errors
def schedule_list(project_dir: Path, count: int) -> None:
    """Each schedule with its next runs, in its own time zone and in UTC."""
    import datetime as dt

    from briefgen.project import load_project
    from briefgen.schedule import describe_jobs, now_utc

    rows = describe_jobs(load_project(project_dir), now_utc(), count)
    if not rows:
        stderr.print("no schedules: add 'schedules:' to a brief in config/briefs/")
        return
    table = Table(title="Schedules", title_justify="left")
    for column in ("job", "cron", "time zone", "missed", "audiences", "next runs (local)", "next runs (UTC)"):
        table.add_column(column, overflow="fold")
    for row in rows:
        local = "\n".join(moment.strftime("%a %Y-%m-%d %H:%M %Z") for moment in row["next"])
        utc = "\n".join(moment.astimezone(dt.UTC).strftime("%a %Y-%m-%d %H:%M UTC") for moment in row["next"])
        table.add_row(row["id"], row["cron"], row["timezone"], row["missed"],
                      ", ".join(row["audiences"] or ["all"]), local, utc)
    Console(width=160).print(table)


@schedule.command("run")
@project_option
@click.option("--brief", "briefs", multiple=True, help="Only these briefs; default all with schedules.")
@user_errors
def schedule_run(project_dir: Path, briefs: tuple[str, ...]) -> None:
    """Run the scheduler until stopped (SIGTERM or Ctrl-C finish the current run first)."""
    import logging

    from briefgen.periodic import run_scheduled
    from briefgen.project import load_project
    from briefgen.schedule import Scheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    project = load_project(project_dir)
    scheduler = Scheduler(project, lambda job, when: run_scheduled(project.root, job, when),
                          report=_print_outcome, briefs=_split(briefs))
    for row in scheduler.jobs:
        stderr.print(f"scheduled {row.id}: {row.schedule.cron} ({row.schedule.timezone})")
    scheduler.run()
    stderr.print("scheduler stopped")


@schedule.command("once")
@project_option
@click.option("--brief", "briefs", multiple=True, help="Only these briefs; default all with schedules.")
@user_errors
def schedule_once(project_dir: Path, briefs: tuple[str, ...]) -> None:
    """Run what is due now, then exit: for cron or a systemd timer."""
    import logging

    from briefgen.periodic import run_scheduled
    from briefgen.project import load_project
    from briefgen.schedule import RunState, now_utc, run_due

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    project = load_project(project_dir)
    state = RunState.for_project(project)

    def report(outcome: Any) -> None:
        if outcome.done:
            state.record(outcome.job, outcome.scheduled)
        _print_outcome(outcome)

    outcomes = run_due(project, now_utc(), state.last_runs(), lambda job, when: run_scheduled(project.root, job, when),
                       briefs=_split(briefs), report=report)
    if not outcomes:
        stderr.print("nothing due")
    if any(outcome.status in ("failed", "delivery failed") for outcome in outcomes):
        sys.exit(1)


@schedule.command("export")
@project_option
@click.option("--cron", "kind", flag_value="cron", help="Crontab lines.")
@click.option("--systemd", "kind", flag_value="systemd", help="systemd .service and .timer units.")
@user_errors
def schedule_export(project_dir: Path, kind: str | None) -> None:
    """Print the schedules as crontab lines or systemd units, for those who prefer the system's scheduler."""
    import shutil

    from briefgen.project import load_project
    from briefgen.schedule import export_cron, export_systemd

    if kind is None:
        raise BriefgenError("choose --cron or --systemd")
    project = load_project(project_dir)
    command = shutil.which("briefgen") or "briefgen"
    sys.stdout.write(export_cron(project, command) if kind == "cron" else export_systemd(project, command))


@main.command()
@project_option
@click.option("--brief", required=True, help="The brief whose newest edition's failed deliveries to resend.")
@user_errors
def deliver(project_dir: Path, brief: str) -> None:
    """Resend the deliveries that failed for a brief's newest edition (nothing is rebuilt or sent twice)."""
    from briefgen.deliver import undelivered
    from briefgen.periodic import retry_deliveries
    from briefgen.project import load_project

    results = retry_deliveries(load_project(project_dir), brief)
    _print_deliveries(results)
    if undelivered(results):
        sys.exit(1)


@main.command()
@project_option
@click.option("--brief", required=True, help="The brief whose drafts to approve.")
@click.option("--audience", "audiences", multiple=True, help="Only these audiences' drafts; default all.")
@click.option("--edition", type=click.IntRange(min=1), help="The edition; default the newest.")
@click.option("--by", "by", help="Who approves; default $BRIEFGEN_REVIEWER, else the login name.")
@click.option("--note", help="A note kept with the approval.")
@user_errors
def approve(project_dir: Path, brief: str, audiences: tuple[str, ...], edition: int | None, by: str | None,
            note: str | None) -> None:
    """Approve the drafts of a brief's edition and make their held deliveries (once: never twice)."""
    from rich.markup import escape

    from briefgen.approval import approve as run_approve
    from briefgen.deliver import undelivered
    from briefgen.project import load_project
    from briefgen.review import reviewer

    result = run_approve(load_project(project_dir), brief, by if by is not None else reviewer(),
                         _split(audiences), edition, note)
    for item in result.approved:
        stderr.print(f"[green]approved[/] {escape(_draft_name(item))} by {escape(item.approved_by or '')} "
                     f"at {item.approved_at}")
    for item in result.already:
        stderr.print(f"{escape(_draft_name(item))} was already approved by {escape(item.approved_by or '')} "
                     f"at {item.approved_at}; nothing sent")
    _print_deliveries(result.deliveries)
    for audience in result.undelivered_audiences:
        stderr.print(f"nothing delivered for {escape(audience)}: no schedule of {escape(brief)} gives it "
                     "recipients")
    if undelivered(result.deliveries):
        sys.exit(1)


def _draft_name(item: Any) -> str:
    return f"edition {item.edition} of {item.brief} for {item.audience}"


def _print_outcome(outcome: Any) -> None:
    """One line for a scheduled run, then one line per delivery that failed (method, target, audience, error)."""
    from rich.markup import escape

    when = outcome.scheduled.strftime("%Y-%m-%d %H:%M %Z")
    colour = {"ok": "green", "failed": "red", "delivery failed": "red"}.get(outcome.status, "yellow")
    error = f": {outcome.error}" if outcome.error else ""
    stderr.print(f"[{colour}]{outcome.status}[/] {escape(outcome.job.id)} for {when} after {outcome.attempts} "
                 f"attempt(s){escape(error)}")
    _print_deliveries([item for item in getattr(outcome, "deliveries", ()) if item.status != "sent"], "  ")


def _print_deliveries(results: list[Any], indent: str = "") -> None:
    """One line per delivery: status, method, target, audience, attempts and the error if any."""
    from rich.markup import escape

    for item in results:
        colour = {"sent": "green", "held": "yellow"}.get(item.status, "red")
        error = ": awaiting approval" if item.status == "held" else f": {item.error}" if item.error else ""
        line = f"{item.method} {item.target} ({item.audience}), {item.attempts} attempt(s){error}"
        stderr.print(f"{indent}[{colour}]{item.status}[/] {escape(line)}")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--example", metavar="NAME", default=None,
              help="Copy the worked example NAME (its sources, gazetteer, briefs and audiences; the repository's "
                   "examples/ folder holds them) instead of the neutral starter.")
@user_errors
def init(directory: Path, example: str | None) -> None:
    """Create a project in DIRECTORY: a neutral starter (empty gazetteer, one generic brief, this
    machine's time zone), or with --example a worked example to build at once."""
    from briefgen.scaffold import create_project

    written = create_project(directory, example)
    stderr.print(f"[green]created[/] {len(written)} files in {directory}")
    if example:
        stderr.print(f"next: cd {directory} && briefgen build")
    else:
        stderr.print(f"next: put articles in {directory / 'sources'}, name your theatre's groups and places in "
                     f"{directory / 'config/gazetteer.yaml'}, then cd {directory} && briefgen build")


class RichProgress:
    """Shows the pipeline's steps as rich progress bars on standard error."""

    def __init__(self) -> None:
        self._bars = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=stderr, transient=True,
        )
        self._task: TaskID | None = None

    def __enter__(self) -> RichProgress:
        self._bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bars.stop()

    def step(self, label: str, total: int) -> None:
        """Start a new bar, finishing the previous one."""
        if self._task is not None:
            self._bars.remove_task(self._task)
        self._task = self._bars.add_task(label, total=total)

    def advance(self, units: int = 1) -> None:
        """Move the current bar on."""
        if self._task is not None:
            self._bars.advance(self._task, units)


def _progress() -> RichProgress:
    return RichProgress()


def _print_report(root: Path, output: Path, report: Any) -> None:
    if report.written:
        _print_written(root, report.written)
    for line in report.skipped:
        stderr.print(f"[yellow]skipped:[/] {line}")
    for line in report.warnings:
        stderr.print(f"[yellow]warning:[/] {line}")
    for edition in report.editions:
        folder = output / edition.brief
        stderr.print(f"{edition.brief}: edition {edition.number} in {folder / edition.folder}/ "
                     f"(also {folder / 'latest'}/, all editions in {folder / 'index.html'})")
    for edition in report.unchanged:
        stderr.print(f"{edition.brief}: nothing it depends on changed since edition {edition.number} "
                     f"({output / edition.brief / edition.folder}/); no new edition (--force makes one)",
                     markup=False)
    for draft in report.drafts:
        stderr.print(f"edition {draft.edition} of {draft.brief} for {draft.audience} awaits approval: "
                     f"briefgen approve --brief {draft.brief}", markup=False)
    reused = report.documents - report.extracted
    stderr.print(
        f"{len(report.written)} files written in {report.seconds:.1f} s; {report.documents} sources "
        f"({report.extracted} extracted, {reused} unchanged, {len(report.skipped)} skipped)"
    )
    if report.reextraction():
        stderr.print(report.reextraction())
    if report.corrections:
        unmatched = sum("corrections.yaml: correction" in line for line in report.warnings)
        stderr.print(f"{report.corrections} analyst decision(s) of corrections.yaml applied"
                     + (f", {unmatched} of them to facts no longer found (see the warnings)" if unmatched else ""))


def _print_written(root: Path, written: list[Any]) -> None:
    table = Table(title="Written", title_justify="left")
    for column in ("brief", "audience", "format", "pages", "size", "path"):
        table.add_column(column, justify="right" if column in ("pages", "size") else "left", overflow="fold")
    for item in written:
        path = item.path.relative_to(root) if item.path.is_relative_to(root) else item.path
        table.add_row(item.brief, item.audience, item.format, str(item.pages or ""),
                      f"{item.size / 1024:.0f} KiB", str(path))
    stderr.print(table)


def _ratio_text(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value:.1%}" if percent else f"{value:.2f}"


def _mark(target: Any, value: float | None) -> str:
    if target is None:
        return ""
    return "[green]✓[/]" if target.met(value) else "[red]✗[/]"


def _print_evaluation(gold_dir: Path, report: Any, details: bool) -> None:
    out = Console(highlight=False, soft_wrap=True)
    out.print(f"training set (the team's gold format): {gold_dir}")
    table = Table(title="Extraction against gold (training set)", title_justify="left")
    for column in ("category", "gold", "found", "matched", "P", "R", "F1", "target", ""):
        table.add_column(column, justify="left" if column == "category" else "right")
    for name, score in report.scores.items():
        target = report.target(name)
        table.add_row(name, str(score.gold), str(score.found), str(score.matched), _ratio_text(score.precision),
                      _ratio_text(score.recall), _ratio_text(score.f1),
                      f"≥ {target.value:.2f}" if target else "", _mark(target, score.f1))
    out.print(table)
    labels = {"speaker": "speaker accuracy", "date": "date accuracy", "planned": "planned accuracy",
              "subject": "quantity subject accuracy", "offsets": "offsets exact"}
    for name, label in labels.items():
        accuracy, target = report.accuracies[name], report.target(name)
        percent = name == "offsets"
        goal = f"  target ≥ {_ratio_text(target.value, percent)} {_mark(target, accuracy.ratio)}" if target else ""
        out.print(f"{label}: {_ratio_text(accuracy.ratio, percent)} ({accuracy.right}/{accuracy.total}){goal}")
    years = report.target("years")
    out.print(f"years counted: {report.years}  target = {years.value:g} {_mark(years, report.years)}")
    out.print(f"{len(report.documents)} documents, {report.words} words evaluated; "
              f"{len(report.skipped)} gold files skipped")
    if details:
        _print_details(out, report)


def _print_devset(report: Any, gazetteer: Path | None, details: bool) -> None:
    from briefgen.devset import DEVSET_TARGETS

    out = Console(highlight=False, soft_wrap=True)
    out.print(f"dev set (texts/ and gold/, scored by the dev set's rules): {report.folder}; "
              f"gazetteer: {gazetteer or 'none'}")
    targets = {target.metric: target for target in DEVSET_TARGETS}
    table = Table(title="Extraction against the dev set", title_justify="left")
    for column in ("category", "gold", "found", "matched", "P", "R", "F1", "target", ""):
        table.add_column(column, justify="left" if column == "category" else "right")
    for name, counts in report.counts.items():
        target = targets.get(name)
        table.add_row(name, str(counts.gold), str(counts.predicted), str(counts.tp), f"{counts.precision:.2f}",
                      f"{counts.recall:.2f}", f"{counts.f1:.2f}", f"≥ {target.value:.2f}" if target else "",
                      _mark(target, counts.f1))
    out.print(table)
    labels = {"roles": "role accuracy", "attribution": "quote attribution", "offsets": "mention offsets ok"}
    for name, accuracy in report.accuracies().items():
        target = targets.get(name)
        goal = f"  target ≥ {target.value:.2f} {_mark(target, accuracy.ratio)}" if target else ""
        out.print(f"{labels[name]}: {_ratio_text(accuracy.ratio)} ({accuracy.right}/{accuracy.total}){goal}")
    out.print(f"{len(report.documents)} documents, {report.words} words evaluated; {len(report.skipped)} skipped")
    if details:
        for document in report.documents:
            out.print(f"\n[bold]{document.name}[/]")
            for line in document.detail or ["  all facts matched"]:
                out.print(f"  {line.removeprefix(document.name + ' ')}", markup=False)


def _print_details(out: Console, report: Any) -> None:
    for document in report.documents:
        out.print(f"\n[bold]{document.gold}[/] ({document.document})")
        lines = ([f"  miss   {line}" for line in document.misses]
                 + [f"  extra  {line}" for line in document.false_positives]
                 + [f"  wrong  {line}" for line in document.wrong])
        for line in lines or ["  all facts matched"]:
            out.print(line, markup=False)


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()


def _add_subcommands() -> None:
    """Command groups kept in their own modules (they import this one for the shared options)."""
    from briefgen.cli_review import review

    main.add_command(review)


_add_subcommands()
