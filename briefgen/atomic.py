"""Atomic writes: every file briefgen writes goes to a temporary file beside its target, then one rename.

A reader never sees half a file, and a process killed mid-write leaves the previous version in place.
New files get the usual permissions (0666 less the process's umask, applied by the kernel when the
temporary file is created), never the private 0600 of `tempfile.mkstemp`, and nothing here changes
the process-wide umask.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

_MODE = 0o666


def write_atomically(path: Path, content: bytes | str) -> None:
    """Write `content` (text is written as UTF-8) to `path` through a temporary file and a rename."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    with open_atomically(path) as handle:
        handle.write(data)


@contextmanager
def open_atomically(path: Path) -> Iterator[BinaryIO]:
    """A file to write `path` through piece by piece: a temporary file beside it, renamed into place when the
    block ends without an error (and removed when it raises)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary, descriptor = _create_beside(path)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def copy_atomically(source: Path, target: Path) -> None:
    """Copy `source` to `target` through a temporary file and a rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary, descriptor = _create_beside(target)
    try:
        with os.fdopen(descriptor, "wb") as handle, source.open("rb") as original:
            shutil.copyfileobj(original, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def is_temporary(path: Path) -> bool:
    """True for a temporary file left by a write that was killed before its rename."""
    return path.name.startswith(".") and path.name.endswith(".tmp")


def _create_beside(path: Path) -> tuple[Path, int]:
    """A new, empty temporary file in `path`'s folder (O_EXCL: never an existing file or link)."""
    while True:
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return temporary, os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _MODE)
        except FileExistsError:
            continue
