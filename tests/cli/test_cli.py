"""The command line: help everywhere, one-line errors, the JSON facts contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefgen.cli import main

COMMANDS = ("build", "check", "extract", "facts", "incidents", "init", "runs", "deliver", "approve", "serve",
            "schedule", "schedule list", "schedule run", "schedule once", "schedule export")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = run(*command.split(), "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


def test_check_passes_on_the_example(example_project: Path) -> None:
    result = run("check", "--project", str(example_project))
    assert result.exit_code == 0, result.output
    assert "ok:" in result.stderr


def test_check_on_broken_config_prints_one_line_and_exits_2(example_project: Path) -> None:
    path = example_project / "config/briefs/iraq-security.yaml"
    path.write_text(path.read_text().replace("title: Iraq", "title: [Iraq"))
    result = run("check", "--project", str(example_project))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: config/briefs/iraq-security.yaml:")
    assert "Traceback" not in result.output


def test_check_reports_a_broken_template(example_project: Path) -> None:
    (example_project / "templates").mkdir(exist_ok=True)
    (example_project / "templates/brief.html").write_text("{% if %}")
    result = run("check", "--project", str(example_project))
    assert result.exit_code == 2
    assert "brief.html:1:" in result.stderr


def test_debug_shows_the_traceback(example_project: Path) -> None:
    (example_project / "config/briefgen.yaml").write_text("store: [\n")
    result = run("--debug", "check", "--project", str(example_project))
    assert result.exit_code != 0 and result.exception is not None


def test_unknown_format_is_named(example_project: Path) -> None:
    result = run("build", "--project", str(example_project), "--format", "docx")
    assert result.exit_code == 1
    assert "unknown format 'docx'; valid formats: html, pdf" in result.stderr


def test_extract_follows_the_facts_contract(tmp_path: Path) -> None:
    source = tmp_path / "note.md"
    source.write_text("---\ntitle: Note\npublished: 2025-08-10\n---\n\nSecurity analyst Omar Haddad said the "
                      "coalition will leave Ain al-Asad by September 2025, and roughly 1,000 fighters remain.\n")
    result = run("extract", str(source), "--format", "json", "--with-text")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"documents", "actors", "events", "quantities", "locations", "quotes"}
    text = data["documents"][0]["text"]
    for key, fields in {"actors": {"id", "name", "kind", "aliases", "role", "affiliation", "mentions"},
                        "events": {"id", "date", "date_text", "kind", "what", "actors", "locations", "doc",
                                   "start", "end"},
                        "quantities": {"id", "text", "low", "high", "unit", "subject", "doc", "start", "end"},
                        "locations": {"id", "name", "kind", "lat", "lon", "mentions"}}.items():
        assert data[key], key
        assert all(fields <= set(item) for item in data[key]), key
    for event in data["events"]:
        assert text[event["start"]:event["end"]] == event["what"]
    (quantity,) = [q for q in data["quantities"] if q["low"] == 1000]
    assert text[quantity["start"]:quantity["end"]] == quantity["text"]
    assert any(event["date"] == "2025-09" for event in data["events"])
    omar = next(actor for actor in data["actors"] if actor["name"] == "Omar Haddad")
    assert omar["role"] == "security analyst"
    mention = omar["mentions"][0]
    assert text[mention["start"]:mention["end"]] == "Omar Haddad"


def test_extract_of_an_unreadable_file_fails_cleanly(tmp_path: Path) -> None:
    result = run("extract", str(tmp_path / "missing.txt"))
    assert result.exit_code == 1
    assert "cannot read" in result.stderr and "no readable document" in result.stderr


def test_facts_prints_the_store_as_json(example_project: Path) -> None:
    result = run("facts", "--project", str(example_project), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["documents"]) == 5
    assert any(actor["name"] == "Sarmad al-Bayati" for actor in data["actors"])
