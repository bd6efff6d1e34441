"""What was read from each document is kept for the next build (briefgen.readingmemory), and a brief assembled
from kept readings is the brief assembled from readings made anew."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

from briefgen.assemble import assemble_brief
from briefgen.build import SourcePool, brief_input
from briefgen.readingmemory import ReadingMemory
from tests.assemble.conftest import BRIEF, BUILD_DATE, Example


def assembled(example: Example, pool: SourcePool, audience: str) -> object:
    given = brief_input(example.project, BRIEF, audience, pool, BUILD_DATE, 1, None)
    return dataclasses.replace(assemble_brief(given, given.prepared), generated_at="", created="")


def test_a_brief_assembled_from_kept_readings_is_the_brief_read_anew(example: Example, tmp_path: Path) -> None:
    documents, facts = example.pool.documents, example.pool.facts
    bases = {document.id: f"basis of {document.id}" for document in documents}
    first = SourcePool(documents, facts)
    views = [assembled(example, first, audience) for audience in ("analyst", "public")]
    assert any(key[0] == "figure" for key in first.readings) and any(key[0] == "sentence" for key in first.readings)
    with ReadingMemory(tmp_path / "readings.sqlite") as memory:
        memory.keep(first.readings, bases)
    with ReadingMemory(tmp_path / "readings.sqlite") as memory:
        kept = memory.readings(bases)
        assert kept == first.readings
        again = SourcePool(documents, facts, readings=kept)
        assert [assembled(example, again, audience) for audience in ("analyst", "public")] == views
        # a document read from something else (another text, extraction or corrections) has nothing kept
        changed = {**bases, documents[0].id: "another basis"}
        assert not any(key[1] == documents[0].id for key in memory.readings(changed))


def test_a_damaged_memory_is_started_again_and_one_of_other_code_forgotten(example: Example, tmp_path: Path) -> None:
    path = tmp_path / "readings.sqlite"
    path.write_bytes(b"not a database")
    bases = {document.id: "b" for document in example.pool.documents}
    with ReadingMemory(path) as memory:
        assert memory.readings(bases) == {}
        memory.keep({("sentence", example.pool.documents[0].id, 0, 5): "Five."}, bases)
    with ReadingMemory(path) as memory:
        assert memory.readings(bases) == {("sentence", example.pool.documents[0].id, 0, 5): "Five."}
    with sqlite3.connect(path) as db:
        db.execute("UPDATE method SET code = 'older code'")
    with ReadingMemory(path) as memory:
        assert memory.readings(bases) == {}
