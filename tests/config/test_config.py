"""Configuration: precise one-line errors, all reported at once, cross-file checks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from briefgen.errors import ConfigError
from briefgen.project import load_project


def errors_of(project: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_project(project)
    return caught.value.lines


def test_example_project_loads(example_project: Path) -> None:
    project = load_project(example_project)
    assert set(project.audiences) == {"analyst", "executive", "public", "field-team"}
    assert "iraq-security" in project.briefs
    assert project.judgments["iraq-security"].strip()


def test_broken_yaml_names_file_line_and_column(example_project: Path) -> None:
    (example_project / "config/briefs/iraq-security.yaml").write_text("title: [Iraq\nsources: x\n")
    (line,) = errors_of(example_project)
    assert line.startswith("config/briefs/iraq-security.yaml:2:")
    assert "expected ',' or ']'" in line


def test_unknown_field_and_section_are_named_with_the_valid_ones(example_project: Path) -> None:
    path = example_project / "config/briefs/iraq-security.yaml"
    text = path.read_text().replace("  - kind: sources", "  - kind: weather\n  - kind: sources")
    path.write_text(text.replace("max_zones: 8", "max_zone: 8"))
    lines = errors_of(example_project)
    assert any("sections.3.max_zone: unknown field 'max_zone'; valid fields:" in line and "max_zones" in line
               for line in lines)
    assert any("unknown section 'weather'; valid sections: key_judgments" in line for line in lines)
    assert all(line.startswith("config/briefs/iraq-security.yaml:") for line in lines)


def test_unknown_audience_is_named_with_the_valid_ones(example_project: Path) -> None:
    path = example_project / "config/briefs/iraq-security.yaml"
    text = path.read_text().replace("audiences: [executive, analyst, public, field-team]", "audiences: [cabinet]")
    path.write_text(text)
    (line,) = errors_of(example_project)
    assert line.startswith("config/briefs/iraq-security.yaml:11:13:")
    assert "unknown audience 'cabinet'; valid audiences: analyst, executive, field-team, public" in line


def test_all_problems_are_reported_at_once(example_project: Path) -> None:
    (example_project / "config/audiences/analyst.yaml").write_text("label: A\nmarkings: TLP:RED\n")
    (example_project / "config/briefgen.yaml").write_text("page_size: A5\ntimezone: Mars/Olympus\n")
    lines = errors_of(example_project)
    assert any(line.startswith("config/audiences/analyst.yaml:2:1: markings: unknown field") for line in lines)
    assert any(line.startswith("config/briefgen.yaml:1:") and "page_size" in line for line in lines)


def test_missing_judgments_file_is_reported(example_project: Path) -> None:
    (example_project / "config/briefs/iraq-security.judgments.md").unlink()
    (line,) = errors_of(example_project)
    assert "sections.0.file: cannot read 'iraq-security.judgments.md'" in line


def test_a_folder_without_config_is_not_a_project(tmp_path: Path) -> None:
    (line,) = errors_of(tmp_path)
    assert "not a briefgen project" in line and "briefgen init" in line


def test_a_likelihood_outside_the_icd203_scale_is_rejected(example_project: Path) -> None:
    path = example_project / "config/briefs/iraq-security.yaml"
    path.write_text(path.read_text().replace("likelihood: very likely", "likelihood: probably maybe"))
    (line,) = errors_of(example_project)
    assert ".likelihood: 'probably maybe' is not an ICD 203 likelihood term; use one of: almost no chance" in line
    assert line.startswith("config/briefs/iraq-security.yaml:")


def test_confidence_is_high_moderate_or_low(example_project: Path) -> None:
    path = example_project / "config/briefs/iraq-security.yaml"
    path.write_text(path.read_text().replace("confidence: high\n", "confidence: total\n", 1))
    (line,) = errors_of(example_project)
    assert "sections.0.judgments.0.confidence: Input should be 'high', 'moderate' or 'low'" in line


def brief_errors(project: Path, old: str, new: str) -> list[str]:
    """The errors after replacing `old` with `new` in the example brief (which must contain `old`)."""
    path = project / "config/briefs/iraq-security.yaml"
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))
    return errors_of(project)


def test_key_figures_unknown_field_is_named_with_the_valid_ones(example_project: Path) -> None:
    (line,) = brief_errors(example_project, "max_figures: 8", "max_figure: 8")
    assert line.startswith("config/briefs/iraq-security.yaml:44:5: sections.2.max_figure: unknown field 'max_figure'")
    assert "valid fields: title, kind, max_figures, figure_terms" in line


def test_indicator_direction_must_be_one_of_three(example_project: Path) -> None:
    (line,) = brief_errors(example_project, "direction: either", "direction: sideways")
    assert line.startswith("config/briefs/iraq-security.yaml:")
    assert ("sections.8.indicators.0.direction: Input should be 'escalation', 'de-escalation' or 'either'"
            in line)


def test_intelligence_gap_unknown_field_is_named_with_the_valid_ones(example_project: Path) -> None:
    (line,) = brief_errors(example_project, "      - gap: How many US troops",
                           "      - priority: high\n        gap: How many US troops")
    assert "sections.9.gaps.1.priority: unknown field 'priority'; valid fields: gap, why_it_matters, collection" in line


def edit_section(project: Path, kind: str, **fields: object) -> list[str]:
    """The errors after setting fields of one section of the example brief."""
    path = project / "config/briefs/iraq-security.yaml"
    brief = yaml.safe_load(path.read_text())
    next(item for item in brief["sections"] if item["kind"] == kind).update(fields)
    path.write_text(yaml.safe_dump(brief, sort_keys=False))
    return errors_of(project)


def test_intelligence_gaps_need_at_least_one_gap(example_project: Path) -> None:
    (line,) = edit_section(example_project, "intelligence_gaps", gaps=[])
    assert "sections.9.gaps: List should have at least 1 item after validation, not 0" in line


def test_outlook_takes_text_or_file_not_both(example_project: Path) -> None:
    (line,) = brief_errors(example_project, "    file: iraq-security.outlook.md",
                           "    file: iraq-security.outlook.md\n    text: Also this.")
    assert "sections.8: give 'text' or 'file', not both" in line


def test_missing_outlook_file_is_reported(example_project: Path) -> None:
    (example_project / "config/briefs/iraq-security.outlook.md").unlink()
    (line,) = errors_of(example_project)
    assert "sections.8.file: cannot read 'iraq-security.outlook.md' beside config/briefs/iraq-security.yaml" in line


def test_threat_assessment_must_not_be_empty(example_project: Path) -> None:
    (line,) = edit_section(example_project, "threat_summary", assessment="")
    assert "sections.3.assessment: String should have at least 1 character" in line


def test_an_actor_stance_is_short(example_project: Path) -> None:
    path = example_project / "config/gazetteer.yaml"
    path.write_text(path.read_text().replace("stance: Hostile; rebuilding as a cross-border insurgency",
                                             "stance: " + "very " * 30 + "hostile"))
    (line,) = errors_of(example_project)
    assert line.startswith("config/gazetteer.yaml:19:5: actors.0.stance: String should have at most 120 characters")


def test_max_citations_defaults_to_three_and_must_be_at_least_one(example_project: Path) -> None:
    assert load_project(example_project).audiences["analyst"].max_citations == 3
    path = example_project / "config/audiences/analyst.yaml"
    path.write_text(path.read_text() + "max_citations: 0\n")
    line = errors_of(example_project)[0]
    assert line.startswith("config/audiences/analyst.yaml:") and "max_citations" in line
    assert "greater than or equal to 1" in line
