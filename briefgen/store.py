"""Store: the fact store — documents, their facts and sentence provenance — in a SQLite file (the default) or
a PostgreSQL database that a team shares (see briefgen.database for the little that differs).

Facts are cached per document id (a hash of its file) together with what they were
extracted with: the digest of what extraction reads of the document, the extractor
version, the spaCy model and the project's gazetteer (an ExtractionKey). The build
extracts a document again when any of them differs. Each save is one transaction holding
whole documents with all their facts: the store is never left half-written. Both databases have the same
schema and migrations; a store is created or migrated safely however many processes open it at once.
"""

from __future__ import annotations

import datetime as dt
import json
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

import msgspec
import orjson

from briefgen.database import (
    BriefLock,
    Database,
    StoreError,
    StoreLocation,
    is_postgresql,
    open_database,
    postgresql_problem,
    shown,
    sqlite_problem,
)
from briefgen.errors import BriefgenError
from briefgen.facts import (
    Actor,
    Document,
    DocumentFacts,
    Event,
    Incident,
    Location,
    Quantity,
    Quote,
    Tactic,
)
from briefgen.heap import collection_paused

SCHEMA_VERSION = 8
_IDS_PER_QUERY = 500  # ids bound in one query: SQLite allows at most 32,766 parameters
_FACT_TYPES: dict[str, type] = {
    "actor": Actor, "event": Event, "quantity": Quantity,
    "location": Location, "quote": Quote, "tactic": Tactic, "incident": Incident,
}
# Each kind's stored JSON straight to its dataclass, checked against its fields' types (msgspec: several times
# faster than parsing to dicts and calling the class).
_DECODERS: dict[str, msgspec.json.Decoder[Any]] = {kind: msgspec.json.Decoder(cls) for kind, cls in _FACT_TYPES.items()}
_DOCUMENT_COLUMNS = ("id", "path", "title", "published", "url", "outlet", "releasable", "text", "extractor",
                     "extracted_at", "content_digest", "model", "gazetteer_digest", "pages")
