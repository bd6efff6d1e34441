"""`briefgen incidents` on a real project: CSV, JSON and GeoJSON, to standard output or a file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.projects import make_project, run, write

SOURCES = {
    "sources/2025-10-14-wire.md": """\
        ---
        title: Bomb kills soldiers
        published: 2025-10-14
        outlet: Desk Wire
        ---
        A roadside bomb killed three soldiers near Kirkuk on 13 October 2025, police said.
        """,
    "sources/2025-10-15-daily.md": """\
        ---
        title: Soldiers die in blast
        published: 2025-10-15
        outlet: Kirkuk Daily
        ---
        A roadside bomb killed five soldiers near Kirkuk on 13 October 2025, a local official said.
        """,
    "sources/2025-10-23-field.md": """\
        ---
        title: Field note
        published: 2025-10-23
        outlet: Field Team
        releasable: false
        ---
        Gunmen attacked a checkpoint near Kirkuk on 22 October 2025, killing two policemen.
        """,
    "sources/2025-10-21-arrests.md": """\
        ---
        title: Arrests
        published: 2025-10-21
        outlet: Desk Wire
        ---
        Police arrested two suspects on 20 October 2025.
        """,
}
GAZETTEER = """\
    places:
      - {name: Kirkuk, kind: city, country: Iraq, lat: 35.47, lon: 44.39}
    """


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small project whose sources tell one bombing twice (with different tolls) and an arrest."""
    root = make_project(tmp_path_factory.mktemp("incidents"), sources=dict(SOURCES))
    write(root, "config/gazetteer.yaml", GAZETTEER)
    return root


def export(project: Path, *args: str) -> str:
    """Run `briefgen incidents` and return its standard output."""
    result = run("incidents", "--project", str(project), *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_csv_has_one_record_for_the_bombing_citing_both_sources(project: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(export(project, "--format", "csv"))))
    (bombing,) = [row for row in rows if row["sub_event_type"] == "Remote explosive/landmine/IED"]
    assert (bombing["event_date"], bombing["time_precision"], bombing["event_type"]) == (
        "2025-10-13", "day", "Explosions/Remote violence")
    assert (bombing["location"], bombing["geo_precision"], bombing["latitude"]) == ("Kirkuk", "2", "35.47")
    assert (bombing["fatalities"], bombing["fatalities_high"], bombing["sources"]) == ("3", "5", "2")
    assert bombing["source"] == "Desk Wire; Kirkuk Daily"
    assert "3 (Desk Wire), 5 (Kirkuk Daily)" in bombing["notes"]
    assert any(row["sub_event_type"] == "Arrests" and row["event_date"] == "2025-10-20" for row in rows)


def test_json_keeps_each_toll_with_its_source(project: Path) -> None:
    records = json.loads(export(project, "--format", "json"))["incidents"]
    (bombing,) = [record for record in records if record["event_type"] == "Explosions/Remote violence"]
    assert [source["outlet"] for source in bombing["sources"]] == ["Desk Wire", "Kirkuk Daily"]
    assert sorted((item["low"], item["high"]) for item in bombing["fatalities_by_source"]) == [(3, 3), (5, 5)]


def test_geojson_to_a_file_leaves_out_records_without_coordinates(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "incidents.geojson"
    result = run("incidents", "--project", str(project), "--format", "geojson", "-o", str(target))
    assert result.exit_code == 0, result.output
    collection = json.loads(target.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    assert {feature["geometry"]["coordinates"][1] for feature in collection["features"]} == {35.47}
    assert sorted(feature["properties"]["sub_event_type"] for feature in collection["features"]) == [
        "Armed clash", "Remote explosive/landmine/IED"]
    assert "1 incident(s) without coordinates" in result.stderr and result.stdout == ""


def test_an_unwritable_output_is_one_line(project: Path) -> None:
    result = run("incidents", "--project", str(project), "-o", str(project / "config" / "briefgen.yaml" / "x"))
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_releasable_only_leaves_out_what_only_restricted_sources_tell(project: Path) -> None:
    everything = list(csv.DictReader(io.StringIO(export(project, "--format", "csv"))))
    shared = list(csv.DictReader(io.StringIO(export(project, "--format", "csv", "--releasable-only"))))
    assert [row["event_date"] for row in everything if row["source"] == "Field Team"] == ["2025-10-22"]
    assert "Field Team" not in {row["source"] for row in shared}
    assert len(shared) == len(everything) - 1
