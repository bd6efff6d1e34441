"""Extraction on a Dask cluster (dask.distributed): on the workers of a running scheduler, or of a
LocalCluster started for the occasion and closed at the end.

    for facts in extract_on_cluster(gazetteer, documents, scheduler="tcp://10.0.0.5:8786", workers=None,
                                    on_failure=report):
        ...

The contract of `extract_in_workers` (workers.py): the facts of each document in document order, a
failure reported through `on_failure` with a one-line reason. Each task carries a few documents; a
worker builds its Extractor once per gazetteer (cached by the gazetteer's digest, which the client
scatters to the workers once per run), runs the parse and the fact rules and sends back facts, never
parsed Docs. The client keeps a bounded window of tasks in flight and re-orders what completes, so
it never holds every result at once.

The client loads no spaCy model and imports dask only when a cluster is asked for (install the
`cluster` extra). A worker must run the same briefgen (extractor version) with the same model as the
client, since the store keys facts by both: a worker that differs, lacks briefgen or lacks the model
fails the run with one line naming it.
"""

from __future__ import annotations

import collections
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit

from briefgen import __version__
from briefgen.config import Gazetteer
from briefgen.errors import BriefgenError
from briefgen.extract.workers import TASK_DOCUMENTS, extract_with
from briefgen.facts import Document, DocumentFacts

if TYPE_CHECKING:
    from distributed import Client, Future

    from briefgen.extract import Extractor

SCHEMES = ("tcp", "tls")
INSTALL = "pip install 'briefgen[cluster]'"
IN_FLIGHT_PER_THREAD = 2  # tasks submitted per worker thread: the client never holds every result at once
WORKERS_WAIT_SECONDS = 60.0  # how long a scheduler may have no worker before the build gives up
EXTRACTORS_KEPT = 2  # per worker process: a long-lived worker serving several projects keeps two models

# A LocalCluster's scheduler: no dashboard, and its HTTP endpoints (health, metrics) on a free port of
# 127.0.0.1 rather than 8787 (taken when another cluster runs: Dask then warns on stderr).
LOCAL_SCHEDULER = {"dashboard": False, "dashboard_address": "127.0.0.1:0"}
_INSTALL_ON_WORKERS = f"install briefgen {__version__} with its spaCy model on every worker"

_extractors: collections.OrderedDict[str, Extractor] = collections.OrderedDict()
_extractors_lock = threading.Lock()  # a worker given several threads still runs one extraction at a time


class WorkerIdentity(NamedTuple):
    """What a worker's facts depend on besides the gazetteer: it must match the client's."""

    briefgen: str
    extractor: str
    model: str


def check_cluster_options(scheduler: str | None, workers: int | None) -> None:
    """Raise a BriefgenError naming the option when the cluster options cannot be used."""
    if scheduler is not None and workers is not None:
        raise BriefgenError("--scheduler and --workers exclude each other: --scheduler uses the workers "
                            "already connected to that scheduler; --workers starts that many on this machine")
    if workers is not None and workers < 1:
        raise BriefgenError(f"--workers: {workers} is not a number of worker processes; give 1 or more")
    if scheduler is not None:
        problem = _address_problem(scheduler)
        if problem:
            raise BriefgenError(f"--scheduler: '{scheduler}' {problem}; expected tcp://HOST:PORT, "
                                "e.g. tcp://10.0.0.5:8786")


def _address_problem(address: str) -> str | None:
    """What is wrong with a scheduler address, or None."""
    try:
        parts = urlsplit(address)
        port = parts.port
    except ValueError:
        return "has no valid port"
    if parts.scheme not in SCHEMES:
        return f"does not start with {' or '.join(f'{scheme}://' for scheme in SCHEMES)}"
    if not parts.hostname:
        return "names no host"
    if port is None:
        return "names no port"
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return "has more than a host and a port"
    return None


