"""Extraction speed: briefgen's Extractor against the raw spaCy pipeline on the same text.

    python benchmarks/extract_speed.py [--repeat N] [--one-process] [FILES...]

The texts: FILES, else the dev set's texts (../shared/devset beside the checkout, or where
BRIEFGEN_DEVSET says; read as `briefgen eval` reads them, never copied), else the example
project's sources. Both pipelines get the very same texts. "Raw" is the stock en_core_web_sm
pipeline through nlp.pipe, without briefgen's gazetteer ruler or fact rules.

Each is timed three times, alternating, and the best time counts, after a warm-up whose time
is shown (the first documents of a process pay one-time set-up: GeoNames' town index when a
place needs it). Prints words per second for both, by wall-clock and by CPU time, and the
ratio briefgen / raw (the extraction issue's target: at least 0.80 in one process).

Unless --one-process: then both with two worker processes (raw: nlp.pipe n_process=2;
briefgen: its own pool, whose workers run the fact rules too): on a 2-core machine this shows
whether splitting the work over processes pays. Last, for growing numbers of documents,
briefgen with one process against two, starting the pool included: where two start to win is
MULTIPROCESS_MIN_DOCUMENTS (briefgen/extract/workers.py).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import spacy
from spacy.language import Language

from briefgen.config import Gazetteer, load_model
from briefgen.devset import is_devset, load_devset
from briefgen.extract import Extractor
from briefgen.extract.model import verified_model_path
from briefgen.facts import Document
from briefgen.ingest import find_sources, read_sources

ROOT = Path(__file__).resolve().parents[1]
DEVSET = Path(os.environ.get("BRIEFGEN_DEVSET") or ROOT.parent / "shared" / "devset")
TARGET = 0.80


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=10, help="How many times to repeat the document set.")
    parser.add_argument("--counts", type=int, nargs="*", default=[8, 12, 16, 24, 32],
                        help="Document counts for the one-against-two-processes table.")
    parser.add_argument("--one-process", action="store_true", help="Only the one-process comparison.")
    args = parser.parse_args()
    label, texts = _texts(args.files)
    documents = texts * args.repeat
    words = sum(len(document.text.split()) for document in documents)
    gazetteer = load_model(Gazetteer, ROOT / "config/gazetteer.yaml", "config/gazetteer.yaml")
    extractor = Extractor(gazetteer)
    stock = spacy.load(verified_model_path())
    first = clocked(lambda: list(extractor.extract(texts[:2], processes=1)))  # warms up both pipelines
    list(stock.pipe(document.text for document in documents[:2]))
    raw_times, full_times = [], []
    for _ in range(3):
        raw_times.append(clocked(lambda: list(stock.pipe(document.text for document in documents))))
        full_times.append(clocked(lambda: list(extractor.extract(documents, processes=1))))
    print(f"{label}: {len(texts)} texts x {args.repeat} = {len(documents)} documents, {words} words; one process")
    print(f"first 2 documents in a fresh process (one-time set-up included, not counted below): "
          f"{first[0]:.1f} s wall, {first[1]:.1f} s CPU")
    for clock, index in (("wall", 0), ("CPU", 1)):
        raw, full = min(times[index] for times in raw_times), min(times[index] for times in full_times)
        verdict = "met" if raw / full >= TARGET else "not met"
        print(f"{clock + ' time:':<10} raw spaCy pipeline {words / raw:7.0f} words/s, briefgen extract "
              f"{words / full:7.0f} words/s; briefgen / raw {raw / full:.2f}x (target >= {TARGET:.2f}x: {verdict})")
    raw, full = min(times[0] for times in raw_times), min(times[0] for times in full_times)
    if args.one_process:
        return
    raw_two, full_two = two_process_times(stock, extractor, documents)
    print(f"raw, 2 processes:   {words / raw_two:8.0f} words/s  {len(documents) / raw_two:6.1f} docs/s")
    print(f"briefgen, 2 procs:  {words / full_two:8.0f} words/s  {len(documents) / full_two:6.1f} docs/s"
          f"  ({full / full_two:.2f}x one process, {raw_two / full_two:.0%} of raw with 2)")
    _break_even(extractor, documents, args.counts)


def _texts(files: list[Path]) -> tuple[str, list[Document]]:
    """The texts to time, and where they come from."""
    if files:
        return "files given", read_sources(files, None).documents
    if is_devset(DEVSET):
        return f"dev set {DEVSET}", list(load_devset(DEVSET).documents.values())
    return "example sources", read_sources(find_sources(ROOT, ["sources/*"]), ROOT).documents


def _break_even(extractor: Extractor, documents: list[Document], counts: list[int]) -> None:
    """One process against two (pool start included) for the first `count` documents."""
    print(f"{'documents':>9} {'1 process s':>12} {'2 processes s':>14} {'speed-up':>9}")
    for count in counts:
        chosen = documents[:count]
        one = timed(lambda chosen=chosen: list(extractor.extract(chosen, processes=1)))
        two = timed(lambda chosen=chosen: list(extractor.extract(chosen, processes=2)))
        print(f"{len(chosen):>9} {one:>12.1f} {two:>14.1f} {one / two:>8.2f}x")


def two_process_times(stock: Language, extractor: Extractor, documents: list[Document]) -> tuple[float, float]:
    """Wall-clock seconds of the bare pipeline (nlp.pipe, n_process=2) and of briefgen's Extractor
    (processes=2) over the same documents, starting the worker processes included."""
    texts = [document.text for document in documents]
    raw = timed(lambda: list(stock.pipe(texts, n_process=2, batch_size=8)))
    full = timed(lambda: list(extractor.extract(documents, processes=2)))
    return raw, full


def clocked(work: object) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run: CPU time is steadier on a machine that other work shares."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()  # type: ignore[operator]
    return time.perf_counter() - wall, time.process_time() - cpu


def timed(work: object) -> float:
    """Wall-clock seconds of one run."""
    started = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
