"""Fixtures shared by every test: the repository's example project and the shared corpus."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.postgres import SERVER_USER, PostgresServer, StoreBackend, find_binaries, server_user_exists
from tests.servers import Collector, free_port

REPO = Path(__file__).resolve().parents[1]
SHARED_CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture
def example_project(tmp_path: Path) -> Path:
    """A fresh copy of the repository's example project."""
    return copy_example(tmp_path / "project")


def copy_example(target: Path) -> Path:
    """Copy the example project's config, sources and templates into `target`."""
    for folder in ("config", "sources", "templates", "static"):
        shutil.copytree(REPO / folder, target / folder)
    return target


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus of real articles; tests using it skip when it is absent."""
    if not (SHARED_CORPUS / "corpus.yaml").is_file():
        pytest.skip("../shared/corpus is not present")
    return SHARED_CORPUS


@pytest.fixture
def server() -> Iterator[tuple[Collector, int]]:
    """A plain SMTP server (no AUTH)."""
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the session (role `analyst`, its password in the PGPASSFILE it sets)."""
    binaries = find_binaries()
    if binaries is None:
        pytest.skip("PostgreSQL is not installed (Debian: apt-get install postgresql); PostgreSQL store tests skip")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (pip install -e '.[test]'); PostgreSQL store tests skip")
    if os.geteuid() == 0 and not server_user_exists():
        pytest.skip(f"PostgreSQL refuses to run as root and there is no '{SERVER_USER}' user to run it as; "
                    "PostgreSQL store tests skip")
    server = PostgresServer(binaries)
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    previous = os.environ.get("PGPASSFILE")
    os.environ["PGPASSFILE"] = str(server.passfile)
    yield server
    if previous is None:
        os.environ.pop("PGPASSFILE", None)
    else:
        os.environ["PGPASSFILE"] = previous
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_backend(request: pytest.FixtureRequest) -> Iterator[StoreBackend]:
    """Each test that takes it runs twice: on a SQLite file, and on a fresh database of a real PostgreSQL server."""
    if request.param == "sqlite":
        yield StoreBackend("sqlite", "briefgen.db")
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    name = server.create_database()
    backend = StoreBackend("postgresql", server.url(name), server, name)
    yield backend
    backend.drop()
