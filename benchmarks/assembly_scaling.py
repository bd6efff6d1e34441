"""Assembly time against the number of documents: does assembling a brief stay linear?

    python benchmarks/assembly_scaling.py [--documents 1000 2000 4000 8000] [--audiences analyst ...]
                                          [--project DIR] [--profile] [--snapshot FILE]

The example project's sources (its briefs' globs) are extracted once with briefgen's Extractor and
their facts cached in a temporary file. Each size is then made by replicating those documents with new
ids, published dates (and the dates of their facts) shifted across a year, outlets varied, the values of
figures and tolls varied, and every third replica a copy of the previous one (the same story from
another outlet): subjects and places repeat as they do in a desk's year of reporting. For each size and
audience, `assemble_brief` is timed (CPU time of this process, so that other work on the machine
counts little), and so is each section kind's builder; 'prepare' is the time
before the sections (merging facts, corrections, citations). Each brief is the second edition: the
first was built from the older half of the documents, so the changes section is timed too
(`--no-previous` leaves it out). Every time is printed with its ratio to
the previous size's (2.0 for a doubling is linear, 4.0 quadratic). `--profile` prints the cProfile of
the largest size's first audience. `--snapshot FILE` writes every assembled view as canonical JSON (to
compare the output of two versions of briefgen: it must not change when only speed does).
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import datetime as dt
import gc
import hashlib
import json
import pickle
import pstats
import random
import re
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from briefgen import assemble  # noqa: E402
from briefgen.assemble import BriefInput, PreviousEdition, assemble_brief, select_documents  # noqa: E402
from briefgen.facts import Document, DocumentFacts, Mention  # noqa: E402
from briefgen.project import Project, load_project  # noqa: E402
from briefgen.stories import Story  # noqa: E402

REPLICA_EVERY_COPY = 3  # every third replica republishes the previous one: copies of one story
OUTLETS = 12  # how many outlets the replicas are spread over
NUMBER = re.compile(r"\d[\d,]*")


def main() -> None:
    """Time assembly for every size and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", nargs="*", type=int, default=[1000, 2000, 4000, 8000])
    parser.add_argument("--audiences", nargs="*", help="Audiences to assemble (default: all of the brief's).")
    parser.add_argument("--project", type=Path, default=ROOT, help="The project whose sources are replicated.")
    parser.add_argument("--brief", help="The brief (default: the project's first).")
    parser.add_argument("--profile", action="store_true", help="Print the cProfile of the largest size.")
    parser.add_argument("--no-previous", action="store_true", help="Assemble first editions (no changes section).")
    parser.add_argument("--snapshot", type=Path, help="Write every assembled view as canonical JSON here.")
    args = parser.parse_args()
    project = load_project(args.project)
    brief = args.brief or sorted(project.briefs)[0]
    if brief not in project.briefs:
        sys.exit(f"{args.project}: no brief named {brief!r} (briefs: {', '.join(sorted(project.briefs))})")
    audiences = args.audiences or project.audiences_for(brief)
    unknown = [name for name in audiences if name not in project.audiences]
    if unknown:
        sys.exit(f"{args.project}: no audience named {', '.join(unknown)}")
    documents, facts = example_facts(project, brief)
    print(f"{len(documents)} example documents of {brief!r}, replicated; audiences: {', '.join(audiences)}",
          flush=True)
    snapshot: dict[str, Any] = {}
    timings: dict[int, dict[str, dict[str, float]]] = {}
    for size in args.documents:
        corpus = replicate(documents, facts, size)
        timings[size] = measure(project, brief, audiences, corpus, snapshot if args.snapshot else None,
                                not args.no_previous)
        print(f"  {size} documents assembled", flush=True)
    print_tables(timings, audiences)
    if args.profile:
        profile(project, brief, audiences[0], replicate(documents, facts, args.documents[-1]), not args.no_previous)
    if args.snapshot:
        args.snapshot.write_text(json.dumps(snapshot, ensure_ascii=False, indent=1, sort_keys=True, default=str))
        print(f"wrote {args.snapshot}")


