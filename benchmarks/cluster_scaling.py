"""Extraction on a Dask LocalCluster of 1 and 2 workers, against one process and briefgen's own 2 processes.

    python benchmarks/cluster_scaling.py [--documents M] [--skip-check]

The documents: the example project's sources, repeated (each copy its own id) until there are M.
Every configuration extracts the same M documents with the example gazetteer:

- in-process: one Extractor in this process (model loading shown apart);
- own 2 processes: briefgen's worker pool (extract_in_workers), starting the pool included;
- Dask 1 / 2 workers: a LocalCluster started for the run, "cold" timing its start, the workers'
  model loading and the extraction; then the same documents again on the same cluster, "warm"
  (each worker keeps its Extractor): what a long-lived cluster, started once, costs per build.

Prints seconds, documents per second and the speed-up over in-process extraction (without its
model loading) for each, and the warm 2-worker over 1-worker ratio: the scaling the cluster adds.
Unless --skip-check, every configuration's facts are compared with the in-process facts.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from briefgen.config import Gazetteer, load_model
from briefgen.extract import Extractor
from briefgen.extract.cluster import connected, extract_on_cluster
from briefgen.extract.workers import extract_in_workers
from briefgen.facts import Document, DocumentFacts
from briefgen.ingest import find_sources, read_sources

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    """Run every configuration and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=64, help="How many documents each run extracts.")
    parser.add_argument("--skip-check", action="store_true", help="Do not compare the facts with in-process ones.")
    args = parser.parse_args()
    gazetteer = load_model(Gazetteer, ROOT / "config/gazetteer.yaml", "config/gazetteer.yaml")
    documents = _documents(args.documents)
    words = sum(len(document.text.split()) for document in documents)
    print(f"{len(documents)} documents, {words:,} words (the example sources repeated)\n", flush=True)

    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    extractor = Extractor(gazetteer)
    list(extractor.extract(documents[:1], processes=1))  # the town index and first-call set-up
    load = time.perf_counter() - started
    reference, alone = _timed(lambda: list(extractor.extract(documents, processes=1)))
    rows = [(f"in-process (model loaded apart: {load:.1f} s)", alone)]
    check = None if args.skip_check else reference

    rows.append(("briefgen's own 2 processes", _run(lambda: extract_in_workers(gazetteer, documents, 2, None), check)))
    warm: dict[int, float] = {}
    for workers in (1, 2):
        cold, warm[workers] = _on_local_cluster(gazetteer, documents, workers, check)
        rows += [(f"Dask LocalCluster, {workers} worker(s), cold", cold),
                 (f"Dask LocalCluster, {workers} worker(s), warm", warm[workers])]
    print(f"{'configuration':<46} {'seconds':>8} {'docs/s':>7} {'vs in-process':>14}")
    for label, seconds in rows:
        print(f"{label:<46} {seconds:>8.1f} {len(documents) / seconds:>7.2f} {alone / seconds:>13.2f}x")
    print(f"\nDask warm, 2 workers against 1: {warm[1] / warm[2]:.2f}x")
    print(f"load average (1 min) at the start {load_before:.1f}, at the end {os.getloadavg()[0]:.1f}, "
          f"on {os.cpu_count()} CPUs: other work on the machine slows every configuration")


def _documents(count: int) -> list[Document]:
    """The example sources repeated until there are `count`, each copy with its own id and path."""
    sources = read_sources(find_sources(ROOT, ["sources/*"]), ROOT).documents
    return [replace(source, id=f"{source.id}-{n}", path=f"copy{n}/{source.path}")
            for n, source in zip(range(count), _cycle(sources), strict=False)]


def _cycle(documents: list[Document]) -> Iterator[Document]:
    while True:
        yield from documents


def _on_local_cluster(gazetteer: Gazetteer, documents: list[Document], workers: int,
                      check: list[DocumentFacts] | None) -> tuple[float, float]:
    """Seconds for a cold run (cluster start, model loading, extraction) and a warm one on that cluster."""
    started = time.perf_counter()
    with connected(None, workers) as client:
        address = client.scheduler.address

        def run() -> Iterator[DocumentFacts]:
            return extract_on_cluster(gazetteer, documents, scheduler=address, workers=None, on_failure=None)

        _run(run, check)
        cold = time.perf_counter() - started
        warm = _run(run, check)
    return cold, warm


def _run(extract: Callable[[], Iterator[DocumentFacts]], check: list[DocumentFacts] | None) -> float:
    """Seconds to consume `extract()`; its facts compared with `check` when given."""
    facts, seconds = _timed(lambda: list(extract()))
    if check is not None and facts != check:
        raise SystemExit("facts differ from the in-process facts")
    return seconds


def _timed(work: Callable[[], list[DocumentFacts]]) -> tuple[list[DocumentFacts], float]:
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


if __name__ == "__main__":
    main()
