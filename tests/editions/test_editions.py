"""Editions: numbered folders, index and latest link, run records, and what changed between editions; on a
SQLite store and on a real PostgreSQL server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import html

from briefgen.build import BuildRequest, build
from briefgen.cli import main
from briefgen.editions import Editions, Runs
from briefgen.project import load_project
from briefgen.store import FactStore
from tests.conftest import copy_example
from tests.postgres import PostgresServer

HELD_BACK = "sources/2025-09-29-ain-al-asad-handover.md"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def use_store(project: Path, store: str) -> None:
    """Point the project's config/briefgen.yaml at another store."""
    settings = project / "config/briefgen.yaml"
    text = settings.read_text()
    assert "\nstore: briefgen.db" in text
    settings.write_text(text.replace("\nstore: briefgen.db", f"\nstore: {store}", 1))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def two_editions(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Edition 1 without one source; edition 2 with it and one judgment revised."""
    project = copy_example(tmp_path_factory.mktemp("editions") / "project")
    database = None
    if request.param == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgres")
        database = server.create_database()
        use_store(project, server.url(database))
    held = project / HELD_BACK
    shutil.move(held, project / "held.md")
    assert run("build", "--project", str(project), "--audience", "analyst", "--format", "html").exit_code == 0
    shutil.move(project / "held.md", held)
    brief = project / "config/briefs/iraq-security.yaml"
    brief.write_text(brief.read_text().replace("likelihood: very likely", "likelihood: likely"))
    assert run("build", "--project", str(project), "--audience", "analyst", "--format", "html").exit_code == 0
    yield project
    if database:
        server.drop_database(database)


def changes_text(project: Path) -> str:
    page = html.parse(str(project / "output/iraq-security/latest/analyst.html"))
    (section,) = page.xpath('//section[@id="changes"]')
    return " ".join(section.text_content().split())


def test_each_build_is_a_numbered_edition_in_its_own_folder(two_editions: Path) -> None:
    with FactStore(load_project(two_editions).store_location) as store:
        editions = Editions(store).all("iraq-security")
    assert [edition.number for edition in editions] == [1, 2]
    first, second = (two_editions / "output/iraq-security" / edition.folder for edition in editions)
    assert (first / "analyst.html").is_file() and (second / "analyst.html").is_file()
    assert (two_editions / "output/iraq-security/latest").resolve() == second.resolve()
    assert len(editions[1].documents) == len(editions[0].documents) + 1


def test_index_lists_every_edition_with_links(two_editions: Path) -> None:
    index = html.parse(str(two_editions / "output/iraq-security/index.html"))
    links = index.xpath('//ol[@class="editions"]//a/@href')
    assert len(links) == 2 and all(link.endswith("/analyst.html") for link in links)
    assert all((two_editions / "output/iraq-security" / link).is_file() for link in links)


def test_first_edition_has_no_changes_section(two_editions: Path) -> None:
    with FactStore(load_project(two_editions).store_location) as store:
        first = Editions(store).all("iraq-security")[0]
    page = (two_editions / "output/iraq-security" / first.folder / "analyst.html").read_text()
    assert 'id="changes"' not in page


def test_second_edition_names_new_sources_actors_and_dates(two_editions: Path) -> None:
    text = changes_text(two_editions)
    assert text.startswith("Changes since edition 1")
    assert "Coalition completes Ain al-Asad handover" in text
    assert "Nabil al-Khazraji" in text
    assert "January 2026" in text


def test_second_edition_shows_a_changed_figure_with_old_and_new_values(two_editions: Path) -> None:
    text = changes_text(two_editions)
    assert "Figures that changed" in text
    assert "about 2,500" in text and "around 2,000" in text and "Levant Monitor" in text


def test_a_revised_judgment_is_shown_as_changed(two_editions: Path) -> None:
    text = changes_text(two_editions)
    assert "revised Syria, and al-Hol camp in particular, is the main source of risk to Iraq." in text
    assert "was very likely, moderate confidence, now likely, moderate confidence" in text


def test_runs_are_recorded(two_editions: Path) -> None:
    with FactStore(load_project(two_editions).store_location) as store:
        runs = Runs(store).recent("iraq-security")
    assert [record.status for record in runs] == ["succeeded", "succeeded"]
    assert runs[0].edition == 2 and runs[0].files == ["analyst.html"]
    assert runs[0].finished is not None and len(runs[0].documents) == 5


def test_an_interrupted_run_leaves_the_previous_edition_and_the_next_run_succeeds(example_project: Path) -> None:
    project = load_project(example_project)
    build(project, BuildRequest(audiences=["public"], formats=("html",)))
    latest = example_project / "output/iraq-security/latest"
    before = (latest / "public.html").read_bytes()

    class Killed(BaseException):
        """Stands for the process being stopped mid-render."""

    class DiesWhileRendering:
        def step(self, label: str, total: int) -> None:
            if label.startswith("Rendering"):
                raise Killed

        def advance(self, units: int = 1) -> None:
            pass

    with pytest.raises(Killed):
        build(project, BuildRequest(audiences=["public"], formats=("html",), force=True), DiesWhileRendering())
    assert (latest / "public.html").read_bytes() == before
    assert not [path for path in (example_project / "output/iraq-security").iterdir() if path.name.startswith(".")]
    report = build(project, BuildRequest(audiences=["public"], formats=("html",), force=True))
    assert report.editions[0].number == 2
    with FactStore(project.store_location) as store:
        statuses = [record.status for record in Runs(store).recent("iraq-security")]
    assert statuses == ["succeeded", "failed", "succeeded"]
