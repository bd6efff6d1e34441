"""Pools of briefgen's own worker processes, which never outlive the process that started them.

Used by every stage that spreads its work over processes (reading sources, extracting facts); it knows
nothing of what the workers do.

Start method: "spawn". Forking the calling process would be fastest (what it has loaded is there already),
but that process may have threads (the scheduler runs builds in threads; OpenBLAS, under spaCy, keeps a
thread pool), and a fork copies locks another thread may hold, so a child can deadlock. "forkserver" forks
workers from a clean server process, but that server stays alive as long as any process it forked (each
holds its "alive" pipe), so a worker whose parent is the server would never learn that the process that
started the pool is gone. A spawned worker is a fresh interpreter and a child of the process that starts
the pool.

A worker asks Linux to send it SIGTERM when its parent dies (prctl PR_SET_PDEATHSIG), so it ends even when
the process that started it is killed with SIGKILL, and it exits at once if that process is already gone by
the time it has asked. (Linux counts the parent's thread that started the worker: read the results in the
thread that began reading them.) Workers ignore Ctrl-C: the starter, which gets it, stops the pool (`stop`).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

START_METHOD = "spawn"
STOP_SECONDS = 5.0
_PR_SET_PDEATHSIG = 1


def worker_pool(processes: int, initializer: Callable[..., object] | None = None,
                initargs: tuple[Any, ...] = ()) -> ProcessPoolExecutor:
    """A pool of `processes` spawned workers that die with this process and leave Ctrl-C to it; each runs
    `initializer(*initargs)` (module-level, so that it pickles) once it has started."""
    return ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context(START_METHOD),
                               initializer=_start_worker, initargs=(os.getpid(), initializer, initargs))


def stop(executor: ProcessPoolExecutor) -> None:
    """Cancel what has not started and terminate the workers, killing any that linger."""
    # The executor has no public way to end its workers before Python 3.14: its process table it is.
    workers = list((getattr(executor, "_processes", None) or {}).values())
    manager = getattr(executor, "_executor_manager_thread", None)
    executor.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        if worker.is_alive():
            worker.terminate()
    for worker in workers:
        worker.join(STOP_SECONDS)
        if worker.is_alive():
            worker.kill()
            worker.join(STOP_SECONDS)
    if manager is not None:  # it reaps the workers too: until it is done, one may still seem alive
        manager.join(STOP_SECONDS)


def die_with_parent() -> None:
    """Ask Linux to send this process SIGTERM when its parent process ends (no-op elsewhere)."""
    if sys.platform != "linux":
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")


def _start_worker(starter: int, initializer: Callable[..., object] | None, initargs: tuple[Any, ...]) -> None:
    """In a new worker: die with the parent, leave Ctrl-C to it, then run the pool's own initializer."""
    die_with_parent()
    if os.getppid() != starter:  # the parent died before it could be asked to end this worker
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)
