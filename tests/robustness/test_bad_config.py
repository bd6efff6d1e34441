"""Every bad value in configuration is one line, file:line:col: key: message, exit 2 — never an internal error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.projects import make_project, run, write

BOMB = "\n".join(
    [f"l0: &l0 [{', '.join(['x'] * 9)}]"]
    + [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 9)]
) + "\n"


def check(project: Path) -> tuple[int, str]:
    result = run("check", "--project", str(project))
    return result.exit_code, result.output


@pytest.mark.parametrize(("extra", "key"), [
    ("window:\n  start: 2024-13-01\n", "window.start"),
    ("window:\n  start: 2025-02-30\n", "window.start"),
    ("window:\n  end: 0000-01-01\n", "window.end"),
    ("window:\n  days: 100000000\n", "window.days"),
    ("window:\n  start: 2025-06-01\n  end: 2025-01-01\n", "window"),
])
def test_impossible_dates_and_windows_in_a_brief(tmp_path: Path, extra: str, key: str) -> None:
    code, output = check(make_project(tmp_path, brief_extra=extra))
    assert code == 2, output
    assert re.search(rf"config/briefs/desk\.yaml:\d+:\d+: {re.escape(key)}: ", output), output
    assert "internal error" not in output


@pytest.mark.parametrize("zone", ["A" * 5000, "../../etc/passwd", "/etc/localtime", "Mars/Olympus_Mons", "UTC\\x00"])
def test_bad_time_zones(tmp_path: Path, zone: str) -> None:
    code, output = check(make_project(tmp_path, settings_extra=f'timezone: "{zone}"\n'))
    assert code == 2, output
    assert re.search(r"config/briefgen\.yaml:\d+:\d+: timezone: ", output), output
    assert len(output) < 1000


@pytest.mark.parametrize(("text", "message"), [
    (BOMB, "expands to more than"),
    ("a: &a [1, *a]\n", "refers to a node that contains it"),
    ("x: " + "[" * 500 + "]" * 500 + "\n", "nested more than"),
    ("title: [unclosed\n", "expected ',' or ']'"),
])
def test_yaml_that_would_cost_unbounded_work(tmp_path: Path, text: str, message: str) -> None:
    project = make_project(tmp_path)
    write(project, "config/audiences/analyst.yaml", "label: Analyst\n" + text)
    code, output = check(project)
    assert code == 2 and message in output, output
    assert re.search(r"config/audiences/analyst\.yaml:\d+:\d+: ", output), output


def test_an_oversized_config_file(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    write(project, "config/audiences/analyst.yaml", "label: x\n" + "# padding\n" * 200_000)
    code, output = check(project)
    assert code == 2 and "config/audiences/analyst.yaml: " in output and "at most" in output


@pytest.mark.parametrize("pattern", ["../*", "/etc/*", "sources/../../*", "~/*"])
def test_source_globs_stay_inside_the_project(tmp_path: Path, pattern: str) -> None:
    project = make_project(tmp_path)
    brief = project / "config/briefs/desk.yaml"
    brief.write_text(brief.read_text().replace("sources: [sources/*]", f"sources: ['{pattern}']"))
    code, output = check(project)
    assert code == 2 and re.search(r"desk\.yaml:\d+:\d+: sources\.0: .*outside the project", output), output


def test_a_config_file_that_is_not_utf8(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    write(project, "config/audiences/analyst.yaml", b"label: caf\xe9\n")
    code, output = check(project)
    assert code == 2 and "config/audiences/analyst.yaml: not UTF-8 text" in output