def extract_on_cluster(
    gazetteer: Gazetteer,
    documents: list[Document],
    *,
    scheduler: str | None,
    workers: int | None,
    on_failure: Callable[[Document, str], None] | None,
) -> Iterator[DocumentFacts]:
    """The facts of each document in order, extracted on the Dask scheduler at `scheduler`, else on a
    LocalCluster of `workers` single-threaded worker processes (closed at the end). With `on_failure`,
    a document whose extraction fails is reported through it and skipped; without it, the error
    propagates. A cluster that cannot be reached or used raises a one-line BriefgenError."""
    check_cluster_options(scheduler, workers)
    tasks = [documents[i : i + TASK_DOCUMENTS] for i in range(0, len(documents), TASK_DOCUMENTS)]
    if not tasks:
        return
    identity = client_identity()
    with connected(scheduler, workers or 1) as client:
        gazetteer_data = _scattered(client, gazetteer)
        digest = _gazetteer_digest(gazetteer)
        run = uuid.uuid4().hex[:12]

        def submit(index: int, task: list[Document]) -> Future:
            return client.submit(extract_batch, gazetteer_data, digest, identity, task, on_failure is not None,
                                 key=f"briefgen-extract-{run}-{index}", pure=False, retries=0)

        window = max(1, _threads(client)) * IN_FLIGHT_PER_THREAD
        for task, results in _in_order(client, tasks, submit, window, on_failure is not None):
            for document, result in zip(task, results, strict=True):
                if isinstance(result, str):
                    on_failure(document, result)  # type: ignore[misc]  # a reason is only sent back to one
                else:
                    yield result


def _scattered(client: Client, gazetteer: Gazetteer) -> Future:
    """The gazetteer, sent once to every worker; a worker that cannot unpickle it lacks briefgen."""
    try:
        return client.scatter(gazetteer, broadcast=True, hash=False)
    except Exception as error:  # the scheduler relays a worker's failure as a bare Exception of its text
        raise BriefgenError(f"a Dask worker cannot take briefgen's gazetteer ({_one_line(error)}); "
                            f"{_INSTALL_ON_WORKERS}") from None


def _in_order(
    client: Client,
    tasks: list[list[Document]],
    submit: Callable[[int, list[Document]], Future],
    window: int,
    isolate: bool,
) -> Iterator[tuple[list[Document], list[DocumentFacts | str]]]:
    """Each task with its results, in task order; at most `window` tasks submitted and not yet given back."""
    from distributed import as_completed

    completed = as_completed(loop=client.loop)
    index_of: dict[str, int] = {}
    done: dict[int, list[DocumentFacts | str]] = {}
    submitted = given = 0
    while True:
        while submitted < len(tasks) and submitted < given + window:
            future = submit(submitted, tasks[submitted])
            index_of[str(future.key)] = submitted
            completed.add(future)
            submitted += 1
        if given == len(tasks):
            return
        future = next(completed)
        done[index_of.pop(str(future.key))] = _result(future, isolate)
        while given in done:
            yield tasks[given], done.pop(given)
            given += 1


def _result(future: Future, isolate: bool) -> list[DocumentFacts | str]:
    """A task's results; a failure of the cluster, or of a worker's set-up, as a one-line BriefgenError.
    When not `isolate`, a document's own error propagates as it was raised."""
    from distributed.scheduler import KilledWorker

    try:
        results: list[DocumentFacts | str] = future.result()
        return results
    except BriefgenError:
        raise
    except ImportError as error:  # the worker could not unpickle the task: no briefgen, or another one
        raise BriefgenError(f"a Dask worker cannot run briefgen's extraction ({_one_line(error)}); "
                            f"{_INSTALL_ON_WORKERS}") from None
    except (KilledWorker, CancelledError, OSError) as error:
        raise BriefgenError(f"extraction on the Dask cluster failed: {_one_line(error)}") from None
    except Exception as error:
        if not isolate:
            raise
        raise BriefgenError(f"extraction on the Dask cluster failed: {_one_line(error)}") from None


