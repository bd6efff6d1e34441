"""Recipient addresses and the SMTP sender are checked in configuration, before anything is built or sent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.errors import ConfigError
from briefgen.project import load_project

SMTP = ("  smtp:\n    host: 127.0.0.1\n    port: 2525\n    security: none\n"
        "    sender: briefs@desk.example.org\n")
BRIEF = "config/briefs/iraq-security.yaml"


def configure(project: Path, recipients: str, smtp: str | None = SMTP) -> None:
    """Give the example's schedule the `recipients:` block (YAML lines, indented 6) and maybe an SMTP server."""
    brief = project / BRIEF
    text = re.sub(r"    # recipients:.*\n(    #.*\n)*", lambda _: "    recipients:\n" + recipients, brief.read_text())
    brief.write_text(text)
    if smtp is not None:
        settings = project / "config/briefgen.yaml"
        settings.write_text(settings.read_text() + smtp)


def errors_of(project: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_project(project)
    return caught.value.lines


def pointed_at(project: Path, line: str, relative: str = BRIEF) -> str:
    """The text of the file from the line and column an error names."""
    row, column = re.match(rf"{re.escape(relative)}:(\d+):(\d+): ", line).groups()  # type: ignore[union-attr]
    return (project / relative).read_text().splitlines()[int(row) - 1][int(column) - 1:]


def test_valid_recipients_load(example_project: Path) -> None:
    configure(example_project, "      analyst: [desk@example.org, chief@desk.example.org]\n"
                               "      executive: [leadership@example.org]\n")
    schedule = load_project(example_project).briefs["iraq-security"].schedules[0]
    assert schedule.recipients == {"analyst": ["desk@example.org", "chief@desk.example.org"],
                                   "executive": ["leadership@example.org"]}


@pytest.mark.parametrize(("address", "shown", "reason"), [
    (r'"desk@example.org\nBcc: all@example.org"', r"'desk@example.org\nBcc: all@example.org'",
     r"contains a line break or control character \(U\+000A\)"),
    (r'"desk@example.org\r"', r"'desk@example.org\r'", r"contains a line break or control character \(U\+000D\)"),
    (r'"desk\u0000@example.org"', r"'desk\x00@example.org'", r"contains a line break or control character"),
    ("not-an-address", "'not-an-address'", "An email address must have an @-sign"),
    ('"Desk <desk@example.org>"', "'Desk <desk@example.org>'", "display name"),
    ('"desk@example.org, all@example.org"', "'desk@example.org, all@example.org'", "invalid characters"),
    ("desk@localhost", "'desk@localhost'", "period"),
])
def test_an_invalid_recipient_is_reported_at_its_line_and_column(example_project: Path, address: str,
                                                                  shown: str, reason: str) -> None:
    configure(example_project, f"      analyst: [chief@example.org, {address}]\n")
    (line,) = errors_of(example_project)
    assert re.search(rf": schedules\.0\.recipients\.analyst\.1: {re.escape(shown)} is not a valid email address: "
                     rf".*{reason}", line), line
    assert "\n" not in line and "\r" not in line
    assert pointed_at(example_project, line).startswith(address)


def test_recipients_for_an_audience_the_schedule_does_not_build_are_an_error(example_project: Path) -> None:
    configure(example_project, "      analyst: [desk@example.org]\n      public: [press@example.org]\n"
                               "      cabinet: [pm@example.org]\n")
    lines = errors_of(example_project)
    assert len(lines) == 2
    public, cabinet = sorted(lines, key=lambda line: "cabinet" in line)
    assert public.endswith("schedules.0.recipients.public: this schedule does not build audience 'public'; "
                           "it builds: executive, analyst")
    assert pointed_at(example_project, public).startswith("public:")
    assert "schedules.0.recipients.cabinet: this schedule does not build audience 'cabinet'" in cabinet


def test_recipients_for_an_audience_the_brief_does_not_build_are_an_error(example_project: Path) -> None:
    brief = example_project / BRIEF
    brief.write_text(brief.read_text().replace("audiences: [executive, analyst, public, field-team]",
                                               "audiences: [executive, public]"))
    configure(example_project, "      analyst: [desk@example.org]\n")
    (line,) = errors_of(example_project)
    assert line.endswith("schedules.0.recipients.analyst: this schedule does not build audience 'analyst'; "
                         "it builds: executive")


def test_recipients_without_smtp_are_an_error(example_project: Path) -> None:
    configure(example_project, "      analyst: [desk@example.org]\n", smtp=None)
    (line,) = errors_of(example_project)
    assert line.endswith("schedules.0.recipients: email needs delivery.smtp in config/briefgen.yaml, "
                         "and it is not configured")
    assert pointed_at(example_project, line).startswith("recipients:")


def test_empty_recipient_lists_need_no_smtp(example_project: Path) -> None:
    configure(example_project, "      analyst: []\n", smtp=None)
    assert load_project(example_project).briefs["iraq-security"].schedules[0].recipients == {"analyst": []}


def test_a_recipient_listed_twice_is_an_error(example_project: Path) -> None:
    configure(example_project, "      analyst: [desk@example.org, Desk@example.org]\n")
    (line,) = errors_of(example_project)
    assert "schedules.0.recipients: analyst: Desk@example.org, desk@example.org listed twice" in line


@pytest.mark.parametrize(("sender", "reason"), [
    (r'"briefs@example.org\nBcc: all@example.org"', "line break"), ("briefs", "@-sign")])
def test_an_invalid_sender_is_reported(example_project: Path, sender: str, reason: str) -> None:
    settings = example_project / "config/briefgen.yaml"
    settings.write_text(settings.read_text() + SMTP.replace("briefs@desk.example.org", sender))
    (line,) = errors_of(example_project)
    assert line.startswith("config/briefgen.yaml:") and "delivery.smtp.sender: " in line and reason in line
    assert pointed_at(example_project, line, "config/briefgen.yaml").startswith("sender:")


def test_a_sender_may_carry_a_display_name(example_project: Path) -> None:
    settings = example_project / "config/briefgen.yaml"
    settings.write_text(settings.read_text() + SMTP.replace("briefs@desk.example.org", '"Desk <b@example.org>"'))
    assert load_project(example_project).settings.delivery.smtp.sender == "Desk <b@example.org>"  # type: ignore[union-attr]


def test_briefgen_check_reports_a_recipient_with_a_line_break_in_one_line(example_project: Path) -> None:
    configure(example_project, '      analyst: ["desk@example.org\\nBcc: all@example.org"]\n')
    result = CliRunner().invoke(main, ["check", "--project", str(example_project)])
    assert result.exit_code == 2
    (error,) = result.stderr.splitlines()
    assert error.startswith(f"error: {BRIEF}:") and error.endswith(
        "schedules.0.recipients.analyst.0: 'desk@example.org\\nBcc: all@example.org' is not a valid email address: "
        "contains a line break or control character (U+000A)")


def test_briefgen_check_reports_every_recipient_problem_at_once(example_project: Path) -> None:
    configure(example_project, "      analyst: [desk@example.org]\n      public: [press@example.org]\n", smtp=None)
    result = CliRunner().invoke(main, ["check", "--project", str(example_project)])
    assert result.exit_code == 2
    errors = result.stderr.splitlines()
    assert len(errors) == 2, result.stderr
    assert any("schedules.0.recipients: email needs delivery.smtp" in line for line in errors)
    assert any("this schedule does not build audience 'public'" in line for line in errors)
