"""The data export of an edition: everything one audience's brief drew on, as JSON beside the brief.

`AUDIENCE.facts.json` is the object of ../shared/contracts/facts-json.md (`briefgen.export.facts_json`) for
the audience's documents (only releasable ones when the audience is `releasable_only`), with the analysts'
corrections applied, and adds keys the contract allows:

- `brief`: name, title, audience, edition, build date, when generated, `releasable_only`, the PDF's page
  limit and the `max_citations` shown per item.
- `sources`: one per source of the brief (a story: a report and its copies), in publication order:
  `documents` (ids, the original first) and `number`, its number in the brief's Sources list, null when
  the brief does not list it (no item it shows cites it).
- `sections`: each section as assembled from the audience's limits, before the brief was cut to its pages:
  `kind`, `title`, `anchor` and its items, every one with all its citations, each
  `{"documents", "number", "sentence", "grade", "page"}`. The rendered brief shows the first of each
  section's items (fewer when `brief.dropped_to_fit` says so) and `brief.max_citations` citations of each.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import itertools
import os
import queue
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, BinaryIO

import orjson
from markupsafe import Markup

from briefgen.assemble.views import BriefView, Citation, SourceEntry
from briefgen.atomic import open_atomically
from briefgen.export import fact_lists
from briefgen.facts import Document, FactSet

_CHUNK = 1 << 20
_BATCH = 2048  # facts written by one call: few calls, and a batch's JSON held at a time only
_QUEUED = 16  # batches made and not yet written: some megabytes at most
_WAIT_SECONDS = 0.5  # how often a thread waiting on the other looks whether it has failed or been abandoned
# Drawings, not data: left out of the export.
_DRAWINGS = frozenset({"chart", "map", "graphic"})


@dataclasses.dataclass
class ExportInput:
    """What the export is made of: the whole view, the numbers the bounded brief lists, the brief's documents
    and facts, and the audience's settings worth recording."""

    view: BriefView
    numbers: dict[int, int]  # a source's number in the whole view -> in the brief's Sources list
    documents: list[Document]
    facts: FactSet
    releasable_only: bool
    max_citations: int
    max_pages: int | None
    dropped_to_fit: list[str]  # what the brief left out to keep to its page limit ('5 of 8 key_figures items')


@dataclasses.dataclass(frozen=True)
class FactsPart:
    """Where the fact lists of an export already written lie: bytes `start` to `end` of the file at `path`, written
    for these documents (by id, in order) and this FactSet."""

    path: Path
    start: int
    end: int
    documents: tuple[str, ...]
    facts: FactSet

    def serves(self, given: ExportInput) -> bool:
        """Whether an export of `given` has these very fact lists (another audience seeing the same documents)."""
        return given.facts is self.facts and self.documents == tuple(document.id for document in given.documents)


class ExportWriter:
    """Writes the data exports of one edition, each atomically (`open_atomically`), through a thread of its own:
    their JSON is made in the calling thread (from its objects: the brief as assembled, its facts), one batch of
    facts at a time, and handed over; writing it, and copying the fact lists an audience's export shares with one
    written before (a hundred megabytes at 10,000 sources, made once, not once an audience), go on in that thread
    while the caller goes on (file writes and copies leave Python's lock free). Used as a context manager: `finish`
    waits for every export and raises the first failure; leaving the block on an error abandons what is unwritten
    (no file is left half-written)."""

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefgen-export")
        self._jobs: list[Future[None]] = []
        self._parts: list[FactsPart] = []  # the fact lists written so far, for other audiences to copy
        self._abandoned = threading.Event()

    def __enter__(self) -> ExportWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        try:
            if kind is None:
                self.finish()
        finally:
            if kind is not None or any(not job.done() for job in self._jobs):
                self._abandoned.set()
            self._thread.shutdown(wait=True, cancel_futures=True)

    def write(self, given: ExportInput, path: Path) -> None:
        """Make the export of `given` and have it written to `path` (its fact lists copied when an export written
        before has the same ones)."""
        self._raise_failure()
        head, tail = _ends(given)
        written = next((part for part in self._parts if part.serves(given)), None)
        if written is not None:
            self._jobs.append(self._thread.submit(self._copied, path, head, written, tail))
            return
        pieces: queue.Queue[bytes | None] = queue.Queue(maxsize=_QUEUED)
        job = self._thread.submit(self._streamed, path, head, pieces, tail)
        self._jobs.append(job)
        size = 0
        for piece in _fact_list_pieces(given):
            self._hand_over(pieces, piece, job)
            size += len(piece)
        self._hand_over(pieces, None, job)
        documents = tuple(document.id for document in given.documents)
        self._parts.append(FactsPart(path, len(head), len(head) + size, documents, given.facts))

    def finish(self) -> None:
        """Wait until every export is written; raise the first failure."""
        for job in self._jobs:
            job.result()

    def _raise_failure(self) -> None:
        for job in self._jobs:
            if job.done():
                job.result()

    def _hand_over(self, pieces: queue.Queue[bytes | None], piece: bytes | None, job: Future[None]) -> None:
        """Queue a piece for the writer (None: the last), waiting while the queue is full, unless the writer
        has failed: then its failure is raised."""
        while True:
            try:
                pieces.put(piece, timeout=_WAIT_SECONDS)
                return
            except queue.Full:
                if job.done():
                    job.result()
                    raise RuntimeError("the export writer stopped before the export was whole") from None

    def _streamed(self, path: Path, head: bytes, pieces: queue.Queue[bytes | None], tail: bytes) -> None:
        with open_atomically(path) as handle:
            handle.write(head)
            while (piece := self._next(pieces, path)) is not None:
                handle.write(piece)
            handle.write(tail)

    def _next(self, pieces: queue.Queue[bytes | None], path: Path) -> bytes | None:
        """The next piece handed over (None: there are no more), unless the export is abandoned meanwhile."""
        while not self._abandoned.is_set():
            with contextlib.suppress(queue.Empty):
                return pieces.get(timeout=_WAIT_SECONDS)
        raise _AbandonedError(path)

    def _copied(self, path: Path, head: bytes, written: FactsPart, tail: bytes) -> None:
        with open_atomically(path) as handle:
            handle.write(head)
            _copy_range(written, handle)
            if self._abandoned.is_set():
                raise _AbandonedError(path)
            handle.write(tail)


