"""A copy of the example project with schedules added to its brief."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.project import Project, load_project
from tests.conftest import copy_example

EXAMPLE_SCHEDULE = """
schedules:
  - cron: "0 6 * * MON"
    timezone: Asia/Baghdad
    audiences: [analyst]
    missed: run_once
"""

MakeProject = Callable[[str], Project]


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """A function making a project whose brief 'iraq-security' has the given `schedules:` YAML block."""
    made = 0

    def make(schedules_yaml: str = EXAMPLE_SCHEDULE) -> Project:
        nonlocal made
        made += 1
        root = copy_example(tmp_path / f"project{made}")
        brief = root / "config" / "briefs" / "iraq-security.yaml"
        brief.write_text(brief.read_text(encoding="utf-8") + schedules_yaml, encoding="utf-8")
        return load_project(root)

    return make
