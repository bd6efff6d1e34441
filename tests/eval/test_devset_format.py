"""`briefgen eval` on a folder in the dev set's format (texts/ and gold/): the dev set's own scorer's numbers,
a per-category table, targets, and bad files reported in one line each. The real dev set (../shared/devset) is
used where present, read in place; the small folders below are written here."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.projects import run, write

# ../shared/devset beside the checkout; BRIEFGEN_DEVSET names it where the checkout lives elsewhere (a worktree)
DEVSET = Path(os.environ.get("BRIEFGEN_DEVSET") or Path(__file__).resolve().parents[2].parent / "shared" / "devset")

TEXT = """\
url: https://example.org/border-post
published: 2025-03-02
title: unknown

Gunmen attacked a border post near Menaka on Saturday, killing four soldiers.

"The attackers came at dawn," said Amadou Sanou, a regional army spokesman.
"""
GOLD = """\
actors:
  - {name: Amadou Sanou, kind: person, aliases: [], role: regional army spokesman, affiliation: null}
events: []
quantities:
  - {value: four, subject: soldiers killed}
locations:
  - {name: Menaka, kind: city}
quotes:
  - {speaker: Amadou Sanou, text: "The attackers came at dawn"}
"""


def small_devset(root: Path, gold: str = GOLD, text: str = TEXT) -> Path:
    """A dev-set folder with one text and its gold file."""
    write(root, "texts/post.txt", text)
    write(root, "gold/post.yaml", gold)
    return root


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The current folder moved to an empty one: no config/gazetteer.yaml, general rules only."""
    folder = tmp_path_factory.mktemp("outside")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        yield folder


@pytest.fixture(scope="module")
def devset_run(outside: Path) -> tuple[dict[str, Any], Path]:
    """`briefgen eval ../shared/devset --format json --save FACTS`, run once: the report and the facts file."""
    if not (DEVSET / "score.py").is_file():
        pytest.skip("../shared/devset is not present")
    facts = outside / "facts.json"
    result = run("eval", str(DEVSET), "--format", "json", "--save", str(facts))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), facts


def test_devset_numbers_are_those_of_the_devsets_own_scorer(devset_run: tuple[dict[str, Any], Path]) -> None:
    report, facts = devset_run
    scored = subprocess.run([sys.executable, str(DEVSET / "score.py"), "--texts", str(DEVSET / "texts"),
                             "--gold", str(DEVSET / "gold"), "--json", str(facts)],
                            capture_output=True, text=True, timeout=300, check=True).stdout
    for name, figures in report["categories"].items():
        line = re.search(rf"^{name}\s+P=(\S+) R=(\S+) F1=(\S+)\s+\(tp=(\d+) pred=(\d+) gold=(\d+)\)", scored, re.M)
        assert line, (name, scored)
        ours = (f"{figures['precision']:.2f}", f"{figures['recall']:.2f}", f"{figures['f1']:.2f}",
                str(figures["tp"]), str(figures["predicted"]), str(figures["gold"]))
        assert ours == line.groups(), name
    accuracies = re.search(r"role accuracy=(\S+)\s+quote attribution=(\S+)\s+mention offsets ok=(\S+)", scored)
    assert accuracies, scored
    ours = tuple(f"{report['accuracies'][name]['ratio']:.2f}" for name in ("roles", "attribution", "offsets"))
    assert ours == accuracies.groups()
    assert len(report["documents"]) == 28 and report["skipped"] == []


def test_a_devset_folder_gets_a_table_per_category_and_check_compares_with_the_targets(outside: Path) -> None:
    missed = GOLD.replace("quantities:\n", "quantities:\n  - {value: between 40 and 50, subject: attackers}\n")
    folder = small_devset(outside / "small", gold=missed)
    result = run("eval", str(folder), "--details", "--check")
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert out.startswith(f"dev set (texts/ and gold/, scored by the dev set's rules): {folder}; gazetteer: none")
    for category in ("actors", "locations", "quantities", "events", "quotes"):
        assert re.search(rf"│ {category}\s+│", out), category
    assert re.search(r"│ quantities\s+│\s+2 │\s+1 │\s+1 │ 1\.00 │ 0\.50 │ 0\.67 │ ≥ 0\.92 │ ✗ │", out)
    assert re.search(r"│ quotes\s+│\s+1 │\s+1 │\s+1 │ 1\.00 │ 1\.00 │ 1\.00 │ ≥ 0\.96 │ ✓ │", out)
    assert "quote attribution: 1.00 (1/1)  target ≥ 0.90 ✓" in out
    assert "  quantity FN: between 40 and 50 attackers" in out
    assert "1 documents, " in out and "training set" not in out
    assert "targets not met: " in result.stderr and "quantities F1" in result.stderr
    assert "quotes F1" not in result.stderr


@pytest.mark.parametrize(("gold", "text", "expected"), [
    (GOLD.replace("kind: city", "kind: town"), TEXT,
     r"gold/post\.yaml:7:20: locations\.0\.kind: Input should be 'country', 'region', 'city'"),
    (GOLD.replace("events: []", "events:\n  - {date: March 2025, kind: attack, what: attack}"), TEXT,
     r"gold/post\.yaml:4:6: events\.0\.date: String should match pattern"),
    (GOLD, TEXT.replace("published: 2025-03-02", "published: 2 March"),
     r"texts/post\.txt:2:1: published: '2 March' is not YYYY-MM-DD, YYYY-MM or unknown"),
    (GOLD, TEXT.replace("url: https://example.org/border-post\n", ""),
     r"texts/post\.txt:1:1: header: url: missing"),
    (GOLD, "Gunmen attacked a border post.\n",
     r"texts/post\.txt:1:1: header: 'Gunmen attacked a border post\.' is not a header line"),
])
def test_a_bad_devset_file_is_one_line_with_exit_2(outside: Path, tmp_path: Path, gold: str, text: str,
                                                   expected: str) -> None:
    result = run("eval", str(small_devset(tmp_path, gold, text)))
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and re.search(expected, lines[0]), lines
    assert lines[0].startswith(f"error: {tmp_path}/") and "Traceback" not in result.output


def test_the_teams_gold_format_is_labelled_training_set(write_gold: Any, golds: dict[str, Any],
                                                         gazetteer_file: Path) -> None:
    gold = write_gold(golds)
    result = run("eval", str(gold), "--gazetteer", str(gazetteer_file))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"training set (the team's gold format): {gold}")
    assert "Extraction against gold (training set)" in result.stdout
    refused = run("eval", str(gold), "--gazetteer", str(gazetteer_file), "--save", "facts.json")
    assert refused.exit_code == 1 and "is not a dev-set folder" in refused.stderr
