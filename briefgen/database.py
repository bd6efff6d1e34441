"""Database: one connection to a fact store — a SQLite file or a PostgreSQL database — speaking one SQL.

Every query of briefgen is written once, in SQLite's SQL with `?` placeholders, and runs unchanged on a
SQLite file. For PostgreSQL this module is the one place where the two dialects differ:

- placeholders: `?` becomes `%s` (a literal `%` is doubled); `COLLATE BINARY` becomes `COLLATE "C"`, so text
  sorts by code point on both;
- generated ids: `INTEGER PRIMARY KEY AUTOINCREMENT` becomes an identity column, and `insert_id` reads the new
  id with RETURNING instead of the cursor's lastrowid;
- `upsert` and `insert_new`: SQLite's INSERT OR REPLACE / INSERT OR IGNORE become INSERT ... ON CONFLICT;
  `insert_rows` (a batch of new rows) is executemany on SQLite and COPY on PostgreSQL;
- writers: SQLite's BEGIN IMMEDIATE takes the file's write lock; on PostgreSQL a write transaction first takes
  a transaction-level advisory lock, so writers are serialised the same way (readers never wait, on either);
- `brief_lock`: on PostgreSQL, a session-level advisory lock per brief that builds on other machines see too
  (on SQLite the project folder's lock file is enough: the store is a file of that project);
- `tables`: sqlite_master against information_schema;
- errors: sqlite3.Error against psycopg.Error, each turned into one line saying what to do.

On SQLite, `execute` and `executemany` are the connection's own methods: the hot path has no layer at all.
"""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from briefgen.errors import BriefgenError

if TYPE_CHECKING:
    import psycopg

StoreLocation = Path | str  # a SQLite file, or a postgresql:// URL
POSTGRESQL_SCHEMES = ("postgresql://", "postgres://")
BUSY_TIMEOUT = 60.0  # seconds a writer waits for another process's transaction before giving up
CONNECT_TIMEOUT = 10  # seconds to reach a PostgreSQL server, unless the URL says otherwise
CONFIG = "config/briefgen.yaml"
# The first key of every advisory lock briefgen takes ('brif'), so that they do not meet an application's own.
_LOCK_SPACE_WRITER = 0x62726966
_LOCK_SPACE_BRIEF = _LOCK_SPACE_WRITER + 1


class StoreError(BriefgenError):
    """The fact store cannot be used: damaged, busy, unreachable, or not a briefgen store."""


class Rows(Protocol):
    """What a query returns, on either database: rows to fetch or iterate, and how many rows it changed."""

    @property
    def rowcount(self) -> int:
        """Rows changed by an INSERT, UPDATE or DELETE."""

    def fetchone(self) -> Any:
        """The next row, or None."""

    def fetchall(self) -> list[Any]:
        """The remaining rows."""

    def __iter__(self) -> Iterator[Any]:
        """The remaining rows, one by one."""


class BriefLock(Protocol):
    """A lock on one brief's editions that every process using the store sees."""

    def acquire(self, wait: bool = False) -> bool:
        """Take the lock; without `wait`, return False at once when another holder has it."""

    def release(self) -> None:
        """Give the lock up."""

    def holder(self) -> str:
        """Who holds the lock, for messages."""


def is_postgresql(location: StoreLocation) -> bool:
    """True for a postgresql:// (or postgres://) URL, False for a SQLite file."""
    return isinstance(location, str) and location.lower().startswith(POSTGRESQL_SCHEMES)


def shown(location: StoreLocation) -> str:
    """The store as messages name it: a path, or the URL without any password."""
    if not is_postgresql(location):
        return str(location)
    parts = urlsplit(str(location))
    netloc = parts.netloc
    if "@" in netloc:
        user, host = netloc.rsplit("@", 1)
        netloc = f"{user.split(':', 1)[0]}@{host}"
    query = re.sub(r"(^|&)password=[^&]*", r"\1password=…", parts.query)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


