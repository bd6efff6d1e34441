"""Preview server hardening, with real HTTP requests: Host check (DNS rebinding), no folder listings,
one-line reports for clients that drop their connection."""

from __future__ import annotations

import http.client
import socket
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from briefgen.serve import serve
from tests.conftest import copy_example
from tests.serve.test_serve import wait_for
from tests.servers import free_port


@dataclass
class Preview:
    port: int
    lines: list[str]


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    """The example project's preview, served once for every test of this module."""
    root = copy_example(tmp_path_factory.mktemp("serve") / "project")
    running = Preview(free_port(), [])
    stop = threading.Event()
    thread = threading.Thread(target=serve, args=(root, running.port, stop, running.lines.append), daemon=True)
    thread.start()
    assert wait_for(lambda: any(line.startswith("serving") for line in running.lines))
    yield running
    stop.set()
    thread.join(timeout=10)


def get(port: int, path: str, host: str | None) -> tuple[int, str]:
    """GET `path` with exactly the given Host header (None: no Host header at all)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LocalHost:{port}", "[::1]:{port}"])
def test_requests_for_this_machine_are_served(preview: Preview, host: str) -> None:
    status, body = get(preview.port, "/iraq-security/analyst.html", host.format(port=preview.port))
    assert status == 200 and "Iraq Security Situation Brief" in body and "TLP:AMBER" in body


@pytest.mark.parametrize("host", [
    "attacker.example:{port}",  # a DNS-rebinding page: its own name, resolved to 127.0.0.1
    "attacker.example", "127.0.0.1", "localhost", "127.0.0.1:{other}", "localhost.:{port}",
    "127.0.0.2:{port}", "0.0.0.0:{port}", "",
])
def test_any_other_host_gets_421_and_nothing_of_the_preview(preview: Preview, host: str) -> None:
    value = host.format(port=preview.port, other=preview.port + 1)
    for path in ("/", "/iraq-security/analyst.html"):
        status, body = get(preview.port, path, value)
        assert status == 421
        assert "Iraq" not in body and "TLP" not in body and "analyst.html" not in body
    assert any("refused a request" in line and "for Host" in line for line in preview.lines)


def test_a_request_without_a_host_or_with_two_is_refused(preview: Preview) -> None:
    assert get(preview.port, "/", None)[0] == 421
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=5)
    try:
        connection.putrequest("GET", "/iraq-security/analyst.html", skip_host=True)
        connection.putheader("Host", f"127.0.0.1:{preview.port}")
        connection.putheader("Host", "attacker.example")
        connection.endheaders()
        response = connection.getresponse()
        assert response.status == 421 and "Iraq" not in response.read().decode()
    finally:
        connection.close()


@pytest.mark.parametrize("path", ["/iraq-security/", "/iraq-security", "/iraq-security/../iraq-security/"])
def test_a_folder_without_index_html_is_404_never_a_listing(preview: Preview, path: str) -> None:
    status, body = get(preview.port, path, f"127.0.0.1:{preview.port}")
    assert status == 404
    assert "analyst.html" not in body and "Directory listing" not in body


def test_the_preview_index_is_still_served(preview: Preview) -> None:
    status, body = get(preview.port, "/", f"localhost:{preview.port}")
    assert status == 200 and "iraq-security/analyst.html" in body


@pytest.mark.parametrize("half", [b"GET /iraq-security/analyst.html HT",
                                  b"GET /iraq-security/analyst.html HTTP/1.1\r\nHost: 127.0.0.1:"])
def test_a_client_dropping_the_connection_is_one_line_without_traceback(
        preview: Preview, half: bytes, capfd: pytest.CaptureFixture[str]) -> None:
    before = len(preview.lines)
    with socket.create_connection(("127.0.0.1", preview.port), timeout=5) as client:
        client.sendall(half)
    assert wait_for(lambda: len(preview.lines) > before, 10)
    new = preview.lines[before:]
    assert len(new) == 1 and new[0].startswith("client 127.0.0.1:")
    assert "closed the connection before finishing its request" in new[0] and "\n" not in new[0]
    status, _ = get(preview.port, "/", f"127.0.0.1:{preview.port}")  # the server carries on
    assert status == 200
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err + captured.out


def test_a_client_leaving_mid_answer_is_one_line_without_traceback(
        preview: Preview, capfd: pytest.CaptureFixture[str]) -> None:
    for _ in range(5):
        with socket.create_connection(("127.0.0.1", preview.port), timeout=5) as client:
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            client.sendall(f"GET /iraq-security/analyst.html HTTP/1.1\r\nHost: 127.0.0.1:{preview.port}\r\n\r\n"
                           .encode())
        # closed at once with a reset: the answer meets a closed connection (or is sent before it is seen)
    status, _ = get(preview.port, "/", f"127.0.0.1:{preview.port}")
    assert status == 200
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert all("\n" not in line for line in preview.lines)
