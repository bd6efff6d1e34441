"""Timeline sections in configuration: several per brief, event kinds and zone kinds checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import ConfigError
from briefgen.eventkinds import shipped_event_kinds
from briefgen.facts import EVENT_KINDS
from briefgen.project import load_project

BRIEF = "config/briefs/iraq-security.yaml"
SHIPPED = "withdrawal, attack, strike, arrest, killing, statement, agreement, deployment, other"


def edit(project: Path, old: str, new: str, file: str = BRIEF) -> None:
    path = project / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def errors_of(project: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_project(project)
    return caught.value.lines


def test_a_wrong_event_kind_names_file_line_key_and_the_valid_kinds(example_project: Path) -> None:
    edit(example_project, "event_kinds: [withdrawal, deployment, agreement]", "event_kinds: [withdrawal, attackz]")
    number = 1 + (example_project / BRIEF).read_text().splitlines().index("    event_kinds: [withdrawal, attackz]")
    (line,) = errors_of(example_project)
    assert line == (f"{BRIEF}:{number}:31: sections.4.event_kinds.1: unknown event kind 'attackz'; valid kinds: "
                    f"{SHIPPED}; a project adds kinds with event_cues: in its gazetteer")


def test_the_changes_section_s_event_kinds_are_checked_too(example_project: Path) -> None:
    edit(example_project, "  - kind: changes ", "  - kind: changes\n    event_kinds: [withdrawl]\n  # ")
    (line,) = errors_of(example_project)
    assert line.startswith(f"{BRIEF}:43:19: sections.1.event_kinds.0: unknown event kind 'withdrawl'")


def test_a_kind_the_gazetteer_adds_is_valid_and_listed(example_project: Path) -> None:
    with (example_project / "config/gazetteer.yaml").open("a") as gazetteer:
        gazetteer.write("event_cues:\n  - {label: piracy, pattern: hijack}\n")
    edit(example_project, "event_kinds: [withdrawal, deployment, agreement]", "event_kinds: [piracy, mutiny]")
    (line,) = errors_of(example_project)
    assert "unknown event kind 'mutiny'" in line
    assert line.endswith(f"valid kinds: {SHIPPED}, piracy (the gazetteer's event_cues add: piracy)")


def test_the_shipped_kinds_are_the_event_kinds_extraction_gives() -> None:
    assert set(shipped_event_kinds()) == set(EVENT_KINDS)


def test_a_wrong_zone_kind_lists_the_valid_ones(example_project: Path) -> None:
    edit(example_project, "    max_zones: 8", "    max_zones: 8\n    zone_kinds: [city, town]")
    number = 1 + (example_project / BRIEF).read_text().splitlines().index("    zone_kinds: [city, town]")
    (line,) = errors_of(example_project)
    assert line.startswith(f"{BRIEF}:{number}:24: sections.3.zone_kinds.1: Input should be 'city', 'region'")


def test_a_brief_may_have_several_timelines_but_each_other_section_once(example_project: Path) -> None:
    attacks = "  - kind: timeline\n    title: Attacks\n    event_kinds: [attack, killing]\n  - kind: key_actors\n"
    edit(example_project, "  - kind: key_actors\n", attacks)
    brief = load_project(example_project).briefs["iraq-security"]
    assert [section.kind for section in brief.sections].count("timeline") == 1
    edit(example_project, "  - kind: sources", "  - kind: sources\n  - kind: key_actors")
    (line,) = errors_of(example_project)
    assert "section listed twice: key_actors" in line


def test_timelines_need_titles_of_their_own(example_project: Path) -> None:
    edit(example_project, "  - kind: key_actors\n", "  - kind: timeline\n  - kind: timeline\n  - kind: key_actors\n")
    (line,) = errors_of(example_project)
    assert "timelines with the same title: none, kind timeline; give each its own 'title'" in line
