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


def test_a_few_new_sources_are_extracted_by_a_worker_while_the_stored_facts_are_read(built: Path) -> None:
    """With many stored documents to read (here: any, READ_AHEAD_FROM lowered to 1) and few new ones, a worker
    process extracts the new ones, so the build process never imports spaCy; their facts are those extracted
    here, and every other document's facts are the stored ones."""
    write(built, "sources/2025-03-06-more.md", "---\npublished: 2025-03-06\n---\nTroops left Gao on 5 March.\n")
    project = load_project(built)
    with FactStore(project.store_location) as store:
        before = {doc_id: store.facts([doc_id])[0] for doc_id in store.extractions()}
    probe = ("import sys; import briefgen.build; briefgen.build.READ_AHEAD_FROM = 1; "
             "from click.testing import CliRunner; from briefgen.cli import main; "
             f"result = CliRunner().invoke(main, ['build', '--format', 'html', '--project', {str(built)!r}]); "
             "print(result.exit_code, 'spacy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.split()[-2:] == ["0", "False"], result.stdout + result.stderr
    assert editions(built) == [1, 2]
    from briefgen.extract.extractor import extract_documents

    with FactStore(project.store_location) as store:
        new = [document for document in store.documents(list(store.extractions())) if document.id not in before]
        assert len(new) == 1 and store.facts([doc_id for doc_id in before]) == list(before.values())
        assert store.facts([new[0].id]) == list(extract_documents(project.gazetteer, new))


EARLY_PROBE = (
    "import multiprocessing, sys; import briefgen.build as b; b.READ_AHEAD_FROM = 1; seen = []; read = b.ingest\n"
    "def ingest(*args, **kwargs):\n"
    "    seen.append(len(multiprocessing.active_children())); return read(*args, **kwargs)\n"
    "b.ingest = ingest\n"
    "from click.testing import CliRunner; from briefgen.cli import main\n"
    "result = CliRunner().invoke(main, ['build', '--format', 'html', '--project', sys.argv[1]])\n"
    "print(result.exit_code, seen, len(multiprocessing.active_children()), 'spacy' in sys.modules)\n"
)


def test_the_worker_for_a_few_new_sources_starts_before_they_are_read(built: Path) -> None:
    """With a read-ahead's worth of stored documents, the extraction worker is started before the sources are read
    (spaCy loads meanwhile); when no source needs extracting it is stopped, and the build goes on without it."""
    write(built, "sources/2025-03-06-more.md", "---\npublished: 2025-03-06\n---\nTroops left Gao on 5 March.\n")
    for expected in ("0 [1] 0 False", "0 [1] 0 False"):  # one new source; then nothing to extract
        result = subprocess.run([sys.executable, "-c", EARLY_PROBE, str(built)], capture_output=True, text=True,
                                check=True)
        assert result.stdout.strip().splitlines()[-1] == expected, result.stdout + result.stderr
    assert editions(built) == [1, 2]


STOPPED_PROBE = (
    "import multiprocessing, sys; import briefgen.build as b; b.READ_AHEAD_FROM = 1\n"
    "b.MULTIPROCESS_MIN_DOCUMENTS = 1; seen = []; extract = b.extract_facts\n"
    "def extract_facts(*args, **kwargs):\n"
    "    seen.append(len(multiprocessing.active_children())); yield from extract(*args, **kwargs)\n"
    "b.extract_facts = extract_facts\n"
    "from click.testing import CliRunner; from briefgen.cli import main\n"
    "result = CliRunner().invoke(main, ['build', '--format', 'html', '--project', sys.argv[1]])\n"
    "print(result.exit_code, seen)\n"
)


def test_the_worker_started_early_is_stopped_when_sources_are_extracted_otherwise(built: Path) -> None:
    """Too many new sources for one worker (here: any, the threshold lowered to 1): they are extracted as without
    it, and the worker started while they were read is not left holding its model meanwhile."""
    write(built, "sources/2025-03-06-more.md", "---\npublished: 2025-03-06\n---\nTroops left Gao on 5 March.\n")
    result = subprocess.run([sys.executable, "-c", STOPPED_PROBE, str(built)], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip().splitlines()[-1] == "0 [0]", result.stdout + result.stderr
    assert editions(built) == [1, 2]


def test_facts_read_ahead_are_given_once_then_read_again(built: Path) -> None:
    with FactStore(load_project(built).store_location) as store:
        ids = sorted(store.extractions())
        plain = store.facts(ids)
        store.read_ahead(ids[:2])
        assert store.facts([ids[1], ids[0], ids[1]]) == [plain[1], plain[0], plain[1]]
        assert store.facts(ids) == plain


def test_a_build_laying_out_in_a_process_of_its_own_never_loads_weasyprint_itself(built: Path) -> None:
    """When the PDFs are laid out in a layout process (LAYOUT_PROCESS_FROM lowered to 0: any brief), the build
    process renders only HTML and never imports WeasyPrint; the PDFs are written all the same."""
    probe = ("import sys; import briefgen.build; briefgen.build.LAYOUT_PROCESS_FROM = 0; "
             "from click.testing import CliRunner; from briefgen.cli import main; "
             f"result = CliRunner().invoke(main, ['build', '--force', '--project', {str(built)!r}]); "
             "print(result.exit_code, 'weasyprint' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.split()[-2:] == ["0", "False"], result.stdout + result.stderr
    assert list((built / "output" / BRIEF / "latest").glob("*.pdf"))
