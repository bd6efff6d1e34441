"""A damaged store is reported as such, with what to do, in every form of damage — never as an internal error."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.projects import build, make_project, run


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project built once, so its store holds documents, facts, an edition and a run."""
    project = make_project(tmp_path_factory.mktemp("store") / "project")
    assert build(project, "--format", "html").exit_code == 0
    return project


def _sql(statement: str) -> Callable[[Path], None]:
    def damage(store: Path) -> None:
        with sqlite3.connect(store) as db:
            db.execute(statement)
    return damage


def _overwrite(offset: int, length: int) -> Callable[[Path], None]:
    def damage(store: Path) -> None:
        data = bytearray(store.read_bytes())
        start = offset if offset >= 0 else len(data) // 2
        data[start:start + length] = bytes((index * 37 + 11) % 256 for index in range(length))
        store.write_bytes(bytes(data))
    return damage


def _every_page(offset: int) -> Callable[[Path], None]:
    """Overwrite 100 bytes at `offset` in every page after the first (negative: from the page's end),
    as a failing disk would: headers, or the rows stored at the end of each page."""

    def damage(store: Path) -> None:
        data = bytearray(store.read_bytes())
        page = int.from_bytes(data[16:18], "big") or 65536
        for start in range(page, len(data), page):
            at = start + (offset if offset >= 0 else page + offset)
            data[at:at + 100] = bytes((index * 53 + 7) % 256 for index in range(100))
        store.write_bytes(bytes(data))
    return damage


def _truncate(store: Path) -> None:
    store.write_bytes(store.read_bytes()[: store.stat().st_size // 3])


def _text(store: Path) -> None:
    store.write_text("not a database " * 500)


def _folder(store: Path) -> None:
    store.unlink()
    store.mkdir()


DAMAGE = {
    "text instead of a database": _text,
    "truncated to a third": _truncate,
    "header overwritten": _overwrite(0, 100),
    "pages in the middle overwritten": _overwrite(-1, 8192),
    "every page's header overwritten": _every_page(0),
    "the rows at every page's end overwritten": _every_page(-300),
    "meta table dropped": _sql("DROP TABLE meta"),
    "schema version not a number": _sql("UPDATE meta SET value = 'abc' WHERE key = 'schema_version'"),
    "schema version from the future": _sql("UPDATE meta SET value = '99' WHERE key = 'schema_version'"),
    "fact data not JSON": _sql("UPDATE facts SET data = '{not json'"),
    "fact of an unknown kind": _sql("UPDATE facts SET kind = 'rumour'"),
    "fact with unknown fields": _sql("""UPDATE facts SET data = '{"colour": "red"}'"""),
    "edition record not JSON": _sql("UPDATE editions SET documents = '[oops'"),
    "run record not JSON": _sql("UPDATE runs SET deliveries = '{'"),
    "editions table dropped": _sql("DROP TABLE editions"),
    "a folder where the store should be": _folder,
}


@pytest.mark.parametrize("form", list(DAMAGE))
@pytest.mark.parametrize("command", ["build", "runs", "facts"])
def test_damaged_store_is_reported_with_what_to_do(built: Path, tmp_path: Path, form: str, command: str) -> None:
    project = tmp_path / "project"
    shutil.copytree(built, project, symlinks=True)
    for leftover in project.glob("briefgen.db-*"):
        leftover.unlink()
    store = project / "briefgen.db"
    DAMAGE[form](store)
    args = {"build": ["build", "--format", "html"], "runs": ["runs"], "facts": ["facts"]}[command]
    result = run(*args, "--project", str(project))
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    if result.exit_code == 1:
        assert "briefgen.db" in result.output
        assert any(words in result.output for words in ("damaged", "newer than this briefgen", "is a folder"))
        assert result.output.count("\n") <= 3
