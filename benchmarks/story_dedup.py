"""One story, counted once: how well `group_stories` finds the copies of a report, and how fast.

    python benchmarks/story_dedup.py [--repeat 3]

The set (benchmarks/stories/, written for this benchmark) holds five wire-style reports from
different theatres. Each is published six times: the original; verbatim with another intro line;
trimmed to its first 60% of paragraphs; with a local paragraph added; wrapped in an outlet's
boilerplate; and lightly rewritten by hand (rewrites/: sentences reordered, some reworded). The hard
negatives (negatives/) are each a story of their own: the same event from another angle, a follow-up
the next day quoting the same official, and reports built on the same template as an original.

Prints pairwise precision, recall and F1 (two documents grouped together, against the truth) by
threshold, for `group_stories` side by side with a bare datasketch run (raw whitespace shingles, LSH at
the threshold, connected components of what the index returns); then the time per 1,000 documents.

Then the same scores on a generated year of reporting (`--generated` documents of benchmarks/corpus.py, whose
generator knows which story each file tells): an agency's reports of different days there reuse whole stock
paragraphs, as real wires reuse background, and a copy's lede is rewritten.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import math
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from datasketch import MinHash, MinHashLSH

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.corpus import account, placed
from briefgen.facts import Document
from briefgen.stories import DEFAULT_SIMILARITY, PERMUTATIONS, SHINGLE_WORDS, group_stories, jaccard, shingle_set

HERE = Path(__file__).parent / "stories"
THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
SHINGLE_SIZES = (2, 3, 4, 5, 6, 8)
LOCAL = (
    "In the provincial capital, the governor's office said schools would stay open and that extra police "
    "had been sent to the market district as a precaution.",
    "Relatives of soldiers from our region gathered outside the garrison on Monday evening asking for news, "
    "and a local radio station opened its phone lines to families.",
    "Our correspondent in the capital said the news dominated morning talk shows, where several lawmakers "
    "called for a parliamentary hearing on security along the border.",
)
BOILERPLATE = (
    "Sign up for our morning newsletter to get the top stories in your inbox. Follow us on social media.",
    "Copyright {outlet}. All rights reserved. This material may not be published, broadcast, rewritten or "
    "redistributed without permission. Reporting by wire services; editing by the {outlet} news desk.",
)


def main() -> None:
    """Run the benchmark and print its figures."""
    options = _options()
    documents, truth = corpus()
    print(f"{len(documents)} documents, {len(set(truth.values()))} true stories, "
          f"{sum(1 for pair in _pairs(truth) if pair)} duplicate pairs; shingles of {SHINGLE_WORDS} words, "
          f"{PERMUTATIONS} permutations")
    print(f"{'threshold':>9}  {'group_stories P / R / F1':>26}  {'bare datasketch P / R / F1':>28}")
    for threshold in THRESHOLDS:
        ours = _scores(_grouped_by_stories(documents, threshold), truth)
        bare = _scores(bare_groups(documents, threshold), truth)
        print(f"{threshold:>9.2f}  {_row(ours):>26}  {_row(bare):>28}")
    print("similarity to the original by shingle size: the least similar copy, the most similar other report")
    for size in SHINGLE_SIZES:
        copies, others = _similarities(documents, truth, size)
        print(f"{size:>9}  {min(copies):.2f}  {max(others):.2f}")
    many = _scaled(documents, 1000)
    for threshold in (DEFAULT_SIMILARITY, 0.5):
        ours_time = _time(lambda at=threshold: group_stories(many, at), options.repeat)
        bare_time = _time(lambda at=threshold: bare_groups(many, at), options.repeat)
        print(f"time per 1,000 documents at {threshold}: group_stories {ours_time * 1000:.0f} ms, "
              f"bare datasketch {bare_time * 1000:.0f} ms")
    if options.generated:
        _generated_year(options.generated)


def _generated_year(count: int) -> None:
    """Scores on `count` generated documents at the default threshold, with the documents that join a story
    another report started."""
    documents, truth = generated(count)
    stories = group_stories(documents)
    ours = {doc.id: number for number, story in enumerate(stories) for doc in story.documents}
    bare = bare_groups(documents, DEFAULT_SIMILARITY)
    copies = len(documents) - len(set(truth.values()))
    print(f"generated year: {len(documents)} documents, {len(set(truth.values()))} true stories, {copies} copies")
    print(f"  at {DEFAULT_SIMILARITY}: group_stories {_row(_counted_scores(ours, truth))}, "
          f"bare datasketch {_row(_counted_scores(bare, truth))} (P / R / F1)")
    wrong = sum(truth[doc.id] != truth[story.original.id] for story in stories for doc in story.documents)
    print(f"  documents grouped under another report's original: {wrong}")


def generated(count: int) -> tuple[list[Document], dict[str, str]]:
    """The first `count` documents of the generated corpus (seed 1) and the story each tells."""
    end = dt.date(2026, 11, 30)
    documents: list[Document] = []
    truth: dict[str, str] = {}
    for index, (number, copy) in enumerate(placed(1, count - 1)):
        outlet, _headline, body, published = account(1, number, copy, end)
        doc_id = f"generated/{index}"
        documents.append(Document(id=doc_id, path=doc_id, text=body, published=published.isoformat(), outlet=outlet))
        truth[doc_id] = f"story {number}"
    return documents, truth


def _counted_scores(groups: dict[str, int], truth: dict[str, str]) -> tuple[float, float, float]:
    """`_scores` counted by cells rather than pair by pair: millions of pairs."""
    def pairs(counts: Counter[object]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    hits = pairs(Counter((groups[key], truth[key]) for key in truth))
    predicted, actual = pairs(Counter(groups.values())), pairs(Counter(truth.values()))
    precision = hits / predicted if predicted else 1.0
    recall = hits / actual if actual else 1.0
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def corpus() -> tuple[list[Document], dict[str, str]]:
    """The benchmark's documents and, for each, the story it truly belongs to."""
    documents: list[Document] = []
    truth: dict[str, str] = {}
    for number, path in enumerate(sorted((HERE / "originals").glob("*.txt"))):
        original = path.read_text(encoding="utf-8")
        versions = {
            "original": original,
            "headline": f"{path.stem.replace('-', ' ').upper()}: WHAT WE KNOW\n\n{original}",
            "trimmed": "\n\n".join(_paragraphs(original)[:math.ceil(len(_paragraphs(original)) * 0.6)]),
            "local": f"{original}\n\n{LOCAL[number % len(LOCAL)]}",
            "boilerplate": "\n\n".join([BOILERPLATE[0], original,
                                        BOILERPLATE[1].format(outlet=f"Outlet {number}")]),
            "rewrite": (HERE / "rewrites" / path.name).read_text(encoding="utf-8"),
        }
        for day, (kind, text) in enumerate(versions.items()):
            doc_id = f"{path.stem}/{kind}"
            documents.append(Document(id=doc_id, path=doc_id, text=text, published=f"2025-05-{10 + day:02d}",
                                      outlet=f"Outlet {kind}"))
            truth[doc_id] = path.stem
    for path in sorted((HERE / "negatives").glob("*.txt")):
        doc_id = f"negatives/{path.stem}"
        documents.append(Document(id=doc_id, path=doc_id, text=path.read_text(encoding="utf-8"),
                                  published="2025-05-11"))
        truth[doc_id] = doc_id
    return documents, truth


