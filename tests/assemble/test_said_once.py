"""A warning that independent reports repeat in the same words is one item of the threat summary, citing each
of them (real assembly of constructed facts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.assemble import assemble_brief
from briefgen.assemble.views import ThreatSummarySection
from briefgen.build import SourcePool, brief_input
from briefgen.facts import Actor, Document, DocumentFacts, Mention, Quote
from briefgen.project import Project, load_project
from tests.assemble.conftest import BRIEF, BUILD_DATE, section

WARNING = "the roads north of the city are not safe after dark"
# Two unrelated reports (different stories) that carry the same warning in the same words, and a third warning.
TEXTS = {
    "one": f"Fighting flared in the western districts overnight. Residents warned that {WARNING}.",
    "two": f"Markets reopened on Tuesday after a week of closures. Residents warned that {WARNING}.",
    "three": "Aid convoys resumed deliveries to the camps. Officials warned that fuel is running short.",
}


def source(doc_id: str, day: int) -> tuple[Document, DocumentFacts]:
    """A source holding its text, with the residents (or officials) and their warning."""
    text = TEXTS[doc_id]
    said = text.split(" warned that ")[1].rstrip(".")
    start = text.index(said)
    speaker = "officials" if doc_id == "three" else "residents"
    facts = DocumentFacts(doc=doc_id, sentences=[(0, text.index(".") + 1), (text.index(".") + 2, len(text))])
    facts.actors.append(Actor(id=speaker, name=speaker.capitalize(), kind="organization",
                              mentions=[Mention(doc_id, text.index(speaker.capitalize()),
                                                text.index(speaker.capitalize()) + len(speaker))]))
    facts.quotes.append(Quote(id=f"{doc_id}-q", speaker=speaker, speaker_name=speaker.capitalize(), text=said,
                              doc=doc_id, start=start, end=start + len(said), cue="warn", direct=False))
    return Document(id=doc_id, path=f"sources/{doc_id}.md", text=text, title=doc_id,
                    published=f"2025-11-{day:02d}", outlet=f"Outlet {doc_id}"), facts


@pytest.fixture
def project(example_project: Path) -> Project:
    """The example project (its brief has a threat summary with warnings)."""
    return load_project(example_project)


def test_the_same_warning_from_two_reports_is_one_item_citing_both(project: Project) -> None:
    pairs = [source("one", 20), source("two", 21), source("three", 22)]
    pool = SourcePool([document for document, _ in pairs], [facts for _, facts in pairs])
    summary = section(assemble_brief(brief_input(project, BRIEF, "analyst", pool, BUILD_DATE, 1, None)),
                      "threat_summary")
    assert isinstance(summary, ThreatSummarySection)
    warnings = [(item.speaker, item.text, len(item.cites)) for item in summary.warnings]
    assert warnings == [("Officials", "fuel is running short", 1), ("Residents", WARNING, 2)]
