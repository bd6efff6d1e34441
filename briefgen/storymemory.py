"""What grouping a brief's sources into stories learned, kept for the next build of the brief.

Grouping 10,000 sources signs every text (shingles, then a MinHash signature) and checks candidate pairs
exactly: minutes a build, though a new build mostly sees the same sources. The memory keeps each text's
signature (by a digest of the text) and each brief's last grouping (`briefgen.stories.Grouping`); the next
build signs only new texts and groups again with the help of the last grouping, which gives the same stories
(`group_stories`) with few comparisons.

It lives in PROJECT/.briefgen/stories.sqlite and is only ever an optimisation, like the source cache: a
memory that cannot be opened, read or written is put aside or left alone and never stops a build. A memory
written by other grouping code (a changed `briefgen/stories.py`) is forgotten.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Any

from briefgen.database import made_by, open_cache
from briefgen.facts import Document
from briefgen.stories import PERMUTATIONS, Grouping, Signatures, text_digest

MEMORY_FILE = "stories.sqlite"
_SCHEMA = [
    "CREATE TABLE IF NOT EXISTS method (code TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS signatures (text TEXT PRIMARY KEY, hashvalues BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS groupings (brief TEXT NOT NULL, part INTEGER NOT NULL, threshold REAL NOT NULL, "
    "homes TEXT NOT NULL, PRIMARY KEY (brief, part))",
]
_BATCH = 500  # texts looked up in one query
_SIGNATURE_BYTES = PERMUTATIONS * 8  # kept as 64-bit values, whatever datasketch holds them in


class StoryMemory:
    """The signatures and groupings kept in one file; use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = open_cache(path, _prepare)

    def __enter__(self) -> StoryMemory:
        return self

    def __exit__(self, *_: object) -> None:
        if self._db is not None:
            with suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def signatures(self, documents: Iterable[Document]) -> Signatures:
        """Signatures holding what is remembered of these documents' texts."""
        import numpy

        known: dict[str, Any] = {}
        wanted = list(dict.fromkeys(text_digest(document.text) for document in documents))
        for start in range(0, len(wanted), _BATCH):
            batch = wanted[start:start + _BATCH]
            rows = self._read(f"SELECT text, hashvalues FROM signatures WHERE text IN ({','.join('?' * len(batch))})",
                              batch)
            known.update((text, numpy.frombuffer(values, dtype=numpy.uint64)) for text, values in rows
                         if len(values) == _SIGNATURE_BYTES)
        return Signatures(known)

    def groupings(self, brief: str) -> list[Grouping]:
        """The groupings the brief's last build made (of all its documents, of the releasable ones)."""
        found = []
        for threshold, homes in self._read("SELECT threshold, homes FROM groupings WHERE brief = ? ORDER BY part",
                                           [brief]):
            with suppress(TypeError, ValueError):
                found.append(Grouping(float(threshold), {doc: (key, original) for doc, key, original
                                                         in json.loads(homes)}))
        return found

    def keep(self, brief: str, groupings: list[Grouping], signatures: Signatures) -> None:
        """Remember the groupings of the brief's build and the signatures made for them; forget the signatures of
        texts that no remembered grouping holds."""
        if self._db is None or not groupings:
            return
        import numpy

        rows = [(brief, part, grouping.threshold,
                 json.dumps([[doc, key, original] for doc, (key, original) in grouping.homes.items()]))
                for part, grouping in enumerate(groupings)]
        with suppress(sqlite3.Error):
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM groupings WHERE brief = ?", (brief,))
            self._db.executemany("INSERT INTO groupings VALUES (?, ?, ?, ?)", rows)
            self._db.executemany("INSERT OR REPLACE INTO signatures VALUES (?, ?)",
                                 [(text, numpy.asarray(values, dtype=numpy.uint64).tobytes())
                                  for text, values in signatures.made.items()])
            self._db.execute("CREATE TEMP TABLE IF NOT EXISTS held (text TEXT PRIMARY KEY)")
            self._db.execute("DELETE FROM held")
            others = [self.groupings(other) for (other,) in
                      self._db.execute("SELECT DISTINCT brief FROM groupings WHERE brief != ?", (brief,)).fetchall()]
            texts = {text for held in [*groupings, *(item for found in others for item in found)]
                     for text in held.texts()}  # this brief's groupings are at hand: not read back
            self._db.executemany("INSERT OR IGNORE INTO held VALUES (?)", ((text,) for text in texts))
            self._db.execute("DELETE FROM signatures WHERE text NOT IN (SELECT text FROM held)")
            self._db.execute("COMMIT")
        if self._db.in_transaction:
            with suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")

    def _read(self, query: str, parameters: list[str]) -> list[Any]:
        if self._db is None:
            return []
        try:
            return self._db.execute(query, parameters).fetchall()
        except sqlite3.Error:
            return []


def _prepare(db: sqlite3.Connection) -> None:
    """The tables, emptied when they were made by other grouping code."""
    made_by(db, _SCHEMA, ("signatures", "groupings"), _method())


@cache
def _method() -> str:
    """A digest of the grouping code and of this module: signatures and groupings made by other code, or kept in
    another form, are not used."""
    from briefgen import stories

    digest = hashlib.sha256()
    for module in (Path(stories.__file__), Path(__file__)):
        digest.update(module.read_bytes())
    return digest.hexdigest()[:16]
