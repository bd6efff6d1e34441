"""Keeping what a build holds until it ends out of the garbage collector's full scans.

A build reads hundreds of thousands of facts and keeps them, merged and indexed, until it is done. CPython's
cyclic garbage collector looks at every object it tracks in each full collection, and the objects assembly and
layout make trigger one every so often: on a 10,000-source brief each of about twenty full collections scanned
millions of objects that could not be garbage yet, about a second each (benchmarks/scale.py, a +10 build).

`gc.freeze()` moves every object alive at that moment into a generation that collections skip;
`gc.unfreeze()` hands them back. A build marks what it keeps (`keep_alive_now`) inside `kept_until_done()`, and
everything is handed back when the last build of the process leaves it, so a long-running process (`serve`,
the scheduler, whose builds may overlap in threads) frees them as before. Objects freed by their reference count
are freed at once either way: freezing only delays collecting cycles that were alive when it froze them.

Reading a year of facts from the store makes half a million objects that hold no cycles; while they are made,
collections scan them again and again for nothing (half of the read's time). Assembling a brief is alike: what it
makes is mostly kept (indexes and readings the other audiences share) and seldom cyclic garbage, yet its
collections took a sixth of a 10,000-source +10 build. `collection_paused()` turns the collector off for such a
block and back on when the last block of the process that paused it ends.

When the command line's process exits, the interpreter collects once more before it ends: after a 10,000-source
build that walked three million objects for 3.5 s, only to free memory the operating system takes back anyway.
`left_at_exit()` has whatever is alive then left out of that collection.
"""

from __future__ import annotations

import atexit
import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_builds = 0  # how many `kept_until_done` blocks are running in this process
_pauses = 0  # how many `collection_paused` blocks are running in this process
_collecting = True  # whether the collector ran when the first of the running `collection_paused` blocks began
_left_at_exit = False  # whether `left_at_exit` has been asked for in this process


@contextmanager
def kept_until_done() -> Iterator[None]:
    """A block in which `keep_alive_now` marks what is alive as kept; on leaving the last such block of the
    process, the collector takes all of it back."""
    global _builds
    with _lock:
        _builds += 1
    try:
        yield
    finally:
        with _lock:
            _builds -= 1
            if _builds == 0:
                gc.unfreeze()


def keep_alive_now() -> None:
    """Inside `kept_until_done`: leave every object alive now out of full collections until the block ends
    (outside one, nothing)."""
    with _lock:
        if _builds:
            gc.freeze()


@contextmanager
def collection_paused() -> Iterator[None]:
    """A block in which the cyclic garbage collector does not run (for making many objects that hold no cycles);
    it runs again, if it ran before, when the last such block of the process ends."""
    global _pauses, _collecting
    with _lock:
        if _pauses == 0:
            _collecting = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _collecting:
                gc.enable()


@contextmanager
def made_and_kept() -> Iterator[None]:
    """Inside `kept_until_done`: a block that makes many objects the build keeps. The collector is paused while
    they are made (`collection_paused`), and what is alive when the block ends is kept (`keep_alive_now`): the
    first collection after the pause would otherwise scan every object the block made."""
    with collection_paused():
        try:
            yield
        finally:
            keep_alive_now()


def left_at_exit() -> None:
    """Have what is alive when the process exits left to the operating system rather than collected (the
    collector's last full scan); once per process, however often it is asked for. Objects freed by their
    reference count are still freed, and files still closed, as the interpreter ends."""
    global _left_at_exit
    with _lock:
        if not _left_at_exit:
            _left_at_exit = True
            atexit.register(gc.freeze)