def bare_groups(documents: list[Document], threshold: float) -> dict[str, int]:
    """Connected components of what a plain MinHashLSH returns over raw whitespace shingles."""
    index = MinHashLSH(threshold=threshold, num_perm=PERMUTATIONS)
    signatures = {}
    for doc in documents:
        words = doc.text.split()
        signature = MinHash(num_perm=PERMUTATIONS, seed=1)
        signature.update_batch([" ".join(words[i:i + SHINGLE_WORDS]).encode()
                                for i in range(max(1, len(words) - SHINGLE_WORDS + 1))])
        signatures[doc.id] = signature
        index.insert(doc.id, signature)
    parent = {doc.id: doc.id for doc in documents}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for doc in documents:
        for other in index.query(signatures[doc.id]):
            parent[root(other)] = root(doc.id)
    roots = {root(doc.id) for doc in documents}
    numbers = {key: number for number, key in enumerate(sorted(roots))}
    return {doc.id: numbers[root(doc.id)] for doc in documents}


def _grouped_by_stories(documents: list[Document], threshold: float) -> dict[str, int]:
    return {doc.id: number for number, story in enumerate(group_stories(documents, threshold))
            for doc in story.documents}


def _similarities(documents: list[Document], truth: dict[str, str], size: int) -> tuple[list[float], list[float]]:
    """The exact similarity of each original to its copies, and to every other document."""
    shingles = {doc.id: shingle_set(doc.text, size) for doc in documents}
    copies: list[float] = []
    others: list[float] = []
    for original in (doc.id for doc in documents if doc.id.endswith("/original")):
        for doc in documents:
            if doc.id != original:
                similar = jaccard(shingles[original], shingles[doc.id])
                (copies if truth[doc.id] == truth[original] else others).append(similar)
    return copies, others


def _pairs(truth: dict[str, str]) -> list[bool]:
    return [truth[first] == truth[second] for first, second in itertools.combinations(sorted(truth), 2)]


def _scores(groups: dict[str, int], truth: dict[str, str]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of a grouping against the truth."""
    hits = predicted = actual = 0
    for first, second in itertools.combinations(sorted(truth), 2):
        together, same = groups[first] == groups[second], truth[first] == truth[second]
        hits += together and same
        predicted += together
        actual += same
    precision = hits / predicted if predicted else 1.0
    recall = hits / actual if actual else 1.0
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _row(scores: tuple[float, float, float]) -> str:
    return " / ".join(f"{score:.2f}" for score in scores)


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.split("\n\n") if part.strip()]


def _scaled(documents: list[Document], count: int) -> list[Document]:
    """`count` documents cycling through the set, each with a sentence of its own appended."""
    return [Document(id=f"{number}", path=f"{number}", published=source.published,
                     text=f"{source.text}\n\nFiled as item {number} of the desk's log.")
            for number, source in zip(range(count), itertools.cycle(documents), strict=False)]


def _time(action: Callable[[], object], repeat: int) -> float:
    """The best of `repeat` runs, in seconds."""
    best = math.inf
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="Runs of each timing; the best is reported.")
    parser.add_argument("--generated", type=int, default=3000,
                        help="Documents of the generated year of reporting to score (0: none).")
    return parser.parse_args()


if __name__ == "__main__":
    main()
