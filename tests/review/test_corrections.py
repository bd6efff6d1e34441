"""Analyst review from the command line: decisions land in corrections.yaml, reach every later build, survive
re-extraction, an extractor version change and an edited source, and a decision whose fact is gone is reported."""

from __future__ import annotations

import json
import re
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefgen.review import FactKey, decision, load_corrections, record
from tests.projects import SOURCES, build, make_project, run, write

BORDER = "sources/2025-03-02-border-post.md"
CONVOY = "sources/2025-03-06-convoy.md"
BORDER_TEXT = textwrap.dedent(SOURCES[BORDER]) + (
    "Katiba Macina said in a statement that its fighters had seized two army vehicles.\n"
    "About 1,200 displaced people reached Menaka after the attack, local authorities said.\n"
    "Col. Sanou said reinforcements had arrived from Gao.\n")
CONVOY_TEXT = """\
    ---
    title: A convoy leaves for the border
    published: 2025-03-06
    outlet: Desk Wire
    ---
    Colonel Amadu Sanou told reporters that a convoy of 40 trucks had left for Menaka on Wednesday.
    """
BRIEF_CONFIG = """\
    title: Desk brief
    sources: [sources/*]
    sections:
      - kind: key_actors
      - kind: threat_summary
      - kind: timeline
        event_kinds: [attack, killing, withdrawal, deployment, other]
      - kind: sources
    """


@pytest.fixture
def project(tmp_path: Path) -> Path:
    sources: dict[str, str | bytes] = {**SOURCES, BORDER: BORDER_TEXT, CONVOY: CONVOY_TEXT}
    root = make_project(tmp_path / "desk", sources=sources)
    write(root, "config/briefs/desk.yaml", BRIEF_CONFIG)
    assert build(root, "--format", "html").exit_code == 0
    return root