@contextmanager
def connected(scheduler: str | None, workers: int) -> Iterator[Client]:
    """A client of the scheduler at `scheduler` (once a worker is connected to it), else of a new
    LocalCluster of `workers` worker processes on this machine; closed, with that cluster, on leaving."""
    distributed = _distributed()
    if scheduler is None:
        with _local_cluster(workers) as cluster, distributed.Client(cluster, set_as_default=False) as client:
            yield client
        return
    try:
        client = distributed.Client(scheduler, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise BriefgenError(f"--scheduler: cannot reach the Dask scheduler at {scheduler} ({_one_line(error)}); "
                            "is 'dask scheduler' running there, and is its port open to this machine?") from None
    with client:
        try:
            client.wait_for_workers(1, timeout=WORKERS_WAIT_SECONDS)
        except TimeoutError:
            raise BriefgenError(f"--scheduler: the Dask scheduler at {scheduler} has no workers (waited "
                                f"{WORKERS_WAIT_SECONDS:.0f} s); start 'dask worker {scheduler} --nworkers 1 "
                                "--nthreads 1' on each machine") from None
        yield client


@contextmanager
def _local_cluster(workers: int) -> Iterator[Any]:
    """A LocalCluster of `workers` single-threaded worker processes on 127.0.0.1, without a dashboard."""
    from distributed import LocalCluster

    try:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               scheduler_port=0, dashboard_address=None, scheduler_kwargs=LOCAL_SCHEDULER,
                               silence_logs=logging.ERROR)
    except (OSError, RuntimeError, TimeoutError) as error:  # "Nanny failed to start", no free port, no memory
        raise BriefgenError(f"--workers: could not start a Dask LocalCluster of {workers} worker processes: "
                            f"{_one_line(error)}") from None
    try:
        yield cluster
    finally:
        cluster.close()


def _distributed() -> Any:
    """The dask.distributed module, or a BriefgenError saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise BriefgenError(f"extraction on a Dask cluster needs dask.distributed, which is not installed: "
                            f"{INSTALL}") from None
    return distributed


def _threads(client: Client) -> int:
    """The worker threads connected to the client's scheduler now."""
    return sum(worker.get("nthreads", 1) for worker in client.scheduler_info(n_workers=-1)["workers"].values())


def client_identity() -> WorkerIdentity:
    """This process's briefgen, extractor version and model: what every worker must match."""
    from briefgen.extract import EXTRACTOR_VERSION
    from briefgen.extract.keys import model_identity

    return WorkerIdentity(__version__, EXTRACTOR_VERSION, model_identity())


def _gazetteer_digest(gazetteer: Gazetteer) -> str:
    from briefgen.extract.keys import gazetteer_digest

    return gazetteer_digest(gazetteer)


def extract_batch(gazetteer: Gazetteer, digest: str, identity: WorkerIdentity, documents: list[Document],
                  isolate: bool) -> list[DocumentFacts | str]:
    """On a worker: for each document, its facts or (when `isolate`) the reason its extraction failed."""
    with _extractors_lock:
        return extract_with(_extractor_for(gazetteer, digest, identity), documents, isolate)


def _extractor_for(gazetteer: Gazetteer, digest: str, identity: WorkerIdentity) -> Extractor:
    """This worker's Extractor for the gazetteer with `digest`, built on first use."""
    if digest in _extractors:
        _extractors.move_to_end(digest)
        return _extractors[digest]
    mine = client_identity()
    if mine != identity:
        raise BriefgenError(f"Dask worker {_worker_address()} runs briefgen {mine.briefgen} (extractor "
                            f"{mine.extractor}, model {mine.model}), the build needs briefgen {identity.briefgen} "
                            f"(extractor {identity.extractor}, model {identity.model}); install the same "
                            "briefgen and model on every worker")
    extractor = _new_extractor(gazetteer)
    _extractors[digest] = extractor
    while len(_extractors) > EXTRACTORS_KEPT:
        _extractors.popitem(last=False)
    return extractor


def _new_extractor(gazetteer: Gazetteer) -> Extractor:
    """An Extractor with the town index ready, or a BriefgenError naming this worker."""
    try:
        from briefgen.extract import Extractor
        from briefgen.extract.world import prepare_town_index

        prepare_town_index()  # once per machine: a worker on another machine builds its own
        return Extractor(gazetteer)
    except BriefgenError as error:
        raise BriefgenError(f"Dask worker {_worker_address()}: {_one_line(error)}") from None
    except Exception as error:
        raise BriefgenError(f"Dask worker {_worker_address()} cannot load briefgen's extractor: "
                            f"{type(error).__name__}: {_one_line(error)}") from None


def _worker_address() -> str:
    """The address of the Dask worker running this code."""
    from distributed import get_worker

    try:
        return str(get_worker().address)
    except ValueError:  # not in a worker
        return "(none)"


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
