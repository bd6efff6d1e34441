"""Incremental builds: a rebuild with nothing changed makes no edition; any change a brief depends on makes one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.editions import Editions
from briefgen.project import load_project
from briefgen.store import FactStore
from tests.projects import BRIEF, build, make_project, write


def editions(root: Path) -> list[int]:
    with FactStore(load_project(root).store_location) as store:
        return [edition.number for edition in Editions(store).all(BRIEF)]


@pytest.fixture
def built(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "project")
    assert build(root, "--format", "html").exit_code == 0
    return root


def test_rebuild_with_nothing_changed_makes_no_edition_and_says_so(built: Path) -> None:
    before = sorted(path.name for path in (built / "output" / BRIEF).iterdir())
    result = build(built, "--format", "html")
    assert result.exit_code == 0, result.output
    assert "nothing it depends on changed since edition 1" in " ".join(result.output.split())
    assert "0 files written" in result.output and "(0 extracted, 2 unchanged" in result.output
    assert editions(built) == [1]
    assert sorted(path.name for path in (built / "output" / BRIEF).iterdir()) == before


def test_force_makes_an_edition_anyway(built: Path) -> None:
    assert build(built, "--format", "html", "--force").exit_code == 0
    assert editions(built) == [1, 2]


@pytest.mark.parametrize("change", ["new source", "changed source", "brief config", "template", "corrections",
                                    "other format", "removed source"])
def test_a_change_the_brief_depends_on_makes_an_edition(built: Path, change: str) -> None:
    if change == "new source":
        write(built, "sources/2025-03-06-more.md", "---\npublished: 2025-03-06\n---\nTroops left Gao on 5 March.\n")
    elif change == "changed source":
        path = built / "sources/2025-03-05-talks.md"
        path.write_text(path.read_text().replace("300", "350"))
    elif change == "brief config":
        path = built / f"config/briefs/{BRIEF}.yaml"
        path.write_text(path.read_text().replace("title: Desk brief", "title: Desk brief, revised"))
    elif change == "template":
        write(built, "templates/_footer.html", "<footer>Desk</footer>\n")
    elif change == "corrections":
        write(built, "corrections.yaml", "corrections: []\n")
    elif change == "removed source":
        (built / "sources/2025-03-05-talks.md").unlink()
    args = ("--format", "html,pdf" if change == "other format" else "html")
    result = build(built, *args)
    assert result.exit_code == 0, result.output
    assert editions(built) == [1, 2], result.output


def test_edition_records_what_it_was_made_from(built: Path) -> None:
    with FactStore(load_project(built).store_location) as store:
        (edition,) = Editions(store).all(BRIEF)
    manifest = (built / "output" / BRIEF / edition.folder / "edition.json").read_text()
    assert len(edition.inputs) == 32 and f'"inputs": "{edition.inputs}"' in manifest


def test_a_file_read_before_is_taken_from_the_source_cache(built: Path) -> None:
    """A source whose size and time are unchanged is not read again: here its bytes changed behind the cache's
    back (same size, time put back), and the build still sees what was read before; touching it reads it."""
    path = built / "sources/2025-03-05-talks.md"
    stat = path.stat()
    path.write_text(path.read_text().replace("300", "400"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert build(built, "--format", "html").exit_code == 0
    assert editions(built) == [1]
    os.utime(path)
    assert build(built, "--format", "html").exit_code == 0
    assert editions(built) == [1, 2]


def test_a_damaged_source_cache_is_built_again(built: Path) -> None:
    (built / ".briefgen/sources.sqlite").write_bytes(b"not a database" * 100)
    result = build(built, "--format", "html")
    assert result.exit_code == 0, result.output
    assert editions(built) == [1]


def test_builds_that_extract_nothing_do_not_load_spacy(built: Path) -> None:
    """`check`, and a build whose sources are all extracted already, never import spaCy."""
    probe = ("import sys; from click.testing import CliRunner; from briefgen.cli import main; "
             f"[CliRunner().invoke(main, [command, '--project', {str(built)!r}], catch_exceptions=False) "
             "for command in ('check', 'build')]; print('spacy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False", result.stderr
