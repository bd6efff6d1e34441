"""Preview: serve a project's briefs on 127.0.0.1 and rebuild them when its files change.

The preview renders HTML only, into output/_preview/, without numbering an edition or
recording a run, so template work has a fast loop and leaves the published editions alone.

Previews can hold TLP:AMBER material, so the server answers only requests addressed to this
machine by name: a Host header other than 127.0.0.1, localhost or [::1] with the server's port
(what a DNS-rebinding page would send) gets 421 and nothing of the preview. It never lists a
folder (a folder without index.html is 404), and a client that drops its connection is logged in
one line, never with a traceback.

The same server answers the review page under /review/ (see briefgen.reviewpage). Bound to an
address other than a loopback one (`--host`), it asks for a token: the URL printed once carries it,
a request with it gets an HttpOnly cookie, and any request with neither is 401, preview files included.
"""

from __future__ import annotations

import functools
import hmac
import ipaddress
import secrets
import socket
import sys
import threading
import urllib.parse
from collections.abc import Callable
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import watchfiles
from markupsafe import escape

from briefgen.assemble import assemble_brief
from briefgen.assemble.bounded import bound
from briefgen.atomic import write_atomically
from briefgen.build import BuildReport, NoProgress, brief_input, brief_pool, gather, today
from briefgen.errors import BriefgenError
from briefgen.project import Project, load_project
from briefgen.render import Renderer
from briefgen.reviewpage import ReviewSite, answer_review
from briefgen.store import FactStore

PREVIEW = "_preview"
LOOPBACK = "127.0.0.1"
TOKEN_COOKIE = "briefgen_token_{port}"  # by port: cookies are shared by every port of a host
_BUILDING = threading.Lock()  # one preview build at a time: the watcher's and the review page's
INDEX_PAGES = ("index.html", "index.htm")  # what SimpleHTTPRequestHandler serves for a folder


def preview_folder(project: Project) -> Path:
    """Where the preview is written."""
    return project.output_dir / PREVIEW


def build_preview(root: Path, briefs: list[str] | None = None) -> list[Path]:
    """Render briefs (default: every one) for every audience as HTML into the preview folder; return the pages."""
    with _BUILDING:
        project = load_project(root)
        renderer = Renderer(project)
        names = sorted(project.briefs) if briefs is None else sorted(set(briefs) & set(project.briefs))
        with FactStore(project.store_location) as store:
            documents, facts = gather(project, store, names, BuildReport(), NoProgress())
        date, folder = today(project), preview_folder(project)
        pages = []
        for name in names:
            pool = brief_pool(project, name, documents, facts)
            for audience in project.audiences_for(name):
                whole = assemble_brief(brief_input(project, name, audience, pool, date, None, None))
                view = bound(whole, project.audiences[audience].max_citations).view
                page = preview_page(project, name, audience)
                write_atomically(page, renderer.html(view).encode("utf-8"))
                pages.append(page)
        every = [preview_page(project, name, audience) for name in sorted(project.briefs)
                 for audience in project.audiences_for(name)]
        write_atomically(folder / "index.html", _index(project, every).encode("utf-8"))
    return pages


def preview_page(project: Project, brief: str, audience: str) -> Path:
    """Where the preview of one brief for one audience is written."""
    return preview_folder(project) / brief / f"{audience}.html"


def _index(project: Project, pages: list[Path]) -> str:
    folder = preview_folder(project)
    links = "".join(f'<li><a href="{escape(page.relative_to(folder).as_posix())}">'
                    f"{escape(page.relative_to(folder).as_posix())}</a></li>" for page in pages)
    return (f"<!doctype html><html lang=en><meta charset=utf-8><title>briefgen preview</title>"
            f"<h1>briefgen preview of {escape(project.root.name)}</h1><ul>{links}</ul>"
            '<p><a href="/review/">Review the facts of a brief</a></p>'
            "<p>Pages are rebuilt when configuration, templates, static files or sources change; reload to see.</p>")


