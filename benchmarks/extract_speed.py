"""Extraction speed: briefgen's Extractor against the raw spaCy pipeline on the same text.

    python benchmarks/extract_speed.py [--repeat N] [FILES...]

Defaults to the example project's sources. "Raw" is the stock en_core_web_sm
pipeline through nlp.pipe, without briefgen's gazetteer ruler or fact rules. Each is
timed three times, alternating, and the best time counts. Prints words per second
and documents per second for both, and the share of the raw pipeline's speed
briefgen keeps. Last, both with two worker processes (nlp.pipe n_process=2): on a
2-core machine this shows whether splitting the parse over processes pays.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import spacy

from briefgen.config import Gazetteer, load_model
from briefgen.extract import Extractor
from briefgen.extract.model import verified_model_path
from briefgen.ingest import find_sources, read_sources

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=10, help="How many times to repeat the document set.")
    args = parser.parse_args()
    paths = args.files or find_sources(ROOT, ["sources/*"])
    documents = read_sources(paths, ROOT).documents * args.repeat
    words = sum(len(document.text.split()) for document in documents)
    gazetteer = load_model(Gazetteer, ROOT / "config/gazetteer.yaml", "config/gazetteer.yaml")
    extractor = Extractor(gazetteer)
    stock = spacy.load(verified_model_path())
    list(extractor.extract(documents[:2]))  # warm up both pipelines
    list(stock.pipe(document.text for document in documents[:2]))
    raw_times, full_times = [], []
    for _ in range(3):
        raw_times.append(_timed(lambda: list(stock.pipe(document.text for document in documents))))
        full_times.append(_timed(lambda: list(extractor.extract(documents, processes=1))))
    raw, full = min(raw_times), min(full_times)
    print(f"{len(documents)} documents, {words} words")
    print(f"raw spaCy pipeline: {words / raw:8.0f} words/s  {len(documents) / raw:6.1f} docs/s")
    print(f"briefgen extract:   {words / full:8.0f} words/s  {len(documents) / full:6.1f} docs/s")
    print(f"briefgen keeps {raw / full:.0%} of the raw pipeline's speed")
    texts = [document.text for document in documents]
    raw_two = _timed(lambda: list(stock.pipe(texts, n_process=2, batch_size=8)))
    full_two = _timed(lambda: list(extractor.extract(documents, processes=2)))
    print(f"raw, 2 processes:   {words / raw_two:8.0f} words/s  {len(documents) / raw_two:6.1f} docs/s")
    print(f"briefgen, 2 procs:  {words / full_two:8.0f} words/s  {len(documents) / full_two:6.1f} docs/s"
          f"  ({full / full_two:.2f}x one process, {raw_two / full_two:.0%} of raw with 2)")


def _timed(work: object) -> float:
    started = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
