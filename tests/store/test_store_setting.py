"""`store:` in config/briefgen.yaml: a file, or a PostgreSQL URL whose password comes from PGPASSWORD or
~/.pgpass. A URL that cannot work, a server that is down, a refused password: one line naming
config/briefgen.yaml, the store and what to do, a non-zero exit, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.postgres import ROLE, PostgresServer
from tests.projects import build, make_project, run
from tests.servers import free_port


@pytest.mark.parametrize(("store", "expected"), [
    ("mysql://desk@db.example/briefs", "'mysql://' is neither"),
    ("postgresql://desk:hunter2@db.example/briefs", "do not write the password here: give it in the PGPASSWORD"),
    ("postgresql://desk@db.example/briefs?password=hunter2", "do not write the password here"),
    ("postgresql://desk@db.example:port/briefs", "the port is not a number"),
    ("postgresql://desk@db.example:5432/", "name the database: postgresql://USER@HOST:PORT/DATABASE"),
])
def test_a_store_url_that_cannot_work_is_refused_by_check(tmp_path: Path, store: str, expected: str) -> None:
    project = make_project(tmp_path, settings_extra=f"store: {store}\n")
    result = run("check", "--project", str(project))
    assert result.exit_code == 2
    assert "config/briefgen.yaml" in result.output and "store" in result.output and expected in result.output
    assert "hunter2" not in result.output and "Traceback" not in result.output


def _one_line_failure(project: Path) -> str:
    result = build(project, "--format", "html")
    assert result.exit_code != 0 and "Traceback" not in result.output, result.output
    (line,) = [line for line in result.output.splitlines() if line.strip()]
    assert line.startswith("error: config/briefgen.yaml: store postgresql://"), line
    return line


def test_a_server_that_is_down_is_one_line_saying_to_check_host_and_port(tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    port = free_port()  # nothing listens on it
    project = make_project(tmp_path, settings_extra=f"store: postgresql://{ROLE}@127.0.0.1:{port}/briefs\n")
    line = _one_line_failure(project)
    assert f"127.0.0.1:{port}" in line and "cannot connect" in line and "check that the server is running" in line


def test_a_refused_password_is_one_line_saying_where_the_password_goes(
        postgres: PostgresServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = postgres.create_database()
    try:
        project = make_project(tmp_path, settings_extra=f"store: {postgres.url(database)}\n")
        monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-such-pgpass"))
        monkeypatch.setenv("PGPASSWORD", "wrong")
        line = _one_line_failure(project)
        assert "password authentication failed" in line and "PGPASSWORD" in line and "~/.pgpass" in line
        assert f"127.0.0.1:{postgres.port}:{database}:{ROLE}:PASSWORD" in line
        monkeypatch.setenv("PGPASSWORD", postgres.password)  # the right one, from the environment alone
        assert build(project, "--format", "html").exit_code == 0
    finally:
        postgres.drop_database(database)


def test_a_database_that_does_not_exist_is_one_line_saying_how_to_create_it(postgres: PostgresServer,
                                                                            tmp_path: Path) -> None:
    project = make_project(tmp_path, settings_extra=f"store: {postgres.url('never_created')}\n")
    line = _one_line_failure(project)
    assert f"createdb -h 127.0.0.1 -p {postgres.port} -U {ROLE} never_created" in line
