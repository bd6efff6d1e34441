"""What an edition depends on, as one digest: a build whose digest equals the latest edition's makes none.

An edition is made from its build date, the audiences and formats asked for, the documents inside the
brief's window (their metadata and what their facts were extracted with), the project's configuration
(every file under config/, which holds the brief, the audiences, the gazetteer, judgments, outlook
and the corrections), its templates and static files, and briefgen itself (its code, templates and
styles). When none of these changed since the latest edition, building again would render the same
brief: the build says so and makes no new edition (`briefgen build --force` makes one anyway).

The digest errs towards building: any change to any of those files counts, even one that would not
change this brief.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from briefgen.facts import Document
from briefgen.store import ExtractionKey

_PACKAGE = Path(__file__).resolve().parent
_DOCUMENT_FIELDS = ("id", "path", "title", "published", "url", "outlet", "releasable", "language", "grade",
                    "fetched")


def edition_inputs(*, root: Path, build_date: dt.date, audiences: list[str], formats: Iterable[str],
                   documents: list[Document], keys: dict[str, ExtractionKey], folders: Iterable[Path],
                   files: Iterable[Path]) -> str:
    """The digest of everything one edition is made from (see the module docstring).

    `keys` holds each document's extraction key by id; `folders` and `files` are the project's
    configuration, templates and static files (a missing one counts as missing), named relative to the
    project `root`, so that copies of one project in other folders agree."""
    digest = hashlib.sha256()
    _add(digest, "date", build_date.isoformat())
    _add(digest, "audiences", sorted(audiences))
    _add(digest, "formats", sorted(formats))
    for document in sorted(documents, key=lambda item: item.id):
        key = keys.get(document.id)
        _add(digest, "document", [getattr(document, name) for name in _DOCUMENT_FIELDS],
             dataclasses.astuple(key) if key else None)
    for path in sorted(set(files) | {file for folder in folders for file in _files_under(folder)}):
        _add(digest, "file", _relative(path, root), _file_digest(path))
    _add(digest, "briefgen", package_digest())
    return digest.hexdigest()[:32]


@cache
def package_digest() -> str:
    """A digest of briefgen's own code, templates and styles (computed once a process)."""
    digest = hashlib.sha256()
    for path in sorted(_files_under(_PACKAGE)):
        if path.suffix in (".py", ".html", ".css", ".j2", ".svg", ".json", ".yaml", ".txt", ".md"):
            _add(digest, str(path.relative_to(_PACKAGE)), _file_digest(path))
    return digest.hexdigest()


def _files_under(folder: Path) -> list[Path]:
    """The files of a folder and its subfolders, by path; hidden ones and caches aside."""
    found = []
    for directory, subfolders, names in os.walk(folder):
        subfolders[:] = [name for name in subfolders if not name.startswith(".") and name != "__pycache__"]
        found += [Path(directory, name) for name in names if not name.startswith(".")]
    return found


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _file_digest(path: Path) -> str | None:
    """The digest of a file's bytes; of a link, its target as written: a link is never followed, so nothing
    outside the project is read (rendering refuses such links too)."""
    try:
        if path.is_symlink():
            return f"link {os.readlink(path)}"
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _add(digest: hashlib._Hash, *parts: object) -> None:
    digest.update(json.dumps(parts, default=str).encode() + b"\n")
