"""`briefgen build --workers N | --scheduler ADDRESS`: the brief and the stored facts of an in-process build,
no spaCy model in the building process, and one line for options or a scheduler that cannot be used."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from pathlib import Path

import dask
import pytest

from briefgen.extract.model import verified_model_path
from briefgen.project import load_project
from briefgen.store import FactStore
from tests.projects import build, make_project
from tests.servers import free_port

REPO = Path(__file__).resolve().parents[2]


def _stored(root: Path) -> list[object]:
    project = load_project(root)
    with FactStore(project.store_location) as store:
        return sorted(store.facts(store.extractions()), key=lambda facts: facts.doc)


def test_build_on_a_local_cluster_stores_the_facts_of_an_in_process_build(tmp_path: Path) -> None:
    on_cluster, in_process = make_project(tmp_path / "cluster"), make_project(tmp_path / "alone")
    model_loads = verified_model_path.cache_info()
    result = build(on_cluster, "--workers", "2", "--format", "html")
    assert result.exit_code == 0, result.output
    assert verified_model_path.cache_info() == model_loads  # the workers loaded the model, not this process
    assert not multiprocessing.active_children()  # the LocalCluster was closed with its workers
    assert "(2 extracted, 0 unchanged, 0 skipped)" in result.stderr
    assert (on_cluster / "output/desk/latest/analyst.html").is_file(), result.output
    assert build(in_process, "--format", "html").exit_code == 0
    stored = _stored(on_cluster)
    assert len(stored) == 2 and stored == _stored(in_process)


def test_an_unreachable_scheduler_is_one_line(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    address = f"tcp://127.0.0.1:{free_port()}"
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        result = build(root, "--scheduler", address, "--format", "html")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: --scheduler: cannot reach the Dask scheduler at {address} (")
    assert "Traceback" not in result.output
    assert not (root / "output").exists()


@pytest.mark.parametrize(("options", "message"), [
    (["--workers", "0"], "--workers: 0 is not a number of worker processes; give 1 or more"),
    (["--scheduler", "10.0.0.5:8786"], "--scheduler: '10.0.0.5:8786' does not start with tcp:// or tls://"),
    (["--scheduler", "tcp://10.0.0.5"], "--scheduler: 'tcp://10.0.0.5' names no port"),
    (["--scheduler", "tcp://10.0.0.5:port"], "--scheduler: 'tcp://10.0.0.5:port' has no valid port"),
    (["--scheduler", "tcp://:8786"], "--scheduler: 'tcp://:8786' names no host"),
    (["--scheduler", "tcp://10.0.0.5:8786", "--workers", "2"], "--scheduler and --workers exclude each other"),
])
def test_cluster_options_are_checked_first(tmp_path: Path, options: list[str], message: str) -> None:
    root = make_project(tmp_path / "project")
    result = build(root, *options)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {message}"), result.stderr
    assert not (root / "output").exists() and not (root / "briefgen.db").exists()


def test_briefgen_imports_no_dask_until_a_cluster_is_asked_for() -> None:
    probe = ("import sys, briefgen.build, briefgen.cli, briefgen.extract.cluster; "
             "print(sorted(name for name in ('dask', 'distributed') if name in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=True)
    assert done.stdout.strip() == "[]"
