"""A store several processes use at once: created and migrated once, the same documents saved by two processes
stored once, a brief's edition lock seen by every session; on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import multiprocessing
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest

from briefgen.database import StoreLocation
from briefgen.store import SCHEMA_VERSION, FactStore
from tests.postgres import StoreBackend
from tests.store.test_store import KEY, sample

PROCESSES = 4


def _open_and_save(location: StoreLocation, doc_ids: list[str], barrier: Barrier) -> None:
    barrier.wait()  # every process opens the (new) store at the same moment
    with FactStore(location) as store:
        store.save([sample(doc_id) for doc_id in doc_ids], KEY)


def _run_at_once(location: StoreLocation, doc_ids_per_process: list[list[str]]) -> None:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(doc_ids_per_process))
    processes = [context.Process(target=_open_and_save, args=(location, doc_ids, barrier))
                 for doc_ids in doc_ids_per_process]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
    assert [process.exitcode for process in processes] == [0] * len(processes)


def _counts(store: FactStore) -> dict[str, int]:
    return {table: store.connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("documents", "facts", "provenance", "sentences", "meta")}


def test_a_new_store_opened_by_several_processes_at_once_is_created_once(store_backend: StoreBackend,
                                                                         tmp_path: Path) -> None:
    location = store_backend.location(tmp_path)
    _run_at_once(location, [[f"d{number}"] for number in range(PROCESSES)])
    with FactStore(location) as store:
        assert {document.id for document in store.documents()} == {f"d{number}" for number in range(PROCESSES)}
        (version,) = store.connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        assert version == str(SCHEMA_VERSION) and _counts(store)["meta"] == 1


def test_the_same_documents_saved_by_several_processes_at_once_are_stored_once(store_backend: StoreBackend,
                                                                               tmp_path: Path) -> None:
    location = store_backend.location(tmp_path)
    doc_ids = [f"d{number}" for number in range(20)]
    _run_at_once(location, [doc_ids] * PROCESSES)
    with FactStore(location) as store:
        counts = _counts(store)
        assert [document.id for document in store.documents()] == sorted(doc_ids)
        assert store.facts(doc_ids) == [sample(doc_id)[1] for doc_id in doc_ids]
    single = sample()[1]
    assert counts == {"documents": 20, "facts": 20 * 2, "provenance": 20 * 2,
                      "sentences": 20 * len(single.sentences), "meta": 1}


@pytest.fixture
def postgresql_store(store_backend: StoreBackend) -> str:
    if store_backend.kind != "postgresql":
        pytest.skip("a SQLite store's builds queue on the project folder's lock file (tests/editions)")
    return store_backend.setting


def test_a_briefs_lock_on_a_postgresql_store_is_seen_by_every_session_and_dies_with_its_holder(
        postgresql_store: str) -> None:
    first, second = FactStore(postgresql_store), FactStore(postgresql_store)
    try:
        held = first.brief_lock("desk")
        assert held.acquire()
        assert not second.brief_lock("desk").acquire()
        assert second.brief_lock("other-brief").acquire()
        assert second.brief_lock("desk").holder().startswith("briefgen process")
        first.close()  # a holder that dies: the server ends its session and frees the lock
        assert second.brief_lock("desk").acquire(wait=True)
    finally:
        first.close()
        second.close()