class Database(ABC):
    """One open connection; see the module's docstring for what differs between the two databases."""

    kind: str
    location: StoreLocation
    errors: tuple[type[Exception], ...]  # what a failing query raises
    execute: Callable[..., Rows]  # (sql, params=()) -> rows
    executemany: Callable[[str, Iterable[Sequence[Any]]], Any]

    @abstractmethod
    def insert_id(self, sql: str, params: Sequence[Any]) -> int:
        """Run an INSERT into a table with a generated `id` column; returns the new row's id."""

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Database]:
        """One all-or-nothing write transaction, writers one at a time: rolled back if anything inside raises."""

    @abstractmethod
    def tables(self) -> set[str]:
        """The names of the store's tables."""

    @abstractmethod
    def brief_lock(self, brief: str) -> BriefLock:
        """The store's own lock on a brief's editions (see the module docstring)."""

    def script(self, text: str) -> list[str]:
        """A schema script as the statements this database runs, one by one."""
        return [statement for statement in text.split(";") if statement.strip()]

    def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert many new rows at once (into a table no other row of theirs is in)."""
        if rows:
            self.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({_marks(columns)})", rows)

    def upsert(self, table: str, columns: Sequence[str], key: Sequence[str]) -> str:
        """An INSERT of one row that replaces the row with the same `key`."""
        return f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) VALUES ({_marks(columns)})"

    def insert_new(self, table: str, columns: Sequence[str], key: Sequence[str]) -> str:
        """An INSERT of one row that does nothing when a row with the same `key` exists."""
        return f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({_marks(columns)})"

    @abstractmethod
    def problem(self, error: Exception) -> StoreError:
        """One line saying what is wrong with the store and what to do about it."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection."""


def _marks(columns: Sequence[str]) -> str:
    return ",".join("?" * len(columns))


def open_database(location: StoreLocation) -> Database:
    """A connection to the store at `location`: a postgresql:// URL, else a SQLite file (created if missing)."""
    if is_postgresql(location):
        return PostgresDatabase(str(location))
    return SQLiteDatabase(Path(location))


class SQLiteDatabase(Database):
    """A SQLite file, in WAL mode with foreign keys on."""

    kind = "sqlite"
    errors = (sqlite3.Error,)

    def __init__(self, path: Path) -> None:
        self.location = self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._connection = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT)
        except (OSError, sqlite3.Error) as error:
            raise self.problem(error) from None
        self.execute = self._connection.execute
        self.executemany = self._connection.executemany
        try:
            self.execute("PRAGMA foreign_keys = ON")
            self._use_wal()
        except sqlite3.Error as error:
            self.close()
            raise self.problem(error) from None

    def _use_wal(self) -> None:
        # Switching a new file to WAL while other processes open it can fail at once with "database is locked":
        # SQLite skips the busy handler there to avoid a deadlock, so wait here as a writer would.
        deadline = time.monotonic() + BUSY_TIMEOUT
        while True:
            try:
                self.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def insert_id(self, sql: str, params: Sequence[Any]) -> int:
        """Run an INSERT into a table with a generated `id` column; returns the new row's id."""
        return int(self._connection.execute(sql, params).lastrowid or 0)

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One all-or-nothing write transaction (BEGIN IMMEDIATE: writers one at a time)."""
        self.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.execute("ROLLBACK")
            raise
        self.execute("COMMIT")

    def tables(self) -> set[str]:
        """The names of the store's tables."""
        return {row[0] for row in self.execute("SELECT name FROM sqlite_master WHERE type='table'")}

    def brief_lock(self, brief: str) -> BriefLock:
        """Always free: builds of a SQLite store's project queue on the project folder's lock file."""
        return _NoLock()

    def problem(self, error: Exception) -> StoreError:
        """One line saying what is wrong with the store file and what to do about it."""
        return StoreError(sqlite_problem(self.path, error))

    def close(self) -> None:
        """Close the connection."""
        with suppress(sqlite3.Error):
            self._connection.close()


def made_by(db: sqlite3.Connection, schema: list[str], tables: tuple[str, ...], method: str) -> None:
    """A cache's tables (`schema`, whose first table is `method (code TEXT)`), dropped and made again, empty, when
    they were made by other code than `method` names (maybe in another form)."""
    for statement in schema:
        db.execute(statement)
    if [row[0] for row in db.execute("SELECT code FROM method")] == [method]:
        return
    db.execute("BEGIN IMMEDIATE")
    for table in ("method", *tables):
        db.execute(f"DROP TABLE IF EXISTS {table}")
    for statement in schema:
        db.execute(statement)
    db.execute("INSERT INTO method VALUES (?)", (method,))
    db.execute("COMMIT")


def open_cache(path: Path, prepare: Callable[[sqlite3.Connection], object]) -> sqlite3.Connection | None:
    """A SQLite file of work kept for later builds (a cache), opened and then `prepare`d (its schema, what is read
    up front). A damaged one is deleted and started again: losing it only makes a build slower. None when even a
    new one cannot be opened."""
    for _attempt in range(2):
        db = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, isolation_level=None, timeout=30.0)
            prepare(db)
            return db
        except (OSError, sqlite3.Error):
            if db is not None:
                with suppress(sqlite3.Error):
                    db.close()
            with suppress(OSError):
                path.unlink()
    return None


