"""A real PostgreSQL server for the tests: Debian's `postgresql` binaries, a temporary folder and a free port.

The server listens on 127.0.0.1 (password authentication, scram-sha-256) and on a Unix socket in its own
folder (trust, for the superuser that creates and drops the tests' databases). PostgreSQL refuses to run
as root: when the tests run as root, the server runs as the `postgres` system user, in folders it owns.
Tests reach it as role `analyst`, whose password briefgen finds the libpq way, in the file PGPASSFILE names.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.database import StoreLocation
from tests.servers import free_port

if TYPE_CHECKING:
    import psycopg

ROLE, PASSWORD = "analyst", "s3cret-analyst"
SERVER_USER = "postgres"  # the system user the server runs as when the tests run as root


def find_binaries() -> Path | None:
    """The folder of initdb and pg_ctl: Debian's newest /usr/lib/postgresql/N/bin, else the PATH's."""
    def version(folder: str) -> int:
        name = Path(folder).parent.name
        return int(name) if name.isdigit() else 0

    newest_first = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True)
    on_path = shutil.which("pg_ctl")
    for folder in [*newest_first, *([str(Path(on_path).parent)] if on_path else [])]:
        if (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return None


def server_user_exists() -> bool:
    """True when the system has the user a root test session runs the server as."""
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        return False
    return True


class PostgresServer:
    """One server for the test session: start(), then a fresh database per test, stop() at the end."""

    def __init__(self, binaries: Path) -> None:
        self.binaries = binaries
        self.port = free_port()
        self.base = Path(tempfile.mkdtemp(prefix="briefgen-pg-"))
        self.data, self.socket = self.base / "data", self.base / "socket"
        self.passfile = self.base / "pgpass"
        self._as_server_user = os.geteuid() == 0
        self._names = itertools.count(1)
        self._admin: psycopg.Connection[Any] | None = None
        self.password = PASSWORD

    def start(self) -> None:
        """initdb, pg_ctl start, and the role the tests connect as."""
        self.socket.mkdir()
        if self._as_server_user:
            account = pwd.getpwnam(SERVER_USER)
            os.chmod(self.base, 0o755)
            for path in (self.base, self.socket):
                os.chown(path, account.pw_uid, account.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth-local=trust",
                  "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        options = (f"-p {self.port} -k {self.socket} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.base / "server.log"), "-w", "-t", "60",
                  "-o", options, "start")
        self.admin(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}'")
        self.passfile.write_text(f"127.0.0.1:{self.port}:*:{ROLE}:{PASSWORD}\n")
        self.passfile.chmod(0o600)

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        if self._admin is not None:
            self._admin.close()
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.base, ignore_errors=True)

    def url(self, database: str, user: str = ROLE) -> str:
        """The store URL of a database, as a project's config/briefgen.yaml gives it."""
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        """A new empty database owned by the tests' role; returns its name."""
        name = name or f"store_{next(self._names)}"
        self.admin(f"CREATE DATABASE {name} OWNER {ROLE}")
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, ending any session still connected to it."""
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def admin(self, sql: str) -> None:
        """Run one statement as the superuser, over the Unix socket."""
        import psycopg

        if self._admin is None:
            self._admin = psycopg.connect(host=str(self.socket), port=self.port, user="postgres", dbname="postgres",
                                          autocommit=True)
        self._admin.execute(sql)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.binaries / program), *args]
        if self._as_server_user:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=self.base, check=False)
        if result.returncode != 0:
            log = self.base / "server.log"
            raise RuntimeError(f"{program} failed ({result.returncode}): {result.stderr.strip()} "
                               f"{log.read_text() if log.exists() else ''}")


@dataclass
class StoreBackend:
    """The store a parametrised test runs on: a SQLite file in the project, or a fresh PostgreSQL database."""

    kind: str  # "sqlite" or "postgresql"
    setting: str  # what config/briefgen.yaml says: a file name, or the database's URL
    server: PostgresServer | None = None
    database: str | None = None
    others: list[str] = field(default_factory=list)  # more databases made for the test, dropped after it

    def location(self, root: Path) -> StoreLocation:
        """The store of a project in `root` (or, for a bare FactStore, a store beside `root`'s other files)."""
        return self.setting if self.server else root / self.setting

    def settings(self) -> str:
        """The line of config/briefgen.yaml that points a project at this store."""
        return f"store: {self.setting}\n"

    def delete(self, root: Path) -> None:
        """Remove the store entirely, as an analyst deleting briefgen.db (or dropping the database) would."""
        if self.server and self.database:
            self.server.drop_database(self.database)
            self.server.create_database(self.database)
        else:
            for path in root.glob(f"{self.setting}*"):
                path.unlink()

    def another(self) -> StoreBackend:
        """A second, separate store of the same kind (for another project of the same test)."""
        if self.server is None:
            return self
        name = self.server.create_database()
        self.others.append(name)
        return StoreBackend(self.kind, self.server.url(name), self.server, name)

    def replace_with(self, other: StoreBackend, other_root: Path, root: Path) -> None:
        """Put a copy of another project's store in place of this one's, as copying its briefgen.db would."""
        if self.server and self.database:
            self.server.drop_database(self.database)
            self.server.admin(f"CREATE DATABASE {self.database} TEMPLATE {other.database} OWNER {ROLE}")
        else:
            self.delete(root)
            shutil.copy(other_root / other.setting, root / self.setting)

    def drop(self) -> None:
        """Drop the databases made for the test."""
        if self.server:
            for name in [*self.others, *([self.database] if self.database else [])]:
                self.server.drop_database(name)
