"""A cache of read sources: a build reads again only the files that changed since the last build.

Reading a source (Markdown to HTML to paragraphs, a web page through trafilatura, a PDF page by page)
costs milliseconds a file: seconds for a desk's year of reporting, on every build. The cache keeps
each file's Document and its warnings under the file's signature: its size and modification time,
its sidecar's, the source limits and the ingest code itself. A file whose signature is unchanged is
not opened; any other is read as usual and remembered.

The cache is local to the machine (file times are), lives in PROJECT/.briefgen/sources.sqlite and is
only ever an optimisation: a cache that cannot be opened or read is put aside and built again, and
never stops a build.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sqlite3
import stat
from contextlib import suppress
from functools import cache
from pathlib import Path

from briefgen.config import SourceLimits
from briefgen.database import open_cache
from briefgen.facts import Document
from briefgen.ingest.sidecar import sidecar_path

CACHE_FILE = "sources.sqlite"
_SCHEMA = "CREATE TABLE IF NOT EXISTS sources (path TEXT PRIMARY KEY, signature TEXT NOT NULL, " \
          "document TEXT NOT NULL, warnings TEXT NOT NULL)"


@dataclasses.dataclass
class CachedSource:
    """A source as it was read: its Document and the warnings reading it gave (without the file's label)."""

    document: Document
    warnings: list[str]


class SourceCache:
    """Read sources by file signature; use as a context manager (what was read is saved on exit)."""

    def __init__(self, path: Path, limits: SourceLimits) -> None:
        self.path = path
        self._salt = f"{limits.model_dump_json()} {_reader_digest()}"
        self._rows: dict[str, tuple[str, str, str]] = {}
        self._new: dict[str, tuple[str, str, str]] = {}
        self._db = open_cache(path, self._prepare)

    def __enter__(self) -> SourceCache:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _prepare(self, db: sqlite3.Connection) -> None:
        db.execute(_SCHEMA)
        self._rows = {row[0]: row[1:] for row in db.execute("SELECT * FROM sources")}

    def lookup(self, file: Path) -> CachedSource | None:
        """The file as read before, when its signature is unchanged since; else None."""
        row = self._rows.get(str(file))
        signature = self._signature(file)
        if row is None or signature is None or row[0] != signature:
            return None
        try:
            data = json.loads(row[1])
            return CachedSource(Document(**data), json.loads(row[2]))
        except (ValueError, TypeError):
            return None

    def remember(self, file: Path, read: CachedSource) -> None:
        """Keep a file's Document and warnings under its present signature (written on close)."""
        signature = self._signature(file)
        if signature is not None:
            self._new[str(file)] = (signature, json.dumps(dataclasses.asdict(read.document), ensure_ascii=False),
                                    json.dumps(read.warnings, ensure_ascii=False))

    def close(self) -> None:
        """Save what was read in one transaction, drop files that are gone, and close."""
        if self._db is None:
            return
        gone = [path for path in self._rows if path not in self._new and not os.path.lexists(path)]
        with suppress(sqlite3.Error):
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR REPLACE INTO sources VALUES (?,?,?,?)",
                                 [(path, *row) for path, row in self._new.items()])
            self._db.executemany("DELETE FROM sources WHERE path = ?", [(path,) for path in gone])
            self._db.execute("COMMIT")
        with suppress(sqlite3.Error):
            self._db.close()
        self._db = None

    def _signature(self, file: Path) -> str | None:
        """Size and time of the file and of its sidecar, with the limits and reader; None for what is no
        plain file (a link is read afresh every time, so its target's checks are made every time)."""
        try:
            info = os.lstat(file)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        try:
            side = os.lstat(sidecar_path(file))
            sidecar = f"{side.st_mode} {side.st_size} {side.st_mtime_ns}"
        except OSError:
            sidecar = "-"
        return hashlib.sha256(
            f"{info.st_size} {info.st_mtime_ns} {info.st_ino} {sidecar} {self._salt}".encode()).hexdigest()[:32]


@cache
def _reader_digest() -> str:
    """A digest of the ingest code, so that a changed reader reads every source again."""
    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.read_bytes())
    return digest.hexdigest()[:16]
