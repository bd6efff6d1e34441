"""kill -9 at random moments of a build and of `schedule once`, and two builds at once: after each, the store
passes PRAGMA integrity_check, the next build succeeds, and editions, runs and links are consistent."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from briefgen.editions import MANIFEST
from tests.fuzz.conftest import TALLY
from tests.projects import BRIEF, make_project

KILLS = 6
SCHEDULE = "schedules:\n  - cron: '* * * * *'\n    timezone: UTC\n    missed: run_once\n    formats: [html]\n"


def briefgen(project: Path, *args: str) -> subprocess.Popen[bytes]:
    """`briefgen ARGS --project PROJECT` in a process of its own."""
    return subprocess.Popen([sys.executable, "-m", "briefgen", *args, "--project", str(project)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def finish(process: subprocess.Popen[bytes], timeout: float = 300) -> tuple[int, str]:
    output, _ = process.communicate(timeout=timeout)
    return process.returncode, output.decode("utf-8", "replace")


def assert_consistent(project: Path) -> None:
    """The store is whole, and the output folder agrees with it after a successful build."""
    with sqlite3.connect(project / "briefgen.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        numbers = [row[0] for row in db.execute("SELECT number FROM editions WHERE brief = ? ORDER BY number",
                                                (BRIEF,))]
        running = db.execute("SELECT COUNT(*) FROM runs WHERE status = 'running'").fetchone()[0]
    assert numbers == list(range(1, len(numbers) + 1)), numbers
    assert running == 0
    brief_dir = project / "output" / BRIEF
    folders = {json.loads(path.read_text())["number"]: path.parent for path in brief_dir.glob(f"*/{MANIFEST}")}
    assert sorted(folders) == numbers
    assert (brief_dir / "latest").resolve() == folders[numbers[-1]].resolve()
    assert not [path.name for path in brief_dir.iterdir() if path.name.startswith(".")]
    index = (brief_dir / "index.html").read_text()
    assert all(f'href="{folder.name}/' in index for folder in folders.values())


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    built = make_project(tmp_path_factory.mktemp("kill") / "project", brief_extra=SCHEDULE)
    code, output = finish(briefgen(built, "build", "--format", "html"))
    assert code == 0, output
    return built


@pytest.mark.parametrize("command", [("build", "--format", "html,pdf"), ("schedule", "once")])
def test_kill_9_at_random_moments(project: Path, command: tuple[str, ...]) -> None:
    chooser = random.Random(20261130)
    for _ in range(KILLS):
        TALLY["inputs"] += 1
        victim = briefgen(project, *command)
        time.sleep(chooser.uniform(0.3, 4.0))
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        code, output = finish(briefgen(project, "build", "--format", "html"))
        crashed = code != 0
        TALLY["crashes"] += int(crashed)
        assert not crashed, output
        assert_consistent(project)
        _state = project / ".briefgen/schedule-state.json"
        if _state.exists():
            json.loads(_state.read_text())  # never half-written


def test_two_builds_at_once_queue_and_take_distinct_numbers(project: Path) -> None:
    for _ in range(3):
        TALLY["inputs"] += 1
        first, second = briefgen(project, "build", "--format", "html"), briefgen(project, "build", "--format", "html")
        results = [finish(first), finish(second)]
        crashed = [output for code, output in results if code != 0]
        TALLY["crashes"] += len(crashed)
        assert not crashed, crashed
        assert_consistent(project)


def running(project: Path, process: subprocess.Popen[bytes], timeout: float = 120) -> bool:
    """Wait until a build's run is recorded as running; False when the process ends first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        with closing(sqlite3.connect(project / "briefgen.db", timeout=10)) as db:
            if db.execute("SELECT COUNT(*) FROM runs WHERE status = 'running'").fetchone()[0]:
                return True
        time.sleep(0.02)
    return False


def test_sigterm_ends_a_build_cleanly(project: Path) -> None:
    TALLY["inputs"] += 1
    victim = briefgen(project, "build", "--force")  # a new edition, whatever the last build made
    # the signal comes while the edition is being made, not as the process exits once it is done (then the
    # interpreter has handed SIGTERM back to the system, which ends the process with it)
    assert running(project, victim), finish(victim)[1]
    victim.send_signal(signal.SIGTERM)
    code, output = finish(victim)
    assert code in (0, 143), output
    assert "Traceback" not in output
    with sqlite3.connect(project / "briefgen.db") as db:
        assert db.execute("SELECT COUNT(*) FROM runs WHERE status = 'running'").fetchone()[0] == 0
    assert os.path.isdir(project / "output" / BRIEF / "latest")