def sqlite_problem(path: Path, error: Exception) -> str:
    """The one line for a SQLite store's error: what went wrong and what to do."""
    message = str(error) or type(error).__name__
    if path.is_dir():
        return f"{path}: is a folder, not a store file; remove it, or set 'store:' in {CONFIG} to a file name"
    if isinstance(error, sqlite3.OperationalError) and "locked" in message:
        return (f"{path}: the store is busy: another briefgen process kept it locked for {BUSY_TIMEOUT:.0f} s; "
                "try again when it has finished")
    if isinstance(error, sqlite3.OperationalError) and ("readonly" in message or "unable to open" in message):
        return f"{path}: cannot write the store ({message}); check the file's and its folder's permissions"
    return (f"{path}: the fact store is damaged ({message}). Move it aside (mv {path.name} {path.name}.damaged) "
            "and build again: facts are extracted again from the sources, and earlier editions keep their numbers "
            "(each edition folder holds its own record)")


class _NoLock:
    """A lock that is always free."""

    def acquire(self, wait: bool = False) -> bool:
        return True

    def release(self) -> None:
        pass

    def holder(self) -> str:
        return "nobody"


class PostgresDatabase(Database):
    """A PostgreSQL database reached through libpq (psycopg 3): its password from PGPASSWORD or ~/.pgpass."""

    kind = "postgresql"

    def __init__(self, url: str) -> None:
        self.location = url
        try:
            import psycopg
        except ImportError:
            raise StoreError(f"{CONFIG}: store {shown(url)}: a PostgreSQL store needs psycopg; install it with "
                             "pip install 'briefgen[postgresql]'") from None
        self._psycopg = psycopg
        self.errors = (psycopg.Error,)
        try:
            self._connection: psycopg.Connection[Any] = psycopg.connect(url, autocommit=True,
                                                                        **_connect_defaults(url))
            self._connection.execute(f"SET lock_timeout = '{BUSY_TIMEOUT:.0f}s'")
        except psycopg.Error as error:
            raise self.problem(error, connecting=True) from None
        self.execute = self._execute
        self.executemany = self._executemany

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        return self._connection.execute(_postgresql(sql), params)

    def _executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self._connection.cursor() as cursor:
            cursor.executemany(_postgresql(sql), rows)

    def insert_id(self, sql: str, params: Sequence[Any]) -> int:
        """Run an INSERT into a table with a generated `id` column; returns the new row's id."""
        return int(self.execute(f"{sql} RETURNING id", params).fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One all-or-nothing write transaction, after the store's writer lock (released when it ends)."""
        with self._connection.transaction():
            self._connection.execute("SELECT pg_advisory_xact_lock(%s, hashtext(current_schema()))",
                                     (_LOCK_SPACE_WRITER,))
            yield self

    def tables(self) -> set[str]:
        """The names of the tables in the connection's schema."""
        rows = self.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
        return {row[0] for row in rows}

    def brief_lock(self, brief: str) -> BriefLock:
        """A session-level advisory lock on the brief, held until released or the connection ends."""
        return _AdvisoryLock(self, brief)

    def script(self, text: str) -> list[str]:
        """A schema script as PostgreSQL statements: generated ids become identity columns."""
        return [statement.replace("INTEGER PRIMARY KEY AUTOINCREMENT",
                                  "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
                for statement in super().script(text)]

    def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert many new rows at once, with COPY: one round trip, no statement per row."""
        if rows:
            with self._connection.cursor() as cursor, \
                    cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

    def upsert(self, table: str, columns: Sequence[str], key: Sequence[str]) -> str:
        """An INSERT of one row that replaces the row with the same `key`."""
        updates = ", ".join(f"{column} = excluded.{column}" for column in columns if column not in key)
        return (f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({_marks(columns)}) "
                f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}")

    def insert_new(self, table: str, columns: Sequence[str], key: Sequence[str]) -> str:
        """An INSERT of one row that does nothing when a row with the same `key` exists."""
        return (f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({_marks(columns)}) "
                f"ON CONFLICT ({', '.join(key)}) DO NOTHING")

    def problem(self, error: Exception, connecting: bool = False) -> StoreError:
        """One line naming the configuration, the store and what to do."""
        return StoreError(postgresql_problem(str(self.location), error, self._psycopg, connecting))

    def close(self) -> None:
        """Close the connection (the server then releases every lock it held)."""
        with suppress(Exception):
            self._connection.close()

    def lock_holder(self, brief: str) -> str:
        """The application name of the session holding a brief's lock (briefgen's name its process and host)."""
        row = self.execute(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = ? "
            "AND l.objid = hashtext(current_schema() || '/' || ?)::oid LIMIT 1",
            (_LOCK_SPACE_BRIEF, brief)).fetchone()
        return str(row[0]) if row and row[0] else "another session"


class _AdvisoryLock:
    """A brief's session-level advisory lock on a PostgreSQL store."""

    _KEY = "(?, hashtext(current_schema() || '/' || ?))"

    def __init__(self, database: PostgresDatabase, brief: str) -> None:
        self._database, self._brief = database, brief

    def acquire(self, wait: bool = False) -> bool:
        database, key = self._database, (_LOCK_SPACE_BRIEF, self._brief)
        if not wait:
            return bool(database.execute(f"SELECT pg_try_advisory_lock{self._KEY}", key).fetchone()[0])
        database.execute("SET lock_timeout = 0")  # a build of the brief elsewhere may take minutes
        try:
            database.execute(f"SELECT pg_advisory_lock{self._KEY}", key)
        finally:
            database.execute(f"SET lock_timeout = '{BUSY_TIMEOUT:.0f}s'")
        return True

    def release(self) -> None:
        with suppress(*self._database.errors):
            self._database.execute(f"SELECT pg_advisory_unlock{self._KEY}", (_LOCK_SPACE_BRIEF, self._brief))

    def holder(self) -> str:
        return self._database.lock_holder(self._brief)


@lru_cache(maxsize=512)
def _postgresql(sql: str) -> str:
    """A query in briefgen's SQL as psycopg takes it."""
    return sql.replace("%", "%%").replace("?", "%s").replace("COLLATE BINARY", 'COLLATE "C"')


def _connect_defaults(url: str) -> dict[str, Any]:
    """Connection parameters briefgen sets unless the URL sets them: a timeout, and a name in pg_stat_activity."""
    from psycopg.conninfo import conninfo_to_dict

    given = conninfo_to_dict(url)
    defaults: dict[str, Any] = {}
    if "connect_timeout" not in given and "PGCONNECT_TIMEOUT" not in os.environ:
        defaults["connect_timeout"] = CONNECT_TIMEOUT
    if "application_name" not in given and "PGAPPNAME" not in os.environ:
        defaults["application_name"] = f"briefgen process {os.getpid()} on {socket.gethostname()}"[:63]
    return defaults


def postgresql_problem(url: str, error: Exception, psycopg: Any, connecting: bool) -> str:
    """The one line for a PostgreSQL store's error: what went wrong and what to do."""
    where = f"{CONFIG}: store {shown(url)}"
    message = _one_line(error)
    if isinstance(error, psycopg.ProgrammingError) and connecting:
        return (f"{where}: not a connection URL libpq accepts ({message}); write it as "
                "postgresql://USER@HOST:PORT/DATABASE")
    if isinstance(error, psycopg.errors.LockNotAvailable):
        return (f"{where}: the store is busy: another briefgen process kept it locked for {BUSY_TIMEOUT:.0f} s; "
                "try again when it has finished")
    if not isinstance(error, psycopg.Error):  # rows briefgen cannot read back
        return (f"{where}: the store's tables cannot be read ({message}). Point 'store:' at a new empty database "
                "(or drop briefgen's tables) and build again: facts are extracted again from the sources, and "
                "earlier editions keep their numbers (each edition folder holds its own record)")
    if not connecting:
        return f"{where}: the PostgreSQL server reported an error ({message}); check the server and try again"
    return f"{where}: cannot connect ({message}); {_connection_advice(url, message)}"


def _connection_advice(url: str, message: str) -> str:
    """What to do when connecting failed, by what libpq said."""
    from psycopg.conninfo import conninfo_to_dict

    given = {key: str(value) for key, value in conninfo_to_dict(url).items()}
    host, port = given.get("host", "localhost"), given.get("port", "5432")
    user, database = given.get("user", "USER"), given.get("dbname", given.get("user", "DATABASE"))
    lowered = message.lower()
    if "connection option" in lowered or "invalid uri" in lowered:
        return "write the URL as postgresql://USER@HOST:PORT/DATABASE"
    if "password" in lowered:
        return (f"give the password in the PGPASSWORD environment variable or in ~/.pgpass (a line "
                f"{host}:{port}:{database}:{user}:PASSWORD, file mode 600), never in {CONFIG}")
    if "database" in lowered and "does not exist" in lowered:
        return f"create it first: createdb -h {host} -p {port} -U {user} {database}"
    if "role" in lowered and "does not exist" in lowered:
        return f"ask the server's administrator to create role '{user}', or correct the user in 'store:'"
    if "no pg_hba.conf entry" in lowered:
        return "the server does not let this user connect from here: its administrator must allow it in pg_hba.conf"
    return f"check that the server is running and reachable at {host}:{port}, and the host and port in 'store:'"


def _one_line(error: Exception) -> str:
    """libpq's message without its line breaks and repeated prefixes."""
    text = " ".join((str(error) or type(error).__name__).split())
    return re.sub(r"^(connection failed: )+", "", text)
