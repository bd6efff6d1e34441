"""Editions and runs: every build of a brief is a numbered edition kept in its own folder.

output/NAME/ holds one folder per edition (YYYY-MM-DD, then YYYY-MM-DD-2 ... for
later editions the same day), a `latest` link to the newest, and an index.html
listing them all. The store records each edition (its documents and judgments, for
"what changed") and each run (start, end, status, files, deliveries).

Crash consistency. One build of a brief at a time holds the brief's edition lock
(`edition_lock`: the project folder's lock file and, on a PostgreSQL store that builds on
several machines share, the database's lock on the brief); a second waits for it. An
edition is rendered into a hidden staging folder together with its own record
(edition.json) and renamed into place when complete: that rename is the moment it exists.
Then the store records it, then `latest` and the index point at it. Whatever a killed
build left behind is settled by the next build of the brief, under the lock
(`Editions.reconcile`): staging folders are removed, an edition folder the store does not
know is recorded from its edition.json, and runs left "running" are marked failed.

Store and folder. Because every edition folder carries its record, a deleted or replaced
store never renumbers or hides earlier editions: before numbering, each build merges the
folders' records into the store, and the folder's record wins for an edition it holds (a
stored edition giving that folder, or that number, to another is replaced). A stored
edition whose folder has lost its record gets it written back; one whose folder is gone
stays listed, without links. An edition.json that cannot be used (not JSON, a field of the
wrong type, another brief's or folder's, a link, over 1 MiB, a number another folder has)
is ignored with one warning line; nothing in it is trusted until every field is checked.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import reprlib
import shutil
import stat
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from briefgen.atomic import is_temporary, write_atomically
from briefgen.database import Database
from briefgen.locks import RunLock, lock_folder
from briefgen.store import FactStore, StoredDataError

LATEST = "latest"
MANIFEST = "edition.json"
INTERRUPTED = "interrupted: the process ended before the run finished"
MAX_MANIFEST_BYTES = 1 << 20
MAX_EDITION = 1_000_000


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
    inputs: str = ""  # the digest of what it was made from (briefgen.inputs); '' when not recorded
    # Audience -> the limits its brief was cut to, to keep to its page limit ({"limits": {kind: items},
    # "citations": per item, "pages", "max_pages"}); the next edition's fitting starts there (briefgen.fit).
    # Absent: none were needed.
    fitted: dict[str, dict[str, Any]] = field(default_factory=dict)


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
    approvals: list[dict[str, Any]] = field(default_factory=list)  # of its edition's drafts (ApprovalRecord)


@dataclass
class ApprovalRecord:
    """One audience of an edition that needs approval: a draft until a reviewer approves it."""

    brief: str
    edition: int
    audience: str
    state: str  # "draft" (awaiting approval) or "approved"
    drafted_at: str
    notified_at: str | None = None  # when the reviewers were told of the draft
    approved_by: str | None = None
    approved_at: str | None = None
    note: str | None = None


class Editions:
    """The edition records of the store."""

    def __init__(self, store: FactStore) -> None:
        self._db = store.connection
        self._store = store

    def all(self, brief: str) -> list[EditionRecord]:
        """Every edition of a brief, oldest first."""
        rows = self._db.execute(
            "SELECT brief, number, folder, built_at, build_date, documents, judgments, files, trigger, inputs, fitted "
            "FROM editions "
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

    def reconcile(self, brief: str, brief_dir: Path) -> list[str]:
        """Merge the edition folders' own records into the store; drop what a killed build left.

        The folder's record wins for an edition it holds: it is recorded (replacing a store record of the
        same number or folder), so a deleted or replaced store never renumbers or hides an edition. A
        stored edition whose folder lost its record gets it back. Returns one warning line for each record
        that could not be used. Call it holding the brief's edition lock.
        """
        remove_leftovers(brief_dir)
        scan = scan_folder(brief_dir, brief)
        self._merge(brief, scan.records)
        restored = self._restore_manifests(brief, brief_dir, {record.folder for record in scan.records})
        return [_problem_line(brief_dir / folder / MANIFEST, reason, restored.get(folder))
                for folder, reason in scan.problems.items()]

    def record(self, edition: EditionRecord) -> None:
        """Store a published edition."""
        with self._store.transaction() as db:
            _save(db, edition)

    def _merge(self, brief: str, held: list[EditionRecord]) -> None:
        """Record the folders' editions, dropping stored ones that give a held folder another number."""
        stored = {edition.number: edition for edition in self.all(brief)}
        numbers = {record.folder: record.number for record in held}
        clashing = [edition.number for edition in stored.values()
                    if numbers.get(edition.folder, edition.number) != edition.number]
        changed = [record for record in held if stored.get(record.number) != record]
        if not clashing and not changed:
            return
        with self._store.transaction() as db:
            db.executemany("DELETE FROM editions WHERE brief = ? AND number = ?",
                           [(brief, number) for number in clashing])
            for record in changed:
                _save(db, record)

    def _restore_manifests(self, brief: str, brief_dir: Path, held: set[str]) -> dict[str, int]:
        """Write edition.json again into stored editions' folders that have none readable; folder -> number."""
        restored = {}
        for edition in self.all(brief):
            folder = brief_dir / edition.folder
            if edition.folder not in held and _plain_name(edition.folder) and folder.is_dir() \
                    and not folder.is_symlink() and not (folder / MANIFEST).is_symlink():
                write_manifest(folder, edition)
                restored[edition.folder] = edition.number
        return restored