@dataclasses.dataclass
class Corpus:
    """Replicated documents, their facts and their stories."""

    documents: list[Document]
    facts: list[DocumentFacts]
    stories: list[Story]
    build_date: dt.date
    previous: PreviousEdition | None = None  # the edition before, built from the older half of the documents


def example_facts(project: Project, brief: str) -> tuple[list[Document], list[DocumentFacts]]:
    """The brief's source documents and their facts, extracted once and cached in a temporary file."""
    from briefgen.build import ingest
    from briefgen.ingest import SourceFiles

    documents = ingest(project, [entry.glob(project.settings.fetch.folder) for entry in project.briefs[brief].sources],
                       SourceFiles(project.root)).documents
    if not documents:
        sys.exit(f"{project.root}: brief {brief!r} matches no sources")
    from briefgen.extract import EXTRACTOR_VERSION

    digest = hashlib.sha256(EXTRACTOR_VERSION.encode())
    for document in sorted(documents, key=lambda document: document.id):
        digest.update(document.id.encode() + document.text.encode())
    cache = Path(tempfile.gettempdir()) / f"briefgen-assembly-facts-{digest.hexdigest()[:16]}.pickle"
    if cache.exists():
        documents, facts = pickle.loads(cache.read_bytes())
        return documents, facts
    from briefgen.extract import Extractor
    from briefgen.extract.world import prepare_town_index, town_index_ready

    if not town_index_ready():
        prepare_town_index()
    failures: list[str] = []
    facts = list(Extractor(project.gazetteer).extract(
        documents, on_failure=lambda document, reason: failures.append(f"{document.path}: {reason}")))
    if failures:
        sys.exit("extraction failed: " + "; ".join(failures))
    cache.write_bytes(pickle.dumps((documents, facts)))
    return documents, facts


def replicate(documents: list[Document], facts: list[DocumentFacts], size: int, seed: int = 7) -> Corpus:
    """`size` documents made of copies of the given ones (module docstring), deterministically."""
    rng = random.Random(seed)
    by_doc = {item.doc: item for item in facts}
    copies: list[Document] = []
    copied_facts: list[DocumentFacts] = []
    stories: list[Story] = []
    replica, shift = 0, 0
    previous: list[Story] = []  # the stories of the previous replica's documents
    while len(copies) < size:
        republished = replica % REPLICA_EVERY_COPY == REPLICA_EVERY_COPY - 1
        shift = shift + 1 if republished else rng.randrange(0, 365)  # a copy comes out a day later
        batch: list[Story] = []
        for index, document in enumerate(documents[: size - len(copies)]):
            copy = _document_copy(document, replica, shift)
            copies.append(copy)
            copied_facts.append(_facts_copy(by_doc[document.id], copy.id, replica, shift, rng))
            if republished and index < len(previous):
                previous[index].documents.append(copy)
            else:
                batch.append(Story(id=copy.id, documents=[copy]))
        stories += batch
        previous = batch
        replica += 1
    latest = max((_first_day(document.published) for document in copies if document.published),
                 default=dt.date.today())
    return Corpus(copies, copied_facts, stories, latest + dt.timedelta(days=14), _previous(copies, copied_facts))


