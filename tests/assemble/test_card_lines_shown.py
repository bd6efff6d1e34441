"""A key-actor card shows the actor's first statements and actions said differently, each citing every source that
says it alike, however many more the actor has (real assembly of constructed facts)."""

from __future__ import annotations

import datetime as dt

from briefgen.assemble.citations import Citer
from briefgen.assemble.sections import ACTIONS_SHOWN, SectionInput, key_actors
from briefgen.config import KeyActorsSection as KeyActorsConfig
from briefgen.extract import merge_facts
from briefgen.facts import Actor, Document, DocumentFacts, Event, Mention, Quote

# (what the army did, on which day of May 2025, what it said): the fourth report repeats the first in its words
REPORTS = [
    ("The army shelled the village", 1, "We will restore order"),
    ("The army raided a depot", 2, "The road is closed"),
    ("The army closed the road", 3, "More troops are coming"),
    ("The army shelled the village", 1, "We will restore order"),
]


def report(number: int) -> tuple[Document, DocumentFacts]:
    """A report of one action and one statement of the army, from an outlet of its own."""
    did, day, said = REPORTS[number]
    first = f"{did} on {day} May."
    text = f'{first} "{said}," the army said.'
    doc = f"r{number}"
    facts = DocumentFacts(doc=doc, sentences=[(0, len(first)), (len(first) + 1, len(text))])
    quote_start, named = text.index(said), text.rindex("army")
    facts.actors.append(Actor(id="army", name="Army", kind="organization",
                              mentions=[Mention(doc, 4, 8), Mention(doc, named, named + 4)]))
    facts.events.append(Event(id=f"{doc}-e", date=f"2025-05-{day:02d}", date_text=f"{day} May", kind="attack",
                              what=first.rstrip("."), doc=doc, start=0, end=len(first) - 1, precision="day",
                              actors=["army"]))
    facts.quotes.append(Quote(id=f"{doc}-q", speaker="army", speaker_name="the army", text=said, doc=doc,
                              start=quote_start, end=quote_start + len(said), cue="said"))
    document = Document(id=doc, path=f"sources/{doc}.md", text=text, title=f"Report {number}",
                        published=f"2025-05-{day:02d}", outlet=f"Outlet {number}")
    return document, facts


def test_a_card_shows_the_first_lines_said_differently_each_citing_every_source_that_says_it() -> None:
    pairs = [report(number) for number in range(len(REPORTS))]
    documents, facts = [document for document, _ in pairs], [facts for _, facts in pairs]
    citer = Citer(documents, facts)
    data = SectionInput(merge_facts(facts), citer, dt.date(2025, 6, 1), None, graphics=False)
    config = KeyActorsConfig(kind="key_actors", max_statements=2)
    [card] = key_actors("Key actors", config, data).actors
    number = {source.doc_id: source.number for source in citer.sources}

    assert [(item.text, [cite.number for cite in item.cites]) for item in card.statements] == [
        ("We will restore order", [number["r0"], number["r3"]]), ("The road is closed", [number["r1"]])]
    assert ACTIONS_SHOWN == 2
    assert [([cite.number for cite in entry.cites], entry.date) for entry in card.actions] == [
        ([number["r0"], number["r3"]], "2025-05-01"), ([number["r1"]], "2025-05-02")]
    assert "shelled the village" in card.actions[0].what and "raided a depot" in card.actions[1].what