class Runs:
    """The run records of the store."""

    def __init__(self, store: FactStore) -> None:
        self._db = store.connection
        self._store = store

    def start(self, brief: str, trigger: str) -> int:
        """Record that a run began; returns its id."""
        with self._store.transaction() as db:
            return db.insert_id("INSERT INTO runs (brief, trigger, started, status) VALUES (?,?,?, 'running')",
                                (brief, trigger, _now()))

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
            lock = edition_lock(root, brief, self._store)
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
        """One run by id, with its edition's approvals."""
        return self._with_approvals(_run(self._db.execute(f"{_RUN_COLUMNS} WHERE id = ?", (run_id,)).fetchone()))

    def recent(self, brief: str | None = None, limit: int = 20) -> list[RunRecord]:
        """The newest runs first, of one brief or all, each with its edition's approvals."""
        where, args = ("WHERE brief = ?", (brief,)) if brief else ("", ())
        rows = self._db.execute(f"{_RUN_COLUMNS} {where} ORDER BY id DESC LIMIT ?", (*args, limit)).fetchall()
        return [self._with_approvals(_run(row)) for row in rows]

    def _with_approvals(self, run: RunRecord) -> RunRecord:
        if run.edition is not None:
            run.approvals = [asdict(item) for item in Approvals(self._store).of_edition(run.brief, run.edition)]
        return run