def _previous(documents: list[Document], facts: list[DocumentFacts]) -> PreviousEdition:
    """An edition built from the older half of the documents (by publication date)."""
    older = sorted(documents, key=lambda document: (document.published or "", document.id))[: len(documents) // 2]
    chosen = {document.id for document in older}
    built = max((document.published or "" for document in older), default="") or "2025-01-01"
    return PreviousEdition(number=1, build_date=built, documents=older,
                           facts=[item for item in facts if item.doc in chosen])


def _document_copy(document: Document, replica: int, shift: int) -> Document:
    outlet = f"{document.outlet or 'Outlet'} {replica % OUTLETS}"
    return dataclasses.replace(document, id=f"{document.id}-r{replica}", path=f"{document.path}#r{replica}",
                               title=f"{document.title or document.path} ({replica})", outlet=outlet,
                               published=shifted(document.published, shift), pages=list(document.pages))


def _facts_copy(item: DocumentFacts, doc: str, replica: int, shift: int, rng: random.Random) -> DocumentFacts:
    """A document's facts for its copy: its own ids, its dates shifted, its figures and tolls varied."""
    suffix = f"~r{replica}"

    def moved(mentions: list[Mention]) -> list[Mention]:
        return [dataclasses.replace(mention, doc=doc) for mention in mentions]

    factor = rng.choice([1.0, 1.0, 1.0, 0.5, 0.8, 1.25, 2.0])
    return DocumentFacts(
        doc=doc,
        actors=[dataclasses.replace(actor, mentions=moved(actor.mentions), aliases=list(actor.aliases))
                for actor in item.actors],
        locations=[dataclasses.replace(place, mentions=moved(place.mentions), aliases=list(place.aliases),
                                       relations=list(place.relations)) for place in item.locations],
        events=[dataclasses.replace(event, id=event.id + suffix, doc=doc, date=shifted(event.date, shift),
                                    actors=list(event.actors), locations=list(event.locations))
                for event in item.events],
        quantities=[dataclasses.replace(quantity, id=quantity.id + suffix, doc=doc,
                                        low=_varied(quantity.low, factor), high=_varied(quantity.high, factor),
                                        text=_varied_text(quantity.text, quantity.low, factor))
                    for quantity in item.quantities],
        quotes=[dataclasses.replace(quote, id=quote.id + suffix, doc=doc) for quote in item.quotes],
        tactics=[dataclasses.replace(tactic, id=tactic.id + suffix, doc=doc) for tactic in item.tactics],
        incidents=[dataclasses.replace(incident, id=incident.id + suffix, doc=doc,
                                       event_date=shifted(incident.event_date, shift),
                                       fatalities_low=_varied_count(incident.fatalities_low, factor),
                                       fatalities_high=_varied_count(incident.fatalities_high, factor))
                   for incident in item.incidents],
        sentences=list(item.sentences),
    )


def shifted(iso: str | None, days: int) -> str | None:
    """An ISO date (year, month or day) moved `days` later, at its own precision."""
    if not iso:
        return iso
    parts = iso.split("-")
    moved = _first_day(iso) + dt.timedelta(days=days)
    return moved.isoformat()[: {1: 4, 2: 7}.get(len(parts), 10)]


def _first_day(iso: str) -> dt.date:
    parts = [int(part) for part in iso.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def _varied(value: float, factor: float) -> float:
    return value if value in (0, float("inf")) else float(round(value * factor))


def _varied_count(value: int | None, factor: float) -> int | None:
    return None if value is None else round(value * factor)


def _varied_text(text: str, low: float, factor: float) -> str:
    """The figure's words with its number varied as its value is ('about 2,500' -> 'about 5,000')."""
    if factor == 1.0 or not NUMBER.search(text):
        return text
    return NUMBER.sub(lambda match: f"{round(float(match.group().replace(',', '') or low) * factor):,}", text,
                      count=1)


def brief_input(project: Project, brief: str, audience: str, corpus: Corpus, with_previous: bool = True) -> BriefInput:
    """The input `build` gives `assemble_brief` for one audience, with fixed times (a snapshot compares); with
    the previous edition (and so a changes section) unless `with_previous` is false."""
    config, audience_config = project.briefs[brief], project.audiences[audience]
    chosen = select_documents(corpus.documents, config.window, corpus.build_date, audience_config.releasable_only)
    chosen_ids = {document.id for document in chosen}
    stories = [Story(story.id, [doc for doc in story.documents if doc.id in chosen_ids]) for story in corpus.stories]
    return BriefInput(
        name=brief, brief=config, audience_name=audience, audience=audience_config, settings=project.settings,
        documents=chosen, facts=corpus.facts, judgments=project.judgments.get(brief),
        build_date=corpus.build_date, generated_at="01 January 2026 00:00 UTC", created="2026-01-01T00:00:00+00:00",
        edition=2 if with_previous and corpus.previous else 1, previous=corpus.previous if with_previous else None,
        logo=None, next_issue=None, gazetteer=project.gazetteer,
        section_texts=project.section_texts.get(brief, {}), decisions=project.decisions,
        stories=[story for story in stories if story.documents],
    )


@contextmanager
def timed_sections(spent: dict[str, float]) -> Iterator[None]:
    """Time each section builder (`assemble.BUILDERS`) while inside: seconds added to `spent` by kind."""
    original = dict(assemble.BUILDERS)

    def timing(kind: str, builder: Callable[..., object]) -> Callable[..., object]:
        def run(*args: Any) -> object:
            started = time.process_time()
            try:
                return builder(*args)
            finally:
                spent[kind] += time.process_time() - started
        return run

    assemble.BUILDERS.update({kind: timing(kind, builder) for kind, builder in original.items()})
    try:
        yield
    finally:
        assemble.BUILDERS.update(original)


def measure(project: Project, brief: str, audiences: list[str], corpus: Corpus,
            snapshot: dict[str, Any] | None, with_previous: bool = True) -> dict[str, dict[str, float]]:
    """Seconds per audience: 'total', 'prepare' and one per section kind."""
    results: dict[str, dict[str, float]] = {}
    for audience in audiences:
        given = brief_input(project, brief, audience, corpus, with_previous)
        spent: dict[str, float] = defaultdict(float)
        gc.collect()  # the garbage of the previous audience is not this one's to collect
        with timed_sections(spent):
            started = time.process_time()
            view = assemble_brief(given)
            total = time.process_time() - started
        results[audience] = {"total": total, "prepare": total - sum(spent.values()), **spent}
        if snapshot is not None:
            snapshot[f"{len(corpus.documents)}/{audience}"] = canonical(view)
    return results


def canonical(view: object) -> Any:
    """A view as plain JSON-ready data (dataclasses as dicts, Markup as text)."""
    return json.loads(json.dumps(dataclasses.asdict(view), default=str))  # type: ignore[call-overload]


def print_tables(timings: dict[int, dict[str, dict[str, float]]], audiences: list[str]) -> None:
    """Per audience, then per section kind (summed over audiences): seconds and ratio to the previous size."""
    sizes = list(timings)
    print("\nassemble_brief per audience (s, ratio to the previous size)")
    print(f"{'documents':>10} " + " ".join(f"{name:>20}" for name in audiences))
    for index, size in enumerate(sizes):
        cells = [_cell(timings, sizes, index, lambda result, name=name: result[name]["total"]) for name in audiences]
        print(f"{size:>10} " + " ".join(f"{cell:>20}" for cell in cells))
    kinds = list(dict.fromkeys(kind for result in timings.values() for times in result.values() for kind in times
                               if kind != "total"))
    print("\nper section kind, summed over the audiences (s, ratio to the previous size)")
    print(f"{'section':>20} " + " ".join(f"{size:>16}" for size in sizes))
    for kind in kinds:
        cells = [_cell(timings, sizes, index,
                       lambda result, kind=kind: sum(times.get(kind, 0.0) for times in result.values()))
                 for index in range(len(sizes))]
        print(f"{kind:>20} " + " ".join(f"{cell:>16}" for cell in cells))


def _cell(timings: dict[int, dict[str, dict[str, float]]], sizes: list[int], index: int,
          value: Callable[[dict[str, dict[str, float]]], float]) -> str:
    seconds = value(timings[sizes[index]])
    if index == 0:
        return f"{seconds:.3f}"
    before = value(timings[sizes[index - 1]])
    ratio = seconds / before if before > 0 else float("nan")
    return f"{seconds:.3f} ({ratio:.2f})"


def profile(project: Project, brief: str, audience: str, corpus: Corpus, with_previous: bool = True) -> None:
    """Print where assembling one audience's brief spends its time."""
    given = brief_input(project, brief, audience, corpus, with_previous)
    profiler = cProfile.Profile()
    profiler.runcall(assemble_brief, given)
    print(f"\ncProfile of {audience!r}, {len(corpus.documents)} documents, by own time:")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
