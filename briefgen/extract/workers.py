"""Extraction over briefgen's own worker processes, which never outlive the process that started them.

Each worker builds its Extractor once (from the gazetteer, which pickles), takes batches of
Documents and sends back their DocumentFacts: the fact rules run in the workers too, and no parsed
Doc crosses a process boundary.

The pool is briefgen.workerpool's: spawned workers that die with the process that started them and leave
Ctrl-C to it. Each imports spaCy and loads the model (about 2 s each, measured; the two workers do it at the
same time). When the caller fails, is interrupted or stops reading, the pool is shut down and its workers
terminated.
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
    executor = worker_pool(max(1, min(processes, len(tasks))), load_extractor, (gazetteer,))
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
