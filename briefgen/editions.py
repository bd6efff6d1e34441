"""Editions and runs: every build of a brief is a numbered edition kept in its own folder.

output/NAME/ holds one folder per edition (YYYY-MM-DD, then YYYY-MM-DD-2 ... for
later editions the same day), a `latest` link to the newest, and an index.html
listing them all. The store records each edition (its documents and judgments, for
"what changed") and each run (start, end, status, files, deliveries).

Crash consistency. One build of a brief at a time holds the brief's edition lock
(`edition_lock`); a second waits for it. An edition is rendered into a hidden staging
folder together with its own record (edition.json) and renamed into place when complete:
that rename is the moment it exists. Then the store records it, then `latest` and the
index point at it. Whatever a killed build left behind is settled by the next build of
the brief, under the lock (`Editions.reconcile`): staging folders are removed, an edition
folder the store does not know is recorded from its edition.json, and runs left
"running" are marked failed. Because every edition folder carries its record, a deleted
or replaced store never renumbers or hides earlier editions.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from briefgen.atomic import is_temporary, write_atomically
from briefgen.locks import RunLock, lock_folder
from briefgen.store import FactStore, StoredDataError

LATEST = "latest"
MANIFEST = "edition.json"
INTERRUPTED = "interrupted: the process ended before the run finished"


@dataclass
class EditionRecord:
    """One published edition of a brief."""

    brief: str
    number: int
    folder: str
    built_at: str
    build_date: str
    documents: list[str] = field(default_factory=list)
    judgments: dict[str, Any] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    trigger: str = ""  # what started the build: 'manual', or 'schedule BRIEF#N TIME' for a scheduled slot


@dataclass
class RunRecord:
    """One run of the pipeline for a brief: by hand or by the scheduler."""

    id: int
    brief: str
    trigger: str
    started: str
    finished: str | None
    status: str
    error: str | None
    edition: int | None
    documents: list[str]
    files: list[str]
    deliveries: list[dict[str, Any]]


class Editions:
    """The edition records of the store."""

    def __init__(self, store: FactStore) -> None:
        self._db = store.connection
        self._store = store

    def all(self, brief: str) -> list[EditionRecord]:
        """Every edition of a brief, oldest first."""
        rows = self._db.execute(
            "SELECT brief, number, folder, built_at, build_date, documents, judgments, files, trigger FROM editions "
            "WHERE brief = ? ORDER BY number", (brief,))
        return [_edition(row) for row in rows]

    def latest(self, brief: str) -> EditionRecord | None:
        """The newest edition of a brief, if any."""
        editions = self.all(brief)
        return editions[-1] if editions else None

    def for_trigger(self, brief: str, trigger: str) -> EditionRecord | None:
        """The edition a trigger (a scheduled slot) published, if it did."""
        return next((edition for edition in self.all(brief) if edition.trigger == trigger), None)

    def next_number(self, brief: str) -> int:
        """The number the next edition of a brief takes (after reconcile(), under the edition lock)."""
        latest = self.latest(brief)
        return (latest.number if latest else 0) + 1

    def reconcile(self, brief: str, brief_dir: Path) -> list[EditionRecord]:
        """Settle what a killed build left: drop staging folders, record edition folders the store lacks.

        Returns the editions recorded from their folders. Call it holding the brief's edition lock.
        """
        remove_leftovers(brief_dir)
        known = {edition.number for edition in self.all(brief)}
        adopted = [record for record in read_manifests(brief_dir) if record.brief == brief
                   and record.number not in known]
        for record in adopted:
            self.record(record)
        return adopted

    def record(self, edition: EditionRecord) -> None:
        """Store a published edition."""
        with self._store.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO editions (brief, number, folder, built_at, build_date, documents, judgments, "
                "files, trigger) VALUES (?,?,?,?,?,?,?,?,?)",
                (edition.brief, edition.number, edition.folder, edition.built_at, edition.build_date,
                 json.dumps(edition.documents), json.dumps(edition.judgments), json.dumps(edition.files),
                 edition.trigger),
            )


class Runs:
    """The run records of the store."""

    def __init__(self, store: FactStore) -> None:
        self._db = store.connection
        self._store = store

    def start(self, brief: str, trigger: str) -> int:
        """Record that a run began; returns its id."""
        with self._store.transaction() as db:
            cursor = db.execute("INSERT INTO runs (brief, trigger, started, status) VALUES (?,?,?, 'running')",
                                (brief, trigger, _now()))
        return int(cursor.lastrowid or 0)

    def reap(self, brief: str) -> int:
        """Mark the brief's runs still 'running' as failed; call it holding the brief's edition lock,
        when no live process can be running one. Returns how many were marked."""
        with self._store.transaction() as db:
            cursor = db.execute("UPDATE runs SET status = 'failed', error = ?, finished = ? "
                                "WHERE brief = ? AND status = 'running'", (INTERRUPTED, _now(), brief))
        return cursor.rowcount

    def reap_unlocked(self, root: Path) -> None:
        """Mark failed the runs left 'running' by a process that died: those whose brief no build holds."""
        briefs = [row[0] for row in self._db.execute("SELECT DISTINCT brief FROM runs WHERE status = 'running'")]
        for brief in briefs:
            lock = edition_lock(root, brief)
            if lock.acquire():
                try:
                    self.reap(brief)
                finally:
                    lock.release()

    def finish(self, run_id: int, status: str, error: str | None = None, edition: int | None = None,
               documents: list[str] | None = None, files: list[str] | None = None) -> None:
        """Record how a run ended."""
        with self._store.transaction() as db:
            db.execute(
                "UPDATE runs SET finished = ?, status = ?, error = ?, edition = ?, documents = ?, files = ? "
                "WHERE id = ?",
                (_now(), status, error, edition, json.dumps(documents or []), json.dumps(files or []), run_id),
            )

    def add_deliveries(self, run_id: int, deliveries: list[dict[str, Any]]) -> None:
        """Append delivery results (one dict per recipient or drop) to a run."""
        with self._store.transaction() as db:
            (current,) = db.execute("SELECT deliveries FROM runs WHERE id = ?", (run_id,)).fetchone()
            db.execute("UPDATE runs SET deliveries = ? WHERE id = ?",
                       (json.dumps([*json.loads(current), *deliveries]), run_id))

    def get(self, run_id: int) -> RunRecord:
        """One run by id."""
        return _run(self._db.execute(f"{_RUN_COLUMNS} WHERE id = ?", (run_id,)).fetchone())

    def recent(self, brief: str | None = None, limit: int = 20) -> list[RunRecord]:
        """The newest runs first, of one brief or all."""
        where, args = ("WHERE brief = ?", (brief,)) if brief else ("", ())
        rows = self._db.execute(f"{_RUN_COLUMNS} {where} ORDER BY id DESC LIMIT ?", (*args, limit))
        return [_run(row) for row in rows]


_RUN_COLUMNS = ("SELECT id, brief, trigger, started, finished, status, error, edition, documents, files, "
                "deliveries FROM runs")


def settle(root: Path, output_dir: Path, store: FactStore, brief: str) -> None:
    """Settle what killed builds of a brief left behind (see Editions.reconcile), under its edition lock."""
    with edition_lock(root, brief).waiting():
        Editions(store).reconcile(brief, output_dir / brief)
        Runs(store).reap(brief)


def edition_lock(root: Path, brief: str) -> RunLock:
    """The lock one build of a brief holds from numbering an edition until it is published and indexed."""
    return RunLock(lock_folder(root), brief, ".edition")


def edition_folder_name(brief_dir: Path, build_date: dt.date) -> str:
    """YYYY-MM-DD for the first edition of a day, YYYY-MM-DD-2, -3 ... after it."""
    name, suffix = build_date.isoformat(), 1
    while (brief_dir / (name if suffix == 1 else f"{name}-{suffix}")).exists():
        suffix += 1
    return name if suffix == 1 else f"{name}-{suffix}"


def staging_folder(brief_dir: Path, folder_name: str) -> Path:
    """A fresh hidden folder to render an edition into before it is published."""
    staging = brief_dir / f".{folder_name}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def write_manifest(staging: Path, record: EditionRecord) -> None:
    """Put the edition's own record into its folder, so the output folder can always be re-read."""
    write_atomically(staging / MANIFEST, json.dumps(asdict(record), indent=2, ensure_ascii=False) + "\n")


