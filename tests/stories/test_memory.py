"""The story memory: signatures and each brief's last grouping, kept between builds in a real SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from briefgen.stories import DEFAULT_SIMILARITY, Grouping, group_stories, text_digest
from briefgen.storymemory import StoryMemory
from tests.stories.test_grouping import FOLLOW_UP, _documents, doc, grouped


def _remember(path: Path, brief: str, documents: list) -> Grouping:
    with StoryMemory(path) as memory:
        signatures = memory.signatures(documents)
        grouping = Grouping.of(group_stories(documents, signatures=signatures), DEFAULT_SIMILARITY, signatures)
        memory.keep(brief, [grouping], signatures)
    return grouping


def test_a_grouping_and_its_signatures_are_there_for_the_next_build(tmp_path: Path) -> None:
    path = tmp_path / "stories.sqlite"
    documents = _documents()
    kept = _remember(path, "weekly", documents)
    added = [*documents, doc("follow-up-2", FOLLOW_UP[1:], "2025-03-09")]
    with StoryMemory(path) as memory:
        assert memory.groupings("weekly") == [kept] and memory.groupings("monthly") == []
        signatures = memory.signatures(added)
        stories = group_stories(added, signatures=signatures, earlier=kept)
    assert grouped(stories) == grouped(group_stories(added))
    assert list(signatures.made) == [text_digest(added[-1].text)]  # only the new text was signed


def test_every_grouping_of_a_build_is_remembered_and_replaces_the_last_builds(tmp_path: Path) -> None:
    path = tmp_path / "stories.sqlite"
    documents = _documents()
    _remember(path, "weekly", documents)
    with StoryMemory(path) as memory:
        signatures = memory.signatures(documents)
        every = Grouping.of(group_stories(documents, signatures=signatures), DEFAULT_SIMILARITY, signatures)
        releasable = Grouping.of(group_stories(documents[1:], signatures=signatures), DEFAULT_SIMILARITY, signatures)
        memory.keep("weekly", [every, releasable], signatures)
    with StoryMemory(path) as memory:
        assert memory.groupings("weekly") == [every, releasable]


def test_signatures_no_remembered_grouping_holds_are_forgotten(tmp_path: Path) -> None:
    path = tmp_path / "stories.sqlite"
    documents = _documents()
    _remember(path, "weekly", documents)
    _remember(path, "monthly", documents[:2])
    _remember(path, "weekly", documents[2:4])
    with sqlite3.connect(path) as db:
        texts = {row[0] for row in db.execute("SELECT text FROM signatures")}
    assert texts == {text_digest(document.text) for document in documents[:4]}


@pytest.mark.parametrize("damage", ["garbage", "other code", "other form"])
def test_a_damaged_or_outdated_memory_is_started_again(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "stories.sqlite"
    documents = _documents()
    if damage == "garbage":
        path.write_bytes(b"not a database" * 100)
    else:
        _remember(path, "weekly", documents)
        with sqlite3.connect(path) as db:
            db.execute("UPDATE method SET code = 'older grouping code'")
            if damage == "other form":  # as an older briefgen kept it: one grouping a brief
                db.execute("DROP TABLE groupings")
                db.execute("CREATE TABLE groupings (brief TEXT PRIMARY KEY, threshold REAL, homes TEXT)")
                db.execute("INSERT INTO groupings VALUES ('weekly', 0.3, '[]')")
    with StoryMemory(path) as memory:
        assert memory.groupings("weekly") == []
        signatures = memory.signatures(documents)
    group_stories(documents, signatures=signatures)
    assert len(signatures.made) == len({document.text for document in documents})  # none was remembered
    _remember(path, "weekly", documents)
    with StoryMemory(path) as memory:
        assert len(memory.groupings("weekly")) == 1


def test_a_memory_that_cannot_be_opened_only_costs_time(tmp_path: Path) -> None:
    blocked = tmp_path / "stories.sqlite"
    blocked.mkdir()  # a folder where the file should be: neither opened nor put aside
    documents = _documents()
    with StoryMemory(blocked) as memory:
        signatures = memory.signatures(documents)
        assert memory.groupings("weekly") == []
        stories = group_stories(documents, signatures=signatures)
        memory.keep("weekly", [Grouping.of(stories, DEFAULT_SIMILARITY, signatures)], signatures)
    assert grouped(stories) == grouped(group_stories(documents))
    assert blocked.is_dir()
