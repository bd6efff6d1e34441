"""A tiny hand-written gold (not the dev set) and helpers to turn it into predictions."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

GOLD_YAML = """\
docs: [a-01, a-02, a-03]
incidents:
  - doc: a-01
    event_type: Battles
    sub_event_type: Armed clash
    event_date: "2025-01-05"
    location: Sabon Gari
    location_alt: [Damboa]
    fatalities_low: 6
    fatalities_high: 6
    evidence: "killed six soldiers"
  - doc: a-01
    event_type: Explosions/Remote violence
    sub_event_type: Air/drone strike
    event_date: "2025-01-05"
    location: Damboa
    location_alt: []
    fatalities_low: null
    fatalities_high: null
    evidence: "airstrikes against the fleeing"
  - doc: a-02
    event_type: Strategic developments
    sub_event_type: Agreement
    event_date: "2025-05"
    location: the Red Sea
    location_alt: []
    fatalities_low: null
    fatalities_high: null
    evidence: "a ceasefire was agreed in May"
"""
# a-03 is a text with no incident: any prediction there is a false positive


@pytest.fixture
def gold_file(tmp_path: Path) -> Path:
    """The tiny gold written to a YAML file."""
    path = tmp_path / "gold.yaml"
    path.write_text(GOLD_YAML, encoding="utf-8")
    return path


def perfect_predictions() -> list[dict[str, Any]]:
    """Predictions that restate the tiny gold exactly, in the scorer's input format."""
    import yaml

    gold = yaml.safe_load(GOLD_YAML)["incidents"]
    return [
        {"doc": g["doc"], "event_type": g["event_type"], "sub_event_type": g["sub_event_type"],
         "event_date": g["event_date"], "location": g["location"], "fatalities": g["fatalities_low"],
         "fatalities_high": g["fatalities_high"]}
        for g in gold
    ]


@pytest.fixture
def predictions() -> list[dict[str, Any]]:
    """A fresh, editable copy of the perfect predictions."""
    return copy.deepcopy(perfect_predictions())


@pytest.fixture
def write_json(tmp_path: Path) -> Callable[[Any], Path]:
    """Write any JSON value to a file and return its path."""
    def write(value: Any) -> Path:
        path = tmp_path / "predicted.json"
        path.write_text(json.dumps(value), encoding="utf-8")
        return path
    return write