SAVE_BATCH = 200  # documents written with one statement per table
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
    "end" INTEGER NOT NULL
);
CREATE INDEX provenance_fact ON provenance (kind, fact_id);
CREATE TABLE sentences (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
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
    # The digest of what each edition was made from (briefgen.inputs): a rebuild with nothing changed makes none.
    7: """
ALTER TABLE editions ADD COLUMN inputs TEXT NOT NULL DEFAULT ''
""",
    # The limits each audience's brief was cut to to keep to its page limit (JSON): the next edition starts there.
    8: """
ALTER TABLE editions ADD COLUMN fitted TEXT NOT NULL DEFAULT '{}'
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


def store_problem(location: StoreLocation, error: Exception) -> StoreError:
    """One line saying what is wrong with the store at `location` and what to do about it."""
    if is_postgresql(location):
        import psycopg

        return StoreError(postgresql_problem(str(location), error, psycopg, connecting=False))
    return StoreError(sqlite_problem(Path(location), error))


class FactStore:
    """A connection to one store — a SQLite file or a PostgreSQL database — used as a context manager.

    Inside the `with` block, any database error, and any stored row that cannot be read back, is
    raised as a StoreError with one line saying what to do.
    """

    def __init__(self, location: StoreLocation) -> None:
        self.location = self.path = location
        self._db = open_database(location)
        self._read_ahead: dict[str, DocumentFacts] = {}  # facts read before they are asked for (`read_ahead`)
        self._errors: tuple[type[Exception], ...] = (*self._db.errors, StoredDataError)
        try:
            self._migrate()
        except self._errors as error:
            self._db.close()
            raise self._db.problem(error) from None
        except BaseException:
            self._db.close()
            raise

    def __enter__(self) -> FactStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, traceback: object) -> None:
        self.close()
        if isinstance(error, Exception) and isinstance(error, self._errors):
            raise self._db.problem(error) from None

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def _migrate(self) -> None:
        """Create the schema, or bring it up to date step by step; safe when several processes start at once:
        each step reads the version again inside its write transaction, so only one of them makes it."""
        if "meta" not in self._db.tables():
            with self.transaction() as db:
                if "meta" not in db.tables():
                    self._run_script(_SCHEMA)
                    db.execute("INSERT INTO meta VALUES ('schema_version', '1')")
        while (version := self._version()) < SCHEMA_VERSION:
            with self.transaction() as db:
                if self._version() == version:
                    self._run_script(_MIGRATIONS[version + 1])
                    db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version + 1),))

    def _version(self) -> int:
        row = self._db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is None or not str(row[0]).isdigit():
            raise StoredDataError("no schema version recorded")
        version = int(row[0])
        if version > SCHEMA_VERSION:
            raise BriefgenError(f"{shown(self.location)}: store schema version {version} is newer than this "
                                f"briefgen ({SCHEMA_VERSION}); upgrade")
        return version

    def _run_script(self, script: str) -> None:
        # executescript() would commit on its own; statement by statement keeps the transaction whole.
        for statement in self._db.script(script):
            self._db.execute(statement)

    @property
    def connection(self) -> Database:
        """The open database, for the stages that keep their own tables (editions, runs, approvals)."""
        return self._db

    def transaction(self) -> AbstractContextManager[Database]:
        """One all-or-nothing transaction: rolled back if anything inside raises; writers one at a time."""
        return self._db.transaction()

    def brief_lock(self, brief: str) -> BriefLock:
        """The store's lock on a brief's editions, which builds on other machines see (PostgreSQL; on SQLite
        the project folder's lock is enough and this one is always free)."""
        return self._db.brief_lock(brief)

    def extracted_ids(self, extractor_version: str) -> set[str]:
        """Ids of documents whose facts are stored for this extractor version."""
        rows = self._db.execute("SELECT id FROM documents WHERE extractor = ?", (extractor_version,))
        return {row[0] for row in rows}

    def document_count(self) -> int:
        """How many documents the store holds."""
        return int(self._db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

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
            for batch in _batches(pairs, SAVE_BATCH):
                _save_batch(db, batch, key, now)
                count += len(batch)
        return count

    def documents(self, ids: Iterable[str] | None = None) -> list[Document]:
        """Stored documents (all, or those with the given ids), ordered by path."""
        query = "SELECT id, path, title, published, url, outlet, releasable, text, pages FROM documents"
        if ids is None:
            rows = self._db.execute(query).fetchall()
        else:
            wanted, rows = sorted(set(ids)), []
            for start in range(0, len(wanted), _IDS_PER_QUERY):
                chunk = wanted[start : start + _IDS_PER_QUERY]
                rows += self._db.execute(f"{query} WHERE id IN ({','.join('?' * len(chunk))})", chunk).fetchall()
        return sorted((Document(id=row[0], path=row[1], title=row[2], published=row[3], url=row[4], outlet=row[5],
                                releasable=bool(row[6]), text=row[7], pages=_page_starts(row[8])) for row in rows),
                      key=lambda document: document.path)

    def read_ahead(self, doc_ids: Iterable[str]) -> None:
        """Read the facts of these documents now (while worker processes extract others, say): the next `facts`
        asking for one of them returns it as read here, and forgets it."""
        ids = list(doc_ids)
        self._read_ahead.update(zip(ids, self.facts(ids), strict=True))

    def facts(self, doc_ids: Iterable[str]) -> list[DocumentFacts]:
        """The stored facts of each document, in the order given (empty for a document the store lacks)."""
        wanted = list(doc_ids)
        found = {doc_id: read for doc_id in wanted if (read := self._read_ahead.pop(doc_id, None)) is not None}
        unique = [doc_id for doc_id in dict.fromkeys(wanted) if doc_id not in found]
        with collection_paused():  # the facts hold no cycles: nothing for the collector to find while they are made
            for start in range(0, len(unique), _IDS_PER_QUERY):
                found.update(self._facts_of(unique[start : start + _IDS_PER_QUERY]))
        return [found[doc_id] for doc_id in wanted]

    def _facts_of(self, doc_ids: list[str]) -> dict[str, DocumentFacts]:
        """The facts of a few documents, read in two queries (one for their facts, one for their sentences)."""
        marks = ",".join("?" * len(doc_ids))
        found = {doc_id: DocumentFacts(doc=doc_id) for doc_id in doc_ids}
        rows = self._db.execute(f"SELECT doc_id, kind, data FROM facts WHERE doc_id IN ({marks}) "
                                "ORDER BY doc_id, kind COLLATE BINARY, seq", doc_ids)
        for doc_id, kind, data in rows:
            if kind not in _FACT_LISTS:
                raise StoredDataError(f"unknown kind of fact '{kind}'")
            getattr(found[doc_id], _FACT_LISTS[kind]).append(_revive(kind, data))
        sentences = self._db.execute(f'SELECT doc_id, start, "end" FROM sentences WHERE doc_id IN ({marks}) '
                                     "ORDER BY doc_id, start", doc_ids)
        for doc_id, start, end in sentences:
            found[doc_id].sentences.append((start, end))
        return found


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


def _batches(pairs: Iterable[tuple[Document, DocumentFacts]],
             size: int) -> Iterator[list[tuple[Document, DocumentFacts]]]:
    batch: list[tuple[Document, DocumentFacts]] = []
    for pair in pairs:
        batch.append(pair)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _save_batch(db: Database, batch: list[tuple[Document, DocumentFacts]],
                key: ExtractionKey | Callable[[Document], ExtractionKey], now: str) -> None:
    """Replace these documents and their facts: a few statements for the whole batch, not one per row."""
    latest = {document.id: (document, facts) for document, facts in batch}  # a document saved twice: the last wins
    db.executemany("DELETE FROM documents WHERE id = ?", [(doc_id,) for doc_id in latest])
    rows: list[tuple[Any, ...]] = []
    for document, _ in latest.values():
        used = key(document) if callable(key) else key
        rows.append((document.id, document.path, document.title, document.published, document.url, document.outlet,
                     int(document.releasable), document.text, used.extractor, now, used.content, used.model,
                     used.gazetteer, json.dumps(document.pages)))
    db.insert_rows("documents", _DOCUMENT_COLUMNS, rows)
    facts, spans, sentences = _fact_rows([facts for _, facts in latest.values()])
    db.insert_rows("facts", ("doc_id", "kind", "id", "seq", "data"), facts)
    db.insert_rows("provenance", ("doc_id", "kind", "fact_id", "start", '"end"'), spans)
    db.insert_rows("sentences", ("doc_id", "start", '"end"'), sentences)


def _fact_rows(documents: list[DocumentFacts]) -> tuple[list[tuple[Any, ...]], ...]:
    """The rows of these documents' facts, of their provenance spans and of their sentences.

    A fact id given twice in one document keeps its last fact (and the spans of both); a sentence start
    given twice keeps its first span.
    """
    facts: dict[tuple[str, str, str], tuple[Any, ...]] = {}
    spans: list[tuple[Any, ...]] = []
    sentences: dict[tuple[str, int], tuple[Any, ...]] = {}
    for found in documents:
        doc = found.doc
        for kind, attribute in _FACT_LISTS.items():
            for seq, fact in enumerate(getattr(found, attribute)):
                facts[doc, kind, fact.id] = (doc, kind, fact.id, seq, orjson.dumps(fact).decode())
                spans += [(doc, kind, fact.id, start, end) for start, end in _spans(fact, doc)]
        for start, end in found.sentences:
            sentences.setdefault((doc, start), (doc, start, end))
    return list(facts.values()), spans, list(sentences.values())


def _spans(fact: Any, doc_id: str) -> list[tuple[int, int]]:
    if hasattr(fact, "mentions"):
        return [(mention.start, mention.end) for mention in fact.mentions if mention.doc == doc_id]
    return [(fact.start, fact.end)]


class StoredDataError(ValueError):
    """A stored row that cannot be read back as what it should hold."""


def _revive(kind: str, text: str) -> Any:
    try:
        return _DECODERS[kind].decode(text)
    except msgspec.MsgspecError as error:  # not JSON, or a field missing or of the wrong type
        raise StoredDataError(f"a stored {kind} cannot be read: {error}") from None
