"""Store: the SQLite fact store — documents, their facts and sentence provenance.

Facts are cached per document id (a hash of its file) together with what they were
extracted with: the digest of what extraction reads of the document, the extractor
version, the spaCy model and the project's gazetteer (an ExtractionKey). The build
extracts a document again when any of them differs. Every write of a build happens in
one transaction: the store is never left half-written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from briefgen.errors import BriefgenError
from briefgen.facts import (
    Actor,
    Document,
    DocumentFacts,
    Event,
    Incident,
    Location,
    Mention,
    Quantity,
    Quote,
    Tactic,
)

SCHEMA_VERSION = 6
BUSY_TIMEOUT = 60.0  # seconds a writer waits for another process's transaction before giving up
_FACT_TYPES: dict[str, type] = {
    "actor": Actor, "event": Event, "quantity": Quantity,
    "location": Location, "quote": Quote, "tactic": Tactic, "incident": Incident,
}
_FACT_LISTS = {"actor": "actors", "event": "events", "quantity": "quantities",
               "location": "locations", "quote": "quotes", "tactic": "tactics", "incident": "incidents"}
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    title TEXT, published TEXT, url TEXT, outlet TEXT,
    releasable INTEGER NOT NULL,
    text TEXT NOT NULL,
    extractor TEXT NOT NULL,
    extracted_at TEXT NOT NULL
);
CREATE TABLE facts (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (doc_id, kind, id)
);
CREATE TABLE provenance (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    fact_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL
);
CREATE INDEX provenance_fact ON provenance (kind, fact_id);
CREATE TABLE sentences (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    PRIMARY KEY (doc_id, start)
);
"""
# Each entry upgrades the schema from the version before it to its key.
_MIGRATIONS = {
    2: """
CREATE TABLE editions (
    brief TEXT NOT NULL,
    number INTEGER NOT NULL,
    folder TEXT NOT NULL,
    built_at TEXT NOT NULL,
    build_date TEXT NOT NULL,
    documents TEXT NOT NULL,
    judgments TEXT NOT NULL,
    files TEXT NOT NULL,
    PRIMARY KEY (brief, number)
);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    brief TEXT NOT NULL,
    trigger TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    status TEXT NOT NULL,
    error TEXT,
    edition INTEGER,
    documents TEXT NOT NULL DEFAULT '[]',
    files TEXT NOT NULL DEFAULT '[]',
    deliveries TEXT NOT NULL DEFAULT '[]'
);
""",
    3: """
ALTER TABLE editions ADD COLUMN trigger TEXT NOT NULL DEFAULT ''
""",
    # Rows stored before version 4 keep '' in these columns: they match no key, so they are extracted again.
    4: """
ALTER TABLE documents ADD COLUMN content_digest TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN model TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN gazetteer_digest TEXT NOT NULL DEFAULT ''
""",
    # One row per audience of an edition that needed approval: a draft until a reviewer approves it.
    5: """
CREATE TABLE IF NOT EXISTS approvals (
    brief TEXT NOT NULL,
    edition INTEGER NOT NULL,
    audience TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'approved')),
    drafted_at TEXT NOT NULL,
    notified_at TEXT,
    approved_by TEXT,
    approved_at TEXT,
    note TEXT,
    PRIMARY KEY (brief, edition, audience)
)
""",
    # Where each page of a paged source (PDF) starts in its text, as a JSON list; '[]' for unpaged sources.
    6: """
ALTER TABLE documents ADD COLUMN pages TEXT NOT NULL DEFAULT '[]'
""",
}


@dataclass(frozen=True)
class ExtractionKey:
    """What a document's facts were extracted with; '' where an older briefgen did not record it."""

    content: str
    extractor: str
    model: str
    gazetteer: str


@dataclass(frozen=True)
class StoredExtraction:
    """A stored document's path and the key its facts were extracted with."""

    path: str
    key: ExtractionKey


class StoreError(BriefgenError):
    """The fact store cannot be used: damaged, busy, or not a briefgen store."""


