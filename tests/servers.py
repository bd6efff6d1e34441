"""Local servers for tests: a real SMTP server (aiosmtpd on 127.0.0.1), a real web server and free ports."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


class Collector:
    """An aiosmtpd handler keeping every accepted envelope; it refuses the addresses in `refuse`."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []
        self.refuse: set[str] = set()
        self.refused: Counter[str] = Counter()
        self.hang_up_once = False

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,  # noqa: N802
                          rcpt_options: list[str]) -> str:
        if address in self.refuse:
            self.refused[address] += 1
            return "550 5.1.1 <%s>: mailbox unavailable" % address  # noqa: UP031
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.hang_up_once:
            self.hang_up_once = False
            return "421 4.3.2 Service shutting down"  # smtplib closes the connection on 421
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(envelope.original_content, policy=email.policy.default)  # type: ignore[misc]
                for envelope in self.envelopes]

    def received_by(self) -> Counter[str]:
        return Counter(address for envelope in self.envelopes for address in envelope.rcpt_tos)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Route:
    """What the web server answers on one path: a status, headers and a body, sent in `chunks` pieces with
    `pause` seconds between them (a slow server), or a redirect when `location` is set."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    location: str | None = None
    chunks: int = 1
    pause: float = 0.0
    length: int | None = None  # the Content-Length to declare, when not the body's own; -1: none (close ends it)
    fail_times: int = 0  # answer 503 this many times first


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up early (the tests of limits do) is not an error here."""


class _Threaded:
    """An HTTP server on a free port of 127.0.0.1, served by a thread between `with` and its end."""

    def __init__(self) -> None:
        self._httpd = _QuietServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


class WebServer(_Threaded):
    """A real HTTP server on 127.0.0.1 in a thread, answering from `routes` (path → Route). It honours
    If-None-Match and If-Modified-Since with a 304 when the route sends ETag or Last-Modified, and keeps
    every request it got (path and headers) in `requests`."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        super().__init__()

    def url(self, path: str) -> str:
        """The full address of a path on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> int:
        """How many requests a path got."""
        return sum(1 for requested, _ in self.requests if requested == path)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers.items())))
                route = server.routes.get(self.path)
                if route is None:
                    self._send(404, {"Content-Type": "text/plain"}, b"not found")
                elif route.fail_times:
                    route.fail_times -= 1
                    self._send(503, {"Content-Type": "text/plain", "Retry-After": "0"}, b"busy")
                elif route.location is not None:
                    self._send(route.status if route.status in (301, 302, 303, 307, 308) else 302,
                               {"Location": route.location}, b"")
                elif self._unchanged(route):
                    self._send(304, dict(route.headers), b"")
                else:
                    self._answer(route)

            def _unchanged(self, route: Route) -> bool:
                etag, modified = route.headers.get("ETag"), route.headers.get("Last-Modified")
                return bool((etag and self.headers.get("If-None-Match") == etag)
                            or (modified and self.headers.get("If-Modified-Since") == modified))

            def _answer(self, route: Route) -> None:
                headers = {"Content-Type": route.content_type, **route.headers,
                           "Content-Length": str(route.length if route.length is not None else len(route.body))}
                if route.length == -1:
                    headers.pop("Content-Length")
                    headers["Connection"] = "close"
                    self.close_connection = True
                self.send_response(route.status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                size = max(1, -(-len(route.body) // route.chunks))
                try:
                    for start in range(0, len(route.body), size):
                        self.wfile.write(route.body[start:start + size])
                        self.wfile.flush()
                        time.sleep(route.pause)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up: what the slow and oversized routes are for

            def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

        return Handler


class ForwardProxy(_Threaded):
    """A real HTTP forward proxy on 127.0.0.1 in a thread (plain http only): it fetches the absolute URL each
    request names and relays the answer as it is (redirects included), keeping the URLs asked for in `asked`."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        super().__init__()
        self.url = f"http://127.0.0.1:{self.port}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                proxy.asked.append(self.path)
                request = urllib.request.Request(self.path, headers={"User-Agent": self.headers["User-Agent"]})
                opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())
                try:
                    with opener.open(request, timeout=10) as answer:
                        status, headers, body = answer.status, answer.headers, answer.read()
                except urllib.error.HTTPError as error:
                    status, headers, body = error.code, error.headers, error.read()
                self.send_response(status)
                for name, value in headers.items():
                    if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

        return Handler


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None