class Approvals:
    """The approval records of the store: per edition, each audience that had to be approved before release."""

    def __init__(self, store: FactStore) -> None:
        self._db = store.connection
        self._store = store

    def add_drafts(self, brief: str, edition: int, audiences: list[str]) -> None:
        """Record these audiences of an edition as drafts awaiting approval (those recorded already are kept)."""
        if not audiences:
            return
        with self._store.transaction() as db:
            db.executemany(db.insert_new("approvals", ("brief", "edition", "audience", "state", "drafted_at"),
                                         ("brief", "edition", "audience")),
                           [(brief, edition, audience, "draft", _now()) for audience in audiences])

    def of_edition(self, brief: str, edition: int) -> list[ApprovalRecord]:
        """The approval records of one edition, by audience."""
        rows = self._db.execute(f"{_APPROVAL_COLUMNS} WHERE brief = ? AND edition = ? "
                                "ORDER BY audience COLLATE BINARY",
                                (brief, edition))
        return [ApprovalRecord(*row) for row in rows]

    def of_brief(self, brief: str) -> list[ApprovalRecord]:
        """Every approval record of a brief, newest edition first."""
        rows = self._db.execute(f"{_APPROVAL_COLUMNS} WHERE brief = ? "
                                "ORDER BY edition DESC, audience COLLATE BINARY", (brief,))
        return [ApprovalRecord(*row) for row in rows]

    def approved(self, brief: str, edition: int) -> set[str]:
        """The audiences of an edition that were approved."""
        return {item.audience for item in self.of_edition(brief, edition) if item.state == "approved"}

    def approve(self, brief: str, edition: int, audiences: list[str], by: str, note: str | None) -> list[str]:
        """Approve these audiences' drafts of an edition in one transaction; returns those that were drafts
        (an audience approved before is left as it was: approval happens once)."""
        done = []
        with self._store.transaction() as db:
            for audience in audiences:
                cursor = db.execute(
                    "UPDATE approvals SET state = 'approved', approved_by = ?, approved_at = ?, note = ? "
                    "WHERE brief = ? AND edition = ? AND audience = ? AND state = 'draft'",
                    (by, _now(), note, brief, edition, audience))
                if cursor.rowcount:
                    done.append(audience)
        return done

    def notified(self, brief: str, edition: int, audience: str) -> None:
        """Record that the reviewers were told of a draft."""
        with self._store.transaction() as db:
            db.execute("UPDATE approvals SET notified_at = ? WHERE brief = ? AND edition = ? AND audience = ?",
                       (_now(), brief, edition, audience))


_APPROVAL_COLUMNS = ("SELECT brief, edition, audience, state, drafted_at, notified_at, approved_by, approved_at, "
                     "note FROM approvals")
_RUN_COLUMNS = ("SELECT id, brief, trigger, started, finished, status, error, edition, documents, files, "
                "deliveries FROM runs")


def settle(root: Path, output_dir: Path, store: FactStore, brief: str) -> None:
    """Settle what killed builds of a brief left behind (see Editions.reconcile), under its edition lock."""
    with edition_lock(root, brief, store).waiting():
        Editions(store).reconcile(brief, output_dir / brief)
        Runs(store).reap(brief)


def edition_lock(root: Path, brief: str, store: FactStore) -> EditionLock:
    """The lock one build of a brief holds from numbering an edition until it is published and indexed."""
    return EditionLock(root, brief, store)


class EditionLock:
    """A brief's edition lock: the project folder's lock file, then the store's lock on the brief.

    The file serves processes of one project folder; the store's lock (on PostgreSQL, an advisory lock)
    serves builds on other machines sharing the store, which that file cannot reach.
    """

    def __init__(self, root: Path, brief: str, store: FactStore) -> None:
        self._file = RunLock(lock_folder(root), brief, ".edition")
        self._store = store.brief_lock(brief)
        self._blocked_by_store = False

    def acquire(self, wait: bool = False) -> bool:
        """Take both locks; without `wait`, return False at once (holding neither) when either is held."""
        self._blocked_by_store = False
        if not self._file.acquire(wait):
            return False
        try:
            if self._store.acquire(wait):
                return True
        except BaseException:
            self._file.release()
            raise
        self._file.release()
        self._blocked_by_store = True
        return False

    def release(self) -> None:
        """Give both locks up."""
        try:
            self._store.release()
        finally:
            self._file.release()

    def holder(self) -> str:
        """Who holds the lock, after acquire() returned False: a process of this project, or a store session."""
        return self._store.holder() if self._blocked_by_store else f"process {self._file.holder()}"

    @contextmanager
    def waiting(self) -> Iterator[EditionLock]:
        """Hold the lock for a block, waiting for another holder to give it up."""
        self.acquire(wait=True)
        try:
            yield self
        finally:
            self.release()


def edition_folder_name(brief_dir: Path, build_date: dt.date, taken: Collection[str] = ()) -> str:
    """YYYY-MM-DD for the first edition of a day, YYYY-MM-DD-2, -3 ... after it.

    A name in `taken` (the folders of stored editions, whether or not they are still there) is skipped too.
    """
    name, suffix = build_date.isoformat(), 1
    while (candidate := name if suffix == 1 else f"{name}-{suffix}") in taken or (brief_dir / candidate).exists():
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