class _AbandonedError(Exception):
    """The export was left unwritten: the build failed before it was whole."""


def _ends(given: ExportInput) -> tuple[bytes, bytes]:
    """The export object's JSON before its fact lists (from the opening brace) and after them (to the closing one)."""
    head, tail = _brief_and_sections(given)
    return (b"{" + b"".join(_json(key) + b":" + _json(value) + b"," for key, value in head.items()),
            b"".join(b"," + _json(key) + b":" + _json(value) for key, value in tail.items()) + b"}")


def _fact_list_pieces(given: ExportInput) -> Iterator[bytes]:
    """The fact lists' JSON, _BATCH facts a piece: a year of facts is never held as JSON-ready dicts, let alone as
    one string. orjson writes each fact dataclass as it is: a year of facts in a fraction of json's time."""
    for index, (key, items) in enumerate(fact_lists(given.documents, given.facts)):
        yield (b"," if index else b"") + _json(key) + b":["
        for number, batch in enumerate(_batches(items)):
            yield (b"," if number else b"") + orjson.dumps(batch)[1:-1]
        yield b"]"


def _batches(items: Iterator[Any]) -> Iterator[list[Any]]:
    """The items, _BATCH at a time (the last batch may hold fewer; there is none when there are no items)."""
    while batch := list(itertools.islice(items, _BATCH)):
        yield batch


def _copy_range(part: FactsPart, handle: BinaryIO) -> None:
    with part.path.open("rb") as source:
        source.seek(part.start)
        left = part.end - part.start
        handle.flush()
        copied = _copied_in_kernel(source.fileno(), handle.fileno(), left)
        source.seek(part.start + copied)
        handle.seek(0, os.SEEK_END)
        left -= copied
        while left > 0:
            chunk = source.read(min(left, _CHUNK))
            if not chunk:
                raise OSError(f"{part.path} is shorter than when it was written")
            handle.write(chunk)
            left -= len(chunk)


def _copied_in_kernel(source: int, target: int, count: int) -> int:
    """Copy up to `count` bytes from `source`'s position to `target`'s by `os.copy_file_range` (the kernel copies
    them, no byte passes through this process); how many it copied: fewer, down to none, where the system or the
    file system cannot (the rest is copied by reading)."""
    copied = 0
    with contextlib.suppress(OSError, AttributeError):  # no copy_file_range here, or not between these files
        while copied < count and (step := os.copy_file_range(source, target, count - copied)) > 0:
            copied += step
    return copied


def _json(value: Any) -> bytes:
    return orjson.dumps(value)


def _brief_and_sections(given: ExportInput) -> tuple[dict[str, Any], dict[str, Any]]:
    """The export's keys before the facts (`brief`) and after them (`sources`, `sections`)."""
    stories = {source.number: [source.doc_id, *(copy.doc_id for copy in source.copies)]
               for source in given.view.sources}
    view = given.view
    head = {
        "brief": {
            "name": view.name, "title": view.title, "audience": view.audience.name,
            "edition": view.edition, "build_date": view.build_date.isoformat(), "generated_at": view.created,
            "releasable_only": given.releasable_only, "max_citations": given.max_citations,
            "max_pages": given.max_pages, "dropped_to_fit": given.dropped_to_fit,
        },
    }
    tail = {
        "sources": [{"documents": stories[source.number], "number": given.numbers.get(source.number)}
                    for source in view.sources],
        "sections": [_plain(section, stories, given.numbers) for section in view.sections],
    }
    return head, tail


def _plain(value: Any, stories: dict[int, list[str]], numbers: dict[int, int]) -> Any:
    """A view object as JSON data; citations and sources name their documents and their number in the brief."""
    if value is None or type(value) in _AS_THEY_ARE:
        return value
    if isinstance(value, Citation):
        return {"documents": stories.get(value.number, []), "number": numbers.get(value.number),
                "sentence": value.sentence, "grade": value.grade, "page": value.page}
    if isinstance(value, SourceEntry):
        return {"documents": stories.get(value.number, []), "number": numbers.get(value.number),
                "title": value.title, "outlet": value.outlet, "published": value.published}
    if isinstance(value, Markup):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item, stories, numbers) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item, stories, numbers) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(getattr(value, name), stories, numbers) for name in _data_fields(type(value))}
    return value


_AS_THEY_ARE = frozenset({str, int, float, bool})  # JSON as they are (not their subclasses: Markup is one)


@functools.cache
def _data_fields(kind: type) -> tuple[str, ...]:
    """The fields of a view dataclass the export holds (drawings left out), in their order."""
    return tuple(field.name for field in dataclasses.fields(kind) if field.name not in _DRAWINGS)
