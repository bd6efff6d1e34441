"""Preview: serve a project's briefs on 127.0.0.1 and rebuild them when its files change.

The preview renders HTML only, into output/_preview/, without numbering an edition or
recording a run, so template work has a fast loop and leaves the published editions alone.

Previews can hold TLP:AMBER material, so the server answers only requests addressed to this
machine by name: a Host header other than 127.0.0.1, localhost or [::1] with the server's port
(what a DNS-rebinding page would send) gets 421 and nothing of the preview. It never lists a
folder (a folder without index.html is 404), and a client that drops its connection is logged in
one line, never with a traceback.
"""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import watchfiles
from markupsafe import escape

from briefgen.assemble import assemble_brief
from briefgen.atomic import write_atomically
from briefgen.build import BuildReport, NoProgress, brief_input, brief_pool, gather, today
from briefgen.errors import BriefgenError
from briefgen.project import Project, load_project
from briefgen.render import Renderer
from briefgen.store import FactStore

PREVIEW = "_preview"
INDEX_PAGES = ("index.html", "index.htm")  # what SimpleHTTPRequestHandler serves for a folder


def preview_folder(project: Project) -> Path:
    """Where the preview is written."""
    return project.output_dir / PREVIEW


def build_preview(root: Path) -> list[Path]:
    """Render every brief for every audience as HTML into the preview folder; return the pages."""
    project = load_project(root)
    renderer = Renderer(project)
    briefs = sorted(project.briefs)
    with FactStore(project.store_path) as store:
        documents, facts = gather(project, store, briefs, BuildReport(), NoProgress())
    date, folder = today(project), preview_folder(project)
    pages = []
    for name in briefs:
        pool = brief_pool(project, name, documents, facts)
        for audience in project.audiences_for(name):
            view = assemble_brief(brief_input(project, name, audience, pool, date, None, None))
            page = folder / name / f"{audience}.html"
            write_atomically(page, renderer.html(view).encode("utf-8"))
            pages.append(page)
    write_atomically(folder / "index.html", _index(project, pages).encode("utf-8"))
    return pages


def _index(project: Project, pages: list[Path]) -> str:
    folder = preview_folder(project)
    links = "".join(f'<li><a href="{escape(page.relative_to(folder).as_posix())}">'
                    f"{escape(page.relative_to(folder).as_posix())}</a></li>" for page in pages)
    return (f"<!doctype html><html lang=en><meta charset=utf-8><title>briefgen preview</title>"
            f"<h1>briefgen preview of {escape(project.root.name)}</h1><ul>{links}</ul>"
            "<p>Pages are rebuilt when configuration, templates, static files or sources change; reload to see.</p>")


def serve(root: Path, port: int, stop: threading.Event, report: Callable[[str], None]) -> None:
    """Build the preview, serve it on 127.0.0.1:port, and rebuild on changes until `stop` is set."""
    project = load_project(root)
    _rebuild(root, report)
    handler = functools.partial(_PreviewHandler, directory=str(preview_folder(project)))
    server = _PreviewServer(("127.0.0.1", port), handler, report)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    report(f"serving http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)")
    try:
        for _ in watchfiles.watch(root, watch_filter=_Watched(project), stop_event=stop, debounce=300,
                                  raise_interrupt=False):
            _rebuild(root, report)
    finally:
        server.shutdown()
        server.server_close()


def _rebuild(root: Path, report: Callable[[str], None]) -> None:
    try:
        pages = build_preview(root)
    except BriefgenError as error:  # keep serving the last good pages
        for line in error.lines:
            report(f"error: {line}")
        return
    report(f"rebuilt {len(pages)} page(s)")


class _Watched:
    """Changes that matter: anything in the project but the output, the store and hidden folders."""

    def __init__(self, project: Project) -> None:
        self._ignored = [project.output_dir.resolve(), project.root.resolve() / ".briefgen"]
        self._store = project.store_path.resolve()

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        resolved = Path(path).resolve()
        if resolved.name.startswith(self._store.name) or "__pycache__" in resolved.parts:
            return False
        return not any(resolved.is_relative_to(folder) for folder in self._ignored)


class _PreviewServer(ThreadingHTTPServer):
    """The preview's HTTP server: knows the Host names it answers to, reports failures in one line."""

    def __init__(self, address: tuple[str, int], handler: Callable[..., Any], report: Callable[[str], None]) -> None:
        super().__init__(address, handler)
        self.report = report
        port = self.server_address[1]
        names = ("127.0.0.1", "localhost", "[::1]")
        self.hosts = {f"{name}:{port}" for name in names} | (set(names) if port == 80 else set())

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
        return self._host_allowed()

    def _host_allowed(self) -> bool:
        hosts = self.headers.get_all("Host") or []
        if len(hosts) == 1 and hosts[0].strip().lower() in self.server.hosts:
            return True
        self.close_connection = True
        shown = repr(hosts[0][:80]) if hosts else "none"
        self.server.report(f"refused a request from {_client(self.client_address)} for Host {shown}: "
                           f"only {', '.join(sorted(self.server.hosts))} are served")
        self.send_error(HTTPStatus.MISDIRECTED_REQUEST, "This preview answers only requests for "
                        f"127.0.0.1:{self.server.server_address[1]} or localhost")
        return False

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


def _client(address: Any) -> str:
    try:
        host, port = address[0], address[1]
    except (TypeError, IndexError):
        return str(address)
    return f"{host}:{port}"
