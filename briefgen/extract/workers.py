"""Extraction over briefgen's own worker processes, which never outlive the process that started them.

Each worker builds its Extractor once (from the gazetteer, which pickles), takes batches of
Documents and sends back their DocumentFacts: the fact rules run in the workers too, and no parsed
Doc crosses a process boundary.

Start method: "spawn". Forking the calling process would be fastest (its model is loaded already),
but that process may have threads (the scheduler runs builds in threads; OpenBLAS, under spaCy,
keeps a thread pool), and a fork copies locks another thread may hold, so a child can deadlock.
"forkserver" forks workers from a clean server process that can import spaCy once, but that server
stays alive as long as any process it forked (each holds its "alive" pipe), so a worker whose parent
is the server would never learn that the process that started the pool is gone. A spawned worker is
a fresh interpreter and a child of the process that starts the pool: it imports spaCy and loads the
model (about 2 s each, measured; the two workers do it at the same time).

A worker asks Linux to send it SIGTERM when its parent dies (prctl PR_SET_PDEATHSIG), so it ends
even when the process that started it is killed with SIGKILL, and it exits at once if that process
is already gone by the time it has asked. (Linux counts the parent's thread that started the worker:
read the results in the thread that began reading them.) When the caller fails, is interrupted or
stops reading, the pool is shut down and its workers terminated.
"""

from __future__ import annotations

import collections
import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING

from briefgen.config import Gazetteer
from briefgen.facts import Document, DocumentFacts

if TYPE_CHECKING:
    from briefgen.extract.extractor import Extractor

START_METHOD = "spawn"
# Documents per task: small enough to keep both workers busy to the end, large enough that sending
# a task costs nothing next to extracting it.
TASK_DOCUMENTS = 4
IN_FLIGHT_PER_WORKER = 2  # tasks queued per worker: the parent never holds every result at once
STOP_SECONDS = 5.0
_PR_SET_PDEATHSIG = 1

_extractor: Extractor | None = None


def extract_in_workers(
    gazetteer: Gazetteer,
    documents: list[Document],
    processes: int,
    on_failure: Callable[[Document, str], None] | None,
) -> Iterator[DocumentFacts]:
    """The facts of each document in order, extracted by `processes` worker processes."""
    tasks = [documents[i : i + TASK_DOCUMENTS] for i in range(0, len(documents), TASK_DOCUMENTS)]
    if not tasks:
        return
    executor = ProcessPoolExecutor(
        max_workers=max(1, min(processes, len(tasks))),
        mp_context=multiprocessing.get_context(START_METHOD),
        initializer=start_worker,
        initargs=(gazetteer, os.getpid()),
    )
    try:
        yield from _results(executor, tasks, processes, on_failure)
    except BaseException:  # an error, KeyboardInterrupt, SystemExit, or the caller closing the generator
        stop(executor)
        raise
    executor.shutdown(wait=True)


def _results(
    executor: ProcessPoolExecutor,
    tasks: list[list[Document]],
    processes: int,
    on_failure: Callable[[Document, str], None] | None,
) -> Iterator[DocumentFacts]:
    """Submit the tasks a few at a time and yield their facts in document order."""
    pending: collections.deque[tuple[list[Document], Future[list[DocumentFacts | str]]]] = collections.deque()
    queue = iter(tasks)
    while True:
        while len(pending) < processes * IN_FLIGHT_PER_WORKER and (task := next(queue, None)) is not None:
            pending.append((task, executor.submit(extract_task, task, on_failure is not None)))
        if not pending:
            return
        task, future = pending.popleft()
        for document, result in zip(task, future.result(), strict=True):
            if isinstance(result, str):
                on_failure(document, result)  # type: ignore[misc]  # a reason is only sent back to one
            else:
                yield result


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


def start_worker(gazetteer: Gazetteer, starter: int) -> None:
    """Worker initializer: die with the parent, leave Ctrl-C to the starter, build the Extractor."""
    die_with_parent()
    if os.getppid() != starter:  # the parent died before it could be asked to end this worker
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the starter stops the pool on Ctrl-C
    from briefgen.extract.extractor import Extractor

    global _extractor
    _extractor = Extractor(gazetteer)


def die_with_parent() -> None:
    """Ask Linux to send this process SIGTERM when its parent process ends (no-op elsewhere)."""
    if sys.platform != "linux":
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")


def extract_task(documents: list[Document], isolate: bool) -> list[DocumentFacts | str]:
    """In a worker: for each document, its facts or (when `isolate`) the reason its extraction failed."""
    assert _extractor is not None, "start_worker has not run"
    return extract_with(_extractor, documents, isolate)


def extract_with(extractor: Extractor, documents: list[Document], isolate: bool) -> list[DocumentFacts | str]:
    """For each document, in this process: its facts or (when `isolate`) the reason its extraction failed."""
    results: list[DocumentFacts | str] = []

    def failed(_document: Document, reason: str) -> None:
        results.append(reason)

    for facts in extractor.extract(documents, processes=1, on_failure=failed if isolate else None):
        results.append(facts)
    return results