def serve(root: Path, port: int, stop: threading.Event, report: Callable[[str], None], host: str = LOOPBACK,
          token: str | None = None) -> None:
    """Build the preview, serve it and the review page on host:port, and rebuild on changes until `stop` is set.

    On an address that is not a loopback one, requests need `token` (one is made when none is given).
    """
    project = load_project(root)
    _rebuild(root, report)
    if not is_loopback(host):
        token = token or secrets.token_urlsafe(24)
    elif token is not None:
        report("note: --token is not needed on a loopback address; it is asked for all the same")
    site = ReviewSite(root, rebuild=lambda brief: _rebuild(root, report, [brief]), page_of=preview_page,
                      report=report)
    handler = functools.partial(_PreviewHandler, directory=str(preview_folder(project)))
    server = _PreviewServer((host, port), handler, report, token, site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://{_url_host(host)}:{server.server_address[1]}/"
    report(f"serving {base} (review: {base}review/) (Ctrl-C to stop)")
    if token is not None:
        report(f"open {base}?token={urllib.parse.quote(token)} once in the browser; requests without it get 401")
    try:
        for _ in watchfiles.watch(root, watch_filter=_Watched(project), stop_event=stop, debounce=300,
                                  raise_interrupt=False):
            _rebuild(root, report)
    finally:
        server.shutdown()
        server.server_close()


def is_loopback(host: str) -> bool:
    """Whether an address to bind (a name or an IP) is this machine's loopback."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    """A host as written in a URL: IPv6 addresses in brackets."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _rebuild(root: Path, report: Callable[[str], None], briefs: list[str] | None = None) -> bool:
    """Build the preview (of `briefs`, default all); report an error in lines and keep the last good pages."""
    try:
        pages = build_preview(root, briefs)
    except BriefgenError as error:  # keep serving the last good pages
        for line in error.lines:
            report(f"error: {line}")
        return False
    report(f"rebuilt {len(pages)} page(s)")
    return True


class _Watched:
    """Changes that matter: anything in the project but the output, the store and hidden folders."""

    def __init__(self, project: Project) -> None:
        self._ignored = [project.output_dir.resolve(), project.root.resolve() / ".briefgen"]
        store = project.store_location
        self._store = Path(store).resolve().name if isinstance(store, Path) else None  # a SQLite file and its -wal

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        resolved = Path(path).resolve()
        if (self._store and resolved.name.startswith(self._store)) or "__pycache__" in resolved.parts:
            return False
        return not any(resolved.is_relative_to(folder) for folder in self._ignored)


class _PreviewServer(ThreadingHTTPServer):
    """The preview's HTTP server: knows the Host names it answers to, reports failures in one line."""

    def __init__(self, address: tuple[str, int], handler: Callable[..., Any], report: Callable[[str], None],
                 token: str | None = None, site: ReviewSite | None = None) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)
        self.report = report
        self.token = token
        self.site = site
        port = self.server_address[1]
        names = {"127.0.0.1", "localhost", "[::1]"}
        bound = _url_host(address[0]).lower()
        self.any_host = bound in ("0.0.0.0", "[::]")  # every address of the machine: the token guards it
        if not self.any_host:
            names.add(bound)
        self.hosts = {f"{name}:{port}" for name in names} | (names if port == 80 else set())

    def host_allowed(self, host: str) -> bool:
        """Whether a Host header names this server."""
        host = host.strip().lower()
        if host in self.hosts:
            return True
        port = str(self.server_address[1])
        return self.any_host and host.rpartition(":")[2] == port and len(host) <= 300

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One line for a request that failed (usually a client gone mid-answer), not a traceback."""
        error = sys.exc_info()[1]
        client = _client(client_address)
        if isinstance(error, (ConnectionError, TimeoutError)):
            self.report(f"client {client} dropped the connection ({type(error).__name__})")
        else:
            self.report(f"error answering {client}: {type(error).__name__}: {' '.join(str(error).split())}")


class _PreviewHandler(SimpleHTTPRequestHandler):
    """Serves the preview folder's files, only to requests for this machine; never lists a folder."""

    server: _PreviewServer
    raw_requestline: bytes
    timeout = 60  # seconds a silent client may hold its connection

    def setup(self) -> None:
        """Open the connection's streams; reading lines is watched to tell when the client closed."""
        super().setup()
        self._lines = _LastLine(self.rfile)
        self.rfile = self._lines  # type: ignore[assignment]

    def parse_request(self) -> bool:
        """Parse the request; drop it if the client left mid-way, refuse it if it is not for this machine."""
        complete = self.raw_requestline.endswith(b"\n")
        if complete and not super().parse_request():
            return False
        if not complete or self._lines.last == b"":
            self.close_connection = True
            self.server.report(f"client {_client(self.client_address)} closed the connection before "
                               "finishing its request")
            return False
        return self._host_allowed() and self._token_given()

    def _host_allowed(self) -> bool:
        hosts = self.headers.get_all("Host") or []
        if len(hosts) == 1 and self.server.host_allowed(hosts[0]):
            return True
        self.close_connection = True
        shown = repr(hosts[0][:80]) if hosts else "none"
        self.server.report(f"refused a request from {_client(self.client_address)} for Host {shown}: "
                           f"only {', '.join(sorted(self.server.hosts))} are served")
        self.send_error(HTTPStatus.MISDIRECTED_REQUEST, "This preview answers only requests for "
                        f"127.0.0.1:{self.server.server_address[1]} or localhost")
        return False

    def _token_given(self) -> bool:
        """With a token set: a request with the cookie passes; one with ?token= gets the cookie; others 401."""
        token, cookie = self.server.token, TOKEN_COOKIE.format(port=self.server.server_address[1])
        if token is None or _matches(token, _cookie(self.headers.get("Cookie", ""), cookie)):
            return True
        parts = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        given = [value for name, value in query if name == "token"]
        self.close_connection = True
        if self.command in ("GET", "HEAD") and len(given) == 1 and _matches(token, given[0]):
            rest = urllib.parse.urlencode([(name, value) for name, value in query if name != "token"])
            self.send_response(HTTPStatus.SEE_OTHER)
            here = "/" + parts.path.lstrip("/")  # never "//elsewhere": that would leave this server
            self.send_header("Location", here + (f"?{rest}" if rest else ""))
            self.send_header("Set-Cookie", f"{cookie}={token}; HttpOnly; SameSite=Strict; Path=/")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return False
        self.server.report(f"refused a request from {_client(self.client_address)} without the token")
        self.send_error(HTTPStatus.UNAUTHORIZED, "This server needs its token: open the URL it printed, "
                        "with ?token=")
        return False

    def do_GET(self) -> None:
        """The review page under /review/, else a preview file."""
        if not answer_review(self, self.server.site):
            super().do_GET()

    def do_HEAD(self) -> None:
        """As GET, without the body."""
        if not answer_review(self, self.server.site):
            super().do_HEAD()

    def do_POST(self) -> None:
        """Decisions of the review page; nothing else takes a POST."""
        if not answer_review(self, self.server.site):
            self.close_connection = True
            self.send_error(HTTPStatus.METHOD_NOT_ALLOWED, "Only the review page takes a POST")

    def send_head(self) -> Any:
        """A file, or a folder's index.html; a folder without one is 404, never a listing."""
        path = Path(self.translate_path(self.path))
        if path.is_dir() and not any((path / name).is_file() for name in INDEX_PAGES):
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        return super().send_head()

    def list_directory(self, path: Any) -> None:
        """Never list a folder."""
        self.send_error(HTTPStatus.NOT_FOUND, "File not found")

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the preview reports only what needs attention."""


class _LastLine:
    """A request's input stream that remembers the last line read: b"" once the client has closed."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.last = b"\n"

    def readline(self, limit: int = -1) -> bytes:
        """Read a line, remembering it."""
        self.last = self._stream.readline(limit)
        return self.last

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _matches(token: str, given: str | None) -> bool:
    """A given token equals the server's, compared in constant time."""
    return given is not None and hmac.compare_digest(token.encode(), given.encode())


def _cookie(header: str, name: str) -> str | None:
    """One cookie's value from a Cookie header."""
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def _client(address: Any) -> str:
    try:
        host, port = address[0], address[1]
    except (TypeError, IndexError):
        return str(address)
    return f"{host}:{port}"
