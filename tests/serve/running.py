"""A preview server run in a thread for a test, and an HTTP client that sends exactly the headers given."""

from __future__ import annotations

import http.client
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.serve import serve
from tests.serve.test_serve import wait_for
from tests.servers import free_port

HOSTILE = """---
title: "Desk note: governor <b>warns</b> on Mosul checkpoints"
published: 2025-11-20
outlet: Test Desk
releasable: true
---

Desk note: governor warns on Mosul checkpoints

"We will not allow <script>alert('pwned')</script> or <img src=x onerror=alert(1)> near Mosul again," \
Governor Abdul Qadir al-Dakhil said on Tuesday, according to a statement from his office.

Security forces in Mosul said they had arrested four suspects.
"""


@dataclass
class Running:
    """A server running for a test: where it listens and what it reported."""

    root: Path
    host: str
    port: int
    lines: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: str


@contextmanager
def running(root: Path, host: str = "127.0.0.1", token: str | None = None) -> Iterator[Running]:
    """`briefgen serve` on a free port of `host`, in a thread, until the block ends."""
    server = Running(root, host, free_port())
    stop = threading.Event()
    thread = threading.Thread(target=serve, args=(root, server.port, stop, server.lines.append),
                              kwargs={"host": host, "token": token}, daemon=True)
    thread.start()
    assert wait_for(lambda: any(line.startswith("serving") for line in server.lines), 120), server.lines
    try:
        yield server
    finally:
        stop.set()
        thread.join(timeout=20)


def request(server: Running, method: str, path: str, form: dict[str, str] | list[tuple[str, str]] | None = None,
            headers: dict[str, str] | None = None, body: bytes | None = None) -> Reply:
    """One request; a form is sent urlencoded. Headers are sent as given (Host: the server's own)."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
    try:
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
        sent = {"Host": f"{server.host}:{server.port}"}
        if body is not None:
            sent |= {"Content-Type": "application/x-www-form-urlencoded", "Content-Length": str(len(body))}
        sent |= headers or {}
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in sent.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        response = connection.getresponse()
        return Reply(response.status, {name.lower(): value for name, value in response.getheaders()},
                     response.read().decode("utf-8", "replace"))
    finally:
        connection.close()
