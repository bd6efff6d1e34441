"""Edition numbers and the index come from the edition folders' own records (edition.json) as well as the store.

Deleting or replacing briefgen.db never renumbers or hides an edition; the folder's record wins for an
edition it holds; a record that cannot be used is ignored with one warning line, and the build goes on.
On a SQLite store and on a real PostgreSQL server (where deleting the store is dropping its database).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from lxml import html

from briefgen.editions import Editions
from briefgen.project import load_project
from briefgen.store import FactStore
from tests.postgres import StoreBackend
from tests.projects import BRIEF, build, make_project

MANIFEST = "edition.json"


@pytest.fixture
def project(tmp_path: Path, store_backend: StoreBackend) -> Path:
    return make_project(tmp_path / "project", settings_extra=store_backend.settings())


def built(project: Path) -> Result:
    """A build that makes an edition (forced: these tests rebuild with nothing changed)."""
    result = build(project, "--format", "html", "--force")
    assert result.exit_code == 0, result.output
    return result




def warnings_of(result: Result) -> list[str]:
    return [line.removeprefix("warning: ") for line in result.stderr.splitlines() if line.startswith("warning: ")]


def index_entries(project: Path) -> dict[int, list[str]]:
    """Edition number -> the links the index gives for it, in the index's order (newest first)."""
    index = html.parse(str(project / "output" / BRIEF / "index.html"))
    return {int(item.get("value")): item.xpath(".//a/@href") for item in index.xpath('//ol[@class="editions"]/li')}


def manifests(project: Path) -> dict[int, dict[str, Any]]:
    """Each edition folder's own record, by number."""
    records = (json.loads(path.read_text()) for path in (project / "output" / BRIEF).glob(f"*/{MANIFEST}")
               if not path.parent.is_symlink())
    return {record["number"]: record for record in records}


def stored(project: Path) -> dict[int, dict[str, Any]]:
    with FactStore(load_project(project).store_location) as store:
        return {edition.number: vars(edition) for edition in Editions(store).all(BRIEF)}


def test_a_deleted_store_numbers_on_and_the_index_lists_every_edition(project: Path,
                                                                     store_backend: StoreBackend) -> None:
    built(project)
    built(project)
    store_backend.delete(project)
    result = built(project)
    assert "edition 3 in" in result.stderr and not warnings_of(result)
    entries = index_entries(project)
    assert list(entries) == [3, 2, 1]
    for number, links in entries.items():
        assert sorted(link.split("/")[1] for link in links) == ["analyst.html", "public.html"]
        assert {link.split("/")[0] for link in links} == {manifests(project)[number]["folder"]}
        assert all((project / "output" / BRIEF / link).is_file() for link in links)
    assert stored(project) == manifests(project)


def test_a_replaced_store_gives_way_to_the_folders_records(project: Path, tmp_path: Path,
                                                           store_backend: StoreBackend) -> None:
    """Another project's store, whose edition 1 has this project's first folder name but other contents."""
    built(project)
    built(project)
    other_store = store_backend.another()
    other = make_project(tmp_path / "other", brief_extra="audiences: [analyst]\n",
                         settings_extra=other_store.settings())
    built(other)
    built(other)
    built(other)
    assert stored(other)[1]["folder"] == manifests(project)[1]["folder"]
    assert stored(other)[1]["files"] != manifests(project)[1]["files"]
    store_backend.replace_with(other_store, other, project)
    result = built(project)
    assert not warnings_of(result)
    records, folders = stored(project), manifests(project)
    assert {number: records[number] for number in folders} == folders  # the folders' records won
    assert list(index_entries(project)) == [4, 3, 2, 1]  # the store's edition 3 is not renumbered
    assert index_entries(project)[3] == []  # and is listed without links: its folder is not here


def test_an_edition_whose_folder_was_removed_stays_listed_without_links(project: Path) -> None:
    built(project)
    built(project)
    shutil.rmtree(project / "output" / BRIEF / manifests(project)[1]["folder"])
    built(project)
    entries = index_entries(project)
    assert list(entries) == [3, 2, 1] and entries[1] == [] and len(entries[2]) == 2
    page = (project / "output" / BRIEF / "index.html").read_text()
    assert page.count("Its files are no longer in the output folder.") == 1


