"""Extraction over briefgen's own worker processes, which never outlive the process that started them.

Each worker builds its Extractor once (from the gazetteer, which pickles), takes batches of
Documents and sends back their DocumentFacts: the fact rules run in the workers too, and no parsed
Doc crosses a process boundary.

The pool is briefgen.workerpool's: spawned workers that die with the process that started them and leave
Ctrl-C to it. Each imports spaCy and loads the model (about 2 s each, measured; the two workers do it at the
same time). When the caller has read every result, fails, is interrupted or stops reading, the pool is shut
down and its workers terminated (not waited for as they free spaCy: nothing of theirs is left to keep).
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING

from briefgen.config import Gazetteer
from briefgen.facts import Document, DocumentFacts
from briefgen.workerpool import stop, worker_pool

if TYPE_CHECKING:
    from briefgen.extract.extractor import Extractor

# Documents per task: small enough to keep both workers busy to the end, large enough that sending
# a task costs nothing next to extracting it.
TASK_DOCUMENTS = 4
IN_FLIGHT_PER_WORKER = 2  # tasks queued per worker: the parent never holds every result at once
# Measured with benchmarks/extract_speed.py on 2 cores: a spawned worker needs 6-9 s before its first
# facts (importing spaCy 1.4 s, loading the model 1.2 s, the GeoNames table 3.1 s on an idle machine),
# so two processes are 0.58x as fast as one for 24 documents, 0.97x for 48, 1.22x for 72 and 1.17x for
# 100 (documents of about 3,500 characters; once started, two are 1.5-1.9x as fast as one).
MULTIPROCESS_MIN_DOCUMENTS = 64

_extractor: Extractor | None = None


def extract_in_workers(
    gazetteer: Gazetteer,
    documents: list[Document],
    processes: int,
    on_failure: Callable[[Document, str], None] | None,
) -> Iterator[DocumentFacts]:
    """The facts of each document in order, extracted by `processes` worker processes (started when the first
    facts are asked for)."""
    if not documents:
        return
    with Extraction(gazetteer, documents, processes, on_failure) as extraction:
        yield from extraction


class ExtractorWorker:
    """One worker process loading its Extractor from the moment this is made: started before the caller knows
    which documents, if any, it will extract (while it reads its sources, say), so that spaCy and the model are
    loaded by the time it does. An `Extraction` of one process takes it over; used as a context manager,
    leaving it stops the worker unless one did."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._executor: ProcessPoolExecutor | None = worker_pool(1, load_extractor, (gazetteer,))
        self._executor.submit(_started)  # the pool starts its worker with its first task, not before

    def __enter__(self) -> ExtractorWorker:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop the worker, unless it was taken over (then its taker does)."""
        if (executor := self.take()) is not None:
            stop(executor)

    def take(self) -> ProcessPoolExecutor | None:
        """The worker's pool, now the taker's to shut down; None when it was taken before."""
        executor, self._executor = self._executor, None
        return executor


def _started() -> None:
    """A worker's first task: nothing, once its initializer has loaded the Extractor."""


class Extraction:
    """Documents being extracted by worker processes, started when this is made (the first tasks are sent at
    once), so that the caller may do other work before it reads their facts: iterating gives them in document
    order. Used as a context manager: leaving it before every fact is read, or on an error, stops the workers.
    `started`: a worker already loading the same gazetteer's Extractor, taken over when one process is asked for."""

    def __init__(self, gazetteer: Gazetteer, documents: list[Document], processes: int,
                 on_failure: Callable[[Document, str], None] | None, started: ExtractorWorker | None = None) -> None:
        tasks = [documents[i : i + TASK_DOCUMENTS] for i in range(0, len(documents), TASK_DOCUMENTS)]
        self.processes, self.on_failure = max(1, min(processes, len(tasks))), on_failure
        # A few documents are all sent at once: a caller that reads other things meanwhile finds them all done,
        # not the first two tasks done and the worker idle since.
        self._in_flight = len(tasks) if len(documents) < MULTIPROCESS_MIN_DOCUMENTS else \
            self.processes * IN_FLIGHT_PER_WORKER
        self._queue = iter(tasks)
        self._pending: collections.deque[tuple[list[Document], Future[list[DocumentFacts | str]]]] = \
            collections.deque()
        taken = started.take() if started is not None and self.processes == 1 and started.gazetteer is gazetteer \
            else None
        self._executor = taken or worker_pool(self.processes, load_extractor, (gazetteer,))
        try:
            self._submit()
        except BaseException:
            stop(self._executor)
            raise

    def __enter__(self) -> Extraction:
        return self

    def __exit__(self, *_: object) -> None:
        # finished or not, the workers are ended rather than waited for: a worker's own exit (its interpreter
        # freeing spaCy and the model) takes half a second and saves nothing
        stop(self._executor)

    def __iter__(self) -> Iterator[DocumentFacts]:
        while self._pending:
            task, future = self._pending.popleft()
            for document, result in zip(task, future.result(), strict=True):
                if isinstance(result, str):
                    self.on_failure(document, result)  # type: ignore[misc]  # a reason is only sent back to one
                else:
                    yield result
            self._submit()

    def _submit(self) -> None:
        """Send tasks until each worker has IN_FLIGHT_PER_WORKER (the parent never holds every result of many
        documents at once)."""
        while len(self._pending) < self._in_flight and (task := next(self._queue, None)):
            self._pending.append((task, self._executor.submit(extract_task, task, self.on_failure is not None)))


def load_extractor(gazetteer: Gazetteer) -> None:
    """Worker initializer: build the worker's Extractor."""
    from briefgen.extract.extractor import Extractor

    global _extractor
    _extractor = Extractor(gazetteer)


def extract_task(documents: list[Document], isolate: bool) -> list[DocumentFacts | str]:
    """In a worker: for each document, its facts or (when `isolate`) the reason its extraction failed."""
    assert _extractor is not None, "load_extractor has not run"
    return extract_with(_extractor, documents, isolate)


def extract_with(extractor: Extractor, documents: list[Document], isolate: bool) -> list[DocumentFacts | str]:
    """For each document, in this process: its facts or (when `isolate`) the reason its extraction failed."""
    results: list[DocumentFacts | str] = []

    def failed(_document: Document, reason: str) -> None:
        results.append(reason)

    for facts in extractor.extract(documents, processes=1, on_failure=failed if isolate else None):
        results.append(facts)
    return results