@dataclass
class FolderScan:
    """The edition records read from a brief's output folder: the usable ones, and why others are not."""

    records: list[EditionRecord] = field(default_factory=list)  # one per number, by number
    problems: dict[str, str] = field(default_factory=dict)  # folder name -> what is wrong with its record


def scan_folder(brief_dir: Path, brief: str) -> FolderScan:
    """Read the edition.json of each published edition folder of a brief; never raises for a bad record."""
    scan = FolderScan()
    if not brief_dir.is_dir():
        return scan
    for folder in sorted(brief_dir.iterdir()):
        if folder.name.startswith(".") or folder.is_symlink() or not folder.is_dir() \
                or not os.path.lexists(folder / MANIFEST):
            continue
        try:
            scan.records.append(parse_manifest(read_manifest(folder / MANIFEST), folder.name, brief))
        except BadRecordError as problem:
            scan.problems[folder.name] = str(problem)
    _keep_one_per_number(scan)
    return scan


def listed(editions: list[EditionRecord], brief_dir: Path) -> list[EditionRecord]:
    """The editions as the index shows them: each with only the files still in its folder."""
    return [replace(edition, files=[
        name for name in edition.files
        if _plain_name(edition.folder) and _plain_name(name) and (brief_dir / edition.folder / name).is_file()])
        for edition in editions]


class BadRecordError(ValueError):
    """An edition.json that cannot be used; the message says what is wrong with it."""


def read_manifest(path: Path) -> bytes:
    """The bytes of an edition.json: a regular file, never read through a link, of at most 1 MiB."""
    if path.is_symlink():
        raise BadRecordError("a symbolic link, not a file")
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise BadRecordError("not a regular file")
            if info.st_size > MAX_MANIFEST_BYTES:
                raise BadRecordError(f"{info.st_size:,} bytes; an edition record holds at most {MAX_MANIFEST_BYTES:,}")
            return handle.read(MAX_MANIFEST_BYTES + 1)
    except OSError as error:
        raise BadRecordError(f"cannot be read: {error.strerror or error}") from None


def parse_manifest(data: bytes, folder: str, brief: str) -> EditionRecord:
    """The edition record in an edition.json's bytes, checked field by field; BadRecordError saying what is wrong."""
    try:
        raw = json.loads(data)
    except json.JSONDecodeError as error:
        raise BadRecordError(f"not JSON: {error.msg} at line {error.lineno}, column {error.colno}") from None
    except UnicodeDecodeError:
        raise BadRecordError("not JSON: not UTF-8 text") from None
    except (ValueError, RecursionError):
        raise BadRecordError("not JSON: nested too deeply or a number too long") from None
    if not isinstance(raw, dict):
        raise BadRecordError("not a JSON object")
    for key, check in _CHECKS.items():
        if key not in raw:
            if key in _REQUIRED:
                raise BadRecordError(f"'{key}' is missing")
        elif (problem := check(raw[key])) is not None:
            raise BadRecordError(f"{key}: {problem}, got {reprlib.repr(raw[key])}")
    if raw["brief"] != brief:
        raise BadRecordError(f"a record of brief {reprlib.repr(raw['brief'])}, not of '{brief}'")
    if raw["folder"] != folder:
        raise BadRecordError(f"it names folder {reprlib.repr(raw['folder'])}, not its own '{folder}'")
    return EditionRecord(**{key: raw[key] for key in _CHECKS if key in raw})


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) and 0 < len(value) <= 200 else "expected text of 1 to 200 characters"


def _number(value: Any) -> str | None:
    ok = type(value) is int and 1 <= value <= MAX_EDITION
    return None if ok else f"expected a whole number from 1 to {MAX_EDITION:,}"


def _name(value: Any) -> str | None:
    return None if isinstance(value, str) and _plain_name(value) else "expected a file or folder name"


def _moment(value: Any) -> str | None:
    try:
        dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return "expected a date and time such as 2025-03-05T06:00:00+00:00"
    return None


def _day(value: Any) -> str | None:
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return "expected a date YYYY-MM-DD"
    return None


