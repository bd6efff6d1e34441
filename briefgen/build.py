"""The build pipeline: ingest → extract → store → assemble → render → write.

`build()` reads as the pipeline; each step is a named function below it.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
import zoneinfo
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from briefgen.assemble import BriefInput, assemble_brief, select_documents
from briefgen.errors import BriefgenError
from briefgen.facts import Document, DocumentFacts
from briefgen.ingest import IngestResult, find_sources, read_sources
from briefgen.project import Project
from briefgen.render import Renderer
from briefgen.store import FactStore

FORMATS = ("html", "pdf")


class Progress(Protocol):
    """What the pipeline reports progress to (the CLI shows it; tests ignore it)."""

    def step(self, label: str, total: int) -> None:
        """A new step of `total` units begins."""

    def advance(self, units: int = 1) -> None:
        """Units of the current step are done."""


class NoProgress:
    """A Progress that shows nothing."""

    def step(self, label: str, total: int) -> None:
        """Ignore."""

    def advance(self, units: int = 1) -> None:
        """Ignore."""


@dataclass
class WrittenFile:
    """One output file of a build."""

    brief: str
    audience: str
    format: str
    path: Path
    size: int
    pages: int | None = None


@dataclass
class BuildReport:
    """What a build did."""

    written: list[WrittenFile] = field(default_factory=list)
    documents: int = 0
    extracted: int = 0
    words_extracted: int = 0
    extract_seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class BuildRequest:
    """What to build: brief and audience names (None: all) and formats."""

    briefs: list[str] | None = None
    audiences: list[str] | None = None
    formats: tuple[str, ...] = FORMATS
    build_date: dt.date | None = None


def build(project: Project, request: BuildRequest, progress: Progress | None = None) -> BuildReport:
    """Build the requested briefs; return what was written."""
    progress = progress or NoProgress()
    started = time.perf_counter()
    report = BuildReport()
    briefs = _chosen_briefs(project, request.briefs)
    build_date = request.build_date or today(project)
    documents, facts = gather(project, briefs, report, progress)
    renderer = Renderer(project)
    for name in briefs:
        for audience in _chosen_audiences(project, name, request.audiences):
            given = _brief_input(project, name, audience, documents, facts, build_date)
            report.written += render_brief(project, renderer, given, request.formats, report, progress)
    report.seconds = time.perf_counter() - started
    return report


def gather(project: Project, briefs: list[str], report: BuildReport,
           progress: Progress) -> tuple[list[Document], list[DocumentFacts]]:
    """Ingest the briefs' sources, extract what the store lacks, and return documents with their facts."""
    with FactStore(project.store_path) as store:
        ingested = ingest(project, _source_globs(project, briefs))
        report.skipped, report.documents = ingested.skipped, len(ingested.documents)
        refresh_store(project, store, ingested.documents, report, progress)
        return ingested.documents, store.facts(document.id for document in ingested.documents)


def current_facts(project: Project, request: BuildRequest,
                  progress: Progress) -> tuple[list[Document], list[DocumentFacts]]:
    """The documents (within each brief's window) and their facts, the store brought up to date first."""
    briefs = _chosen_briefs(project, request.briefs)
    documents, facts = gather(project, briefs, BuildReport(), progress)
    build_date = request.build_date or today(project)
    chosen: dict[str, Document] = {}
    for name in briefs:
        brief = project.briefs[name]
        for document in select_documents(_matching(project, brief.sources, documents), brief.window,
                                         build_date, releasable_only=False):
            chosen[document.id] = document
    kept = [document for document in documents if document.id in chosen]
    return kept, [item for item in facts if item.doc in chosen]


def today(project: Project) -> dt.date:
    """The build date in the project's time zone."""
    return dt.datetime.now(zoneinfo.ZoneInfo(project.settings.timezone)).date()


def ingest(project: Project, patterns: Iterable[str]) -> IngestResult:
    """Read every source file the patterns match."""
    return read_sources(find_sources(project.root, patterns), project.root)