def store_problem(path: Path, error: Exception) -> StoreError:
    """One line saying what is wrong with the store at `path` and what to do about it."""
    message = str(error) or type(error).__name__
    if path.is_dir():
        return StoreError(f"{path}: is a folder, not a store file; remove it, or set 'store:' in "
                          "config/briefgen.yaml to a file name")
    if isinstance(error, sqlite3.OperationalError) and "locked" in message:
        return StoreError(f"{path}: the store is busy: another briefgen process kept it locked for "
                          f"{BUSY_TIMEOUT:.0f} s; try again when it has finished")
    if isinstance(error, sqlite3.OperationalError) and ("readonly" in message or "unable to open" in message):
        return StoreError(f"{path}: cannot write the store ({message}); check the file's and its folder's "
                          "permissions")
    return StoreError(f"{path}: the fact store is damaged ({message}). Move it aside (mv {path.name} "
                      f"{path.name}.damaged) and build again: facts are extracted again from the sources, and "
                      "earlier editions keep their numbers (each edition folder holds its own record)")


class FactStore:
    """A connection to one store file; use as a context manager.

    Inside the `with` block, any SQLite error, and any stored row that cannot be read back, is
    raised as a StoreError with one line saying what to do.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT)
        except (OSError, sqlite3.Error) as error:
            raise store_problem(path, error) from None
        try:
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._migrate(path)
        except (sqlite3.Error, ValueError, TypeError) as error:
            self._db.close()
            raise store_problem(path, error) from None

    def __enter__(self) -> FactStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, traceback: object) -> None:
        self.close()
        if isinstance(error, sqlite3.Error | StoredDataError):
            raise store_problem(self.path, error) from None

    def close(self) -> None:
        """Close the connection."""
        with suppress(sqlite3.Error):
            self._db.close()

    def _migrate(self, path: Path) -> None:
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "meta" not in tables:
            with self.transaction():
                self._run_script(_SCHEMA)
                self._db.execute("INSERT INTO meta VALUES ('schema_version', '1')")
        row = self._db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is None or not str(row[0]).isdigit():
            raise StoredDataError("no schema version recorded")
        version = row[0]
        if int(version) > SCHEMA_VERSION:
            raise BriefgenError(
                f"{path}: store schema version {version} is newer than this briefgen ({SCHEMA_VERSION}); upgrade"
            )
        for target in range(int(version) + 1, SCHEMA_VERSION + 1):
            with self.transaction():
                self._run_script(_MIGRATIONS[target])
                self._db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(target),))

    def _run_script(self, script: str) -> None:
        # executescript() would commit on its own; statement by statement keeps the transaction whole.
        for statement in filter(str.strip, script.split(";")):
            self._db.execute(statement)

    @property
    def connection(self) -> sqlite3.Connection:
        """The open SQLite connection, for the stages that keep their own tables (editions, runs, approvals)."""
        return self._db

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One all-or-nothing transaction: rolled back if anything inside raises."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def extracted_ids(self, extractor_version: str) -> set[str]:
        """Ids of documents whose facts are stored for this extractor version."""
        rows = self._db.execute("SELECT id FROM documents WHERE extractor = ?", (extractor_version,))
        return {row[0] for row in rows}

    def extractions(self) -> dict[str, StoredExtraction]:
        """Each stored document's path and extraction key, by document id."""
        rows = self._db.execute("SELECT id, path, content_digest, extractor, model, gazetteer_digest FROM documents")
        return {row[0]: StoredExtraction(row[1], ExtractionKey(*row[2:])) for row in rows}

    def save(self, pairs: Iterable[tuple[Document, DocumentFacts]],
             key: ExtractionKey | Callable[[Document], ExtractionKey]) -> int:
        """Store documents with their facts and the key (or each document's key) they were extracted with,
        replacing older extractions of them; in one transaction."""
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        count = 0
        with self.transaction() as db:
            for document, facts in pairs:
                used = key(document) if callable(key) else key
                db.execute("DELETE FROM documents WHERE id = ?", (document.id,))
                db.execute(
                    "INSERT INTO documents (id, path, title, published, url, outlet, releasable, text, extractor, "
                    "extracted_at, content_digest, model, gazetteer_digest, pages) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (document.id, document.path, document.title, document.published, document.url,
                     document.outlet, int(document.releasable), document.text, used.extractor, now,
                     used.content, used.model, used.gazetteer, json.dumps(document.pages)),
                )
                self._insert_facts(db, facts)
                count += 1
        return count

    def _insert_facts(self, db: sqlite3.Connection, facts: DocumentFacts) -> None:
        for kind, attribute in _FACT_LISTS.items():
            for seq, fact in enumerate(getattr(facts, attribute)):
                data = json.dumps(dataclasses.asdict(fact), ensure_ascii=False)
                db.execute("INSERT OR REPLACE INTO facts VALUES (?,?,?,?,?)", (facts.doc, kind, fact.id, seq, data))
                db.executemany(
                    "INSERT INTO provenance VALUES (?,?,?,?,?)",
                    [(facts.doc, kind, fact.id, start, end) for start, end in _spans(fact, facts.doc)],
                )
        db.executemany("INSERT OR IGNORE INTO sentences VALUES (?,?,?)",
                       [(facts.doc, start, end) for start, end in facts.sentences])

    def documents(self, ids: Iterable[str] | None = None) -> list[Document]:
        """Stored documents (all, or those with the given ids), ordered by path."""
        rows = self._db.execute(
            "SELECT id, path, title, published, url, outlet, releasable, text, pages FROM documents ORDER BY path"
        ).fetchall()
        wanted = set(ids) if ids is not None else None
        return [
            Document(id=row[0], path=row[1], title=row[2], published=row[3], url=row[4], outlet=row[5],
                     releasable=bool(row[6]), text=row[7], pages=_page_starts(row[8]))
            for row in rows if wanted is None or row[0] in wanted
        ]

    def facts(self, doc_ids: Iterable[str]) -> list[DocumentFacts]:
        """The stored facts of each document, in the order given."""
        return [self._document_facts(doc_id) for doc_id in doc_ids]

    def _document_facts(self, doc_id: str) -> DocumentFacts:
        facts = DocumentFacts(doc=doc_id)
        rows = self._db.execute("SELECT kind, data FROM facts WHERE doc_id = ? ORDER BY kind, seq", (doc_id,))
        for kind, data in rows:
            if kind not in _FACT_LISTS:
                raise StoredDataError(f"unknown kind of fact '{kind}'")
            getattr(facts, _FACT_LISTS[kind]).append(_revive(_FACT_TYPES[kind], data))
        facts.sentences = [
            (start, end) for start, end in
            self._db.execute("SELECT start, end FROM sentences WHERE doc_id = ? ORDER BY start", (doc_id,))
        ]
        return facts


