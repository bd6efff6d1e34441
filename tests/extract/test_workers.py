"""Extraction over worker processes: the facts of one process, failures reported, and no worker (extracting,
or reading sources) that outlives the process that started it."""

from __future__ import annotations

import multiprocessing
import os
import select
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from concurrent.futures import wait
from pathlib import Path

import pytest

from briefgen.extract import Extractor
from briefgen.extract.workers import IN_FLIGHT_PER_WORKER, TASK_DOCUMENTS, Extraction, ExtractorWorker
from briefgen.facts import Document
from briefgen.ingest import find_sources, read_sources
from tests.extract.conftest import gazetteer
from tests.extract.prose import prose

REPO = Path(__file__).resolve().parents[2]
CHILD = textwrap.dedent(
    """
    from briefgen.extract import Extractor
    from briefgen.facts import Document
    from tests.extract.conftest import gazetteer
    from tests.extract.prose import prose

    documents = [Document(id=f"d{n}", path=f"d{n}.txt", text=prose(5000, seed=n)) for n in range(28)]
    for number, facts in enumerate(Extractor(gazetteer()).extract(documents, processes=2)):
        print("facts", number, facts.doc, flush=True)
    print("done", flush=True)
    """
)
# Reading sources in worker processes: the starter stops after the first file read, its workers idle.
READING_CHILD = textwrap.dedent(
    """
    import tempfile, time
    from pathlib import Path
    from briefgen.ingest import PARALLEL_FROM, read_sources

    folder = Path(tempfile.mkdtemp())
    paths = [folder / f"s{n}.md" for n in range(2 * PARALLEL_FROM)]
    for path in paths:
        path.write_text("A short source about nothing in particular.", encoding="utf-8")

    def read_one():
        print("facts", flush=True)
        time.sleep(120)

    read_sources(paths, folder, on_read=read_one)
    """
)


def _generated(count: int, published: object = "2025-04-20") -> list[Document]:
    return [
        Document(id=f"g{n}", path=f"g{n}.txt", text=prose(2500, seed=100 + n), published=published)  # type: ignore[arg-type]
        for n in range(count)
    ]


def test_workers_give_the_facts_of_one_process(extractor: Extractor) -> None:
    documents = _generated(9)
    sources = find_sources(REPO, ["sources/*"]) if (REPO / "sources").is_dir() else []
    documents[3:3] = read_sources(sources, REPO).documents if sources else []
    alone = list(extractor.extract(documents, processes=1))
    pooled = list(extractor.extract(documents, processes=2))
    assert [facts.doc for facts in pooled] == [document.id for document in documents]
    assert pooled == alone


def test_failure_in_a_worker_is_reported_or_raised(extractor: Extractor) -> None:
    documents = _generated(6)
    documents[4].published = 20250420  # type: ignore[assignment]  # not a string: the date parser raises
    reported: list[tuple[str, str]] = []
    facts = list(extractor.extract(documents, processes=2, on_failure=lambda d, why: reported.append((d.id, why))))
    assert [f.doc for f in facts] == ["g0", "g1", "g2", "g3", "g5"]
    assert len(reported) == 1 and reported[0][0] == "g4"
    assert reported[0][1].startswith("extraction failed: TypeError: ")
    with pytest.raises(TypeError):
        list(extractor.extract(documents, processes=2))
    assert not multiprocessing.active_children()  # the pool was shut down and its workers ended


def test_a_worker_started_before_its_documents_are_known_extracts_them_as_one_process_does(
        extractor: Extractor) -> None:
    """A worker started ahead (loading spaCy while its starter reads sources) is taken over by the extraction of
    one process: the same facts, and no worker left once it is done."""
    documents = _generated(5)
    with ExtractorWorker(extractor.gazetteer) as ready:
        assert len(multiprocessing.active_children()) == 1  # started now, not when there is a task
        with Extraction(extractor.gazetteer, documents, 1, None, ready) as extraction:
            assert ready.take() is None  # the extraction has it
            pooled = list(extraction)
    assert pooled == list(extractor.extract(documents, processes=1))
    assert not multiprocessing.active_children()


