"""Editions and runs: every build of a brief is a numbered edition kept in its own folder.

output/NAME/ holds one folder per edition (YYYY-MM-DD, then YYYY-MM-DD-2 ... for
later editions the same day), a `latest` link to the newest, and an index.html
listing them all. An edition is rendered into a hidden staging folder and renamed
into place only when complete, so an interrupted run leaves earlier editions as
they were. The store records each edition (its documents and judgments, for
"what changed") and each run (start, end, status, files, deliveries).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from briefgen.store import FactStore

LATEST = "latest"


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
            "SELECT brief, number, folder, built_at, build_date, documents, judgments, files FROM editions "
            "WHERE brief = ? ORDER BY number", (brief,))
        return [_edition(row) for row in rows]

    def latest(self, brief: str) -> EditionRecord | None:
        """The newest edition of a brief, if any."""
        editions = self.all(brief)
        return editions[-1] if editions else None

    def record(self, edition: EditionRecord) -> None:
        """Store a published edition."""
        with self._store.transaction() as db:
            db.execute(
                "INSERT INTO editions VALUES (?,?,?,?,?,?,?,?)",
                (edition.brief, edition.number, edition.folder, edition.built_at, edition.build_date,
                 json.dumps(edition.documents), json.dumps(edition.judgments), json.dumps(edition.files)),
            )


class Runs:
    """The run records of the store."""

    def __init__(self, store: FactStore) -> None:
        self._db = store.connection
        self._store = store

    def start(self, brief: str, trigger: str) -> int:
        """Record that a run began; returns its id. Runs left 'running' by a dead process become 'interrupted'."""
        with self._store.transaction() as db:
            db.execute("UPDATE runs SET status = 'interrupted' WHERE brief = ? AND status = 'running'", (brief,))
            cursor = db.execute("INSERT INTO runs (brief, trigger, started, status) VALUES (?,?,?, 'running')",
                                (brief, trigger, _now()))
        return int(cursor.lastrowid or 0)

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


def publish(staging: Path, final: Path) -> None:
    """Move a complete edition into place in one rename, then point `latest` at it."""
    os.replace(staging, final)
    link = final.parent / LATEST
    temporary = final.parent / f".{LATEST}.tmp"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(final.name, target_is_directory=True)
    os.replace(temporary, link)


def _edition(row: tuple[Any, ...]) -> EditionRecord:
    return EditionRecord(row[0], row[1], row[2], row[3], row[4], json.loads(row[5]), json.loads(row[6]),
                         json.loads(row[7]))


def _run(row: tuple[Any, ...]) -> RunRecord:
    return RunRecord(*row[:8], json.loads(row[8]), json.loads(row[9]), json.loads(row[10]))


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def as_dict(record: EditionRecord | RunRecord) -> dict[str, Any]:
    """A record as a plain dict (for templates and JSON)."""
    return asdict(record)
