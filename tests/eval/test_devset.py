"""The development set of real reporting (../shared/devset), scored by its own score.py from a folder without
a gazetteer: the yardstick for extraction. Skipped when ../shared is absent.

Extraction must meet the extraction issue's TARGETS, and must not fall below FLOORS: the scores measured when
this test last changed, less 0.01, so that a change that loses ground shows even while above target.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEVSET = Path(__file__).resolve().parents[2].parent / "shared" / "devset"
FLOORS = {"actors": 0.93, "locations": 0.94, "quantities": 0.98, "events": 0.83, "quotes": 0.98, "roles": 0.94,
          "attribution": 0.95}
TARGETS = {"actors": 0.90, "locations": 0.90, "quantities": 0.92, "events": 0.82, "quotes": 0.96, "roles": 0.88,
           "attribution": 0.90}


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    if not (DEVSET / "score.py").is_file():
        pytest.skip("../shared/devset is not present")
    folder = tmp_path_factory.mktemp("devset")  # no config/gazetteer.yaml here: general rules only
    command = f"{shutil.which('briefgen') or 'briefgen'} extract {{files}} --format json --with-text"
    result = subprocess.run([sys.executable, str(DEVSET / "score.py"), "--texts", str(DEVSET / "texts"),
                             "--gold", str(DEVSET / "gold"), "--cmd", command],
                            cwd=folder, capture_output=True, text=True, timeout=1200, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    summary = next(line for line in result.stdout.splitlines() if line.startswith("F1 "))
    offsets = re.search(r"mention offsets ok=([\d.]+)", result.stdout)
    print(summary)
    scores = {name: float(value) for name, value in re.findall(r"(\w+)=([\d.]+)", summary)}
    return scores | {"offsets": float(offsets.group(1)) if offsets else 0.0}


@pytest.mark.parametrize("metric", list(FLOORS))
def test_extraction_on_real_reporting_does_not_fall_below_its_floor(scores: dict[str, float], metric: str) -> None:
    assert scores[metric] >= FLOORS[metric], f"{metric}: {scores[metric]:.2f} < floor {FLOORS[metric]:.2f}"


@pytest.mark.parametrize("metric", list(TARGETS))
def test_extraction_on_real_reporting_meets_its_target(scores: dict[str, float], metric: str) -> None:
    assert scores[metric] >= TARGETS[metric], f"{metric}: {scores[metric]:.2f} < target {TARGETS[metric]:.2f}"


def test_every_mention_offset_reads_back_its_name(scores: dict[str, float]) -> None:
    assert scores["offsets"] == 1.0