def test_a_damaged_record_of_a_stored_edition_is_written_again(project: Path, store_backend: StoreBackend) -> None:
    built(project)
    path = project / "output" / BRIEF / manifests(project)[1]["folder"] / MANIFEST
    path.write_text('{"number": 1, "brief": ')
    result = built(project)
    (warning,) = warnings_of(result)
    assert warning.startswith(f"{path}: not a usable edition record (not JSON:")
    assert warning.endswith("written again from the store's edition 1")
    assert json.loads(path.read_text()) == stored(project)[1]
    store_backend.delete(project)
    assert "edition 3 in" in built(project).stderr


def _record(base: dict[str, Any], **changes: Any) -> str:
    return json.dumps({**base, **changes})


# Folder name -> how to spoil the edition.json put there (given a good record for that folder) -> the warning's reason.
HOSTILE: dict[str, tuple[Callable[[Path, dict[str, Any]], None], str]] = {
    "2031-01-01": (lambda path, base: path.write_text("{not json"), "not JSON"),
    "2031-01-02": (lambda path, base: path.write_text(_record(base, number="7")),
                   "number: expected a whole number from 1 to 1,000,000, got '7'"),
    "2031-01-03": (lambda path, base: path.write_text(_record(base, number=True)), "number: expected a whole number"),
    "2031-01-04": (lambda path, base: path.write_text(_record(base, number=10**7)), "number: expected a whole number"),
    "2031-01-05": (lambda path, base: path.write_text(_record(base, folder="../../etc")),
                   "folder: expected a file or folder name"),
    "2031-01-06": (lambda path, base: path.write_text(_record(base, brief="other")), "a record of brief 'other'"),
    "2031-01-07": (lambda path, base: path.write_text(_record(base, folder="2031-01-01")),
                   "it names folder '2031-01-01', not its own '2031-01-07'"),
    "2031-01-08": (lambda path, base: path.write_text(_record(base, files=["../../../../etc/passwd"])),
                   "files: expected a list of file names"),
    "2031-01-09": (lambda path, base: path.write_text(_record(base, judgments={"judgments": [{"statement": 3}]})),
                   "judgments: expected {bottom_line"),
    "2031-01-10": (lambda path, base: path.write_text("[" * 200_000), "not JSON"),
    "2031-01-11": (lambda path, base: path.write_text(_record(base, trigger="x" * (1 << 20))),
                   "bytes; an edition record holds at most 1,048,576"),
    "2031-01-12": (lambda path, base: path.symlink_to("/etc/passwd"), "a symbolic link, not a file"),
    "2031-01-13": (lambda path, base: path.mkdir(), "cannot be read: Is a directory"),
    "2031-01-14": (lambda path, base: os.mkfifo(path), "not a regular file"),
    "2031-01-15": (lambda path, base: path.write_text("[]"), "not a JSON object"),
    "2031-01-16": (lambda path, base: path.write_text(_record({k: v for k, v in base.items() if k != "built_at"})),
                   "'built_at' is missing"),
    "2031-01-17": (lambda path, base: path.write_text(_record(base, built_at="yesterday")),
                   "built_at: expected a date and time"),
    "2031-01-18": (lambda path, base: path.write_text(_record(base, number=1, built_at="2099-01-01T00:00:00+00:00")),
                   "edition 1 is also claimed by folder"),
    "2031-01-19": (lambda path, base: path.write_text(_record(base, fitted={"analyst": {"limits": {"incidents": -1},
                                                                                      "citations": 1, "pages": 2,
                                                                                      "max_pages": 2}})),
                   "fitted: expected {audience: {limits: {section kind: items}, citations, pages, max_pages}}"),
}


def test_unusable_records_are_ignored_with_one_warning_each_and_the_build_goes_on(
        project: Path, store_backend: StoreBackend) -> None:
    built(project)
    (good,) = manifests(project).values()
    brief_dir = project / "output" / BRIEF
    for folder, (spoil, _) in HOSTILE.items():
        (brief_dir / folder).mkdir()
        (brief_dir / folder / "analyst.html").write_text("<p>planted</p>")
        spoil(brief_dir / folder / MANIFEST, {**good, "number": 2, "folder": folder})
    store_backend.delete(project)
    result = built(project)
    warnings = warnings_of(result)
    assert len(warnings) == len(HOSTILE) and "Traceback" not in result.output
    for folder, (_, reason) in HOSTILE.items():
        (line,) = [line for line in warnings if line.startswith(f"{brief_dir / folder / MANIFEST}: ")]
        assert line.startswith(f"{brief_dir / folder / MANIFEST}: not a usable edition record, ignored (")
        assert reason in line and "\n" not in line
    assert list(index_entries(project)) == [2, 1]
    assert not any(folder in link for links in index_entries(project).values() for link in links
                   for folder in HOSTILE)
