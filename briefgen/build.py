"""The build pipeline: ingest → extract → store → assemble → render → write.

`build()` reads as the pipeline; each step is a named function below it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import shutil
import time
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import astuple, dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from briefgen.assemble import (
    BriefInput,
    Prepared,
    PreviousEdition,
    assemble_brief,
    judgment_snapshot,
    merged_and_corrected,
    prepare,
    prepare_documents,
    select_documents,
)
from briefgen.assemble.data_export import ExportInput, ExportWriter
from briefgen.assemble.readings import Readings
from briefgen.assemble.views import BriefView
from briefgen.atomic import write_atomically
from briefgen.editions import (
    ApprovalRecord,
    Approvals,
    EditionRecord,
    Editions,
    Runs,
    edition_folder_name,
    edition_lock,
    fits_problem,
    listed,
    point_latest,
    publish,
    staging_folder,
    write_manifest,
)
from briefgen.errors import BriefgenError
from briefgen.extract import LANGUAGE, merge_facts
from briefgen.extract.workers import (  # spaCy-free: a worker loads it
    MULTIPROCESS_MIN_DOCUMENTS,
    Extraction,
    ExtractorWorker,
)
from briefgen.facts import Document, DocumentFacts, FactSet
from briefgen.fetch import FetchReport, fetch_sources, live_entries
from briefgen.fit import FittedBrief, Fitting
from briefgen.freshness import Freshness, freshness, stale_warning
from briefgen.grading import resolve_grade
from briefgen.heap import collection_paused, keep_alive_now, kept_until_done, made_and_kept
from briefgen.ingest import IngestResult, SourceFiles, read_sources
from briefgen.ingest.cache import CACHE_FILE, SourceCache
from briefgen.inputs import edition_inputs
from briefgen.project import Project
from briefgen.readingmemory import READINGS_FILE, ReadingMemory, basis
from briefgen.render import Renderer
from briefgen.review import CORRECTIONS_FILE, apply_corrections, texts_of
from briefgen.store import ExtractionKey, FactStore, StoredExtraction
from briefgen.stories import Grouping, Signatures, Story, get_ready, group_stories
from briefgen.storymemory import MEMORY_FILE, StoryMemory

FORMATS = ("html", "pdf")
# Extracted documents saved in one transaction: facts are not all held until the end of a long extraction,
# and a build stopped part-way keeps what it finished (each batch is whole: the store is never half-written).
SAVE_BATCH = 200
EXPORT_SUFFIX = ".facts.json"  # AUDIENCE.facts.json: an audience's data export, beside its brief
# A brief drawing on this many documents has its PDFs laid out in a process of their own (`Renderer.
# use_layout_process`), each while the next audience's brief is assembled; for fewer, assembling takes less time
# than starting that process.
LAYOUT_PROCESS_FROM = 1000
# Stored documents whose facts are worth reading while a worker process extracts the few new ones: a worker takes
# about 3 s to start (importing spaCy, loading the model); reading 10,000 documents' facts, as long.
READ_AHEAD_FROM = 1000
T = TypeVar("T")


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
    editions: list[EditionRecord] = field(default_factory=list)
    run_ids: list[int] = field(default_factory=list)
    drafts: list[ApprovalRecord] = field(default_factory=list)  # audiences' editions awaiting approval
    documents: int = 0
    extracted: int = 0
    reextracted: int = 0  # of `extracted`, sources the store knew with facts no longer current
    reextract_reasons: list[str] = field(default_factory=list)
    words_extracted: int = 0
    extract_seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    corrections: int = 0  # the analysts' decisions applied (corrections.yaml)
    fetch: FetchReport | None = None  # what was fetched first, when the request asked for it
    unchanged: list[EditionRecord] = field(default_factory=list)  # latest editions no build was needed after

    def reextraction(self) -> str | None:
        """One line saying how many known sources were extracted again and why; None when none were."""
        if not self.reextracted:
            return None
        noun = "source" if self.reextracted == 1 else "sources"
        return f"{self.reextracted} {noun} re-extracted: {', '.join(self.reextract_reasons)}"


@dataclass
class BuildRequest:
    """What to build: brief and audience names (None: all) and formats."""

    briefs: list[str] | None = None
    audiences: list[str] | None = None
    formats: tuple[str, ...] = FORMATS
    build_date: dt.date | None = None
    fetch: bool = False  # fetch the briefs' feeds and pages first
    force: bool = False  # a new edition even when nothing the brief depends on changed since the last
    scheduler: str | None = None  # extract on the workers of this Dask scheduler (tcp://HOST:PORT)
    workers: int | None = None  # extract on a Dask LocalCluster of this many worker processes

    @property
    def on_cluster(self) -> bool:
        """Whether extraction runs on a Dask cluster (briefgen.extract.cluster)."""
        return self.scheduler is not None or self.workers is not None


def build(project: Project, request: BuildRequest, progress: Progress | None = None,
          trigger: str = "manual") -> BuildReport:
    """Build a new edition of each requested brief; return what was written."""
    progress = progress or NoProgress()
    started = time.perf_counter()
    report = BuildReport()
    briefs = chosen_briefs(project, request.briefs)
    build_date = request.build_date or today(project)
    if request.fetch:
        report.fetch = fetch_sources(project, briefs, progress)
        report.warnings += report.fetch.failed
    report.warnings += never_fetched(project, briefs)
    # what the build reads and keeps is left out of full collections until it ends (`heap`)
    files = SourceFiles(project.root)  # globbed once for the build
    with FactStore(project.store_location) as store, Renderer(project) as renderer, kept_until_done():
        documents = gather_documents(project, store, briefs, report, progress, request, files,
                                     read_ahead=_window(project, briefs[0], build_date, files) if briefs else None)
        report.warnings += unmatched_corrections(project, store, documents, every_brief=request.briefs is None)
        report.corrections = len(project.decisions)
        keys = store.extractions()
        for name in briefs:
            used = brief_documents(project, name, _matching(project, files, name, documents), build_date)
            inputs = brief_inputs(project, name, request, used, build_date, keys)
            edition = build_edition(project, store, renderer, name, request, used, build_date, inputs, report,
                                    progress, trigger, keys)
            report.editions += [edition] if edition else []
    report.seconds = time.perf_counter() - started
    return report


def brief_inputs(project: Project, name: str, request: BuildRequest, used: list[Document], build_date: dt.date,
                 keys: dict[str, StoredExtraction]) -> str:
    """The digest of what an edition of the brief would be made from now (see briefgen.inputs)."""
    settings = project.settings
    audiences = _chosen_audiences(project, name, request.audiences)
    folders = [project.path("config"), project.path(settings.templates), project.path(settings.static)]
    folders += [project.path(project.audiences[audience].templates or settings.templates) for audience in audiences]
    files = [project.path(settings.gazetteer), project.path(CORRECTIONS_FILE)]
    files += [project.path(logo) for audience in audiences if (logo := project.audiences[audience].logo)]
    return edition_inputs(root=project.root, build_date=build_date, audiences=audiences, formats=request.formats,
                          documents=used, keys={doc_id: stored.key for doc_id, stored in keys.items()},
                          folders=folders, files=files)


def gather(project: Project, store: FactStore, briefs: list[str], report: BuildReport,
           progress: Progress, request: BuildRequest | None = None) -> tuple[list[Document], list[DocumentFacts]]:
    """Ingest the briefs' sources, extract what the store lacks (where `request` says), and return documents
    with their facts."""
    documents = gather_documents(project, store, briefs, report, progress, request, SourceFiles(project.root))
    return documents, store.facts(document.id for document in documents)


def gather_documents(project: Project, store: FactStore, briefs: list[str], report: BuildReport,
                     progress: Progress, request: BuildRequest | None, files: SourceFiles,
                     read_ahead: Callable[[list[Document]], list[str]] | None = None) -> list[Document]:
    """Ingest the briefs' sources (those `files` finds) and extract what the store lacks (where `request` says);
    the documents whose facts are stored. `read_ahead`: see `refresh_store`."""
    with _early_extractor(project, store, request, read_ahead) as ready:
        ingested = ingest(project, _source_globs(project, briefs), files, progress)
        apply_source_options(project, briefs, ingested.documents, files)
        grade_documents(project, ingested.documents)
        ingested.documents = keep_readable_languages(ingested)
        report.skipped, report.documents = ingested.skipped, len(ingested.documents)
        report.warnings += ingested.warnings
        failed = refresh_store(project, store, ingested.documents, report, progress, request, read_ahead, ready)
    documents = [document for document in ingested.documents if document.id not in failed]
    report.documents = len(documents)
    return documents


def _early_extractor(project: Project, store: FactStore, request: BuildRequest | None,
                     read_ahead: Callable[[list[Document]], list[str]] | None
                     ) -> AbstractContextManager[ExtractorWorker | None]:
    """A worker loading spaCy while the sources are read, when the store holds enough documents for a read-ahead
    (`refresh_store`): should a few of them need extracting, it is ready sooner; should none, or more than one
    worker is for, it is stopped."""
    from briefgen.extract.world import town_index_ready  # spaCy-free

    if (read_ahead is None or (request is not None and request.on_cluster) or not town_index_ready()
            or store.document_count() < READ_AHEAD_FROM):
        return nullcontext()
    return ExtractorWorker(project.gazetteer)


def keep_readable_languages(ingested: IngestResult) -> list[Document]:
    """The documents extraction can read: those in its language or of unknown language; each other one is
    skipped with a line saying why."""
    kept = []
    for document in ingested.documents:
        language = (document.language or LANGUAGE).lower()
        if language == LANGUAGE or language.startswith(f"{LANGUAGE}-"):
            kept.append(document)
        else:
            ingested.skipped.append(f"{document.path}: in language '{document.language}'; briefgen extracts facts "
                                    f"from '{LANGUAGE}' sources only")
    return kept


def never_fetched(project: Project, briefs: list[str]) -> list[str]:
    """A line for each feed or page of the briefs that nothing has been fetched from yet."""
    return [f"config/briefs/{brief}.yaml: {entry.address}: nothing fetched from it yet; run 'briefgen fetch'"
            for brief, entry in live_entries(project, briefs)
            if not any((project.root / entry.folder(project.settings.fetch.folder)).glob("*"))]


def apply_source_options(project: Project, briefs: list[str], documents: list[Document], files: SourceFiles) -> None:
    """Give each document the outlet, language and grade of the brief source entry that yields it (the first,
    when several do): a desk names and grades a feed once, whatever the feed calls itself. A grade in the
    document's own front matter or sidecar wins over the entry's."""
    by_path = {document.path: document for document in documents}
    done: set[str] = set()
    for entry in (entry for name in briefs for entry in project.briefs[name].sources):
        if entry.outlet is None and entry.language is None and entry.grade is None:
            continue
        for path in files.sources([entry.glob(project.settings.fetch.folder)]):
            document = by_path.get(files.name(path))
            if document is None or document.path in done:
                continue
            done.add(document.path)
            document.outlet = entry.outlet or document.outlet
            document.language = entry.language or document.language
            document.grade = document.grade or entry.grade


def grade_documents(project: Project, documents: list[Document]) -> None:
    """Set each document's Admiralty grade: its own front matter's, else the project's for its outlet
    (`briefgen.grading.resolve_grade`); an ungraded document stays ungraded."""
    for document in documents:
        grade = resolve_grade(document, project.settings.grades)
        document.grade = grade.text if grade else None


def unmatched_corrections(project: Project, store: FactStore, documents: list[Document],
                          every_brief: bool) -> list[str]:
    """A line for each correction whose fact the build's sources no longer hold; a correction about a
    source the build did not read is reported only when every brief is built (else it may be another's).
    The sources' facts are read from the store only when there are corrections."""
    if not project.decisions:
        return []
    facts = store.facts(document.id for document in documents)
    applied = apply_corrections(project.decisions, merge_facts(facts), texts_of(documents, facts))
    return [f"{CORRECTIONS_FILE}: {item.line()}" for item in applied.unmatched
            if every_brief or not item.source_missing]


def corrected_facts(project: Project, documents: list[Document], facts: list[DocumentFacts]) -> FactSet:
    """The facts of these documents merged, with the analysts' corrections applied."""
    return merged_and_corrected(project.decisions, documents, facts).facts


@dataclass
class SourcePool:
    """The documents one brief draws on in this build (those its globs match, or only those in its window), with
    their facts."""

    documents: list[Document]
    facts: list[DocumentFacts]
    # What audiences that see the same documents share, prepared once: their stories, citer and corrected facts.
    shared: dict[frozenset[str], Prepared] = field(default_factory=dict)
    signatures: Signatures = field(default_factory=Signatures)  # the documents' MinHash signatures, made once
    remembered: list[Grouping] = field(default_factory=list)  # the brief's last build's (briefgen.storymemory)
    grouped: dict[frozenset[str], list[Story]] = field(default_factory=dict)  # each set of documents' stories
    groupings: list[Grouping] = field(default_factory=list)  # the groupings made in this build, in order
    # What is read from one document's facts alone, read once for every set of them (`FactIndex.read_once`)
    readings: Readings = field(default_factory=dict)

    def prepared(self, project: Project, chosen: list[Document]) -> Prepared:
        """The chosen documents grouped into stories and numbered, and their facts merged and corrected."""
        ids = frozenset(document.id for document in chosen)
        if ids not in self.shared:
            self.shared[ids] = prepare_documents(chosen, self.facts, self.stories(project, chosen, ids),
                                                 project.decisions, self.readings)
        return self.shared[ids]

    def stories(self, project: Project, chosen: list[Document], ids: frozenset[str]) -> list[Story]:
        """The chosen documents' stories, grouped with the help of the grouping (of this build, else of the brief's
        last) whose documents are most like them (`group_stories`'s `earlier`: the same stories, far fewer
        comparisons; the fewer documents differ, the fewer)."""
        if ids not in self.grouped:
            threshold = project.settings.stories.similarity
            usable = [grouping for grouping in self.groupings + self.remembered if grouping.threshold == threshold]
            earlier = max(usable, default=None, key=lambda grouping: _overlap(ids, grouping.homes.keys()))
            self.grouped[ids] = group_stories(chosen, threshold, self.signatures, earlier)
            self.groupings.append(Grouping.of(self.grouped[ids], threshold, self.signatures))
        return self.grouped[ids]


def _overlap(ids: frozenset[str], others: Iterable[str]) -> float:
    """The Jaccard similarity of two sets of document ids."""
    other = set(others)
    shared = len(ids & other)
    return shared / (len(ids) + len(other) - shared) if ids or other else 1.0


def brief_pool(project: Project, name: str, documents: list[Document], facts: list[DocumentFacts]) -> SourcePool:
    """The documents a brief's globs match (the file system is globbed once per brief, not per audience), with what
    the brief's last build learned grouping them into stories (`briefgen.storymemory`; only builds write it)."""
    matched = _matching(project, SourceFiles(project.root), name, documents)
    with StoryMemory(project.path(".briefgen") / MEMORY_FILE) as memory:
        return SourcePool(matched, facts, signatures=memory.signatures(matched), remembered=memory.groupings(name))


def build_edition(project: Project, store: FactStore, renderer: Renderer, name: str, request: BuildRequest,
                  used: list[Document], build_date: dt.date, inputs: str, report: BuildReport, progress: Progress,
                  trigger: str, keys: dict[str, StoredExtraction]) -> EditionRecord | None:
    """Render every audience of one brief into a new edition folder, publish it and record it; None, with the
    latest edition in `report.unchanged`, when that edition was made from the same inputs (unless forced).

    Holds the brief's edition lock throughout, so concurrent builds of one brief queue and take
    distinct numbers; first settles whatever a killed build of the brief left behind. `keys`: the store's
    extraction keys by document id, read once for the build.
    """
    runs, editions = Runs(store), Editions(store)
    with _edition_lock(project, store, name, progress):
        report.warnings += editions.reconcile(name, project.output_dir / name)
        runs.reap(name)
        latest = editions.latest(name)
        if latest is not None and latest.inputs == inputs and not request.force:
            report.unchanged.append(latest)
            return None
        run_id = runs.start(name, trigger)
        report.run_ids.append(run_id)
        if "pdf" in request.formats and len(used) >= LAYOUT_PROCESS_FROM:
            renderer.use_layout_process()
        try:
            with StoryMemory(project.path(".briefgen") / MEMORY_FILE) as memory, \
                    ReadingMemory(project.path(".briefgen") / READINGS_FILE) as read_before, kept_until_done():
                facts = store.facts(document.id for document in used)  # the window's facts only
                keep_alive_now()  # before the next objects made set off collections that would scan them all
                bases = reading_bases(project, keys, used)
                pool = SourcePool(used, facts, signatures=memory.signatures(used), remembered=memory.groupings(name),
                                  readings=read_before.readings(bases))
                keep_alive_now()
                record, written = _publish_edition(project, store, renderer, name, request, pool, build_date,
                                                   inputs, report, progress, trigger)
                memory.keep(name, pool.groupings, pool.signatures)
                read_before.keep(pool.readings, bases)
            report.drafts += record_drafts(project, store, record, written)
        except BaseException as error:
            runs.finish(run_id, "failed", error=_one_line(error))
            raise
        runs.finish(run_id, "succeeded", edition=record.number, documents=record.documents, files=record.files)
    report.written += written
    return record


def reading_bases(project: Project, keys: dict[str, StoredExtraction], documents: list[Document]) -> dict[str, str]:
    """What each document's readings are read from (`readingmemory.basis`): its stored extraction key (`keys`:
    the store's, by document id) and the analysts' corrections; documents whose key an older briefgen did not
    record have none."""
    corrections = hashlib.sha256(repr(project.decisions).encode()).hexdigest()
    return {document.id: basis(astuple(stored.key), corrections) for document in documents
            if (stored := keys.get(document.id)) is not None and stored.key.content}


def _publish_edition(project: Project, store: FactStore, renderer: Renderer, name: str, request: BuildRequest,
                     pool: SourcePool, build_date: dt.date, inputs: str, report: BuildReport, progress: Progress,
                     trigger: str) -> tuple[EditionRecord, list[WrittenFile]]:
    """Render into a staging folder with the edition's record, rename it into place, then record and index it."""
    editions, brief_dir = Editions(store), project.output_dir / name
    number = editions.next_number(name)
    folder = brief_dir / edition_folder_name(brief_dir, build_date, {known.folder for known in editions.all(name)})
    staging = staging_folder(brief_dir, folder.name)
    try:
        used, latest = brief_documents(project, name, pool.documents, build_date), editions.latest(name)
        previous = _previous_edition(store, latest, pool)
        written: list[WrittenFile] = []
        ages: list[tuple[str, Freshness]] = []
        # an audience this build does not render keeps its last fit; a record an older briefgen wrote is not used
        fits = dict(latest.fitted) if latest and fits_problem(latest.fitted) is None else {}
        audiences = _chosen_audiences(project, name, request.audiences)
        in_layout_order = _longest_first(project, audiences) if "pdf" in request.formats else audiences
        progress.step(f"Rendering {name} for {len(audiences)} audience{'s' * (len(audiences) != 1)}",
                      len(audiences) * (len(request.formats) + 1))

        def begun(audience: str) -> BegunBrief:
            with made_and_kept():  # the facts prepared for it, which other audiences share
                given = brief_input(project, name, audience, pool, build_date, number, previous)
            return begin_brief(renderer, given, request.formats, start=fits.get(audience))

        # each brief is finished once the next is assembled: that is done while its PDF is laid out, when the
        # renderer lays out in a process of its own; the data exports are written meanwhile (`ExportWriter`)
        with ExportWriter() as exports:
            for brief in _one_ahead(begun(audience) for audience in in_layout_order):
                given = brief.given
                rendered = finish_brief(renderer, brief, request.formats, staging, folder, report, progress, exports)
                written += rendered.written
                if "pdf" in request.formats:  # fitted to its pages now: its own limits served, or these
                    fits.pop(given.audience_name, None)
                    fits.update({given.audience_name: rendered.fit} if rendered.fit else {})
                ages.append((given.audience_name, freshness(given.documents, build_date, given.brief.stale_after)))
        written.sort(key=lambda file: audiences.index(file.audience))  # listed in the brief's order of audiences
        ages.sort(key=lambda age: audiences.index(age[0]))
        if stale := stale_warning(name, ages):
            report.warnings.append(stale)
        record = _edition_record(project, name, number, folder, build_date, used, written, trigger)
        record.inputs, record.fitted = inputs, fits
        write_manifest(staging, record)
        publish(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    editions.record(record)
    point_latest(brief_dir, folder.name)
    index = renderer.index_html(project.briefs[name].title, name, listed(editions.all(name), brief_dir))
    write_atomically(brief_dir / "index.html", index)
    return record, written


def _longest_first(project: Project, audiences: list[str]) -> list[str]:
    """The audiences by their page limit, longest first (those without one first of all), else in their order: a
    PDF is laid out while the next brief is assembled, so the build ends by laying out its shortest one."""
    return sorted(audiences, key=lambda audience: -(project.audiences[audience].max_pages or math.inf))


def record_drafts(project: Project, store: FactStore, record: EditionRecord,
                  written: list[WrittenFile]) -> list[ApprovalRecord]:
    """Record the edition's files for audiences with `approval: required` as drafts awaiting approval."""
    held = sorted({item.audience for item in written if project.audiences[item.audience].approval == "required"})
    approvals = Approvals(store)
    approvals.add_drafts(record.brief, record.number, held)
    return [item for item in approvals.of_edition(record.brief, record.number) if item.audience in held]


@contextmanager
def _edition_lock(project: Project, store: FactStore, name: str, progress: Progress) -> Iterator[None]:
    lock = edition_lock(project.root, name, store)
    if not lock.acquire():
        progress.step(f"Waiting for {lock.holder()} to finish its build of {name}", 1)
        lock.acquire(wait=True)
    try:
        yield
    finally:
        lock.release()


def _window(project: Project, name: str, build_date: dt.date,
            files: SourceFiles) -> Callable[[list[Document]], list[str]]:
    """The ids of the documents, of those given, that a brief draws on (`brief_documents`)."""
    return lambda documents: [document.id for document in brief_documents(
        project, name, _matching(project, files, name, documents), build_date)]


def brief_documents(project: Project, name: str, matched: list[Document], build_date: dt.date) -> list[Document]:
    """The documents a brief draws on: those its globs matched, inside its time window."""
    return select_documents(matched, project.briefs[name].window, build_date, releasable_only=False)


def current_facts(project: Project, request: BuildRequest,
                  progress: Progress) -> tuple[list[Document], list[DocumentFacts]]:
    """The documents (within each brief's window) and their facts, the store brought up to date first."""
    briefs = chosen_briefs(project, request.briefs)
    with FactStore(project.store_location) as store:
        documents, facts = gather(project, store, briefs, BuildReport(), progress)
    build_date = request.build_date or today(project)
    chosen = {document.id for name in briefs
              for document in brief_documents(project, name, brief_pool(project, name, documents, facts).documents,
                                              build_date)}
    return ([document for document in documents if document.id in chosen],
            [item for item in facts if item.doc in chosen])


def today(project: Project) -> dt.date:
    """The build date in the project's time zone."""
    return dt.datetime.now(zoneinfo.ZoneInfo(project.settings.timezone)).date()


def ingest(project: Project, patterns: Iterable[str], files: SourceFiles,
           progress: Progress | None = None) -> IngestResult:
    """Read every source file the patterns match (a file unchanged since the last build from the project's
    source cache); a file of a kind briefgen does not read is skipped, by name."""
    patterns = list(patterns)
    limits = project.settings.limits
    paths = files.sources(patterns)
    if progress is not None:
        progress.step("Reading sources", len(paths))
    with SourceCache(project.path(".briefgen") / CACHE_FILE, limits) as cache:
        result = read_sources(paths, project.root, limits, cache, progress.advance if progress else None)
    result.skipped += files.unsupported(patterns)
    return result


def refresh_store(project: Project, store: FactStore, documents: list[Document], report: BuildReport,
                  progress: Progress, request: BuildRequest | None = None,
                  read_ahead: Callable[[list[Document]], list[str]] | None = None,
                  ready: ExtractorWorker | None = None) -> set[str]:
    """Extract the documents whose stored facts are missing or stale and save them, SAVE_BATCH at a time.

    Facts are stale when what they were extracted with (the ExtractionKey) differs from now:
    the document's content, the extractor version, the model or the project's gazetteer.
    Extraction runs in this process or briefgen's own worker processes, or on the Dask cluster
    `request` names (then this process loads no spaCy model).
    `read_ahead` names, of the documents whose facts are current, those the caller will read next: when there
    are many of them and few documents to extract, a worker process extracts while this one reads them
    (`FactStore.read_ahead`): the worker `ready`, if one is.
    Returns the ids of documents whose extraction failed: each is named in `report.skipped`.
    """
    key = extraction_key_for(project)
    due = _due(store, documents, key, report)
    if not due:
        return set()
    from briefgen.extract.world import prepare_town_index, town_index_ready  # spaCy-free: the index of towns

    remote = request is not None and request.scheduler is not None
    if not remote and not town_index_ready():  # a remote scheduler's workers build their own
        progress.step("Building the index of towns (once per machine, about 20 s)", 1)
        prepare_town_index()
        progress.advance()
    progress.step("Extracting facts", len(due))
    started = time.perf_counter()
    failed: set[str] = set()

    def skip(document: Document, reason: str) -> None:
        failed.add(document.id)
        report.skipped.append(f"{document.path}: {reason}")
        progress.advance()

    by_id = {document.id: document for document in due}
    pairs: list[tuple[Document, DocumentFacts]] = []

    def save(extracted: Iterable[DocumentFacts]) -> None:
        for facts in extracted:
            pairs.append((by_id[facts.doc], facts))
            progress.advance()
            if len(pairs) == SAVE_BATCH:
                _save_extracted(store, pairs, key, report)
        _save_extracted(store, pairs, key, report)

    ahead = read_ahead([document for document in documents if document.id not in by_id]) if read_ahead else []
    if len(ahead) >= READ_AHEAD_FROM and len(due) < MULTIPROCESS_MIN_DOCUMENTS and not (request and request.on_cluster):
        # a worker process extracts the few new documents while this one reads the stored facts the build needs
        with Extraction(project.gazetteer, due, 1, skip, ready) as extraction:
            with made_and_kept():
                store.read_ahead(ahead)
            get_ready(project.settings.stories.similarity)  # needed next; meanwhile the worker may finish
            save(extraction)
    else:
        if ready is not None:
            ready.stop()  # not needed: its process and model are not held while others extract
        save(extract_facts(project, due, request, skip))
    report.extract_seconds = time.perf_counter() - started
    return failed


def _save_extracted(store: FactStore, pairs: list[tuple[Document, DocumentFacts]],
                    key: Callable[[Document], ExtractionKey], report: BuildReport) -> None:
    """Save a batch of extracted documents in one transaction, count them and empty the batch."""
    report.extracted += store.save(pairs, key)
    report.words_extracted += sum(len(document.text.split()) for document, _ in pairs)
    pairs.clear()


def extract_facts(project: Project, documents: list[Document], request: BuildRequest | None,
                  on_failure: Callable[[Document, str], None]) -> Iterator[DocumentFacts]:
    """The documents' facts in order: on the Dask cluster the request names, else in this process or
    briefgen's own worker processes."""
    if request is not None and request.on_cluster:
        from briefgen.extract.cluster import extract_on_cluster

        yield from extract_on_cluster(project.gazetteer, documents, scheduler=request.scheduler,
                                      workers=request.workers, on_failure=on_failure)
        return
    from briefgen.extract.extractor import extract_documents  # spaCy loads only when needed

    yield from extract_documents(project.gazetteer, documents, on_failure=on_failure)


def extraction_key_for(project: Project) -> Callable[[Document], ExtractionKey]:
    """Each document's extraction key in this project now."""
    from briefgen.extract import EXTRACTOR_VERSION
    from briefgen.extract.keys import content_digest, gazetteer_digest, model_identity

    model, gazetteer = model_identity(), gazetteer_digest(project.gazetteer)
    return lambda document: ExtractionKey(content_digest(document), EXTRACTOR_VERSION, model, gazetteer)


def _due(store: FactStore, documents: list[Document], key: Callable[[Document], ExtractionKey],
         report: BuildReport) -> list[Document]:
    """The documents to extract (once each); `report` counts the known ones due again and says why."""
    stored = store.extractions()
    paths = {item.path for item in stored.values()}
    due: dict[str, Document] = {}
    for document in documents:
        if document.id in due:
            continue
        why = stale_reasons(key(document), stored.get(document.id), document.path in paths)
        if why is None:
            continue
        due[document.id] = document
        report.reextracted += bool(why)
        report.reextract_reasons += [reason for reason in why if reason not in report.reextract_reasons]
    return list(due.values())


def stale_reasons(key: ExtractionKey, stored: StoredExtraction | None, path_known: bool) -> list[str] | None:
    """Why a document must be extracted: None when its stored facts are current, [] when it is a new
    source, else each way in which what its facts were extracted with differs from `key`."""
    if stored is None:
        return ["source changed"] if path_known else []
    if not stored.key.content:
        return ["stored by an older briefgen"]
    before = stored.key
    reasons = [reason for reason, changed in (
        ("source changed", before.content != key.content),
        ("extractor version changed", before.extractor != key.extractor),
        ("model changed", before.model != key.model),
        ("gazetteer changed", before.gazetteer != key.gazetteer),
    ) if changed]
    return reasons or None


@dataclass
class RenderedBrief:
    """One audience's brief as written: its files, and the limits it was cut to (None: its own served)."""

    written: list[WrittenFile]
    fit: dict[str, Any] | None


@dataclass
class BegunBrief:
    """One audience's brief assembled, its fitting to its pages under way (`begin_brief`; `finish_brief` writes it)."""

    given: BriefInput
    prepared: Prepared
    whole: BriefView
    export: str
    fitting: Fitting


def begin_brief(renderer: Renderer, given: BriefInput, formats: tuple[str, ...],
                start: dict[str, Any] | None = None) -> BegunBrief:
    """Assemble one audience's brief and start fitting it to its pages (`briefgen.fit.Fitting`)."""
    with made_and_kept():  # the indexes and readings made, kept for the other audiences (briefgen.heap)
        prepared = prepare(given)
        whole = assemble_brief(given, prepared)
    export = export_file_name(given.audience_name)
    return BegunBrief(given, prepared, whole, export, Fitting(renderer, given, prepared, whole, export,
                                                              "pdf" in formats, start))


def finish_brief(renderer: Renderer, begun: BegunBrief, formats: tuple[str, ...], staging: Path, final: Path,
                 report: BuildReport, progress: Progress, exports: ExportWriter) -> RenderedBrief:
    """Fit a begun brief to its pages and write each requested format into `staging`, and have `exports` write its
    data export there."""
    given = begun.given
    fitted = begun.fitting.result()
    with collection_paused():  # what the export makes dies with it, freed by reference counts (briefgen.heap)
        write_export(given, begun.prepared, begun.whole, fitted, staging / begun.export, exports)
    written: list[WrittenFile] = []
    progress.advance()
    for fmt in formats:
        pages = None
        if fmt == "pdf":
            content, pages = fitted.pdf or b"", fitted.pages
            report.warnings += [f"{given.name}/{given.audience_name}.pdf: refused to load {url}: only data: URLs "
                                "and files in the project's templates and static folders are loaded"
                                for url in fitted.refused]
        else:
            content = renderer.html(fitted.bounded.view).encode("utf-8")
        name = f"{given.audience_name}.{fmt}"
        write_atomically(staging / name, content)
        written.append(WrittenFile(given.name, given.audience_name, fmt, final / name, len(content), pages))
        _check_pages(given, pages, fitted.dropped, report)
        progress.advance()
    return RenderedBrief(written, fitted.fit)


def export_file_name(audience: str) -> str:
    """The name of an audience's data export in the edition folder."""
    return f"{audience}{EXPORT_SUFFIX}"


def write_export(given: BriefInput, prepared: Prepared, whole: BriefView, fitted: FittedBrief, path: Path,
                 exports: ExportWriter) -> None:
    """Have the audience's data export (`assemble.data_export`) written atomically to `path` by the edition's
    `exports`. It lies beside the brief in the edition folder but is not one of the edition's files: deliveries
    carry the HTML and PDF."""
    exports.write(ExportInput(
        view=whole, numbers=fitted.bounded.numbers, documents=given.documents, facts=prepared.facts,
        releasable_only=given.audience.releasable_only, max_citations=given.audience.max_citations,
        max_pages=given.audience.max_pages, dropped_to_fit=fitted.dropped), path)


def _check_pages(given: BriefInput, pages: int | None, dropped: list[str], report: BuildReport) -> None:
    """Warn when the PDF is still longer than the audience allows, saying what was dropped trying to fit it."""
    limit = given.audience.max_pages
    if pages is not None and limit is not None and pages > limit:
        tried = f"; dropped {', '.join(dropped)} and it still does not fit" if dropped else ""
        report.warnings.append(
            f"{given.name}/{given.audience_name}.pdf has {pages} pages; the audience allows {limit}{tried}"
        )


def brief_input(project: Project, name: str, audience: str, pool: SourcePool, build_date: dt.date,
                 edition: int | None, previous: PreviousEdition | None) -> BriefInput:
    """Everything one audience's brief is assembled from: its documents, facts, configuration and texts."""
    brief, audience_config = project.briefs[name], project.audiences[audience]
    chosen = select_documents(pool.documents, brief.window, build_date, audience_config.releasable_only)
    if previous is not None and audience_config.releasable_only:
        previous = _releasable_part(previous)
    now = dt.datetime.now(zoneinfo.ZoneInfo(project.settings.timezone))
    return BriefInput(
        name=name, brief=brief, audience_name=audience, audience=audience_config,
        settings=project.settings, documents=chosen, facts=pool.facts,
        judgments=project.judgments.get(name), build_date=build_date,
        generated_at=f"{now.day} {now:%B %Y %H:%M %Z}", created=now.isoformat(timespec="seconds"),
        edition=edition, previous=previous,
        logo=project.logo_uri(audience), next_issue=next_issue(project, name, audience),
        gazetteer=project.gazetteer, section_texts=project.section_texts.get(name, {}),
        decisions=project.decisions, prepared=pool.prepared(project, chosen),
    )


def next_issue(project: Project, brief: str, audience: str) -> str | None:
    """When the brief's schedules next build this audience, in the schedule's own time zone."""
    from briefgen.schedule import jobs, next_runs, now_utc

    upcoming = [run for job in jobs(project)
                if job.brief == brief and audience in (job.schedule.audiences or project.audiences_for(brief))
                for run in next_runs(job, now_utc(), 1)]  # none when a schedule has no next run
    if not upcoming:
        return None
    first = min(upcoming)
    return f"{first:%A} {first.day} {first:%B %Y %H:%M %Z}"


def _previous_edition(store: FactStore, last: EditionRecord | None, pool: SourcePool) -> PreviousEdition | None:
    """The latest edition's documents and facts, for the changes since it. The store holds one set of facts per
    document, so those of documents this build also draws on are the pool's own, not read (and held) twice."""
    if last is None:
        return None
    documents = {document.id: document for document in pool.documents}
    facts = {item.doc: item for item in pool.facts}
    missing = [doc_id for doc_id in last.documents if doc_id not in documents or doc_id not in facts]
    documents.update((document.id, document) for document in store.documents(missing))
    facts.update(zip(missing, store.facts(missing), strict=True))
    return PreviousEdition(number=last.number, build_date=last.build_date,
                           documents=sorted((documents[doc_id] for doc_id in last.documents if doc_id in documents),
                                            key=lambda document: document.path),
                           facts=[facts[doc_id] for doc_id in last.documents], judgments=last.judgments)


def _releasable_part(previous: PreviousEdition) -> PreviousEdition:
    documents = [document for document in previous.documents if document.releasable]
    ids = {document.id for document in documents}
    return PreviousEdition(previous.number, previous.build_date, documents,
                           [item for item in previous.facts if item.doc in ids], previous.judgments)


def _edition_record(project: Project, name: str, number: int, folder: Path, build_date: dt.date,
                    used: list[Document], written: list[WrittenFile], trigger: str) -> EditionRecord:
    section = project.briefs[name].section("key_judgments")
    snapshot = judgment_snapshot(project.judgments.get(name), list(section.judgments) if section else [])
    return EditionRecord(
        brief=name, number=number, folder=folder.name,
        built_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        build_date=build_date.isoformat(), documents=[document.id for document in used],
        judgments=snapshot, files=[item.path.name for item in written], trigger=trigger,
    )


def _one_ahead(items: Iterable[T]) -> Iterator[T]:
    """The items in order, each given once the next has been made (the last once there are no more)."""
    waiting: list[T] = []
    for item in items:
        yield from waiting
        waiting = [item]
    yield from waiting


def _one_line(error: BaseException) -> str:
    lines = getattr(error, "lines", None) or [str(error) or type(error).__name__]
    return "; ".join(lines)


def _matching(project: Project, files: SourceFiles, brief: str, documents: list[Document]) -> list[Document]:
    """The documents, of those given, that the brief's globs match."""
    matched = files.source_names(entry.glob(project.settings.fetch.folder) for entry in project.briefs[brief].sources)
    return [document for document in documents if document.path in matched]


def chosen_briefs(project: Project, names: list[str] | None) -> list[str]:
    """The named briefs (all, when None); BriefgenError naming an unknown one."""
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
    return [entry.glob(project.settings.fetch.folder) for name in briefs for entry in project.briefs[name].sources]
