"""Applying analysts' decisions: what corrections.yaml adds to assembling a brief.

    python benchmarks/corrections_apply.py [--project DIR] [--repeat 5]

Reads the facts of a built project (default: a fresh copy of the Iraq example, built once), then
times `merge_facts` alone (what every brief does without corrections) side by side with
`merge_facts` plus `apply_corrections` for 0, 100 and 1,000 decisions (accepts, rejects, pins and
edits of the project's own facts, chosen in a fixed order), and the review listing of the facts.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from briefgen.build import BuildReport, NoProgress, gather
from briefgen.extract import merge_facts
from briefgen.project import load_project
from briefgen.review import Decision, apply_corrections, decision, key_of, review_items, texts_of
from briefgen.review.identity import FACT_KINDS, facts_of
from briefgen.store import FactStore


def main() -> None:
    """Run the benchmark and print its figures."""
    options = _options()
    with tempfile.TemporaryDirectory() as folder:
        root = options.project or _example(Path(folder) / "project")
        project = load_project(root)
        with FactStore(project.store_location) as store:
            documents, facts = gather(project, store, list(project.briefs), BuildReport(), NoProgress())
        texts = texts_of(documents, facts)
        merged = merge_facts(facts)
        count = sum(len(facts_of(kind, merged)) for kind in FACT_KINDS)
        print(f"{len(documents)} sources, {count} reviewable facts")
        bare = _time(lambda: merge_facts(facts), options.repeat)
        print(f"{'merge_facts alone':>40}: {bare * 1000:8.1f} ms")
        for size in (0, 100, 1000):
            decisions = _decisions(merged, texts, size)
            seconds = _time(lambda chosen=decisions: apply_corrections(chosen, merge_facts(facts), texts),
                            options.repeat)
            print(f"{f'merge_facts + {size:,} decisions':>40}: {seconds * 1000:8.1f} ms  ({seconds / bare:.1f}×)")
        applied = apply_corrections(_decisions(merged, texts, 100), merge_facts(facts), texts)
        listing = _time(lambda: review_items(applied, texts), options.repeat)
        print(f"{'review listing (100 decisions)':>40}: {listing * 1000:8.1f} ms")


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=None, help="A built project (default: the Iraq example).")
    parser.add_argument("--repeat", type=int, default=5, help="Runs per figure; the median is printed.")
    return parser.parse_args()


def _example(root: Path) -> Path:
    subprocess.run([sys.executable, "-m", "briefgen", "init", str(root), "--example", "iraq"], check=True,
                   capture_output=True)
    return root


def _decisions(merged: object, texts: object, size: int) -> list[Decision]:
    """`size` decisions cycling through the facts and four actions, as a busy desk would take them."""
    facts = [(kind, fact) for kind in FACT_KINDS for fact in facts_of(kind, merged)]  # type: ignore[arg-type]
    actions = ("accept", "pin", "reject", "edit")
    chosen = []
    for index in range(size):
        kind, fact = facts[index % len(facts)]
        action, key = actions[index % len(actions)], key_of(kind, fact, texts)  # type: ignore[arg-type]
        if action == "edit" and kind == "event":
            chosen.append(decision("edit", by="bench", fact=key, set={"kind": "other"}))
        else:
            chosen.append(decision("accept" if action == "edit" else action, by="bench", fact=key))
    return chosen


def _time(work: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


if __name__ == "__main__":
    main()
