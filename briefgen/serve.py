"""Preview: serve a project's briefs on 127.0.0.1 and rebuild them when its files change.

The preview renders HTML only, into output/_preview/, without numbering an edition or
recording a run, so template work has a fast loop and leaves the published editions alone.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
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
    handler = functools.partial(_QuietHandler, directory=str(preview_folder(project)))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
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


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging every request to the terminal."""

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""
