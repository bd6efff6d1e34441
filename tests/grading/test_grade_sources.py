"""Where grades are set: the project's `grades:` by outlet and a source's front matter, each checked strictly."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import ConfigError
from briefgen.ingest import SkippedSourceError, read_document, read_sources
from briefgen.project import load_project
from tests.projects import make_project, write


def config_errors(root: Path, grades: str) -> list[str]:
    make_project(root, settings_extra="grades:\n" + grades)
    with pytest.raises(ConfigError) as caught:
        load_project(root)
    return caught.value.lines


def test_project_grades_are_kept_in_their_canonical_form(tmp_path: Path) -> None:
    make_project(tmp_path, settings_extra='grades:\n  Reuters: b2\n  "Ministry of Defence": C\n')
    assert load_project(tmp_path).settings.grades == {"Reuters": "B2", "Ministry of Defence": "C"}


def test_each_bad_project_grade_names_file_line_and_outlet(tmp_path: Path) -> None:
    lines = config_errors(tmp_path, "  Reuters: B2\n  Local Radio: B 2\n  Wire: 7\n  Blog: H1\n")
    # config/briefgen.yaml holds 'producer' and 'timezone' on lines 1-2, 'grades:' on line 3.
    assert lines == [
        "config/briefgen.yaml:5:3: grades.Local Radio: 'B 2': write the grade without a space or mark between "
        "letter and digit, e.g. B2",
        "config/briefgen.yaml:6:3: grades.Wire: expected a grade, a reliability letter A–F, optionally followed by "
        "a credibility digit 1–6, e.g. B2 or B; got the number 7 (a grade starts with its reliability letter)",
        "config/briefgen.yaml:7:3: grades.Blog: 'H1': reliability H is not one of A–F",
    ]


def test_an_outlet_graded_twice_under_two_spellings_is_an_error(tmp_path: Path) -> None:
    (line,) = config_errors(tmp_path, "  Reuters: B2\n  ' REUTERS ': A1\n")
    assert line == ("config/briefgen.yaml:3:1: grades: ' REUTERS ' is 'Reuters' again "
                    "(outlets are matched ignoring case and spacing)")


def test_grades_must_map_outlets_to_grades(tmp_path: Path) -> None:
    (line,) = config_errors(tmp_path, "  - B2\n")
    assert line == "config/briefgen.yaml:3:1: grades: expected one 'outlet: grade' line each, e.g. 'Reuters: B2'"


def test_a_front_matter_grade_is_read_in_its_canonical_form(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", "---\ntitle: Attack\ngrade: c3\n---\nGunmen attacked a post.\n")
    assert read_document(path, tmp_path).grade == "C3"
    assert read_document(write(tmp_path, "b.md", "No front matter.\n"), tmp_path).grade is None


def test_a_bad_front_matter_grade_skips_the_source_naming_line_and_column(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.md", "\n---\ntitle: Attack\ngrade: B9\n---\nGunmen attacked a post.\n")
    with pytest.raises(SkippedSourceError, match="front matter: grade: 'B9': credibility 9 is not one of 1–6"):
        read_document(bad, tmp_path)
    result = read_sources([bad], tmp_path)
    assert result.skipped == ["bad.md:4:1: front matter: grade: 'B9': credibility 9 is not one of 1–6"]
