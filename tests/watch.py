"""Watchers for what code under test touches: files it opens (through Python's audit hooks) and
connections to a listener on 127.0.0.1 (a real socket that records every connection attempt)."""

from __future__ import annotations

import os
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_opened: list[str] | None = None
_hooked = False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _opened is not None and event == "open" and args and isinstance(args[0], str | bytes | os.PathLike):
        _opened.append(os.fsdecode(args[0]))


@contextmanager
def file_reads() -> Iterator[list[str]]:
    """Collect the path of every file Python opens inside the block (audit event 'open')."""
    global _opened, _hooked
    if not _hooked:
        sys.addaudithook(_audit)  # hooks cannot be removed; this one records only inside the block
        _hooked = True
    _opened = []
    try:
        yield _opened
    finally:
        _opened = None


def opened_under(paths: list[str], folder: Path) -> list[str]:
    """The opened paths that lie under `folder` (after resolving symlinks)."""
    target = folder.resolve()
    found = []
    for path in paths:
        try:
            if Path(path).resolve().is_relative_to(target):
                found.append(path)
        except (OSError, ValueError):
            continue
    return found


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection; it answers nothing and closes."""

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.2)
        self.port = self._socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            connection.close()

    def close(self) -> None:
        """Stop listening."""
        self._stop.set()
        self._thread.join(timeout=2)
        self._socket.close()
