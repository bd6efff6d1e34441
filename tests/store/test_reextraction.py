"""Stored facts are reused only while what they were extracted with is unchanged: the source's content, the
extractor version, the spaCy model and the project's gazetteer. Real builds through the command line, on a
SQLite store and on a real PostgreSQL server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefgen.build import stale_reasons
from briefgen.project import load_project
from briefgen.store import SCHEMA_VERSION, ExtractionKey, FactStore, StoredExtraction
from tests.postgres import StoreBackend
from tests.projects import build, make_project, write

GAZETTEER = """\
# the desk's names
actors:
  - name: Amadou Sanou Diallo
    kind: person
    aliases: [Amadou Sanou]
"""
# The same gazetteer in other words: comments, spacing, flow style, quoting; and a stance, which only
# key-actor cards read.
GAZETTEER_REWORDED = """\
actors:
- {name: "Amadou Sanou Diallo",   kind: person, aliases: ['Amadou Sanou'], stance: holds the border}
"""


@pytest.fixture
def project(store_backend: StoreBackend, tmp_path: Path) -> Path:
    return make_project(tmp_path, settings_extra=store_backend.settings())


def _built(root: Path) -> str:
    result = build(root, "--format", "html")
    assert result.exit_code == 0, result.output
    return result.output


def _counts(output: str) -> tuple[int, int]:
    found = re.search(r"\((\d+) extracted, (\d+) unchanged", output)
    assert found, output
    return int(found[1]), int(found[2])


def _actor_names(root: Path) -> set[str]:
    with FactStore(load_project(root).store_location) as store:
        ids = [document.id for document in store.documents()]
        return {actor.name for facts in store.facts(ids) for actor in facts.actors}


def test_an_edited_gazetteer_extracts_every_source_again_with_its_names(project: Path) -> None:
    _built(project)
    assert "Amadou Sanou Diallo" not in _actor_names(project)
    write(project, "config/gazetteer.yaml", GAZETTEER)
    output = _built(project)
    assert _counts(output) == (2, 0)
    assert "2 sources re-extracted: gazetteer changed" in output
    assert "Amadou Sanou Diallo" in _actor_names(project)


def test_nothing_changed_nothing_extracted_not_even_for_a_reworded_gazetteer(project: Path) -> None:
    write(project, "config/gazetteer.yaml", GAZETTEER)
    assert _counts(_built(project)) == (2, 0)
    again = _built(project)
    assert _counts(again) == (0, 2) and "re-extracted" not in again
    write(project, "config/gazetteer.yaml", GAZETTEER_REWORDED)
    reworded = _built(project)
    assert _counts(reworded) == (0, 2) and "re-extracted" not in reworded


def test_an_edited_source_is_the_only_one_extracted_again(project: Path) -> None:
    _built(project)
    talks = project / "sources/2025-03-05-talks.md"
    talks.write_text(talks.read_text(encoding="utf-8").replace("300", "250"), encoding="utf-8")
    output = _built(project)
    assert _counts(output) == (1, 1)
    assert "1 source re-extracted: source changed" in output


def test_a_store_from_before_extraction_keys_opens_and_is_extracted_again(project: Path) -> None:
    _built(project)
    with FactStore(load_project(project).store_location) as store, store.transaction() as db:
        for column in ("content_digest", "model", "gazetteer_digest", "pages"):  # as schema version 3 left it
            db.execute(f"ALTER TABLE documents DROP COLUMN {column}")
        for column in ("inputs", "fitted"):
            db.execute(f"ALTER TABLE editions DROP COLUMN {column}")
        db.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    output = _built(project)
    assert _counts(output) == (2, 0)
    assert "2 sources re-extracted: stored by an older briefgen" in output
    with FactStore(load_project(project).store_location) as store:
        (version,) = store.connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        assert version == str(SCHEMA_VERSION)
    assert _counts(_built(project)) == (0, 2)


KEY = ExtractionKey(content="c1", extractor="7", model="en_core_web_sm==3.8.0", gazetteer="g1")


@pytest.mark.parametrize(("stored", "path_known", "expected"), [
    (StoredExtraction("a.md", KEY), True, None),
    (None, False, []),
    (None, True, ["source changed"]),
    (StoredExtraction("a.md", ExtractionKey("", "7", "", "")), True, ["stored by an older briefgen"]),
    (StoredExtraction("a.md", ExtractionKey("c1", "6", "en_core_web_sm==3.7.1", "g1")), True,
     ["extractor version changed", "model changed"]),
    (StoredExtraction("a.md", ExtractionKey("c0", "7", "en_core_web_sm==3.8.0", "g0")), True,
     ["source changed", "gazetteer changed"]),
])
def test_stale_reasons_name_each_input_that_changed(stored: StoredExtraction | None, path_known: bool,
                                                    expected: list[str] | None) -> None:
    assert stale_reasons(KEY, stored, path_known) == expected
