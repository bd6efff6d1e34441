"""What was read from each document's facts, kept for the next build.

Assembly reads some things from one document alone (`assemble.readings`): a figure's reading (what it counts,
what happened, where, when: `assemble.counted.FigureReading`) and the sentence a citation quotes. A build reads
them for every document of its window, though a new build mostly sees the documents of the last (at 10,000
sources, two seconds of a build that adds ten). The memory keeps each document's readings with what they were
read from: its extraction key (its text, the extractor, the model, the gazetteer), the analysts' corrections and
the assembly code. The next build takes those of documents whose basis is unchanged and reads only the others.

It lives in PROJECT/.briefgen/readings.sqlite and is only ever an optimisation, like the story memory: a memory
that cannot be opened, read or written is put aside or left alone and never stops a build. It holds data only
(JSON), never code: a memory from elsewhere cannot run anything.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Any

import msgspec

from briefgen import facts
from briefgen.assemble.counted import FigureReading
from briefgen.assemble.readings import Readings
from briefgen.database import made_by, open_cache

READINGS_FILE = "readings.sqlite"
_SCHEMA = [
    "CREATE TABLE IF NOT EXISTS method (code TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS readings (doc TEXT PRIMARY KEY, basis TEXT NOT NULL, data BLOB NOT NULL)",
]
_BATCH = 500  # documents looked up in one query


class _DocumentReadings(msgspec.Struct, array_like=True):
    """One document's readings: its figures' (quantity id, reading or None) and its quoted sentences."""

    figures: list[tuple[str, FigureReading | None]]
    sentences: list[tuple[int, int, str]]


_ENCODER, _DECODER = msgspec.json.Encoder(), msgspec.json.Decoder(_DocumentReadings)


class ReadingMemory:
    """The readings kept in one file; use as a context manager."""

    def __init__(self, path: Path) -> None:
        self._db = open_cache(path, _prepare)
        self._kept: set[str] = set()  # documents whose readings were taken from the memory, as they are kept

    def __enter__(self) -> ReadingMemory:
        return self

    def __exit__(self, *_: object) -> None:
        if self._db is not None:
            with suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def readings(self, bases: dict[str, str]) -> Readings:
        """The kept readings of the documents (by id) whose basis (`basis`) is the one given."""
        found: Readings = {}
        wanted = list(bases)
        for start in range(0, len(wanted), _BATCH):
            batch = wanted[start:start + _BATCH]
            for doc, basis, data in self._read(batch):
                if basis != bases[doc]:
                    continue
                try:
                    kept = _DECODER.decode(data)
                except msgspec.MsgspecError:
                    continue
                found.update(((("figure", doc, quantity), reading) for quantity, reading in kept.figures))
                found.update(((("sentence", doc, begin, end), text) for begin, end, text in kept.sentences))
                self._kept.add(doc)
        return found

    def keep(self, readings: Readings, bases: dict[str, str]) -> None:
        """Keep the readings of the documents (of those with a basis) that were not taken from the memory."""
        if self._db is None:
            return
        by_doc: dict[str, _DocumentReadings] = defaultdict(lambda: _DocumentReadings([], []))
        for key, value in readings.items():
            if not isinstance(key, tuple) or len(key) < 3 or key[1] in self._kept or key[1] not in bases:
                continue
            if key[0] == "figure":
                by_doc[key[1]].figures.append((key[2], value))
            elif key[0] == "sentence":
                by_doc[key[1]].sentences.append((key[2], key[3], value))
        rows = [(doc, bases[doc], _ENCODER.encode(kept)) for doc, kept in by_doc.items()]
        with suppress(sqlite3.Error):
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR REPLACE INTO readings VALUES (?, ?, ?)", rows)
            self._db.execute("COMMIT")
        if self._db.in_transaction:
            with suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
        self._kept.update(by_doc)

    def _read(self, docs: list[str]) -> list[Any]:
        if self._db is None:
            return []
        try:
            return self._db.execute(f"SELECT doc, basis, data FROM readings WHERE doc IN ({','.join('?' * len(docs))})",
                                    docs).fetchall()
        except sqlite3.Error:
            return []


def basis(extraction: Iterable[str], corrections: str) -> str:
    """What a document's readings are read from: its extraction key's parts and the corrections' digest."""
    return "|".join([*extraction, corrections])


def _prepare(db: sqlite3.Connection) -> None:
    """The tables, emptied when they were made by other assembly code."""
    made_by(db, _SCHEMA, ("readings",), _method())


@cache
def _method() -> str:
    """A digest of the code readings are made with (assembly and what it reads with: the facts' form, datelines,
    sentence spans, corrections) and of this module: readings made by other code are not used."""
    package = Path(facts.__file__).parent
    modules = [*sorted((package / "assemble").glob("*.py")), *sorted((package / "review").glob("*.py")),
               package / "facts.py", package / "store.py", package / "extract" / "datelines.py", Path(__file__)]
    digest = hashlib.sha256()
    for module in modules:
        digest.update(str(module.relative_to(package)).encode() + module.read_bytes())
    return digest.hexdigest()[:16]