def listed(root: Path, *args: str) -> list[dict[str, Any]]:
    result = run("review", "list", "--project", str(root), "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def fact_id(root: Path, kind: str, words: str) -> str:
    """The id of the one fact of a kind whose text holds `words`."""
    found = [item["id"] for item in listed(root, "--kind", kind) if words in item["text"]]
    assert len(found) == 1, (kind, words, found)
    return found[0]


def review(root: Path, *args: str) -> None:
    result = run("review", *args, "--project", str(root), "--by", "analyst-one")
    assert result.exit_code == 0, result.output


def brief_html(root: Path) -> str:
    """The analyst brief's HTML, without citation tooltips (which quote whole source sentences)."""
    html = (root / "output/desk/latest/analyst.html").read_text(encoding="utf-8")
    return re.sub(r'title="[^"]*"', "", html)


def key_actors(root: Path) -> str:
    html = brief_html(root)
    return html[html.index('id="key-actors"'):html.index('id="threat-summary"')]


def correct_everything(root: Path) -> None:
    """Reject a misattributed statement and a wrong actor, fix a role, merge two spellings, add an event."""
    review(root, "reject", fact_id(root, "quote", "Katiba Macina"), "--why", "the group's claim, not a statement")
    review(root, "reject", fact_id(root, "actor", "Gao"), "--why", "a town, not an actor")
    review(root, "edit", fact_id(root, "actor", "Amadou Sanou"), "--set", "role=army spokesman for the Menaka region")
    review(root, "merge", fact_id(root, "actor", "Amadu Sanou"), "--into", fact_id(root, "actor", "Amadou Sanou"))
    review(root, "add", "--kind", "event", "--source", BORDER,
           "--sentence", "About 1,200 displaced people reached Menaka after the attack, local authorities said.",
           "--set", "date=2025-03-02", "--set", "kind=other", "--set", "what=1,200 displaced people reach Menaka")


def assert_corrected(root: Path) -> None:
    html, actors = brief_html(root), key_actors(root)
    assert "its fighters had seized two army vehicles" not in html
    assert "army spokesman for the Menaka region" in actors
    assert "regional army spokesman" not in actors
    assert "Amadu Sanou" in actors and actors.count("Sanou</") <= 1  # one card, the other spelling an alias
    assert ">Gao<" not in actors
    assert "1,200 displaced people reach Menaka" in html


def test_decisions_are_written_readably_with_who_when_and_why(project: Path) -> None:
    correct_everything(project)
    entries = yaml.safe_load((project / "corrections.yaml").read_text(encoding="utf-8"))["corrections"]
    assert [entry["action"] for entry in entries] == ["reject", "reject", "edit", "merge", "add"]
    first = entries[0]
    assert first["by"] == "analyst-one" and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", first["at"])
    assert first["why"] == "the group's claim, not a statement"
    assert first["fact"]["source"] == BORDER and "seized two army vehicles" in first["fact"]["words"]
    assert entries[3]["into"]["name"] == "Amadou Sanou"
    statuses = {(item["kind"], item["text"]): item["status"] for item in listed(project)}
    assert statuses[next(key for key in statuses if key[0] == "quote" and "Katiba Macina" in key[1])] == "rejected"
    assert {"added", "edited", "not reviewed"} <= set(statuses.values())


def test_corrections_reach_the_next_build(project: Path) -> None:
    correct_everything(project)
    result = build(project, "--format", "html")
    assert result.exit_code == 0 and "corrections.yaml: correction" not in result.output
    assert_corrected(project)


def test_corrections_survive_an_extractor_version_change(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    correct_everything(project)
    monkeypatch.setattr("briefgen.extract.EXTRACTOR_VERSION", "review-test-next")
    result = build(project, "--format", "html")
    assert result.exit_code == 0, result.output
    assert "re-extracted" in result.output and "corrections.yaml: correction" not in result.output
    assert_corrected(project)


def test_corrections_follow_an_edited_source(project: Path) -> None:
    correct_everything(project)
    edited = BORDER_TEXT + "The army said patrols around Menaka would be doubled.\n"
    write(project, BORDER, edited)
    result = build(project, "--format", "html")
    assert result.exit_code == 0 and "corrections.yaml: correction" not in result.output
    assert_corrected(project)


def test_a_correction_whose_fact_is_gone_is_reported_and_kept(project: Path) -> None:
    correct_everything(project)
    write(project, BORDER, BORDER_TEXT.replace(
        "Katiba Macina said in a statement that its fighters had seized two army vehicles.\n", ""))
    result = build(project, "--format", "html")
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if "corrections.yaml: correction" in line]
    assert len(lines) == 1 and "correction 1 (reject quote" in lines[0] and "any more" in lines[0]
    assert len(load_corrections(project)) == 5


def test_a_pinned_fact_passes_the_sections_cap(project: Path) -> None:
    write(project, "config/audiences/analyst.yaml", "label: Analyst brief\nlimits: {key_actors: 1}\n")
    build(project, "--format", "html")
    assert "Katiba Macina" not in key_actors(project)
    review(project, "pin", fact_id(project, "actor", "Katiba Macina"))
    build(project, "--format", "html")
    assert "Katiba Macina" in key_actors(project)
    review(project, "unpin", fact_id(project, "actor", "Katiba Macina"))
    build(project, "--format", "html")
    assert "Katiba Macina" not in key_actors(project)


def test_a_split_gives_the_other_form_its_own_actor(project: Path) -> None:
    sanou, amadu = fact_id(project, "actor", "Amadou Sanou"), fact_id(project, "actor", "Amadu Sanou")
    review(project, "merge", amadu, "--into", sanou)
    assert not [item for item in listed(project, "--kind", "actor") if item["text"].startswith("Amadu Sanou")]
    review(project, "split", sanou, "--name", "Amadu Sanou")
    names = [item["text"] for item in listed(project, "--kind", "actor")]
    assert any(name.startswith("Amadu Sanou") for name in names)
    assert any(name.startswith("Amadou Sanou") and "Amadu" not in name for name in names)


def test_accept_after_reject_takes_the_fact_back(project: Path) -> None:
    quote = fact_id(project, "quote", "Katiba Macina")
    review(project, "reject", quote)
    review(project, "accept", quote)
    build(project, "--format", "html")
    assert "its fighters had seized two army vehicles" in brief_html(project)
    assert {item["status"] for item in listed(project, "--kind", "quote") if item["id"] == quote} == {"accepted"}


def test_two_reviewers_saving_at_once_lose_nothing(project: Path) -> None:
    key = FactKey("actor", name="Katiba Macina")

    def save(reviewer: str) -> None:
        for number in range(15):
            taken = decision("accept", by=reviewer, why=f"check {number}", fact=key)
            record(project, [taken])

    threads = [threading.Thread(target=save, args=(name,)) for name in ("first", "second", "third")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    saved = load_corrections(project)
    assert len(saved) == 45
    assert {(item.by, item.why) for item in saved} == {(name, f"check {n}") for name in ("first", "second", "third")
                                                      for n in range(15)}


@pytest.mark.parametrize(("args", "message"), [
    (["reject", "quote-0000000000"], "no fact 'quote-0000000000' in brief 'desk'"),
    (["edit", "ACTOR", "--set", "kind=robot"], "kind: 'robot' is not one of: person, organization"),
    (["edit", "ACTOR", "--set", "height=2"], "a actor has no field 'height'"),
    (["edit", "ACTOR", "--set", "role"], "--set: 'role' is not FIELD=VALUE"),
    (["add", "--kind", "quote", "--source", BORDER, "--sentence", "Nobody said this.", "--set", "speaker=X"],
     "the sentence is not in sources/2025-03-02-border-post.md"),
    (["add", "--kind", "event", "--source", "sources/none.md", "--sentence", "x", "--set", "date=2025"],
     "'sources/none.md' is not a source of brief 'desk'"),
    (["add", "--kind", "event", "--source", BORDER, "--sentence", "Gunmen attacked a border post near Menaka",
      "--set", "date=2025-02-30", "--set", "kind=attack"], "'2025-02-30' is not a day of the calendar"),
])
def test_bad_requests_get_one_line_and_change_nothing(project: Path, args: list[str], message: str) -> None:
    actor = fact_id(project, "actor", "Amadou Sanou")
    result = run("review", *[actor if arg == "ACTOR" else arg for arg in args], "--project", str(project))
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    assert len([line for line in result.output.splitlines() if line.strip()]) == 1
    assert not (project / "corrections.yaml").exists()


def test_a_bad_corrections_file_is_reported_by_line_and_field(project: Path) -> None:
    write(project, "corrections.yaml", """\
        corrections:
        - action: reject
          fact: {kind: quote, source: sources/a.md, words: something}
          by: someone
          at: 2026-11-30T10:00:00Z
        - action: burn
          fact: {kind: actor, name: X}
          by: someone
          at: 2026-11-30T10:00:00Z
        - action: edit
          fact: {kind: event, source: sources/a.md, words: w}
          set: {date: yesterday}
          by: someone
          at: 2026-11-30T10:00:00Z
        """)
    result = run("check", "--project", str(project))
    assert result.exit_code == 2
    assert "corrections.yaml:6:3: corrections.1.action: Input should be 'accept'" in result.output
    assert "corrections.yaml:10:3: corrections.2: date: 'yesterday' is not a date" in result.output
    assert "Traceback" not in result.output


def test_adding_a_fact_the_brief_has_is_refused(project: Path) -> None:
    quote = next(item for item in listed(project, "--kind", "quote") if "attackers came at dawn" in item["text"])
    result = run("review", "add", "--project", str(project), "--kind", "quote", "--source", BORDER,
                 "--sentence", quote["sentence"], "--set", "speaker=Amadou Sanou",
                 "--set", "text=The attackers came at dawn")
    assert result.exit_code == 1 and f"the brief has this quote already: {quote['id']}" in result.output
    assert not (project / "corrections.yaml").exists()
