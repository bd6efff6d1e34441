"""Fixtures: the example project's facts, extracted once per module with the real spaCy pipeline."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefgen.assemble import assemble_brief
from briefgen.assemble.views import BriefView
from briefgen.build import BuildReport, NoProgress, SourcePool, brief_input, brief_pool, gather
from briefgen.project import Project, load_project
from briefgen.store import FactStore
from tests.conftest import copy_example

BRIEF = "iraq-security"
# After the latest source (18 November 2025), before the final withdrawal date (September 2026).
BUILD_DATE = dt.date(2025, 12, 1)


@dataclass
class Example:
    """The example project with its extracted facts, ready to assemble for any audience and date."""

    root: Path
    project: Project
    pool: SourcePool

    def view(self, audience: str = "analyst", build_date: dt.date = BUILD_DATE) -> BriefView:
        """The brief's template context for one audience on one build date."""
        return assemble_brief(brief_input(self.project, BRIEF, audience, self.pool, build_date, 1, None))


def load_example(root: Path) -> Example:
    """Load a project folder and extract (or reuse) the facts of its sources."""
    project = load_project(root)
    with FactStore(project.store_location) as store:
        documents, facts = gather(project, store, [BRIEF], BuildReport(), NoProgress())
    return Example(root, project, brief_pool(project, BRIEF, documents, facts))


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Example:
    """The example project and its facts, shared by a module's tests (do not edit its files)."""
    return load_example(copy_example(tmp_path_factory.mktemp("assemble") / "project"))


@pytest.fixture
def editable(example: Example, tmp_path: Path) -> Path:
    """A copy of the example project a test may edit, with the facts already in its store."""
    root = copy_example(tmp_path / "project")
    shutil.copyfile(example.project.store_location, root / example.project.settings.store)
    return root


def section(view: BriefView, kind: str) -> object:
    """The section of a kind in an assembled brief."""
    return next(item for item in view.sections if getattr(item, "kind", None) == kind)
