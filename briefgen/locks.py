"""Per-brief locks shared by every process that builds or delivers a project's briefs.

A lock is a file under PROJECT/.briefgen/locks taken with fcntl.flock. The operating system
releases it when the holding process ends, however it ends, so a crash never leaves a brief locked.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from briefgen.errors import BriefgenError


class LockHeldError(BriefgenError):
    """Another process holds the lock."""


def lock_folder(root: Path) -> Path:
    """Where a project's locks live: PROJECT/.briefgen/locks."""
    return root / ".briefgen" / "locks"


class RunLock:
    """An exclusive lock on one name (a brief, or a brief's editions) in a lock folder.

    The file itself stays after release (removing it would race with the next taker).
    A second RunLock on the same name blocks even in the same process: flock locks belong to
    the open file, not to the process.
    """

    def __init__(self, folder: Path, brief: str, suffix: str = "") -> None:
        self.path = folder / f"{brief}{suffix}.lock"
        self.brief = brief
        self._fd: int | None = None

    def acquire(self, wait: bool = False) -> bool:
        """Take the lock; without `wait`, return False at once when another holder has it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        """Give the lock up (closing the file releases it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._fd is not None

    def holder(self) -> str:
        """The process id written by the last holder, for messages."""
        try:
            return self.path.read_text(encoding="ascii").strip() or "unknown"
        except OSError:
            return "unknown"

    @contextmanager
    def waiting(self) -> Iterator[RunLock]:
        """Hold the lock for a block, waiting for another holder to give it up."""
        self.acquire(wait=True)
        try:
            yield self
        finally:
            self.release()

    def __enter__(self) -> RunLock:
        if not self.acquire():
            raise LockHeldError(f"brief '{self.brief}' is already being built by process {self.holder()} "
                                f"(lock {self.path})")
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
