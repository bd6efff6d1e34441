"""Fixtures shared by every test: the repository's example project and the shared corpus."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

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
