"""Several timelines in one brief: each with its title, kinds, anchor, contents entry and graphic."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from lxml import html

from briefgen.assemble.views import TimelineSection
from briefgen.render import Renderer
from tests.assemble.conftest import Example, load_example
from tests.assemble.timeline_facts import Report, Source, build, entries, render, timelines, write_project

ATTACKS = """  - kind: timeline
    title: Attacks and raids
    event_kinds: [attack, killing]
  - kind: key_actors
"""


def with_attacks_timeline(root: Path) -> Example:
    """The example project with a second timeline, of attacks, after the withdrawal timeline."""
    path = root / "config/briefs/iraq-security.yaml"
    path.write_text(path.read_text().replace("  - kind: key_actors\n", ATTACKS, 1))
    return load_example(root)


def test_two_timelines_each_show_their_own_kinds(editable: Path) -> None:
    withdrawal, attacks = timelines(with_attacks_timeline(editable).view())
    assert (withdrawal.kind, withdrawal.title, attacks.kind, attacks.title) == (
        "withdrawal_timeline", "Withdrawal timeline", "timeline", "Attacks and raids")
    assert {entry.kind for entry in entries(withdrawal)} <= {"withdrawal", "deployment", "agreement"}
    assert entries(attacks) and {entry.kind for entry in entries(attacks)} <= {"attack", "killing"}


def test_two_timelines_render_with_their_own_anchors_contents_entries_and_graphics(editable: Path) -> None:
    example = with_attacks_timeline(editable)
    page = html.fromstring(Renderer(example.project).html(example.view()))
    sections = page.xpath('//section[contains(@class, "section-timeline")]')
    assert [section.get("id") for section in sections] == ["withdrawal-timeline", "attacks-and-raids"]
    contents = page.xpath('//nav//a/@href')
    assert "#withdrawal-timeline" in contents and "#attacks-and-raids" in contents
    titles = [section.xpath('.//svg/title/text()') for section in sections]
    assert titles == [["Withdrawal timeline"], ["Attacks and raids"]]
    ids = Counter(page.xpath("//@id"))
    assert not [name for name, count in ids.items() if count > 1]


def test_an_audience_naming_timeline_sees_every_timeline_of_that_kind_only(tmp_path: Path) -> None:
    root = write_project(tmp_path, "  - kind: timeline\n    title: Raids\n    event_kinds: [attack]\n"
                                   "  - kind: withdrawal_timeline\n  - kind: timeline\n    title: Killings\n"
                                   "    event_kinds: [killing]\n")
    (root / "config/audiences/analyst.yaml").write_text("label: Analyst brief\nsections: [timeline, sources]\n")
    view = build(root, [Source("Wire A", "2025-01-06", [])], dt.date(2025, 6, 1))
    assert [section.title for section in view.sections] == ["Raids", "Killings", "Sources"]


def test_timelines_titled_alike_get_distinct_anchors(tmp_path: Path) -> None:
    root = write_project(tmp_path, "  - kind: timeline\n    title: Sources\n    event_kinds: [attack]\n")
    view = build(root, [Source("Wire A", "2025-01-06", [])], dt.date(2025, 6, 1))
    assert [section.anchor for section in view.sections] == ["sources", "sources-2"]


def test_a_timeline_without_event_kinds_shows_every_kind_but_statements(tmp_path: Path) -> None:
    root = write_project(tmp_path, "  - kind: timeline\n")
    reports = [Report("Gunmen attacked Port Lenn on Friday.", "2025-01-03", "attack", places=("Port Lenn",)),
               Report("Police arrested two men in Port Lenn.", "2025-01-04", "arrest", places=("Port Lenn",)),
               Report("The governor said calm had returned.", "2025-01-05", "statement")]
    view = build(root, [Source("Wire A", "2025-01-06", reports)], dt.date(2025, 6, 1))
    (found,) = timelines(view)
    assert (found.title, [entry.kind for entry in entries(found)]) == ("Timeline", ["attack", "arrest"])


def test_a_project_kind_from_the_gazetteer_has_its_timeline(tmp_path: Path) -> None:
    root = write_project(tmp_path, "  - kind: timeline\n    title: Piracy\n    event_kinds: [piracy]\n",
                         gazetteer="event_cues:\n  - {label: piracy, pattern: hijack}\n")
    boarded = Report("Pirates hijacked a tanker off Port Lenn.", "2025-02-02", "piracy", places=("Port Lenn",))
    view = build(root, [Source("Wire A", "2025-02-03", [boarded])], dt.date(2025, 6, 1))
    page = html.fromstring(render(root, view))
    (item,) = page.xpath('//section[@id="piracy"]//li[contains(@class, "event")]')
    assert "Pirates hijacked a tanker" in item.text_content()
    assert isinstance(view.sections[0], TimelineSection) and view.sections[0].event_kinds == ["piracy"]
