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
import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import orjson
from markupsafe import Markup

from briefgen.assemble.views import BriefView, Citation, SourceEntry
from briefgen.export import fact_lists
from briefgen.facts import Document, FactSet

_CHUNK = 1 << 20
_BATCH = 2048  # facts written by one call: few calls, and a batch's JSON held at a time only
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


def write_edition_export(given: ExportInput, handle: BinaryIO, path: Path,
                         written: FactsPart | None = None) -> FactsPart:
    """Write the export object as compact JSON (UTF-8) to `handle`, one fact at a time: a year of facts is never
    held as JSON-ready dicts, let alone as one string. The fact lists are copied from the export `written` before
    when it has the same ones (a hundred megabytes of JSON at 10,000 sources, made once, not once an audience).
    Returns where the fact lists lie in `path`, the file `handle` becomes."""
    head, tail = _brief_and_sections(given)
    handle.write(b"{")
    for key, value in head.items():
        handle.write(_json(key) + b":" + _json(value) + b",")
    start = handle.tell()
    if written is not None and written.serves(given):
        _copy_range(written, handle)
    else:
        _write_fact_lists(given, handle)
    part = FactsPart(path, start, handle.tell(), tuple(document.id for document in given.documents), given.facts)
    for key, value in tail.items():
        handle.write(b"," + _json(key) + b":" + _json(value))
    handle.write(b"}")
    return part


def _write_fact_lists(given: ExportInput, handle: BinaryIO) -> None:
    # orjson writes each fact dataclass as it is: a year of facts in a fraction of json's time, _BATCH at a time
    for index, (key, items) in enumerate(fact_lists(given.documents, given.facts)):
        handle.write((b"," if index else b"") + _json(key) + b":[")
        for number, batch in enumerate(_batches(items)):
            handle.write((b"," if number else b"") + orjson.dumps(batch)[1:-1])
        handle.write(b"]")


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
    them, no byte passes through this process; a hundred megabytes of facts at 10,000 sources); how many it
    copied: fewer, down to none, where the system or the file system cannot (the rest is copied by reading)."""
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
        return {field.name: _plain(getattr(value, field.name), stories, numbers)
                for field in dataclasses.fields(value) if field.name not in _DRAWINGS}
    return value
