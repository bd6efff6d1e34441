"""Editions stay consistent whatever happens to a build: killed, run twice at once, or its store replaced."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from lxml import html

from briefgen.editions import Editions, Runs
from briefgen.project import load_project
from briefgen.store import FactStore
from tests.projects import BRIEF, build, make_project, run

MANIFEST = "edition.json"  # each edition folder's own record


def editions(project: Path) -> list[int]:
    with FactStore(load_project(project).store_path) as store:
        return [edition.number for edition in Editions(store).all(BRIEF)]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def test_every_edition_folder_holds_its_own_record(project: Path) -> None:
    assert build(project, "--format", "html").exit_code == 0
    (folder,) = [path for path in (project / "output" / BRIEF).iterdir()
                 if (path / MANIFEST).is_file() and not path.is_symlink()]
    record = json.loads((folder / MANIFEST).read_text())
    assert record["number"] == 1 and record["folder"] == folder.name and record["brief"] == BRIEF
    assert sorted(record["files"]) == ["analyst.html", "public.html"]


def test_a_deleted_store_keeps_edition_numbers_and_the_index(project: Path) -> None:
    for _ in range(2):
        assert build(project, "--format", "html").exit_code == 0
    for path in project.glob("briefgen.db*"):
        path.unlink()
    assert build(project, "--format", "html").exit_code == 0
    assert editions(project) == [1, 2, 3]
    index = html.parse(str(project / "output" / BRIEF / "index.html"))
    folders = {link.split("/")[0] for link in index.xpath('//ol[@class="editions"]//a/@href')}
    assert len(folders) == 3


def test_an_edition_published_but_not_recorded_is_adopted(project: Path) -> None:
    """Killed between the folder's rename and the store's record: the next build records it, then numbers on."""
    assert build(project, "--format", "html").exit_code == 0
    with sqlite3.connect(project / "briefgen.db") as db:
        db.execute("DELETE FROM editions")
    assert build(project, "--format", "html").exit_code == 0
    assert editions(project) == [1, 2]
    latest = (project / "output" / BRIEF / "latest").resolve()
    assert json.loads((latest / MANIFEST).read_text())["number"] == 2


def test_leftovers_of_a_killed_build_are_cleaned(project: Path) -> None:
    assert build(project, "--format", "html").exit_code == 0
    brief_dir = project / "output" / BRIEF
    (brief_dir / ".2031-01-01.partial").mkdir()
    (brief_dir / ".2031-01-01.partial" / "analyst.html").write_text("half")
    (brief_dir / ".index.html.abc123.tmp").write_text("half")
    assert build(project, "--format", "html").exit_code == 0
    assert not [path for path in brief_dir.iterdir() if path.name.startswith(".")]


def test_a_run_left_running_by_a_dead_process_is_marked_failed(project: Path) -> None:
    assert build(project, "--format", "html").exit_code == 0
    with FactStore(project / "briefgen.db") as store:
        dead = Runs(store).start(BRIEF, "manual")
    listed = run("runs", "--project", str(project))
    assert listed.exit_code == 0
    with FactStore(project / "briefgen.db") as store:
        record = Runs(store).get(dead)
    assert record.status == "failed" and record.error is not None and "interrupted" in record.error


def test_a_run_of_a_live_build_is_not_reaped(project: Path) -> None:
    from briefgen.editions import edition_lock

    assert build(project, "--format", "html").exit_code == 0
    lock = edition_lock(project, BRIEF)
    assert lock.acquire()
    try:
        with FactStore(project / "briefgen.db") as store:
            live = Runs(store).start(BRIEF, "manual")
            Runs(store).reap_unlocked(project)
            assert Runs(store).get(live).status == "running"
    finally:
        lock.release()
