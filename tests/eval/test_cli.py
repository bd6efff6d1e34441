"""`briefgen eval GOLD_DIR`: the table, --details, --check, --format json and one-line errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner, Result

from briefgen.cli import main


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


def test_eval_prints_one_row_per_category_and_the_summary(write_gold, golds, gazetteer_file) -> None:
    result = run("eval", write_gold(golds), "--gazetteer", gazetteer_file)
    assert result.exit_code == 0, result.output
    out = result.stdout
    for category in ("actors", "roles", "affiliations", "places", "quotes", "events", "quantities"):
        assert re.search(rf"│ {category}\s+│", out), category
    assert re.search(r"│ actors\s+│\s+7 │\s+7 │\s+7 │ 1\.00 │ 1\.00 │ 1\.00 │ ≥ 0\.92 │ ✓ │", out)
    assert re.search(r"│ affiliations\s+│\s+0 │\s+0 │\s+0 │\s+– │\s+– │\s+– │\s+│\s+│", out)
    for line in ("speaker accuracy: 1.00 (5/5)  target ≥ 0.90 ✓", "date accuracy: 1.00 (4/4)",
                 "planned accuracy: 1.00 (4/4)", "quantity subject accuracy: 1.00 (4/4)", "years counted: 0",
                 "offsets exact: 100.0% (", "2 documents, 92 words evaluated; 0 gold files skipped"):
        assert line in out, line
    assert "miss" not in out  # no --details


def test_details_name_each_miss_false_positive_and_wrong_speaker(write_gold, golds, gazetteer_file) -> None:
    golds["a"]["places"].append({"name": "Mosul"})
    golds["a"]["quotes"][1]["speaker"] = "Joint Operations Command"
    golds["b"]["actors"].pop(1)
    gold = write_gold(golds)
    result = run("eval", gold, "--gazetteer", gazetteer_file, "--details")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert f"{gold / 'a.yaml'} ({gold.parent / 'docs' / 'a.md'})" in lines
    assert "  miss   place: Mosul" in lines
    assert any(line.startswith("  wrong  speaker of “The cells are small but patient”: gold Joint") for line in lines)
    extra = "  extra  actor: Islamic State (organization)"
    assert lines.index(extra) > lines.index(f"{gold / 'b.yaml'} ({gold.parent / 'docs' / 'b.txt'})")


def test_check_exits_1_only_when_a_target_is_missed(write_gold, golds, gazetteer_file) -> None:
    assert run("eval", write_gold(golds), "--gazetteer", gazetteer_file, "--check").exit_code == 0
    golds["a"]["places"] += [{"name": "Mosul"}, {"name": "Tikrit"}, {"name": "Samarra"}]
    gold = write_gold(golds)
    failed = run("eval", gold, "--gazetteer", gazetteer_file, "--check")
    assert failed.exit_code == 1
    assert "targets not met: places F1" in failed.stderr
    assert re.search(r"│ places\s+│\s+9 │\s+6 │\s+6 │ 1\.00 │ 0\.67 │ 0\.80 │ ≥ 0\.92 │ ✗ │", failed.stdout)
    assert run("eval", gold, "--gazetteer", gazetteer_file).exit_code == 0  # without --check: a report only


def test_json_format(write_gold, golds, gazetteer_file) -> None:
    golds["a"]["places"].append({"name": "Mosul"})
    result = run("eval", write_gold(golds), "--gazetteer", gazetteer_file, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    places = data["categories"]["places"]
    assert (places["gold"], places["found"], places["matched"], places["target"]) == (7, 6, 6, 0.92)
    assert places["recall"] == 6 / 7 and places["met"] is True
    assert data["passed"] is True and data["years_counted"]["count"] == 0
    assert data["documents"][0]["misses"] == ["place: Mosul"]


def test_a_missing_document_is_skipped_with_a_warning(write_gold, golds, gazetteer_file) -> None:
    golds["c"] = {"document": "../shared/absent.txt", "published": "2025-08"}
    gold = write_gold(golds)
    result = run("eval", gold, "--gazetteer", gazetteer_file)
    assert result.exit_code == 0, result.output
    assert f"skipped: {gold / 'c.yaml'}: document " in result.stderr
    assert "2 documents, 92 words evaluated; 1 gold files skipped" in result.stdout


def test_only_skipped_gold_files_is_an_error(write_gold, gazetteer_file) -> None:
    gold = write_gold({"c": {"document": "../absent.txt"}})
    result = run("eval", gold, "--gazetteer", gazetteer_file, "--check")
    assert result.exit_code == 1
    assert "no gold file could be evaluated (1 skipped)" in result.stderr


def test_a_bad_gold_file_is_one_line_and_exit_2(write_gold, golds, gazetteer_file) -> None:
    golds["b"]["events"][0]["date"] = "March 2025"
    gold = write_gold(golds)
    result = run("eval", gold, "--gazetteer", gazetteer_file)
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {gold / 'b.yaml'}:") and "events.0.date: String should match pattern" in line
    assert "Traceback" not in result.output


def test_an_empty_or_absent_folder_is_named(tmp_path: Path, gazetteer_file) -> None:
    assert "no gold files (*.yaml)" in run("eval", tmp_path, "--gazetteer", gazetteer_file).stderr
    result = run("eval", tmp_path / "absent", "--gazetteer", gazetteer_file)
    assert result.exit_code == 1 and "absent: no such folder" in result.stderr


def test_eval_has_help() -> None:
    result = run("eval", "--help")
    assert result.exit_code == 0 and "--check" in result.output and "GOLD_DIR" in result.output
