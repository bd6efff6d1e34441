"""A team on one store: two analysts' copies of a project, on two "machines" that share nothing but a real
PostgreSQL store, build at the same moment, twice. Nothing is lost and nothing is duplicated: every edition
has its own number, every document and fact is stored once, every run is recorded."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.editions import MANIFEST, Editions, Runs
from briefgen.store import FactStore
from tests.postgres import PostgresServer
from tests.projects import BRIEF, make_project

TABLES = ("documents", "facts", "provenance", "sentences")


def _build_at_once(projects: list[Path]) -> list[str]:
    """`briefgen build` in each project, all started together, each in a process of its own."""
    processes = [subprocess.Popen([sys.executable, "-m", "briefgen", "build", "--force", "--format", "html",
                                   "--project", str(project)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                 for project in projects]
    outputs = [process.communicate(timeout=300)[0].decode("utf-8", "replace") for process in processes]
    assert [process.returncode for process in processes] == [0] * len(processes), outputs
    return outputs


def _counts(url: str) -> dict[str, int]:
    with FactStore(url) as store:
        return {table: store.connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in TABLES}


def _folder_numbers(project: Path) -> dict[str, int]:
    return {path.parent.name: json.loads(path.read_text())["number"]
            for path in (project / "output" / BRIEF).glob(f"*/{MANIFEST}") if not path.parent.is_symlink()}


@pytest.fixture
def team(postgres: PostgresServer, tmp_path: Path) -> tuple[str, list[Path]]:
    database = postgres.create_database()
    url = postgres.url(database)
    first = make_project(tmp_path / "analyst-1" / "project", settings_extra=f"store: {url}\n")
    second = tmp_path / "analyst-2" / "project"
    shutil.copytree(first, second)
    yield url, [first, second]
    postgres.drop_database(database)


def test_two_analysts_building_at_once_on_one_postgresql_store_lose_and_duplicate_nothing(
        team: tuple[str, list[Path]], postgres: PostgresServer, tmp_path: Path) -> None:
    url, projects = team
    _build_at_once(projects)
    _build_at_once(projects)

    with FactStore(url) as store:
        editions = Editions(store).all(BRIEF)
        runs = Runs(store).recent(BRIEF)
        documents = store.documents()
    assert [edition.number for edition in editions] == [1, 2, 3, 4]
    assert len({edition.folder for edition in editions}) == 4
    assert sorted((run.status, run.edition) for run in runs) == [("succeeded", number) for number in (1, 2, 3, 4)]
    assert len(documents) == len({document.id for document in documents}) == 2
    first, second = (_folder_numbers(project) for project in projects)
    assert len(first) == len(second) == 2 and sorted([*first.values(), *second.values()]) == [1, 2, 3, 4]
    assert {edition.folder: edition.number for edition in editions} == first | second

    alone = postgres.create_database()  # the same project built once, by one analyst: what the store should hold
    try:
        single = make_project(tmp_path / "alone", settings_extra=f"store: {postgres.url(alone)}\n")
        _build_at_once([single])
        assert _counts(url) == _counts(postgres.url(alone))
    finally:
        postgres.drop_database(alone)
