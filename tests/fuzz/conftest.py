"""The fuzz suite's tally (inputs tried, crashes, hangs, leaks, fetches), printed at the end of every run."""

from __future__ import annotations

import signal
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings

from tests.fuzz.hostile import SECRET_FILE
from tests.watch import Listener

SEEDED = settings(derandomize=True, database=None, deadline=None, print_blob=True,
                  phases=(Phase.explicit, Phase.generate),  # no shrinking: a failing input is printed whole
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                         HealthCheck.function_scoped_fixture])


def seeded(examples: int) -> settings:
    """The suite's settings: the same inputs every run (derandomized), no example database, no deadline."""
    return settings(SEEDED, max_examples=examples)


TALLY: Counter[str] = Counter()
KINDS = ("inputs", "crashes", "hangs", "leaks", "fetches")


class HangError(BaseException):
    """An input took longer than its budget (a BaseException, so no `except Exception` swallows it)."""


@contextmanager
def budget(seconds: float) -> Iterator[None]:
    """Raise HangError in the main thread when the block runs longer than `seconds`."""

    def expire(number: int, frame: Any) -> None:
        raise HangError(f"over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def fill(text: str, port: int, secret: Path) -> str:
    """Put the listener's port and the secret file's path into a generated input."""
    return text.replace("{port}", str(port)).replace(SECRET_FILE, str(secret))


@pytest.fixture(scope="session")
def secret(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A file outside every project that nothing may read."""
    path = tmp_path_factory.mktemp("outside") / "secret.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\nSECRET")
    return path


@pytest.fixture(scope="session")
def listener() -> Iterator[Listener]:
    """A listener on 127.0.0.1 that counts every connection (a fetch)."""
    watching = Listener()
    yield watching
    TALLY["fetches"] += watching.connections
    watching.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the tally when the fuzz suite ran."""
    if TALLY["inputs"]:
        counts = ", ".join(f"{kind} {TALLY[kind]}" for kind in KINDS[1:])
        terminalreporter.write_line(f"fuzz: {TALLY['inputs']} inputs tried; {counts}")

