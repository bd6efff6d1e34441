"""The shipped gold set: extraction with the example gazetteer meets every target.

The corpus articles' gold is skipped when ../shared is absent; the example sources' gold always runs.
"""

from __future__ import annotations

from pathlib import Path

from briefgen.config import Gazetteer, load_model
from briefgen.evaluate import evaluate
from briefgen.extract import Extractor

REPO = Path(__file__).resolve().parents[2]


def test_extraction_meets_every_target_on_the_gold_set() -> None:
    gazetteer = load_model(Gazetteer, REPO / "config/gazetteer.yaml", "config/gazetteer.yaml")
    report = evaluate(REPO / "benchmarks/gold", Extractor(gazetteer))
    assert len(report.documents) >= 5
    assert report.passed, [f"{target.metric}: {report.metric(target.metric)}" for target in report.failures()]
