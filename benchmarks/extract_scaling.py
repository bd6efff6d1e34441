"""Extraction time against text length: does briefgen stay linear on one long document?

    python benchmarks/extract_scaling.py [--sizes 34 68 136 272 1000] [--budget SECONDS]

For generated prose of each size (KB of characters), extracts one document with briefgen's
Extractor and parses the same text with the bare spaCy pipeline (the stock model, no gazetteer
ruler or fact rules, over the same pieces briefgen parses), and prints both times, the ratio of
each time to the previous size's (2.0 for a doubling is linear, 4.0 quadratic) and the peak
resident memory. Each measurement runs in a fresh process so that its peak RSS is its own; model
loading is not timed. A size whose predicted time (the last one, scaled quadratically) exceeds
--budget is skipped. The 1000 KB text (1,000,334 characters) is over spaCy's nlp.max_length.
"""

from __future__ import annotations

import argparse
import importlib
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
KB = 1000


def main() -> None:
    """Run every size in fresh processes and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", type=int, default=[34, 68, 136, 272, 1000])
    parser.add_argument("--budget", type=float, default=1200.0, help="Skip sizes predicted to take longer.")
    parser.add_argument("--one", nargs=2, metavar=("MODE", "KB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(_measure(args.one[0], int(args.one[1]))))
        return
    print(f"{'size':>8} {'briefgen s':>11} {'ratio':>6} {'peak RSS':>9}   {'spaCy s':>8} {'ratio':>6} {'peak RSS':>9}")
    previous: dict[str, tuple[int, float]] = {}
    for size in args.sizes:
        cells = [_cell(mode, size, previous, args.budget) for mode in ("briefgen", "spacy")]
        print(f"{size:>6}KB " + "   ".join(cells), flush=True)


def _cell(mode: str, size: int, previous: dict[str, tuple[int, float]], budget: float) -> str:
    """One measurement formatted as 'seconds ratio peak', or why it was skipped."""
    last = previous.get(mode)
    if last is not None and last[1] * (size / last[0]) ** 2 > budget:
        return f"{'skipped':>11} {'':>6} {'':>9}" if mode == "briefgen" else f"{'skipped':>8}"
    result = _run(mode, size)
    if "error" in result:
        return f"{'failed':>11} {result['error'][:40]}"
    ratio = f"{result['seconds'] / last[1]:6.2f}" if last else f"{'':>6}"
    previous[mode] = (size, result["seconds"])
    width = 11 if mode == "briefgen" else 8
    return f"{result['seconds']:>{width}.1f} {ratio} {result['peak_mb']:>7.0f}MB"


def _run(mode: str, size: int) -> dict:
    """Measure in a fresh interpreter: {"seconds", "peak_mb"} or {"error"}."""
    done = subprocess.run(
        [sys.executable, __file__, "--one", mode, str(size)], capture_output=True, text=True, cwd=ROOT
    )
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["exit " + str(done.returncode)])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _measure(mode: str, size: int) -> dict:
    """Time one extraction (or bare parse) of `size` KB of prose in this process."""
    text = _prose().prose(size * KB)
    work = _extraction(text) if mode == "briefgen" else _bare_parse(text)
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _extraction(text: str) -> Callable[[], object]:
    """briefgen extracting `text` as one document, in this process."""
    from briefgen.config import Gazetteer, load_model
    from briefgen.extract import Extractor
    from briefgen.facts import Document

    extractor = Extractor(load_model(Gazetteer, ROOT / "config/gazetteer.yaml", "config/gazetteer.yaml"))
    document = Document(id="long", path="long.txt", text=text)
    return lambda: list(extractor.extract([document], processes=1))


def _bare_parse(text: str) -> Callable[[], object]:
    """The stock pipeline parsing `text` in the pieces briefgen parses it in, one at a time."""
    import spacy

    from briefgen.extract.model import verified_model_path
    from briefgen.extract.pieces import split_text

    nlp = spacy.load(verified_model_path())
    return lambda: list(nlp.pipe(split_text(text), batch_size=1))


def _prose() -> ModuleType:
    """The test suite's prose generator (tests/extract/prose.py)."""
    sys.path.insert(0, str(ROOT))
    return importlib.import_module("tests.extract.prose")


if __name__ == "__main__":
    main()
