"""benchmarks/score_incidents.py against a tiny hand-written gold."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from benchmarks import score_incidents as si


def run(gold_file: Path, preds: list[dict[str, Any]]) -> dict[str, Any]:
    """Score predictions against the gold file and return the report."""
    docs, golds = si.load_gold(gold_file)
    return si.score(docs, golds, [dict(p, doc=si.doc_stem(p.get("doc"))) for p in preds])


def test_perfect_prediction_scores_one(gold_file: Path, predictions: list[dict[str, Any]]) -> None:
    report = run(gold_file, predictions)
    assert report["detection"]["f1"] == 1.0
    assert all(value == 1.0 for value in report["accuracy"].values())
    assert all(row["f1"] == 1.0 for row in report["per_event_type"].values())


def test_missing_incident_lowers_recall_only(gold_file: Path, predictions: list[dict[str, Any]]) -> None:
    report = run(gold_file, predictions[1:])
    assert report["detection"]["precision"] == 1.0
    assert report["detection"]["recall"] == pytest.approx(2 / 3)
    assert report["per_event_type"]["Battles"]["recall"] == 0.0


def test_spurious_incident_lowers_precision(gold_file: Path, predictions: list[dict[str, Any]]) -> None:
    extra = dict(predictions[0], doc="a-03")
    report = run(gold_file, [*predictions, extra])
    assert report["detection"]["recall"] == 1.0
    assert report["detection"]["precision"] == pytest.approx(3 / 4)
    assert report["per_event_type"]["Battles"]["precision"] == 0.5


def test_wrong_type_lowers_type_accuracy(gold_file: Path, predictions: list[dict[str, Any]]) -> None:
    predictions[0]["event_type"] = "Violence against civilians"
    predictions[0]["sub_event_type"] = "Attack"
    report = run(gold_file, predictions)
    assert report["detection"]["recall"] == 1.0  # still paired: same date and place
    assert report["accuracy"]["event_type"] == pytest.approx(2 / 3)
    assert report["accuracy"]["sub_event_type"] == pytest.approx(2 / 3)
    assert report["per_event_type"]["Battles"]["recall"] == 0.0
    assert report["per_event_type"]["Violence against civilians"]["precision"] == 0.0


def test_wrong_sub_type_only(gold_file: Path, predictions: list[dict[str, Any]]) -> None:
    predictions[1]["sub_event_type"] = "Shelling/artillery/missile attack"
    report = run(gold_file, predictions)
    assert report["accuracy"]["event_type"] == 1.0
    assert report["accuracy"]["sub_event_type"] == pytest.approx(2 / 3)


def test_date_must_agree_to_pair(gold_file: Path, predictions: list[dict[str, Any]]) -> None:
    predictions[2]["event_date"] = "2025-06-01"
    assert run(gold_file, predictions)["detection"]["tp"] == 2


def test_prefix_dates_pair_but_coarser_date_is_wrong(gold_file: Path, predictions: list[dict[str, Any]]) -> None:
    predictions[0]["event_date"] = "2025-01"  # coarser than the gold day
    predictions[2]["event_date"] = "2025-05-06"  # finer than the gold month: agrees
    report = run(gold_file, predictions)
    assert report["detection"]["f1"] == 1.0
    assert report["accuracy"]["date"] == pytest.approx(2 / 3)


def test_type_or_place_needed_to_pair(gold_file: Path, predictions: list[dict[str, Any]]) -> None:
    predictions[2]["event_type"] = "Battles"
    predictions[2]["location"] = "Aden"
    assert run(gold_file, predictions)["detection"]["tp"] == 2


def test_location_normalised_and_alternatives(gold_file: Path, predictions: list[dict[str, Any]]) -> None:
    predictions[0]["location"] = "DAMBOA"  # an accepted alternative
    predictions[2]["location"] = "Red Sea"  # leading "the" set aside
    predictions[1]["location"] = "Damboa district"
    report = run(gold_file, predictions)
    assert report["accuracy"]["location"] == 1.0


def test_al_prefix_ignored() -> None:
    assert si.norm_location("Ain al-Asad") == si.norm_location("Ain Al Asad") == si.norm_location("ain asad")
    assert si.norm_location("Al Anbar Province") == si.norm_location("Anbar")
    assert si.norm_location("el-Fasher") == si.norm_location("Fasher")


def test_wrong_location_lowers_location_accuracy(gold_file: Path, predictions: list[dict[str, Any]]) -> None:
    predictions[0]["location"] = "Maiduguri"
    report = run(gold_file, predictions)
    assert report["detection"]["tp"] == 3
    assert report["accuracy"]["location"] == pytest.approx(2 / 3)


def test_fatalities_exact_low_and_null(gold_file: Path, predictions: list[dict[str, Any]]) -> None:
    predictions[0]["fatalities"] = 5
    predictions[1]["fatalities"] = 0  # gold states none: 0 is not null
    report = run(gold_file, predictions)
    assert report["accuracy"]["fatalities"] == pytest.approx(1 / 3)


def test_one_to_one_matching(gold_file: Path, predictions: list[dict[str, Any]]) -> None:
    report = run(gold_file, [*predictions, predictions[0]])  # the same clash predicted twice
    assert report["detection"]["tp"] == 3
    assert report["detection"]["precision"] == pytest.approx(3 / 4)


def test_best_pair_wins(gold_file: Path, predictions: list[dict[str, Any]]) -> None:
    strike, clash = predictions[1], predictions[0]
    report = run(gold_file, [strike, clash, predictions[2]])  # order must not matter
    assert report["accuracy"]["event_type"] == 1.0


def test_document_paths_and_unknown_documents(gold_file: Path, predictions: list[dict[str, Any]]) -> None:
    predictions[0]["doc"] = "/tmp/texts/a-01.md"
    stray = dict(predictions[1], doc="zz-99")
    report = run(gold_file, [*predictions, stray])
    assert report["detection"]["f1"] == 1.0
    assert report["ignored_predictions"] == 1


def test_nothing_predicted(gold_file: Path) -> None:
    report = run(gold_file, [])
    assert report["detection"]["precision"] == 0.0
    assert report["detection"]["recall"] == 0.0
    assert report["accuracy"]["date"] is None


def test_gold_folder_of_files(tmp_path: Path, gold_file: Path, predictions: list[dict[str, Any]]) -> None:
    folder = tmp_path / "gold"
    folder.mkdir()
    gold_file.rename(folder / "a.yaml")
    assert run(folder, predictions)["detection"]["f1"] == 1.0


def test_cli_table_and_json(
    gold_file: Path, predictions: list[dict[str, Any]], write_json: Callable[[Any], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write_json({"incidents": predictions[1:]})
    assert si.main([str(path), "--gold", str(gold_file)]) == 0
    table = capsys.readouterr().out
    assert "incident detection" in table and "R 0.667" in table and "Battles" in table
    assert si.main([str(path), "--gold", str(gold_file), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["detection"]["recall"] == pytest.approx(2 / 3)


def test_cli_rejects_bad_json(gold_file: Path, write_json: Callable[[Any], Path]) -> None:
    path = write_json("not a list")
    assert si.main([str(path), "--gold", str(gold_file)]) == 2