def test_a_few_documents_are_all_extracted_while_their_caller_reads_nothing(extractor: Extractor) -> None:
    """A few documents go to the worker at once (of many, two tasks a worker at a time): a caller that reads its
    stored facts meanwhile finds every one done, not the worker idle after two tasks."""
    documents = _generated(3 * TASK_DOCUMENTS - 1)
    with Extraction(extractor.gazetteer, documents, 1, None) as extraction:
        sent = [future for _, future in extraction._pending]
        assert len(sent) == 3 > IN_FLIGHT_PER_WORKER
        done, _ = wait(sent, timeout=300)
        assert len(done) == 3
        pooled = list(extraction)
    assert pooled == list(extractor.extract(documents, processes=1))


def test_a_worker_started_ahead_and_not_needed_is_stopped() -> None:
    with ExtractorWorker(gazetteer()):
        assert len(multiprocessing.active_children()) == 1
    assert not multiprocessing.active_children()


def test_closing_early_ends_the_workers(extractor: Extractor) -> None:
    results = extractor.extract(_generated(12), processes=2)
    assert next(results).doc == "g0"
    results.close()
    assert not multiprocessing.active_children()


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
@pytest.mark.parametrize("signal_number", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
@pytest.mark.parametrize("starter", [CHILD, READING_CHILD], ids=["extracting", "reading"])
def test_workers_die_with_their_starter(starter: str, signal_number: int) -> None:
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen([sys.executable, "-c", starter], cwd=REPO, stdout=subprocess.PIPE, stderr=errors)
        helpers: dict[int, str] = {}
        try:
            assert _line(child, timeout=120).startswith(b"facts"), _errors(errors)
            helpers = _descendants(child.pid)  # the workers, and multiprocessing's resource tracker
            assert len([pid for pid in helpers if b"spawn_main" in _command(pid)]) == 2, helpers
            child.send_signal(signal_number)
            child.wait(timeout=10)
            deadline = time.monotonic() + 10
            while _alive(helpers) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not _alive(helpers), f"still running after {signal_number.name}: {_alive(helpers)}"
        finally:
            child.kill()
            child.wait()
            for pid in _alive(helpers):
                os.kill(pid, signal.SIGKILL)


def _line(child: subprocess.Popen[bytes], timeout: float) -> bytes:
    """The child's next line of output, or b"" when there is none in time."""
    assert child.stdout is not None
    line = b""
    deadline = time.monotonic() + timeout
    while not line.endswith(b"\n") and time.monotonic() < deadline:
        ready, _, _ = select.select([child.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        byte = os.read(child.stdout.fileno(), 1)
        if not byte:
            break
        line += byte
    return line


def _errors(errors: object) -> str:
    errors.seek(0)  # type: ignore[attr-defined]
    return errors.read().decode(errors="replace")[-3000:]  # type: ignore[attr-defined]


def _stat(pid: int) -> tuple[str, int, str] | None:
    """(state, parent pid, start time) of a process, or None when there is none."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[0], int(fields[1]), fields[19]


def _command(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _descendants(root: int) -> dict[int, str]:
    """Every process below `root`, by pid, with its start time (to tell a reused pid)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            parents[int(entry.name)] = (stat[1], stat[2])
    found: dict[int, str] = {}
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, started) in parents.items():
            if ppid == parent and pid not in found:
                found[pid] = started
                frontier.append(pid)
    return found


def _alive(processes: dict[int, str]) -> list[int]:
    """The pids of those processes still running (a zombie has finished)."""
    alive = []
    for pid, started in processes.items():
        stat = _stat(pid)
        if stat is not None and stat[2] == started and stat[0] != "Z":
            alive.append(pid)
    return alive