def read_manifests(brief_dir: Path) -> list[EditionRecord]:
    """The records of the published edition folders of a brief (those with a readable edition.json), by number."""
    records = []
    for path in brief_dir.glob(f"*/{MANIFEST}"):
        if path.parent.name.startswith(".") or path.parent.is_symlink():
            continue
        try:
            record = EditionRecord(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            continue  # not an edition this briefgen wrote
        if record.folder == path.parent.name and isinstance(record.number, int):
            records.append(record)
    return sorted(records, key=lambda record: record.number)


def remove_leftovers(brief_dir: Path) -> None:
    """Remove staging folders and temporary files that a killed build left in a brief's output folder."""
    if not brief_dir.is_dir():
        return
    for path in brief_dir.iterdir():
        if path.name.startswith(".") and path.name.endswith(".partial") and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif is_temporary(path) or path.name == f".{LATEST}.tmp":
            path.unlink(missing_ok=True)


def publish(staging: Path, final: Path) -> None:
    """Move a complete edition into place in one rename (never over an existing folder)."""
    if final.exists():
        raise FileExistsError(f"{final} exists already")
    os.rename(staging, final)


def point_latest(brief_dir: Path, folder_name: str) -> None:
    """Point `latest` at an edition folder, replacing the link in one rename."""
    temporary = brief_dir / f".{LATEST}.tmp"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(folder_name, target_is_directory=True)
    os.replace(temporary, brief_dir / LATEST)


def _edition(row: tuple[Any, ...]) -> EditionRecord:
    try:
        return EditionRecord(row[0], row[1], row[2], row[3], row[4], json.loads(row[5]), json.loads(row[6]),
                             json.loads(row[7]), row[8])
    except (ValueError, TypeError) as error:
        raise StoredDataError(f"a stored edition cannot be read: {error}") from None


def _run(row: tuple[Any, ...]) -> RunRecord:
    try:
        return RunRecord(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], json.loads(row[8]),
                         json.loads(row[9]), json.loads(row[10]))
    except (ValueError, TypeError) as error:
        raise StoredDataError(f"a stored run cannot be read: {error}") from None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def as_dict(record: EditionRecord | RunRecord) -> dict[str, Any]:
    """A record as a plain dict (for templates and JSON)."""
    return asdict(record)
