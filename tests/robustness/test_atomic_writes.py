"""Atomic writes: a file written piece by piece appears whole or not at all, and the old version stays until then."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.atomic import open_atomically, write_atomically


def test_a_file_written_piece_by_piece_replaces_the_old_one_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "out" / "analyst.facts.json"
    write_atomically(target, "old")
    with open_atomically(target) as handle:
        handle.write(b'{"documents":[')
        assert target.read_text() == "old"  # a reader meanwhile sees the previous version
        handle.write(b"]}")
    assert target.read_text() == '{"documents":[]}'
    assert [path.name for path in target.parent.iterdir()] == ["analyst.facts.json"]


def test_a_write_that_fails_halfway_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    target = tmp_path / "analyst.facts.json"
    write_atomically(target, "old")
    with pytest.raises(RuntimeError), open_atomically(target) as handle:
        handle.write(b'{"documents":[')
        raise RuntimeError("the disk is full")
    assert target.read_text() == "old"
    assert [path.name for path in tmp_path.iterdir()] == ["analyst.facts.json"]