def sentence_span(sentences: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The (start, end) of the sentence holding `offset`, from a sorted list of sentence spans."""
    index = bisect_right(sentences, offset, key=itemgetter(0)) - 1
    if index >= 0 and sentences[index][0] <= offset < sentences[index][1]:
        return sentences[index]
    return None


def _page_starts(stored: str) -> list[int]:
    try:
        starts = json.loads(stored)
    except ValueError:
        starts = None
    if not isinstance(starts, list) or not all(isinstance(start, int) for start in starts):
        raise StoredDataError(f"a stored document's page offsets cannot be read: {stored[:40]!r}")
    return starts


def _spans(fact: Any, doc_id: str) -> list[tuple[int, int]]:
    if hasattr(fact, "mentions"):
        return [(mention.start, mention.end) for mention in fact.mentions if mention.doc == doc_id]
    return [(fact.start, fact.end)]


class StoredDataError(ValueError):
    """A stored row that cannot be read back as what it should hold."""


def _revive(cls: type, text: str) -> Any:
    try:
        data = json.loads(text)
        if "mentions" in data:
            data["mentions"] = [Mention(**mention) for mention in data["mentions"]]
        return cls(**data)
    except (ValueError, TypeError, KeyError) as error:
        raise StoredDataError(f"a stored {cls.__name__.lower()} cannot be read: {error}") from None