def _names(value: Any) -> str | None:
    ok = isinstance(value, list) and all(isinstance(item, str) and _plain_name(item) for item in value)
    return None if ok else "expected a list of file names"


def _ids(value: Any) -> str | None:
    ok = isinstance(value, list) and all(isinstance(item, str) and item for item in value)
    return None if ok else "expected a list of document ids"


def _snapshot(value: Any) -> str | None:
    """The judgment snapshot the next edition compares with (see assemble.judgment_snapshot)."""
    problem = "expected {bottom_line: text, judgments: [{statement, likelihood, confidence}]}"
    if not isinstance(value, dict) or not isinstance(value.get("bottom_line", ""), str):
        return problem
    items = value.get("judgments", [])
    ok = isinstance(items, list) and all(
        isinstance(item, dict) and isinstance(item.get("statement"), str)
        and all(isinstance(item.get(key), str | None) for key in ("likelihood", "confidence")) for item in items)
    return None if ok else problem


def _trigger(value: Any) -> str | None:
    return None if isinstance(value, str) and len(value) <= 500 else "expected text of at most 500 characters"


def _digest(value: Any) -> str | None:
    ok = isinstance(value, str) and len(value) <= 64 and all(char in "0123456789abcdef" for char in value)
    return None if ok else "expected a hexadecimal digest"


def fits_problem(value: Any) -> str | None:
    """What is wrong with a record of the limits each audience's brief was cut to (EditionRecord.fitted), or None."""
    def counts(items: Any) -> bool:
        return isinstance(items, dict) and all(isinstance(kind, str) and type(n) is int and n >= 1
                                               for kind, n in items.items())

    keys = {"limits", "citations", "pages", "max_pages"}
    ok = isinstance(value, dict) and all(
        isinstance(audience, str) and isinstance(fit, dict) and set(fit) == keys
        and counts(fit["limits"]) and counts({key: fit[key] for key in ("citations", "pages", "max_pages")})
        for audience, fit in value.items())
    return None if ok else "expected {audience: {limits: {section kind: items}, citations, pages, max_pages}}"


_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "brief": _text, "number": _number, "folder": _name, "built_at": _moment, "build_date": _day,
    "documents": _ids, "judgments": _snapshot, "files": _names, "trigger": _trigger,
    "inputs": _digest, "fitted": fits_problem,
}
_REQUIRED = ("brief", "number", "folder", "built_at", "build_date")


def _plain_name(name: str) -> bool:
    """True for a name that stays inside its folder: no separator, not '.', '..' or hidden."""
    return 0 < len(name) <= 255 and "/" not in name and "\\" not in name and "\0" not in name \
        and not name.startswith(".")


def _keep_one_per_number(scan: FolderScan) -> None:
    """Keep the earliest built folder for each edition number; the others become problems."""
    kept: dict[int, EditionRecord] = {}
    for record in sorted(scan.records, key=lambda record: (record.number, record.built_at, record.folder)):
        first = kept.setdefault(record.number, record)
        if first is not record:
            scan.problems[record.folder] = f"edition {record.number} is also claimed by folder '{first.folder}'"
    scan.records = list(kept.values())


def _problem_line(path: Path, reason: str, restored: int | None) -> str:
    """The one warning line for an edition.json that could not be used."""
    if restored is not None:
        return f"{path}: not a usable edition record ({reason}); written again from the store's edition {restored}"
    return f"{path}: not a usable edition record, ignored ({reason})"


def _save(db: Database, edition: EditionRecord) -> None:
    db.execute(
        db.upsert("editions", ("brief", "number", "folder", "built_at", "build_date", "documents", "judgments",
                               "files", "trigger", "inputs", "fitted"), ("brief", "number")),
        (edition.brief, edition.number, edition.folder, edition.built_at, edition.build_date,
         json.dumps(edition.documents), json.dumps(edition.judgments), json.dumps(edition.files), edition.trigger,
         edition.inputs, json.dumps(edition.fitted)),
    )


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
                             json.loads(row[7]), row[8], row[9], json.loads(row[10]))
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