def refresh_store(project: Project, store: FactStore, documents: list[Document],
                  report: BuildReport, progress: Progress) -> None:
    """Extract the documents the store does not know yet and save them in one transaction."""
    from briefgen.extract import EXTRACTOR_VERSION, Extractor  # spaCy loads only when needed

    known = store.extracted_ids(EXTRACTOR_VERSION)
    new = list({doc.id: doc for doc in documents if doc.id not in known}.values())
    if not new:
        return
    progress.step("Extracting facts", len(new))
    started = time.perf_counter()
    extractor = Extractor(project.gazetteer)
    pairs: list[tuple[Document, DocumentFacts]] = []
    for document, facts in zip(new, extractor.extract(new), strict=True):
        pairs.append((document, facts))
        progress.advance()
    report.extract_seconds = time.perf_counter() - started
    report.extracted = store.save(pairs, EXTRACTOR_VERSION)
    report.words_extracted = sum(len(document.text.split()) for document in new)


def render_brief(project: Project, renderer: Renderer, given: BriefInput, formats: tuple[str, ...],
                 report: BuildReport, progress: Progress) -> list[WrittenFile]:
    """Assemble one brief for one audience and write each requested format."""
    progress.step(f"Rendering {given.name} for {given.audience_name}", len(formats))
    view = assemble_brief(given)
    folder = project.output_dir / given.name / given.build_date.isoformat()
    written = []
    for fmt in formats:
        pages = None
        if fmt == "pdf":
            content, pages = renderer.pdf(view)
        else:
            content = renderer.html(view).encode("utf-8")
        path = folder / f"{given.audience_name}.{fmt}"
        write_atomically(path, content)
        written.append(WrittenFile(given.name, given.audience_name, fmt, path, len(content), pages))
        _check_pages(given, pages, report)
        progress.advance()
    return written


def write_atomically(path: Path, content: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with _temporary_beside(path) as temporary:
        temporary.write_bytes(content)
        os.replace(temporary, path)


@contextmanager
def _temporary_beside(path: Path) -> Iterator[Path]:
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
    finally:
        temporary.unlink(missing_ok=True)


def _check_pages(given: BriefInput, pages: int | None, report: BuildReport) -> None:
    limit = given.audience.max_pages
    if pages is not None and limit is not None and pages > limit:
        report.warnings.append(
            f"{given.name}/{given.audience_name}.pdf has {pages} pages; the audience allows {limit}"
        )


def _brief_input(project: Project, name: str, audience: str, documents: list[Document],
                 facts: list[DocumentFacts], build_date: dt.date) -> BriefInput:
    brief, audience_config = project.briefs[name], project.audiences[audience]
    candidates = _matching(project, brief.sources, documents)
    chosen = select_documents(candidates, brief.window, build_date, audience_config.releasable_only)
    now = dt.datetime.now(zoneinfo.ZoneInfo(project.settings.timezone))
    return BriefInput(
        name=name, brief=brief, audience_name=audience, audience=audience_config,
        settings=project.settings, documents=chosen, facts=facts,
        judgments=project.judgments.get(name), build_date=build_date,
        generated_at=now.strftime("%d %B %Y %H:%M %Z"),
    )


def _matching(project: Project, patterns: list[str], documents: list[Document]) -> list[Document]:
    matched = {path.relative_to(project.root).as_posix() for path in find_sources(project.root, patterns)}
    return [document for document in documents if document.path in matched]


def _chosen_briefs(project: Project, names: list[str] | None) -> list[str]:
    for name in names or []:
        if name not in project.briefs:
            raise BriefgenError(f"unknown brief '{name}'; valid briefs: {', '.join(sorted(project.briefs))}")
    return names or sorted(project.briefs)


def _chosen_audiences(project: Project, brief: str, names: list[str] | None) -> list[str]:
    valid = project.audiences_for(brief)
    for name in names or []:
        if name not in project.audiences:
            raise BriefgenError(f"unknown audience '{name}'; valid audiences: {', '.join(sorted(project.audiences))}")
    return [name for name in valid if names is None or name in names]


def _source_globs(project: Project, briefs: list[str]) -> list[str]:
    return [pattern for name in briefs for pattern in project.briefs[name].sources]
