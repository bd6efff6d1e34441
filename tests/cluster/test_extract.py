"""Extraction on a Dask cluster: the facts of one process, in order; failures reported; a cluster that cannot
be used named in one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from distributed import Client

from briefgen.errors import BriefgenError
from briefgen.extract import Extractor
from briefgen.extract import cluster as on_cluster
from briefgen.extract.cluster import WorkerIdentity, client_identity, extract_batch, extract_on_cluster
from briefgen.extract.keys import gazetteer_digest
from briefgen.facts import Document
from briefgen.ingest import find_sources, read_sources
from tests.extract.conftest import gazetteer
from tests.extract.prose import prose
from tests.projects import run

REPO = Path(__file__).resolve().parents[2]
BLOCKED_WORKER = Path(__file__).with_name("blocked_worker.py")


def _documents() -> list[Document]:
    """The example project's sources among generated reports: more documents than one task holds."""
    generated = [Document(id=f"g{n}", path=f"g{n}.txt", text=prose(2500, seed=200 + n), published="2025-04-20")
                 for n in range(5)]
    generated[2:2] = read_sources(find_sources(REPO, ["sources/*"]), REPO).documents
    return generated


@pytest.fixture(scope="module")
def in_process() -> Extractor:
    return Extractor(gazetteer())


def test_cluster_gives_the_facts_of_one_process(scheduler: str, in_process: Extractor) -> None:
    documents = _documents()
    alone = list(in_process.extract(documents, processes=1))
    spread = list(extract_on_cluster(gazetteer(), documents, scheduler=scheduler, workers=None, on_failure=None))
    assert [facts.doc for facts in spread] == [document.id for document in documents]
    assert spread == alone
    assert sum(len(facts.events) for facts in spread) > 0


def test_a_failed_document_is_reported_and_skipped(scheduler: str) -> None:
    documents = _documents()[:7]
    documents[5].published = 20250420  # type: ignore[assignment]  # not a string: the date parser raises
    reported: list[tuple[str, str]] = []
    facts = list(extract_on_cluster(gazetteer(), documents, scheduler=scheduler, workers=None,
                                    on_failure=lambda document, why: reported.append((document.id, why))))
    assert [f.doc for f in facts] == [d.id for n, d in enumerate(documents) if n != 5]
    assert len(reported) == 1 and reported[0][0] == documents[5].id
    assert reported[0][1].startswith("extraction failed: TypeError: ") and "\n" not in reported[0][1]
    with pytest.raises(TypeError):  # without on_failure the document's error propagates, as in one process
        list(extract_on_cluster(gazetteer(), documents, scheduler=scheduler, workers=None, on_failure=None))


def test_a_worker_running_another_briefgen_is_refused(scheduler: str) -> None:
    other = WorkerIdentity("0.0.1", "1", client_identity().model)
    given = gazetteer()
    with Client(scheduler, set_as_default=False) as client:
        future = client.submit(extract_batch, given, gazetteer_digest(given) + "-other", other,
                               _documents()[:1], True, pure=False)
        with pytest.raises(BriefgenError) as raised:
            future.result()
    message = str(raised.value)
    assert message.startswith("Dask worker tcp://127.0.0.1:") and "\n" not in message
    assert "the build needs briefgen 0.0.1 (extractor 1," in message


def test_a_scheduler_without_workers_is_named(idle_scheduler: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(on_cluster, "WORKERS_WAIT_SECONDS", 1.0)
    with pytest.raises(BriefgenError, match=r"has no workers \(waited 1 s\); start 'dask worker tcp://"):
        list(extract_on_cluster(gazetteer(), _documents()[:1], scheduler=idle_scheduler, workers=None,
                                on_failure=None))


def test_a_worker_without_briefgen_is_one_line(idle_scheduler: str) -> None:
    worker = subprocess.Popen([sys.executable, str(BLOCKED_WORKER), idle_scheduler], cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with Client(idle_scheduler, set_as_default=False) as client:
            client.wait_for_workers(1, timeout=60)
        with pytest.raises(BriefgenError) as raised:
            list(extract_on_cluster(gazetteer(), _documents()[:1], scheduler=idle_scheduler, workers=None,
                                    on_failure=lambda document, why: None))
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    message = str(raised.value)
    assert "No module named 'briefgen'" in message and "\n" not in message
    assert message.endswith("install briefgen 0.1.0 with its spaCy model on every worker")


def test_no_documents_start_nothing() -> None:
    assert list(extract_on_cluster(gazetteer(), [], scheduler=None, workers=2, on_failure=None)) == []


def test_extract_command_on_a_scheduler_prints_the_facts_of_one_process(scheduler: str) -> None:
    files = [str(path) for path in find_sources(REPO, ["sources/*"])[:2]]
    given = ["--gazetteer", str(REPO / "config/gazetteer.yaml"), *files]
    alone = run("extract", *given)
    spread = run("extract", "--scheduler", scheduler, *given)
    assert alone.exit_code == 0 and spread.exit_code == 0, spread.output
    assert json.loads(spread.stdout) == json.loads(alone.stdout)
